package cli

import (
	"os"
	"strings"
	"testing"
)

// botocore sends PutObject with Expect: 100-continue and waits to hear 100 Continue, even
// for an empty body; a server that never says it leaves the connection stalled for the next
// PUT with a body, until the read timeout. Each PUT here must be quick.
func TestBoto3EmptyPutsKeepTheConnection(t *testing.T) {
	t.Parallel()
	skipWithoutBoto3(t)
	url := startServer(t)
	script := `
import boto3, botocore, sys, time
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1",
    aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    config=botocore.config.Config(read_timeout=3, retries={"max_attempts": 1}))
s3.create_bucket(Bucket="expect-continue")
for body in [b"", b"", b"hello", b"", b"world"]:
    t = time.time()
    s3.put_object(Bucket="expect-continue", Key="k", Body=body)
    print("slow" if time.time() - t > 1 else "quick")
`
	out := string(runBoto3(t, os.Environ(), script, url))
	if strings.Contains(out, "slow") || strings.Count(out, "quick") != 5 {
		t.Errorf("PUTs after an empty one stalled:\n%s", out)
	}
}
