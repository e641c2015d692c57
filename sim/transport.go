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
	_, resp := t.c.handle(r)
	if r.Body != nil {
		r.Body.Close()
	}
	if err := r.Context().Err(); err != nil {
		return nil, err // the caller gave up while the request ran, as a socket would tell it
	}
	h := resp.Header
	n := int64(len(resp.Body))
	if r.Method == http.MethodHead {
		// A HEAD response says the size of what a GET would carry.
		n, _ = strconv.ParseInt(h.Get("Content-Length"), 10, 64)
	}
	return &http.Response{
		Status:     statusLine(resp.Status),
		StatusCode: resp.Status,
		Proto:      "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        h,
		Body:          io.NopCloser(bytes.NewReader(resp.Body)),
		ContentLength: n,
		Request:       r,
	}, nil
}

// statusLine is the status of an http.Response answering code: "200 OK".
func statusLine(code int) string {
	if code == http.StatusOK {
		return "200 OK" // most answers: no string to build
	}
	return strconv.Itoa(code) + " " + http.StatusText(code)
}
