package jsonproto

import (
	"net/http"
	"strconv"

	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/service"
)

// Wire returns p as the request path's protocol: the operation from the method and path, the
// input from the URI, query string, headers and JSON body, and the output or error as
// restJson1 writes them.
func (p *Rest) Wire() service.Protocol { return restWire{p} }

type restWire struct{ p *Rest }

func (w restWire) Operation(r *service.Request) (string, error) { return w.p.Operation(r.HTTP) }

func (w restWire) Decode(r *service.Request, in any) error {
	return w.p.Decode(r.Op, r.HTTP, r.Body, in)
}

func (w restWire) Encode(r *service.Request, out any) (*service.Response, error) {
	status, h, b, err := w.p.Encode(r.Op, out)
	if err != nil {
		return nil, err
	}
	if status == http.StatusNoContent || status == http.StatusNotModified {
		b = nil // a 204 has no body (RFC 9110 15.3.5); the SDKs read none
	}
	h.Set("X-Amzn-Requestid", r.ID)
	h.Set("Content-Length", strconv.Itoa(len(b)))
	return &service.Response{Status: status, Header: h, Body: b}, nil
}

func (w restWire) Error(r *service.Request, e *core.Error) *service.Response {
	b := w.p.encodeError(e)
	h := http.Header{"X-Amzn-Requestid": {r.ID}, "Content-Length": {strconv.Itoa(len(b))}}
	w.p.SetErrorHeaders(h, e.Code)
	return &service.Response{Status: e.Status, Header: h, Body: b}
}

func (restWire) RequestID(ids *core.IDs) string { return ids.RequestID() }

// Recognizes reports a request whose method and path are one of the service's routes as of
// its protocol: restJson1 has no mark of the service beyond its paths (EFS's begin with its
// API version, /2015-02-01/), and a path is not a sure enough mark to claim an unsigned
// request before its host or another protocol's mark does.
func (w restWire) Recognizes(r *service.Request) service.Recognition {
	if _, err := w.p.Operation(r.HTTP); err == nil {
		return service.MyProtocol
	}
	return service.NotMine
}
