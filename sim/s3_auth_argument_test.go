package sim_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/awsxlab/awsx/sim"
)

// TestS3NamesTheRefusedArgument: S3 refuses an authentication it does not take with
// InvalidArgument and names the header in ArgumentName and ArgumentValue, as AWS does; it
// refuses a signature without a date as access denied.
func TestS3NamesTheRefusedArgument(t *testing.T) {
	c := sim.New()
	now := time.Now().UTC()
	day, stamp := now.Format("20060102"), now.Format("20060102T150405Z")
	scope := sim.DefaultAccessKeyID + "/" + day + "/us-east-1/s3/aws4_request"
	tests := []struct {
		name   string
		header http.Header
		status int
		want   []string
	}{
		{"bearer", http.Header{"Authorization": {"Bearer abc"}, "X-Amz-Date": {stamp}}, 400,
			[]string{"<Code>InvalidArgument</Code>", "<Message>Unsupported Authorization Type</Message>",
				"<ArgumentName>Authorization</ArgumentName>", "<ArgumentValue>Bearer abc</ArgumentValue>"}},
		{"payload hash", http.Header{"Authorization": {"AWS4-HMAC-SHA256 Credential=" + scope + ", SignedHeaders=host;x-amz-date, Signature=00"},
			"X-Amz-Date": {stamp}, "X-Amz-Content-Sha256": {"not-a-hash"}}, 400,
			[]string{"<Code>InvalidArgument</Code>", "<ArgumentName>x-amz-content-sha256</ArgumentName>", "<ArgumentValue>not-a-hash</ArgumentValue>"}},
		{"no date", http.Header{"Authorization": {"AWS4-HMAC-SHA256 Credential=" + scope + ", SignedHeaders=host, Signature=00"}}, 403,
			[]string{"<Code>AccessDenied</Code>", "<Message>AWS authentication requires a valid Date or x-amz-date header</Message>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "http://s3.amazonaws.com/some-bucket/key", nil)
			for k, v := range tt.header {
				r.Header[k] = v
			}
			w := httptest.NewRecorder()
			c.ServeHTTP(w, r)
			body := w.Body.String()
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.status, body)
			}
			for _, s := range tt.want {
				if !strings.Contains(body, s) {
					t.Errorf("the answer lacks %s: %s", s, body)
				}
			}
		})
	}
}
