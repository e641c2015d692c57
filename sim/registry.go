package sim

import (
	"net"
	"net/http"
	"strings"

	"github.com/awsxlab/awsx/sim/internal/service"
)

// registry is the services a Cloud serves, and how a request finds its own. It names no
// service: each declares how it is found (its signing name, the hosts it claims, its
// protocol's marks).
type registry struct {
	all    []*service.Service
	byName map[string]*service.Service // by signing name; the first registered under a name
}

func (g *registry) add(svcs ...*service.Service) {
	if g.byName == nil {
		g.byName = map[string]*service.Service{}
	}
	for _, s := range svcs {
		g.all = append(g.all, s)
		if _, ok := g.byName[s.Name]; !ok {
			g.byName[s.Name] = s
		}
	}
}

// claim returns the service that claims r by its host or path alone.
func (g *registry) claim(r *http.Request) *service.Service {
	for _, s := range g.all {
		if s.Claims != nil && s.Claims(r) {
			return s
		}
	}
	return nil
}

// sigV2 returns the service that takes Signature Version 2.
func (g *registry) sigV2() *service.Service {
	for _, s := range g.all {
		if s.SigV2 != nil {
			return s
		}
	}
	return nil
}

// unsigned returns the service of a request without a usable signature: one whose own mark
// it carries, else the service its host names (iam.amazonaws.com), else one whose protocol
// it speaks, else the fallback service (an anonymous GET of an object, path-style).
func (g *registry) unsigned(req *service.Request, readBody func(*service.Request) error) *service.Service {
	if isForm(req.HTTP) {
		readBody(req) // a query API call's form is in its body; a body too large is refused later
	}
	var speaks *service.Service
	for _, s := range g.all {
		switch s.Protocol.Recognizes(req) {
		case service.Mine:
			return s
		case service.MyProtocol:
			if speaks == nil {
				speaks = s
			}
		}
	}
	if s := g.byHost(req.HTTP); s != nil {
		return s
	}
	if speaks != nil {
		return speaks
	}
	for _, s := range g.all {
		if s.Fallback {
			return s
		}
	}
	return g.all[0]
}

// byHost returns the service whose signing name is the first label of the request's host.
func (g *registry) byHost(r *http.Request) *service.Service {
	host := r.Host
	if host == "" && r.URL != nil {
		host = r.URL.Host
	}
	if i := strings.IndexByte(host, '.'); i > 0 {
		return g.byName[host[:i]]
	}
	return nil
}

// byAWSHost is byHost for AWS's own hosts (…amazonaws.com) only: the endpoint a request was
// sent to, when it names one.
func (g *registry) byAWSHost(r *http.Request) *service.Service {
	host := r.Host
	if host == "" && r.URL != nil {
		host = r.URL.Host
	}
	if strings.Contains(host, ":") { // else no port, and no error for SplitHostPort to build
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
	}
	if !strings.HasSuffix(strings.ToLower(host), ".amazonaws.com") {
		return nil
	}
	return g.byHost(r)
}

// protocolFor returns the protocol to answer req in: its service's, or, for a service the
// simulator does not have, that of one whose protocol the request speaks.
func (g *registry) protocolFor(req *service.Request) service.Protocol {
	if req.Service != nil {
		return req.Service.Protocol
	}
	for _, s := range g.all {
		if s.Protocol.Recognizes(req) != service.NotMine {
			return s.Protocol
		}
	}
	return g.all[0].Protocol
}

// isForm reports whether r carries a form in its body, as a query API call does. Only then is
// the body read before the service is known: an anonymous S3 PUT's may be larger than any
// form.
func isForm(r *http.Request) bool {
	return r.Method == http.MethodPost && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded")
}
