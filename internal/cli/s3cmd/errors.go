package s3cmd

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
)

// clientErrorText is botocore's ClientError text of a service's error: "An error occurred
// (NoSuchBucket) when calling the ListObjectsV2 operation: The specified bucket does not
// exist". A response without a body (HEAD's) is named by its status: "(404) … Not Found".
func clientErrorText(err error) (string, bool) {
	var oe *smithy.OperationError
	if !errors.As(err, &oe) {
		return "", false
	}
	code, msg, ok := errorCode(oe.OperationName, err)
	if !ok {
		return "", false
	}
	return fmt.Sprintf("An error occurred (%s) when calling the %s operation: %s", code, oe.OperationName, msg), true
}

// errorCode is the code and message of a service's error as botocore parses them.
func errorCode(op string, err error) (code, msg string, ok bool) {
	if op == "HeadObject" || op == "HeadBucket" {
		var re *awshttp.ResponseError
		if errors.As(err, &re) && re.HTTPStatusCode() != 0 {
			status := re.HTTPStatusCode()
			return strconv.Itoa(status), http.StatusText(status), true
		}
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return "", "", false
	}
	msg = ae.ErrorMessage()
	if msg == "" {
		msg = "Unknown"
	}
	return ae.ErrorCode(), msg, true
}

// errorText is the text the AWS CLI prints for an error: botocore's for a service's error or
// an endpoint it cannot reach, the error itself otherwise.
func errorText(err error) string {
	if text, ok := clientErrorText(err); ok {
		return text
	}
	var ue *url.Error
	var ne *net.OpError
	if errors.As(err, &ue) && errors.As(err, &ne) && ne.Op == "dial" {
		return fmt.Sprintf("Could not connect to the endpoint URL: %q", ue.URL)
	}
	return err.Error()
}
