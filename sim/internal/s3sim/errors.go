package s3sim

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// Error is an S3 error: its wire code, its HTTP status (from [Status]), AWS's message, the
// further elements S3 puts in the <Error> document (BucketName, Key, Region, …) in order, and
// headers it sends with the error (x-amz-delete-marker, x-amz-bucket-region).
type Error = core.Error

// errorf returns an *Error with code, its status and a formatted message.
func errorf(code core.Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Status: Status(code)}
}

// AsError returns err as an S3 *Error: a *core.Error keeps its code, message and status;
// any other error is an InternalError.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	var ce *core.Error
	if errors.As(err, &ce) {
		return ce
	}
	return &Error{Code: core.InternalError, Message: "We encountered an internal error. Please try again. (" + err.Error() + ")", Status: http.StatusInternalServerError}
}

// Status returns the HTTP status S3 answers with code; codes not listed are 400.
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList
func Status(code core.Code) int {
	if s, ok := statuses[code]; ok {
		return s
	}
	return http.StatusBadRequest
}

var statuses = map[core.Code]int{
	AccessDenied:                                   http.StatusForbidden,
	AccessForbidden:                                http.StatusForbidden,
	CrossLocationLoggingProhibitted:                http.StatusForbidden,
	AccountProblem:                                 http.StatusForbidden,
	AllAccessDisabled:                              http.StatusForbidden,
	InvalidAccessKeyID:                             http.StatusForbidden,
	InvalidObjectState:                             http.StatusForbidden,
	RequestTimeTooSkewed:                           http.StatusForbidden,
	SignatureDoesNotMatch:                          http.StatusForbidden,
	NoSuchBucket:                                   http.StatusNotFound,
	NoSuchBucketPolicy:                             http.StatusNotFound,
	NoSuchKey:                                      http.StatusNotFound,
	NoSuchUpload:                                   http.StatusNotFound,
	NoSuchVersion:                                  http.StatusNotFound,
	NoSuchWebsiteConfiguration:                     http.StatusNotFound,
	NoSuchTagSet:                                   http.StatusNotFound,
	NoSuchLifecycleConfiguration:                   http.StatusNotFound,
	NoSuchCORSConfiguration:                        http.StatusNotFound,
	NoSuchPublicAccessBlockConfiguration:           http.StatusNotFound,
	OwnershipControlsNotFoundError:                 http.StatusNotFound,
	NoSuchObjectLockConfiguration:                  http.StatusNotFound,
	NoSuchConfiguration:                            http.StatusNotFound,
	ReplicationConfigurationNotFoundError:          http.StatusNotFound,
	ObjectLockConfigurationNotFoundError:           http.StatusNotFound,
	ServerSideEncryptionConfigurationNotFoundError: http.StatusNotFound,
	NotFound:                     http.StatusNotFound,
	MethodNotAllowed:             http.StatusMethodNotAllowed,
	BucketAlreadyExists:          http.StatusConflict,
	BucketAlreadyOwnedByYou:      http.StatusConflict,
	BucketNotEmpty:               http.StatusConflict,
	InvalidBucketState:           http.StatusConflict,
	OperationAborted:             http.StatusConflict,
	RestoreAlreadyInProgress:     http.StatusConflict,
	MissingContentLength:         http.StatusLengthRequired,
	PreconditionFailed:           http.StatusPreconditionFailed,
	NotModified:                  http.StatusNotModified,
	InvalidRange:                 http.StatusRequestedRangeNotSatisfiable,
	InvalidPartNumber:            http.StatusRequestedRangeNotSatisfiable,
	core.InternalError:           http.StatusInternalServerError,
	core.InternalFailure:         http.StatusInternalServerError,
	core.NotImplemented:          http.StatusNotImplemented,
	ServiceUnavailable:           http.StatusServiceUnavailable,
	SlowDown:                     http.StatusServiceUnavailable,
	PermanentRedirect:            http.StatusMovedPermanently,
	TemporaryRedirect:            http.StatusTemporaryRedirect,
	AuthorizationHeaderMalformed: http.StatusBadRequest,
	ExpiredToken:                 http.StatusBadRequest,
	InvalidToken:                 http.StatusBadRequest,
	XAmzContentSHA256Mismatch:    http.StatusBadRequest,
}

// AWS's messages, as S3 writes them.
const (
	msgNoSuchBucket = "The specified bucket does not exist"
	msgNoSuchKey    = "The specified key does not exist."
	msgNoSuchUpload = "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed."
	msgMalformedXML = "The XML you provided was not well-formed or did not validate against our published schema"
	msgAccessDenied = "Access Denied"
)

func noSuchBucket(name string) *Error {
	return errorf(NoSuchBucket, msgNoSuchBucket).With("BucketName", name)
}

func noSuchKey(key string) *Error { return errorf(NoSuchKey, msgNoSuchKey).With("Key", key) }

func malformedXML() *Error { return errorf(MalformedXML, msgMalformedXML) }

func invalidArgument(msg, name, value string) *Error {
	return errorf(InvalidArgument, "%s", msg).With("ArgumentName", name).With("ArgumentValue", value)
}

// ErrorBody renders e as S3's XML error document.
func ErrorBody(e *Error, requestID, hostID string) []byte {
	var b bytes.Buffer
	b.WriteString(xml.Header[:len(xml.Header)-1])
	b.WriteString("\n<Error><Code>")
	xml.EscapeText(&b, []byte(e.Code))
	b.WriteString("</Code><Message>")
	xml.EscapeText(&b, []byte(e.Message))
	b.WriteString("</Message>")
	for _, f := range e.Fields {
		b.WriteString("<" + f[0] + ">")
		xml.EscapeText(&b, []byte(f[1]))
		b.WriteString("</" + f[0] + ">")
	}
	b.WriteString("<RequestId>" + requestID + "</RequestId><HostId>" + hostID + "</HostId></Error>")
	return b.Bytes()
}
