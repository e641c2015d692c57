package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/netip"

	"github.com/awsxlab/awsx/sim"
)

// The admin API's operations for sim scp (files), sim why (why), sim curl (fetch) and sim
// inbox (inbox, confirm): each answers what the command asks the embedded simulator's
// *sim.Cloud, so that the command prints the same against either.

// adminOp is an admin request that answers itself from the cloud.
type adminOp interface {
	serve(ctx context.Context, cloud *sim.Cloud) (status int, out any)
}

type (
	// adminFilesIn is one file call of scp on an instance, as its default user: Op is stat,
	// read, readdir, write or mkdir.
	adminFilesIn struct {
		Instance, Op, Path string
		Data               []byte
		Mode               fs.FileMode
	}
	adminFilesOut struct {
		File  sim.InstanceFile
		Files []sim.InstanceFile
		Data  []byte
		Err   *adminPathError // the file's error, in the C library's words
		Error string          // any other error (no such instance, not running)
	}
	adminPathError struct{ Op, Path, Errno string }

	adminWhyIn struct {
		From, To sim.Endpoint
		Protocol string
		Port     int
		Me       netip.Addr // the learner's address on the internet, if given
		Region   string
	}
	adminWhyOut struct{ Verdict sim.Verdict }

	adminFetchIn struct {
		Method, URL string
		Header      http.Header
	}
	adminFetchOut struct {
		Status int
		Header http.Header
		Body   []byte
	}

	adminInboxIn  struct{ Address string } // "" for the addresses that have mail
	adminInboxOut struct {
		Addresses []string
		Mails     []sim.Mail
	}
	adminConfirmIn struct {
		Address string
		N       int
	}
	adminConfirmOut struct{ SubscriptionArn string }
)

// newAdminOp returns the request of the operation named op, nil for none.
func newAdminOp(op string) adminOp {
	switch op {
	case "files":
		return &adminFilesIn{}
	case "why":
		return &adminWhyIn{}
	case "fetch":
		return &adminFetchIn{}
	case "inbox":
		return &adminInboxIn{}
	case "confirm":
		return &adminConfirmIn{}
	}
	return nil
}

func badRequest(format string, args ...any) (int, any) {
	return http.StatusBadRequest, adminError{fmt.Sprintf(format, args...)}
}

func (in *adminFilesIn) serve(_ context.Context, c *sim.Cloud) (int, any) {
	var out adminFilesOut
	var err error
	switch in.Op {
	case "stat":
		out.File, err = c.StatInstanceFile(in.Instance, "", in.Path)
	case "read":
		out.Data, err = c.ReadInstanceFile(in.Instance, "", in.Path)
	case "readdir":
		out.Files, err = c.ReadInstanceDir(in.Instance, "", in.Path)
	case "write":
		err = c.WriteInstanceFile(in.Instance, "", in.Path, in.Data, in.Mode.Perm())
	case "mkdir":
		err = c.MkdirInstance(in.Instance, "", in.Path)
	default:
		return badRequest("files takes the operation stat, read, readdir, write or mkdir, not %q", in.Op)
	}
	var pe *fs.PathError
	switch {
	case errors.As(err, &pe):
		out.Err = &adminPathError{pe.Op, pe.Path, pe.Err.Error()}
	case err != nil:
		out.Error = err.Error()
	}
	return http.StatusOK, out
}

func (in *adminWhyIn) serve(_ context.Context, c *sim.Cloud) (int, any) {
	v, err := why(c, *in)
	if err != nil {
		return badRequest("%v", err)
	}
	return http.StatusOK, adminWhyOut{v}
}

func (in *adminFetchIn) serve(ctx context.Context, c *sim.Cloud) (int, any) {
	r, err := http.NewRequestWithContext(ctx, in.Method, in.URL, nil)
	if err != nil || r.URL.Host == "" {
		return badRequest("fetch takes a method and an absolute URL, not %q %q", in.Method, in.URL)
	}
	if in.Header != nil {
		r.Header = in.Header
	}
	// As httptest makes the request of sim curl on the embedded simulator.
	r.RemoteAddr, r.RequestURI = "192.0.2.1:1234", r.URL.RequestURI()
	w := httptest.NewRecorder()
	c.ServeHTTP(w, r)
	return http.StatusOK, adminFetchOut{w.Code, w.Header(), w.Body.Bytes()}
}

func (in *adminInboxIn) serve(_ context.Context, c *sim.Cloud) (int, any) {
	if in.Address == "" {
		return http.StatusOK, adminInboxOut{Addresses: c.Inboxes()}
	}
	return http.StatusOK, adminInboxOut{Mails: c.Inbox(in.Address)}
}

func (in *adminConfirmIn) serve(ctx context.Context, c *sim.Cloud) (int, any) {
	arn, err := cloudMail{c}.confirm(ctx, in.Address, in.N)
	if err != nil {
		return badRequest("%v", err)
	}
	return http.StatusOK, adminConfirmOut{arn}
}

// servedFiles are a served simulator's instances' files, for scp.
type servedFiles struct {
	ctx context.Context
	a   *adminClient
}

func (s servedFiles) do(in adminFilesIn) (adminFilesOut, error) {
	var out adminFilesOut
	if err := s.a.call(s.ctx, "files", in, &out); err != nil {
		return out, err
	}
	switch {
	case out.Err != nil:
		return out, &fs.PathError{Op: out.Err.Op, Path: out.Err.Path, Err: errnoText(out.Err.Errno)}
	case out.Error != "":
		return out, errors.New(out.Error)
	}
	return out, nil
}

func (s servedFiles) StatInstanceFile(id, _, p string) (sim.InstanceFile, error) {
	out, err := s.do(adminFilesIn{Instance: id, Op: "stat", Path: p})
	return out.File, err
}

func (s servedFiles) ReadInstanceFile(id, _, p string) ([]byte, error) {
	out, err := s.do(adminFilesIn{Instance: id, Op: "read", Path: p})
	return out.Data, err
}

func (s servedFiles) ReadInstanceDir(id, _, p string) ([]sim.InstanceFile, error) {
	out, err := s.do(adminFilesIn{Instance: id, Op: "readdir", Path: p})
	return out.Files, err
}

func (s servedFiles) WriteInstanceFile(id, _, p string, data []byte, mode fs.FileMode) error {
	_, err := s.do(adminFilesIn{Instance: id, Op: "write", Path: p, Data: data, Mode: mode})
	return err
}

func (s servedFiles) MkdirInstance(id, _, p string) error {
	_, err := s.do(adminFilesIn{Instance: id, Op: "mkdir", Path: p})
	return err
}

// errnoText is a file error that came over the admin API in the C library's words: it is
// fs.ErrNotExist, fs.ErrPermission or fs.ErrExist where its words are theirs.
type errnoText string

func (e errnoText) Error() string { return string(e) }

func (e errnoText) Is(target error) bool {
	switch e {
	case "No such file or directory":
		return target == fs.ErrNotExist
	case "Permission denied":
		return target == fs.ErrPermission
	case "File exists":
		return target == fs.ErrExist
	}
	return false
}

// fetch answers one of sim curl's requests.
type fetch func(r *http.Request) (*httptest.ResponseRecorder, error)

// handlerFetch is a fetch answered by h in memory: the embedded simulator.
func handlerFetch(h http.Handler) fetch {
	return func(r *http.Request) (*httptest.ResponseRecorder, error) {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w, nil
	}
}

// fetch is a fetch answered by the served simulator, in memory there.
func (a *adminClient) fetch(ctx context.Context) fetch {
	return func(r *http.Request) (*httptest.ResponseRecorder, error) {
		var out adminFetchOut
		if err := a.call(ctx, "fetch", adminFetchIn{r.Method, r.URL.String(), r.Header}, &out); err != nil {
			return nil, err
		}
		w := httptest.NewRecorder()
		for k, v := range out.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(out.Status)
		w.Write(out.Body)
		return w, nil
	}
}

// mailbox is SNS's mail to email subscribers: the embedded simulator's, or a served one's.
type mailbox interface {
	inboxes(ctx context.Context) ([]string, error)
	inbox(ctx context.Context, address string) ([]sim.Mail, error)
	// confirm follows the confirmation link of the mail n (from 1) of address.
	confirm(ctx context.Context, address string, n int) (subscriptionARN string, err error)
}

type cloudMail struct{ c *sim.Cloud }

func (m cloudMail) inboxes(context.Context) ([]string, error) { return m.c.Inboxes(), nil }
func (m cloudMail) inbox(_ context.Context, address string) ([]sim.Mail, error) {
	return m.c.Inbox(address), nil
}

func (m cloudMail) confirm(ctx context.Context, address string, n int) (string, error) {
	mails := m.c.Inbox(address)
	if n < 1 || n > len(mails) {
		return "", fmt.Errorf("sim inbox: %s has no mail %d (it has %d)", address, n, len(mails))
	}
	return m.c.Confirm(ctx, mails[n-1])
}

type servedMail struct{ a *adminClient }

func (m servedMail) inboxes(ctx context.Context) ([]string, error) {
	var out adminInboxOut
	err := m.a.call(ctx, "inbox", adminInboxIn{}, &out)
	return out.Addresses, err
}

func (m servedMail) inbox(ctx context.Context, address string) ([]sim.Mail, error) {
	if address == "" {
		return nil, nil // the operation's "" lists the addresses; no address has mail
	}
	var out adminInboxOut
	err := m.a.call(ctx, "inbox", adminInboxIn{address}, &out)
	return out.Mails, err
}

func (m servedMail) confirm(ctx context.Context, address string, n int) (string, error) {
	var out adminConfirmOut
	err := m.a.call(ctx, "confirm", adminConfirmIn{address, n}, &out)
	return out.SubscriptionArn, err
}
