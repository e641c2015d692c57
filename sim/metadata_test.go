package sim_test

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/sim/internal/conformance"
)

const ec2Trust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

// instanceWithRole runs an instance whose profile holds a role that trust allows EC2 (or not)
// to assume, and that may describe instances.
func instanceWithRole(t *testing.T, c *conformance.Account, image, trust string) types.Instance {
	t.Helper()
	ctx := context.Background()
	ic := iam.NewFromConfig(c.Config())
	must(ic.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("web"), AssumeRolePolicyDocument: aws.String(trust)}))(t)
	must(ic.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("web"), PolicyName: aws.String("describe"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*"}]}`)}))(t)
	must(ic.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("web-profile")}))(t)
	must(ic.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("web-profile"), RoleName: aws.String("web")}))(t)
	client := ec2Client(t, c)
	must(client.CreateKeyPair(ctx, &ec2.CreateKeyPairInput{KeyName: aws.String("lab"), KeyType: types.KeyTypeEd25519}))(t)
	return run(t, client, ec2.RunInstancesInput{
		ImageId: aws.String(imageID(t, client, image)), InstanceType: types.InstanceTypeT3Micro, KeyName: aws.String("lab"),
		IamInstanceProfile: &types.IamInstanceProfileSpecification{Name: aws.String("web-profile")},
		UserData:           aws.String(base64.StdEncoding.EncodeToString([]byte("#!/bin/bash\necho hello\n"))),
	})[0]
}

// TestMetadataThroughSDK reads an instance's metadata with the SDK's own IMDS client, and
// calls AWS as the instance's role with credentials the SDK's provider fetched from it.
func TestMetadataThroughSDK(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		inst := instanceWithRole(t, c, "al2023-ami-*-x86_64", ec2Trust)
		id := *inst.InstanceId
		client := imds.New(imds.Options{HTTPClient: &http.Client{Transport: roundTripper{c.Cloud(t).Metadata(id)}}})

		get := func(path string) string {
			t.Helper()
			out, err := client.GetMetadata(ctx, &imds.GetMetadataInput{Path: path})
			if err != nil {
				t.Fatalf("GetMetadata %s: %v", path, err)
			}
			b, _ := io.ReadAll(out.Content)
			return string(b)
		}
		for path, want := range map[string]string{
			"instance-id":                 id,
			"instance-type":               "t3.micro",
			"ami-id":                      *inst.ImageId,
			"local-ipv4":                  *inst.PrivateIpAddress,
			"placement/availability-zone": *inst.Placement.AvailabilityZone,
			"placement/region":            "us-east-1",
			"security-groups":             "default",
			"iam/security-credentials/":   "web",
			"mac":                         *inst.NetworkInterfaces[0].MacAddress,
			"public-keys/":                "0=lab",
			"public-keys/0/":              "openssh-key",
			"network/interfaces/macs/":    *inst.NetworkInterfaces[0].MacAddress + "/",
			"services/domain":             "amazonaws.com",
			"block-device-mapping/root":   "/dev/xvda",
			"network/interfaces/macs/" + *inst.NetworkInterfaces[0].MacAddress + "/vpc-id": *inst.VpcId,
		} {
			if got := get(path); got != want {
				t.Errorf("meta-data/%s = %q, want %q", path, got, want)
			}
		}
		if got := get(""); !strings.Contains(got, "\niam/\n") || !strings.Contains(got, "\ninstance-id\n") {
			t.Errorf("meta-data/ lists\n%s", got)
		}
		if got := get("public-keys/0/openssh-key"); !strings.HasPrefix(got, "ssh-ed25519 ") || !strings.HasSuffix(got, " lab\n") {
			t.Errorf("openssh-key = %q", got)
		}
		if got := get("iam/info"); !strings.Contains(got, `"InstanceProfileArn" : "arn:aws:iam::123456789012:instance-profile/web-profile"`) {
			t.Errorf("iam/info = %s", got)
		}
		ud := must(client.GetUserData(ctx, nil))(t)
		if b, _ := io.ReadAll(ud.Content); string(b) != "#!/bin/bash\necho hello\n" {
			t.Errorf("user-data = %q", b)
		}
		doc := must(client.GetInstanceIdentityDocument(ctx, nil))(t)
		if doc.InstanceID != id || doc.Region != "us-east-1" || doc.AccountID != sim.DefaultAccount || doc.ImageID != *inst.ImageId ||
			doc.PrivateIP != *inst.PrivateIpAddress || !doc.PendingTime.Equal(inst.LaunchTime.Truncate(time.Second)) {
			t.Errorf("identity document = %+v", doc)
		}
		if r := must(client.GetRegion(ctx, nil))(t); r.Region != "us-east-1" {
			t.Errorf("region = %s", r.Region)
		}

		// Code on the instance: its role's session, named after the instance.
		cfg := must(c.Cloud(t).InstanceConfig(id))(t)
		who := must(sts.NewFromConfig(cfg).GetCallerIdentity(ctx, nil))(t)
		if want := "arn:aws:sts::123456789012:assumed-role/web/" + id; *who.Arn != want {
			t.Errorf("caller = %s, want %s", *who.Arn, want)
		}
		if _, err := ec2.NewFromConfig(cfg).DescribeInstances(ctx, nil); err != nil {
			t.Errorf("the role may describe instances: %v", err)
		}
		_, err := iam.NewFromConfig(cfg).ListUsers(ctx, nil)
		if code := apiCode(t, err); code != "AccessDenied" {
			t.Errorf("ListUsers as the role: %v", err)
		}
		// The credentials are served again, unchanged, until they are an hour old.
		first := get("iam/security-credentials/web")
		if get("iam/security-credentials/web") != first {
			t.Error("credentials changed between two reads")
		}
		c.Advance(t, 61*time.Minute)
		// The client's token (its TTL is 5 minutes) has expired too: a new client gets another
		// rather than wait for a retry.
		client = imds.New(imds.Options{HTTPClient: &http.Client{Transport: roundTripper{c.Cloud(t).Metadata(id)}}})
		if get("iam/security-credentials/web") == first {
			t.Error("credentials not renewed after an hour")
		}
	})
}

// TestMetadataUntrustedRole: a role whose trust policy leaves out EC2 gives the instance no
// credentials, and says why.
func TestMetadataUntrustedRole(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`
		inst := instanceWithRole(t, c, "amzn2-ami-kernel-5.10-hvm-*", trust)
		cfg := must(c.Cloud(t).InstanceConfig(*inst.InstanceId))(t)
		if _, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, nil); err == nil || !strings.Contains(err.Error(), "AssumeRoleUnauthorizedAccess") {
			t.Errorf("GetCallerIdentity with an untrusting role: %v", err)
		}
		body, status := fetch(t, c.Cloud(t).Metadata(*inst.InstanceId), "GET", "/latest/meta-data/iam/info", nil)
		if status != 200 || !strings.Contains(body, `"Code" : "AssumeRoleUnauthorizedAccess"`) {
			t.Errorf("iam/info = %d %s", status, body)
		}
	})
}

// TestMetadataTokens: IMDSv2's session tokens, and IMDSv1 where the image allows it.
func TestMetadataTokens(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		c := b.Open(t)
		v2 := instanceWithRole(t, c, "al2023-ami-*-x86_64", ec2Trust) // requires tokens
		h := c.Cloud(t).Metadata(*v2.InstanceId)
		ttl := http.Header{"X-Aws-Ec2-Metadata-Token-Ttl-Seconds": {"60"}}
		token, status := fetch(t, h, "PUT", "/latest/api/token", ttl)
		if status != 200 || token == "" {
			t.Fatalf("token: %d %q", status, token)
		}
		withToken := http.Header{"X-Aws-Ec2-Metadata-Token": {token}}
		for _, tc := range []struct {
			method, path string
			header       http.Header
			status       int
		}{
			{"GET", "/latest/meta-data/instance-id", withToken, 200},
			{"GET", "/latest/meta-data/instance-id", nil, 401},                                                    // IMDSv1 is off on this image
			{"GET", "/latest/meta-data/instance-id", http.Header{"X-Aws-Ec2-Metadata-Token": {token + "x"}}, 401}, // not a token it gave
			{"GET", "/latest/meta-data/nothing-here", withToken, 404},
			{"PUT", "/latest/api/token", nil, 400}, // no TTL
			{"PUT", "/latest/api/token", http.Header{"X-Aws-Ec2-Metadata-Token-Ttl-Seconds": {"21601"}}, 400},
			{"PUT", "/latest/api/token", http.Header{"X-Aws-Ec2-Metadata-Token-Ttl-Seconds": {"60"}, "X-Forwarded-For": {"10.0.0.1"}}, 403},
			{"GET", "/latest/api/token", ttl, 405},
		} {
			if _, got := fetch(t, h, tc.method, tc.path, tc.header); got != tc.status {
				t.Errorf("%s %s %v = %d, want %d", tc.method, tc.path, tc.header, got, tc.status)
			}
		}
		// Another instance's token is not this one's.
		client := ec2Client(t, c)
		other := run(t, client, ec2.RunInstancesInput{ImageId: aws.String(imageID(t, client, "amzn2-ami-kernel-5.10-hvm-*")), InstanceType: types.InstanceTypeT2Micro})[0]
		if _, got := fetch(t, c.Cloud(t).Metadata(*other.InstanceId), "GET", "/latest/meta-data/instance-id", withToken); got != 401 {
			t.Errorf("another instance's token: %d", got)
		}
		// Amazon Linux 2 allows IMDSv1.
		if body, got := fetch(t, c.Cloud(t).Metadata(*other.InstanceId), "GET", "/latest/meta-data/instance-id", nil); got != 200 || body != *other.InstanceId {
			t.Errorf("IMDSv1 on amzn2: %d %q", got, body)
		}
		// The token expires with the simulator's clock.
		c.Advance(t, 61*time.Second)
		if _, got := fetch(t, h, "GET", "/latest/meta-data/instance-id", withToken); got != 401 {
			t.Errorf("expired token: %d", got)
		}
		// A stopped instance's service does not answer.
		must(client.StopInstances(context.Background(), &ec2.StopInstancesInput{InstanceIds: []string{*other.InstanceId}}))(t)
		if _, got := fetch(t, c.Cloud(t).Metadata(*other.InstanceId), "GET", "/latest/meta-data/instance-id", nil); got != 503 {
			t.Errorf("stopped instance: %d", got)
		}
		if _, err := c.Cloud(t).InstanceConfig("i-00000000000000000"); err == nil {
			t.Error("InstanceConfig of no instance succeeded")
		}
	})
}

func fetch(t *testing.T, h http.Handler, method, path string, header http.Header) (string, int) {
	t.Helper()
	r := httptest.NewRequest(method, "http://169.254.169.254"+path, nil)
	for k, v := range header {
		r.Header[k] = v
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Body.String(), w.Code
}

// roundTripper answers from a handler in memory.
type roundTripper struct{ h http.Handler }

func (rt roundTripper) RoundTrip(r *http.Request) (*http.Response, error) {
	w := httptest.NewRecorder()
	rt.h.ServeHTTP(w, r)
	return w.Result(), nil
}

// TestMetadataReadsStartNoSession: reading an instance's metadata outside iam/ starts no
// role session, so it changes nothing, not even the IDs that come next.
func TestMetadataReadsStartNoSession(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		keys := make([]string, 2)
		for k := range keys {
			c := b.Open(t)
			c.Require(t, conformance.Simulator) // its instances' metadata
			inst := instanceWithRole(t, c, "amzn2-ami-kernel-5.10-hvm-*", ec2Trust)
			if k == 1 {
				for _, path := range []string{"/latest/meta-data/", "/latest/meta-data/instance-id", "/latest/dynamic/instance-identity/document"} {
					if _, status := fetch(t, c.Cloud(t).Metadata(*inst.InstanceId), "GET", path, nil); status != 200 {
						t.Fatalf("%s: %d", path, status)
					}
				}
			}
			ic := iam.NewFromConfig(c.Config())
			must(ic.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alex")}))(t)
			keys[k] = *must(ic.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alex")}))(t).AccessKey.AccessKeyId
		}
		if keys[0] != keys[1] {
			t.Errorf("reading metadata moved the IDs: %s, then %s", keys[0], keys[1])
		}
	})
}
