package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// wireMessage keeps the message of a JSON protocol's error response as it came on the wire.
//
// botocore reads an error's message from the body's "message" or "Message" whatever the
// error's shape (botocore/parsers.py, BaseJSONParser._do_error_parse), and the AWS CLI prints
// it. The SDK's awsJson deserializer reads the body into the error's modelled members, and
// some error shapes model none (SSM's InvalidResourceId), so their ErrorMessage is "" where
// the AWS CLI prints "Invalid Resource Id". TestParitySSMSession pins it.
type wireMessage struct {
	text string
	ok   bool // an error response in JSON came: text is its message, "" for none
}

// addTo returns cfg with a middleware that keeps the message of the client's error responses
// in w; the caller's cfg is not changed.
func (w *wireMessage) addTo(cfg aws.Config) aws.Config {
	cfg.APIOptions = append(cfg.APIOptions[:len(cfg.APIOptions):len(cfg.APIOptions)], func(s *middleware.Stack) error {
		// Last in the step, so nearest the transport: it reads the body before the SDK does.
		return s.Deserialize.Add(middleware.DeserializeMiddlewareFunc("awsxWireMessage", w.handle), middleware.After)
	})
	return cfg
}

func (w *wireMessage) handle(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
	out, md, err := next.HandleDeserialize(ctx, in)
	resp, ok := out.RawResponse.(*smithyhttp.Response)
	if !ok || resp.StatusCode < 300 || resp.Body == nil || !strings.Contains(resp.Header.Get("Content-Type"), "json") {
		return out, md, err
	}
	body, rerr := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if rerr != nil {
		return out, md, err
	}
	var fields struct {
		Lower *string `json:"message"`
		Upper *string `json:"Message"`
	}
	if json.Unmarshal(body, &fields) == nil {
		w.text, w.ok = "", true
		switch {
		case fields.Lower != nil:
			w.text = *fields.Lower
		case fields.Upper != nil:
			w.text = *fields.Upper
		}
	}
	return out, md, err
}

// message returns the error's message as the AWS CLI prints it.
func (w *wireMessage) message(ae interface{ ErrorMessage() string }) string {
	if w.ok {
		return w.text
	}
	return ae.ErrorMessage()
}
