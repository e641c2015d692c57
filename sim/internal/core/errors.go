package core

import (
	"errors"
	"fmt"
	"net/http"
)

// Error is an AWS error as the simulator answers it: the wire code, its HTTP status, and a
// message that says what is wrong. Services return it; the front door encodes it in the
// service's protocol.
type Error struct {
	Code    Code
	Message string
	Status  int
	// Fields are further elements of the error document, in order (S3's BucketName, Key).
	Fields [][2]string
	// Header holds headers sent with the error (S3's x-amz-bucket-region).
	Header http.Header
}

// With adds the element <name>value</name> to the error document.
func (e *Error) With(name, value string) *Error {
	e.Fields = append(e.Fields, [2]string{name, value})
	return e
}

// WithHeader adds a response header to the error.
func (e *Error) WithHeader(name, value string) *Error {
	if e.Header == nil {
		e.Header = http.Header{}
	}
	e.Header.Set(name, value)
	return e
}

func (e *Error) Error() string { return string(e.Code) + ": " + e.Message }

// Code is an error code as AWS writes it on the wire ("NoSuchEntity"). Each service declares
// its codes as constants of this type, so that no code is a string literal where it is used.
type Code string

// Codes every service answers.
const (
	InternalError   Code = "InternalError"
	InternalFailure Code = "InternalFailure"
	NotImplemented  Code = "NotImplemented"
)

// Sender reports whether the error is the caller's fault (awsQuery's <Type>Sender</Type>).
func (e *Error) Sender() bool { return e.Status < 500 }

// Errorf returns an *Error with code, the status AWS gives that code, and a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Status: Status(code)}
}

// AsError returns err as an *Error; any other error becomes an InternalError, so a bug in a
// service is reported as AWS reports its own failures rather than crashing the caller.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: InternalError, Message: "internal error: " + err.Error(), Status: http.StatusInternalServerError}
}

// Status returns the HTTP status AWS answers with code. Codes not in the table are client
// errors (400), which is what AWS's query services answer for nearly every code.
func Status(code Code) int {
	if s, ok := statuses[code]; ok {
		return s
	}
	return http.StatusBadRequest
}

// statuses lists the codes whose status is not 400. IAM's are in its API reference ("Errors"
// of each operation); STS's likewise; EC2 answers 400 for all but the authentication and
// authorization codes (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html).
var statuses = map[Code]int{
	// Authentication and authorization.
	"AccessDenied":               http.StatusForbidden,
	"UnauthorizedOperation":      http.StatusForbidden,
	"InvalidClientTokenId":       http.StatusForbidden,
	"SignatureDoesNotMatch":      http.StatusForbidden,
	"MissingAuthenticationToken": http.StatusForbidden,
	"ExpiredToken":               http.StatusForbidden,
	"AuthFailure":                http.StatusUnauthorized,
	"RequestExpired":             http.StatusBadRequest,
	"DryRunOperation":            http.StatusPreconditionFailed,

	// IAM.
	"NoSuchEntity":                  http.StatusNotFound,
	"EntityAlreadyExists":           http.StatusConflict,
	"LimitExceeded":                 http.StatusConflict,
	"DeleteConflict":                http.StatusConflict,
	"ConcurrentModification":        http.StatusConflict,
	"EntityTemporarilyUnmodifiable": http.StatusConflict,
	"ServiceFailure":                http.StatusInternalServerError,

	// Any service.
	InternalError:   http.StatusInternalServerError,
	InternalFailure: http.StatusInternalServerError,
	NotImplemented:  http.StatusNotImplemented,
}
