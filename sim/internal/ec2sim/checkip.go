package ec2sim

import (
	"context"
	"net"
	"net/http"
	"strings"

	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/service"
)

// CheckIPHost is AWS's service that answers a caller the address its request came from, as
// one line of text: what the EC2 User Guide has a learner use to find the address to let SSH
// in from ("Get the public IPv4 address of your local computer", Connect to your Linux
// instance using SSH). In the simulator it answers the learner's address on the internet
// ([Store.InternetAddress]), the address the reachability evaluator's internet endpoint has.
const CheckIPHost = "checkip.amazonaws.com"

// isCheckIPHost reports whether host (with or without a port) is checkip.amazonaws.com, or
// checkip.localhost as `awsx sim serve` answers AWS's hosts.
func isCheckIPHost(host string) bool {
	if strings.Contains(host, ":") { // else no port, and no error for SplitHostPort to build
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	return host == CheckIPHost || host == "checkip.localhost"
}

// CheckIPService returns checkip.amazonaws.com as the door serves it: every request to that
// host, unauthenticated, answered with the learner's address and a newline.
func (s *Store) CheckIPService() *service.Service {
	return &service.Service{
		Name:            "ec2",
		State:           s,
		Protocol:        checkIP{},
		Handler:         checkIPHandler{s},
		Resources:       func(*service.Request) ([]service.Access, error) { return []service.Access{}, nil },
		Dialect:         service.EC2Dialect,
		Anonymous:       true,
		Unauthenticated: true,
		Claims: func(r *http.Request) bool {
			host := r.Host
			if host == "" && r.URL != nil {
				host = r.URL.Host
			}
			return isCheckIPHost(host)
		},
	}
}

const checkIPOp = "CheckIP"

// checkIPRequest and checkIPAnswer are the one operation's input and output.
type (
	checkIPRequest struct{ method string }
	checkIPAnswer  struct {
		status int
		body   string
	}
)

// checkIP is the protocol of checkip.amazonaws.com: any request, one operation, text.
type checkIP struct{}

func (checkIP) Operation(*service.Request) (string, error) { return checkIPOp, nil }

func (checkIP) Decode(r *service.Request, in any) error {
	in.(*checkIPRequest).method = r.HTTP.Method
	return nil
}

func (checkIP) Encode(_ *service.Request, out any) (*service.Response, error) {
	a := out.(*checkIPAnswer)
	h := http.Header{"Content-Type": {"text/plain;charset=UTF-8"}}
	return &service.Response{Status: a.status, Header: h, Body: []byte(a.body)}, nil
}

func (checkIP) Error(_ *service.Request, e *core.Error) *service.Response {
	status := e.Status
	if status == 0 {
		status = http.StatusBadRequest
	}
	return &service.Response{Status: status, Header: http.Header{"Content-Type": {"text/plain;charset=UTF-8"}}, Body: []byte(e.Message + "\n")}
}

func (checkIP) RequestID(ids *core.IDs) string                  { return ids.RequestID() }
func (checkIP) Recognizes(*service.Request) service.Recognition { return service.NotMine }

type checkIPHandler struct{ s *Store }

func (checkIPHandler) Input(op string) (any, bool) { return &checkIPRequest{}, op == checkIPOp }

func (h checkIPHandler) Call(_ context.Context, _ string, in any) (any, error) {
	switch in.(*checkIPRequest).method {
	case http.MethodGet, http.MethodHead:
		return &checkIPAnswer{status: http.StatusOK, body: h.s.InternetAddress().String() + "\n"}, nil
	}
	// It is a page to read: the simulator answers other methods 405 Method Not Allowed.
	return &checkIPAnswer{status: http.StatusMethodNotAllowed}, nil
}
