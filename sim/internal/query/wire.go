package query

import (
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/service"
)

// The codes of a request that names no operation of the API.
const (
	MissingAction        core.Code = "MissingAction"
	InvalidAction        core.Code = "InvalidAction"
	MalformedQueryString core.Code = "MalformedQueryString"
	MethodNotAllowed     core.Code = "MethodNotAllowed"
)

// Wire returns s as the request path's protocol: the operation is the form's Action, the
// input its other parameters, the answer an XML document.
func (s *Service) Wire() service.Protocol { return wire{s} }

type wire struct{ s *Service }

func (w wire) Operation(r *service.Request) (string, error) {
	// The query APIs take their parameters by GET or by POST, nothing else.
	if m := r.HTTP.Method; m != http.MethodGet && m != http.MethodPost {
		return "", &core.Error{Code: MethodNotAllowed, Message: "The requested method " + m + " is not allowed for the query API.", Status: http.StatusMethodNotAllowed}
	}
	form, err := formOf(r.HTTP, r.Body)
	if err != nil {
		return "", err
	}
	r.Scratch = form
	op := form.Get("Action")
	if op == "" {
		return "", core.Errorf(MissingAction, "Missing Action")
	}
	if v := form.Get("Version"); v != "" && v != w.s.Version() {
		return "", core.Errorf(InvalidAction, "Could not find operation %s for version %s", op, v)
	}
	if !w.s.HasOperation(op) {
		return "", core.Errorf(InvalidAction, "Could not find operation %s for version %s", op, w.s.Version())
	}
	return op, nil
}

// formOf returns the request's parameters: the query string and, for a form-encoded body,
// the body's.
func formOf(r *http.Request, body []byte) (url.Values, error) {
	if r.URL.RawQuery == "" && len(body) > 0 && isForm(r.Header.Get("Content-Type")) {
		// A POST of a form, as the SDKs send it: the body's parameters alone.
		bf, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, malformed("The request body is not well-formed form data: %v", err)
		}
		return bf, nil
	}
	form, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, malformed("The query string is malformed: %v", err)
	}
	if len(body) == 0 || !isForm(r.Header.Get("Content-Type")) {
		return form, nil
	}
	bf, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, malformed("The request body is not well-formed form data: %v", err)
	}
	for k, v := range bf {
		form[k] = append(form[k], v...)
	}
	return form, nil
}

// isForm reports whether a body of the content type ct is read as form data: one of type
// application/x-www-form-urlencoded, none, or one that does not parse.
func isForm(ct string) bool {
	const form = "application/x-www-form-urlencoded"
	if base, _, _ := strings.Cut(ct, ";"); strings.EqualFold(strings.TrimSpace(base), form) {
		return true // what mime.ParseMediaType would say, with or without its parameters' errors
	}
	t, _, err := mime.ParseMediaType(ct)
	return err != nil || t == form || t == ""
}

// malformed is the answer to parameters that cannot be read: broken percent-encoding, or more
// than the 10,000 parameters Go's url.ParseQuery takes (the simulator's limit). AWS's common
// errors give MalformedQueryString the status 404.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/CommonErrors.html
func malformed(format string, err error) *core.Error {
	e := core.Errorf(MalformedQueryString, format, err)
	e.Status = http.StatusNotFound
	return e
}

func (w wire) Decode(r *service.Request, in any) error {
	err := w.s.Decode(r.Scratch.(url.Values), in)
	var qe *Error
	if errors.As(err, &qe) {
		return &core.Error{Code: qe.Code, Message: qe.Message, Status: http.StatusBadRequest}
	}
	if err != nil {
		return core.Errorf(core.InternalFailure, "decoding the request: %v", err)
	}
	return nil
}

func (w wire) Encode(r *service.Request, out any) (*service.Response, error) {
	b, err := w.s.EncodeResult(nil, r.Op, out, r.ID)
	if err != nil {
		return nil, err
	}
	return response(http.StatusOK, b, r.ID), nil
}

func (w wire) Error(r *service.Request, e *core.Error) *service.Response {
	return response(e.Status, w.s.EncodeError(nil, string(e.Code), e.Message, r.ID, e.Sender()), r.ID)
}

func response(status int, body []byte, id string) *service.Response {
	v := []string{"text/xml", id, strconv.Itoa(len(body))} // one array for the three values
	return &service.Response{Status: status, Body: body, Header: http.Header{
		"Content-Type":     v[0:1:1],
		"X-Amzn-Requestid": v[1:2:2],
		"Content-Length":   v[2:3:3],
	}}
}

func (wire) RequestID(ids *core.IDs) string { return ids.RequestID() }

// Recognizes reports whether r is a query API call (an Action in the URL, or a form body)
// and whether it names this service's API version.
func (w wire) Recognizes(r *service.Request) service.Recognition {
	h := r.HTTP
	if !(h.URL != nil && strings.Contains(h.URL.RawQuery, "Action=")) &&
		!(h.Method == http.MethodPost && strings.HasPrefix(h.Header.Get("Content-Type"), "application/x-www-form-urlencoded")) {
		return service.NotMine
	}
	if form, err := formOf(h, r.Body); err == nil && form.Get("Version") == w.s.Version() {
		return service.Mine
	}
	return service.MyProtocol
}
