package jsonproto

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/service"
)

// Wire returns p as the request path's protocol: the operation from the URL path, the input
// from the CBOR body, a CBOR document or error out.
func (p *CBOR) Wire() service.Protocol { return cborWire{p} }

type cborWire struct{ p *CBOR }

func (w cborWire) Operation(r *service.Request) (string, error) { return w.p.Operation(r.HTTP) }

func (w cborWire) Decode(r *service.Request, in any) error {
	body, err := Inflate(r.HTTP.Header, r.Body)
	if err != nil {
		return err
	}
	return w.p.Decode(r.Op, body, in)
}

func (w cborWire) Encode(r *service.Request, out any) (*service.Response, error) {
	b, err := w.p.Encode(r.Op, out)
	if err != nil {
		return nil, err
	}
	h := w.header(r, len(b))
	if len(b) > 0 {
		h.Set("Content-Type", CBORContentType)
	}
	return &service.Response{Status: http.StatusOK, Header: h, Body: b}, nil
}

func (w cborWire) Error(r *service.Request, e *core.Error) *service.Response {
	b := w.p.EncodeError(e.Code, e.Message)
	h := w.header(r, len(b))
	w.p.SetErrorHeaders(h, e)
	return &service.Response{Status: e.Status, Header: h, Body: b}
}

func (w cborWire) header(r *service.Request, n int) http.Header {
	return http.Header{"X-Amzn-Requestid": {r.ID}, "Content-Length": {strconv.Itoa(n)}, "Smithy-Protocol": {CBORProtocol}}
}

func (cborWire) RequestID(ids *core.IDs) string { return ids.RequestID() }

// Recognizes reports whether r is an rpcv2Cbor request (its Smithy-Protocol header), and
// whether its path names this service.
func (w cborWire) Recognizes(r *service.Request) service.Recognition {
	if strings.HasPrefix(r.HTTP.URL.EscapedPath(), w.p.prefix) {
		return service.Mine
	}
	if r.HTTP.Header.Get("Smithy-Protocol") == CBORProtocol {
		return service.MyProtocol
	}
	return service.NotMine
}
