package sim

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
)

// Transport returns an http.RoundTripper that hands requests to c in memory: no socket, no
// goroutine, the same front door as [Cloud.ServeHTTP].
func Transport(c *Cloud) http.RoundTripper { return transport{c} }

type transport struct{ c *Cloud }

func (t transport) RoundTrip(r *http.Request) (*http.Response, error) {
	var body []byte
	if r.Body != nil {
		var err error
		body, err = io.ReadAll(io.LimitReader(r.Body, maxBody+1))
		r.Body.Close()
		if err != nil {
			return nil, err
		}
	}
	resp := t.c.handle(r, body)
	return &http.Response{
		Status:     strconv.Itoa(resp.status) + " " + http.StatusText(resp.status),
		StatusCode: resp.status,
		Proto:      "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{
			"Content-Type":     {"text/xml"},
			"X-Amzn-Requestid": {resp.requestID},
			"Content-Length":   {strconv.Itoa(len(resp.body))},
		},
		Body:          io.NopCloser(bytes.NewReader(resp.body)),
		ContentLength: int64(len(resp.body)),
		Request:       r,
	}, nil
}
