package jsonproto

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/service"
)

// Wire returns p as the request path's protocol: the operation from X-Amz-Target, the input
// from the JSON body, a JSON document or error out.
func (p *Protocol) Wire() service.Protocol { return wire{p} }

type wire struct{ p *Protocol }

func (w wire) Operation(r *service.Request) (string, error) { return w.p.Operation(r.HTTP) }

func (w wire) Decode(r *service.Request, in any) error { return w.p.Decode(r.Op, r.Body, in) }

func (w wire) Encode(r *service.Request, out any) (*service.Response, error) {
	b, err := w.p.Encode(r.Op, out)
	if err != nil {
		return nil, err
	}
	h := w.header(r, len(b))
	h.Set("Content-Type", w.p.ContentType())
	return &service.Response{Status: http.StatusOK, Header: h, Body: b}, nil
}

func (w wire) Error(r *service.Request, e *core.Error) *service.Response {
	b := w.p.EncodeError(e.Code, e.Message)
	h := w.header(r, len(b))
	w.p.SetErrorHeaders(h, e.Code)
	return &service.Response{Status: e.Status, Header: h, Body: b}
}

func (w wire) header(r *service.Request, n int) http.Header {
	return http.Header{"X-Amzn-Requestid": {r.ID}, "Content-Length": {strconv.Itoa(n)}}
}

func (wire) RequestID(ids *core.IDs) string { return ids.RequestID() }

// Recognizes reports whether r carries an X-Amz-Target, and whether it names this service.
func (w wire) Recognizes(r *service.Request) service.Recognition {
	target := r.HTTP.Header.Get("X-Amz-Target")
	if target == "" {
		if strings.HasPrefix(r.HTTP.Header.Get("Content-Type"), "application/x-amz-json-") {
			return service.MyProtocol
		}
		return service.NotMine
	}
	if prefix, _, _ := strings.Cut(target, "."); prefix == w.p.prefix {
		return service.Mine
	}
	return service.MyProtocol
}
