package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/spf13/cobra"

	"github.com/awsxlab/awsx"
	"github.com/awsxlab/awsx/sim"
)

// The admin API of awsx sim serve: what the sim commands (advance, spot-price, interrupt, on,
// ssh, scp, why, curl, inbox) do to the embedded simulator's *sim.Cloud, done to the served
// one. Each operation is POST adminPrefix+NAME with a JSON body, answered in JSON (run in
// lines of JSON, application/x-ndjson, as the command writes its output). Only a loopback
// client is answered, and only a request signed with SigV4 by the account's root or by a user
// or role session whose policies allow the operation's action, awsx:Advance, awsx:Run, …
// (adminAction; an administrator's "*" does) — [sim.Cloud.Authorize].
const adminPrefix = "/_awsx/v1/"

// adminService is the service name the admin API's requests are signed for.
const adminService = "awsx"

// maxAdminBody is the largest request the admin API reads: a script or a standard input of
// 1 MiB, in JSON's base64.
const maxAdminBody = 4 << 20

type (
	adminAdvanceIn   struct{ Duration string }
	adminAdvanceOut  struct{ Now time.Time }
	adminSpotPriceIn struct {
		Market sim.SpotMarket
		Price  string // "" for the market's own
	}
	adminSpotPriceOut struct {
		Price   string
		Now     time.Time
		Notices []sim.SpotNotice
	}
	adminInterruptIn struct {
		Instance string
		Now      bool
	}
	adminInterruptOut struct{ Notice sim.SpotNotice }
	adminRunIn        struct {
		Instance string
		Script   string
		Stdin    []byte
	}
	// adminRunEvent is one line of run's answer, a stream of them as the command writes:
	// output, then the end.
	adminRunEvent struct {
		Stdout, Stderr []byte       `json:",omitempty"`
		End            *adminRunOut `json:",omitempty"`
	}
	adminRunOut struct {
		Code       int
		NoInstance bool   // the simulator has no such instance
		Error      string // the run failed (the instance is not running, …)
	}
	adminSSHHostIn struct {
		Address netip.Addr
		Port    int
	}
	adminSSHHostOut struct {
		Found           bool
		Host            sim.SSHHost
		Reach           sim.Verdict
		Listening       bool
		InternetAddress netip.Addr
	}
	adminError struct{ Message string }
)

// withAdmin answers the admin API's paths from cloud, and passes every other request to next.
func withAdmin(cloud *sim.Cloud, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		op, ok := strings.CutPrefix(r.URL.Path, adminPrefix)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		status, out := serveAdmin(r.Context(), cloud, r, op)
		if stream, ok := out.(adminStream); ok {
			w.Header().Set("Content-Type", "application/x-ndjson")
			w.WriteHeader(status)
			stream(w)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(out)
	})
}

// serveAdmin answers one admin request: its status and its JSON answer.
func serveAdmin(ctx context.Context, cloud *sim.Cloud, r *http.Request, op string) (int, any) {
	refuse := func(status int, format string, args ...any) (int, any) {
		return status, adminError{fmt.Sprintf(format, args...)}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if a, perr := netip.ParseAddr(host); err != nil || perr != nil || !a.Unmap().IsLoopback() {
		return refuse(http.StatusForbidden, "the admin API answers loopback clients only, not %s", r.RemoteAddr)
	}
	if r.Method != http.MethodPost {
		return refuse(http.StatusMethodNotAllowed, "the admin API takes POST, not %s", r.Method)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxAdminBody+1))
	if err != nil {
		return refuse(http.StatusBadRequest, "reading the request: %v", err)
	}
	if len(body) > maxAdminBody {
		return refuse(http.StatusRequestEntityTooLarge, "the request is larger than %d MiB", maxAdminBody>>20)
	}
	action := adminAction(op)
	if action == "" {
		_, err = cloud.Authenticate(r, body) // a stranger learns nothing of the operations
	} else {
		_, err = cloud.Authorize(r, body, action)
	}
	switch {
	case errors.Is(err, sim.ErrNotAuthorized):
		return refuse(http.StatusForbidden, "the admin API's %s needs the account's root, or a principal allowed %s: %v", op, action, err)
	case err != nil:
		return refuse(http.StatusForbidden, "the admin API takes requests signed by a principal of the simulator: %v", err)
	}
	decode := func(in any) error {
		d := json.NewDecoder(bytes.NewReader(body))
		d.DisallowUnknownFields()
		return d.Decode(in)
	}
	var in any
	switch op {
	case "advance":
		in = &adminAdvanceIn{}
	case "spot-price":
		in = &adminSpotPriceIn{}
	case "interrupt":
		in = &adminInterruptIn{}
	case "run":
		in = &adminRunIn{}
	case "ssh-host":
		in = &adminSSHHostIn{}
	default:
		if in = newAdminOp(op); in == nil {
			return refuse(http.StatusNotFound, "the admin API has no operation %q: it has %s", op, adminOpNames)
		}
	}
	if err := decode(in); err != nil {
		return refuse(http.StatusBadRequest, "the request of %s is not its JSON: %v", op, err)
	}
	switch in := in.(type) {
	case *adminAdvanceIn:
		d, err := time.ParseDuration(in.Duration)
		if err != nil || d <= 0 {
			return refuse(http.StatusBadRequest, "%q is not a positive duration such as 2m or 1h30m", in.Duration)
		}
		cloud.Advance(d)
		return http.StatusOK, adminAdvanceOut{cloud.Now()}
	case *adminSpotPriceIn:
		price, notices, err := cloud.SetSpotPrice(in.Market, in.Price)
		if err != nil {
			return refuse(http.StatusBadRequest, "%v", err)
		}
		return http.StatusOK, adminSpotPriceOut{price, cloud.Now(), notices}
	case *adminInterruptIn:
		n, err := cloud.InterruptSpotInstance(in.Instance, func(o *sim.InterruptOptions) { o.Now = in.Now })
		if err != nil {
			return refuse(http.StatusBadRequest, "%v", err)
		}
		return http.StatusOK, adminInterruptOut{n}
	case *adminRunIn:
		return http.StatusOK, adminStream(func(w http.ResponseWriter) { streamRun(ctx, cloud, in, w) })
	case *adminSSHHostIn:
		out := adminSSHHostOut{InternetAddress: cloud.InternetAddress()}
		out.Host, out.Found = cloud.SSHHost(in.Address)
		if out.Found && out.Host.State == "running" {
			me := sim.Endpoint{Region: out.Host.Region, Internet: true}
			out.Reach = cloud.Reach(me, sim.Endpoint{Region: out.Host.Region, Instance: out.Host.Instance, Address: in.Address}, "tcp", in.Port)
			out.Listening = cloud.Listening(out.Host.Instance, in.Port)
		}
		return http.StatusOK, out
	case adminOp:
		return in.serve(ctx, cloud)
	}
	panic("unreachable")
}

// adminStream is an answer that writes itself as it comes, in lines of JSON.
type adminStream func(w http.ResponseWriter)

// streamRun runs the command of in, and writes its output to w as the command writes it
// (each write a line of JSON, flushed), then its end.
func streamRun(ctx context.Context, cloud *sim.Cloud, in *adminRunIn, w http.ResponseWriter) {
	events := &runEvents{enc: json.NewEncoder(w), rc: http.NewResponseController(w)}
	if _, err := cloud.InstanceConfig(in.Instance); err != nil {
		events.send(adminRunEvent{End: &adminRunOut{NoInstance: true}})
		return
	}
	code, err := cloud.Run(ctx, in.Instance, in.Script, sim.RunOptions{Stdin: bytes.NewReader(in.Stdin),
		Stdout: runOutput{events, false}, Stderr: runOutput{events, true}})
	end := adminRunOut{Code: code}
	if err != nil {
		end.Error = err.Error()
	}
	events.send(adminRunEvent{End: &end})
}

// runEvents writes a run's events, one at a time.
type runEvents struct {
	mu  sync.Mutex
	enc *json.Encoder
	rc  *http.ResponseController
}

func (e *runEvents) send(ev adminRunEvent) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.enc.Encode(ev); err != nil {
		return err
	}
	return e.rc.Flush()
}

// runOutput is a run's standard output or error, sent as events.
type runOutput struct {
	e      *runEvents
	stderr bool
}

func (o runOutput) Write(p []byte) (int, error) {
	ev := adminRunEvent{Stdout: p}
	if o.stderr {
		ev = adminRunEvent{Stderr: p}
	}
	if err := o.e.send(ev); err != nil {
		return 0, err
	}
	return len(p), nil
}

// adminAction is the IAM action that the admin operation op needs ("" for no operation): an
// action of awsx's own, awsx:Advance, awsx:Run, …, which the account's root has, and an
// administrator's "*" allows.
func adminAction(op string) string {
	switch op {
	case "advance", "interrupt", "run", "files", "why", "fetch", "inbox", "confirm":
		return "awsx:" + strings.ToUpper(op[:1]) + op[1:]
	case "spot-price":
		return "awsx:SpotPrice"
	case "ssh-host":
		return "awsx:SSHHost"
	}
	return ""
}

// adminOpNames are the admin API's operations, for its refusal of another.
const adminOpNames = "advance, spot-price, interrupt, run, ssh-host, files, why, fetch, inbox and confirm"

// adminClient calls the admin API of a served simulator.
type adminClient struct {
	url string // the server's, without a trailing slash
	cfg aws.Config
}

// adminOf returns the admin API of the simulator that the command's --endpoint-url (or
// AWS_ENDPOINT_URL) names, nil when it names none: the command then opens the embedded one.
func adminOf(ctx context.Context, cmd *cobra.Command, f *Factory) (*adminClient, error) {
	endpoint := ""
	if fl := cmd.Root().PersistentFlags().Lookup("endpoint-url"); fl != nil {
		endpoint = fl.Value.String()
	}
	if endpoint == "" {
		endpoint = f.Getenv("AWS_ENDPOINT_URL")
	}
	if endpoint == "" || openCloudFrom(ctx) != nil {
		return nil, nil
	}
	g := func(name string) string {
		fl := cmd.Root().PersistentFlags().Lookup(name)
		if fl == nil {
			return ""
		}
		return fl.Value.String()
	}
	cfg, err := awsx.Load(ctx, func(o *awsx.Options) {
		o.Profile, o.Region, o.Backend, o.Getenv = g("profile"), g("region"), endpoint, f.Getenv
	})
	if err != nil {
		return nil, err
	}
	return &adminClient{url: strings.TrimSuffix(endpoint, "/"), cfg: cfg}, nil
}

// cutEndpoint takes a leading --endpoint-url URL (or --endpoint-url=URL) off the words of a
// command that parses its own (sim on, sim ssh), as the global option it is.
func cutEndpoint(cmd *cobra.Command, args []string) ([]string, error) {
	if len(args) == 0 {
		return args, nil
	}
	v, ok := strings.CutPrefix(args[0], "--endpoint-url=")
	switch {
	case ok:
		args = args[1:]
	case args[0] == "--endpoint-url" && len(args) > 1:
		v, args = args[1], args[2:]
	case args[0] == "--endpoint-url":
		return nil, errors.New("argument --endpoint-url: expected one argument")
	default:
		return args, nil
	}
	return args, cmd.Root().PersistentFlags().Set("endpoint-url", v)
}

// call makes the admin request op with in, and decodes its answer into out.
func (a *adminClient) call(ctx context.Context, op string, in, out any) error {
	resp, err := a.post(ctx, op, in)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(out)
}

// post makes the admin request op with in, and returns its answer, which is the caller's to
// close, when it is a success.
func (a *adminClient) post(ctx context.Context, op string, in any) (*http.Response, error) {
	body, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.url+adminPrefix+op, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	creds, err := a.cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return nil, fmt.Errorf("the simulator at %s takes signed requests: %w", a.url, err)
	}
	sum := sha256.Sum256(body)
	region := a.cfg.Region
	if region == "" {
		region = "us-east-1"
	}
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), adminService, region, time.Now()); err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("no simulator answers at %s (is awsx sim serve running there?): %w", a.url, err)
	}
	if resp.StatusCode != http.StatusOK {
		defer resp.Body.Close()
		var e adminError
		if err := json.NewDecoder(resp.Body).Decode(&e); err != nil || e.Message == "" {
			return nil, fmt.Errorf("the simulator at %s answered %s: is it awsx sim serve?", a.url, resp.Status)
		}
		return nil, errors.New(e.Message)
	}
	return resp, nil
}

// run is [sim.Cloud.Run] on a served simulator: the standard input is sent whole (none from
// a terminal); the output is written as the command writes it. An instance the simulator
// does not have is a *noInstanceError.
func (a *adminClient) run(ctx context.Context, id, script string, opts sim.RunOptions) (int, error) {
	var in []byte
	if opts.Stdin != nil && !isTerminal(opts.Stdin) {
		b, err := io.ReadAll(io.LimitReader(opts.Stdin, maxScript+1))
		if err != nil {
			return 0, err
		}
		if len(b) > maxScript {
			return 0, errors.New("the standard input is larger than 1 MiB, which a served simulator's instance takes")
		}
		in = b
	}
	resp, err := a.post(ctx, "run", adminRunIn{Instance: id, Script: script, Stdin: in})
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	d := json.NewDecoder(resp.Body)
	for {
		var ev adminRunEvent
		if err := d.Decode(&ev); err != nil {
			return 0, fmt.Errorf("the simulator at %s stopped answering before the command ended: %v", a.url, err)
		}
		if opts.Stdout != nil && len(ev.Stdout) > 0 {
			opts.Stdout.Write(ev.Stdout)
		}
		if opts.Stderr != nil && len(ev.Stderr) > 0 {
			opts.Stderr.Write(ev.Stderr)
		}
		switch end := ev.End; {
		case end == nil:
		case end.NoInstance:
			return 0, &noInstanceError{id}
		case end.Error != "":
			return end.Code, errors.New(end.Error)
		default:
			return end.Code, nil
		}
	}
}

// noInstanceError is run's error for an instance the served simulator does not have.
type noInstanceError struct{ id string }

func (e *noInstanceError) Error() string { return "sim: the simulator has no instance " + e.id }

// servedNetwork is a served simulator's answers about one host, for [sshConnect].
type servedNetwork struct{ adminSSHHostOut }

func (n *servedNetwork) SSHHost(netip.Addr) (sim.SSHHost, bool) { return n.Host, n.Found }
func (n *servedNetwork) Reach(_, _ sim.Endpoint, _ string, _ int) sim.Verdict {
	return n.adminSSHHostOut.Reach
}
func (n *servedNetwork) Listening(string, int) bool  { return n.adminSSHHostOut.Listening }
func (n *servedNetwork) InternetAddress() netip.Addr { return n.adminSSHHostOut.InternetAddress }

// sshNetwork asks the served simulator about host (as ssh's command line names it) and port.
func (a *adminClient) sshNetwork(ctx context.Context, host string, port int) (sshNetwork, error) {
	addr, ok := sim.HostAddress(host)
	if !ok {
		return &servedNetwork{}, nil // sshConnect refuses a name that does not resolve
	}
	var out adminSSHHostOut
	if err := a.call(ctx, "ssh-host", adminSSHHostIn{addr, port}, &out); err != nil {
		return nil, err
	}
	return &servedNetwork{out}, nil
}
