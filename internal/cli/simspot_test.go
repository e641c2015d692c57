package cli

import (
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// spotClock is where the Spot tests stop the simulator's clock, as the labs do.
var spotClock = time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)

// TestSimSpotCommands: awsx sim spot-price, interrupt and advance on the embedded simulator's
// state, with the notice read on the instance.
func TestSimSpotCommands(t *testing.T) {
	t.Parallel()
	home, env := embeddedEnv(t)
	env = append(env, "AWSX_CLOCK="+spotClock.Format(time.RFC3339))
	simSpotCommands(t, env, home, nil)
	if r := runAwsx(t, append(env, "AWSX_BACKEND=aws"), home, "sim", "advance", "1m"); r.code == 0 || !strings.Contains(r.stderr, "embedded simulator") {
		t.Errorf("sim advance on real AWS: %d %q", r.code, r.stderr)
	}
}

// TestSimSpotCommandsServed: the same commands with --endpoint-url, against awsx sim serve
// through its admin API.
func TestSimSpotCommandsServed(t *testing.T) {
	t.Parallel()
	url := startServerWith(t, func(o *ServeOptions) { o.Clock = spotClock })
	home, env := embeddedEnv(t)
	simSpotCommands(t, env, home, []string{"--endpoint-url", url})
	// Nothing served: the command says so, and does not fall back to the embedded simulator.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	if r := runAwsx(t, env, home, "--endpoint-url", closed, "sim", "advance", "1m"); r.code == 0 || !strings.Contains(r.stderr, "sim advance: no simulator answers at "+closed) {
		t.Errorf("sim advance with nothing served: %d %q", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(home, ".awsx")); err == nil {
		t.Errorf("the commands against a served simulator made the embedded one's state directory")
	}
}

// simSpotCommands runs sim spot-price, interrupt and advance, each awsx command line with
// global's options before it.
func simSpotCommands(t *testing.T, env []string, home string, global []string) {
	run := func(args ...string) result {
		t.Helper()
		return runAwsx(t, env, home, append(slices.Clone(global), args...)...)
	}
	ok := func(args ...string) string {
		t.Helper()
		r := run(args...)
		if r.code != 0 {
			t.Fatalf("awsx %s: %d %s", strings.Join(args, " "), r.code, r.stderr)
		}
		return strings.TrimSpace(r.stdout)
	}
	spec := `{"ImageId":"ami-4fffc834","InstanceType":"m4.large","Placement":{"AvailabilityZone":"us-east-1b"}}`
	sir := ok("ec2", "request-spot-instances", "--spot-price", "0.05", "--launch-specification", spec,
		"--query", "SpotInstanceRequests[0].SpotInstanceRequestId", "--output", "text")
	id := ok("ec2", "describe-spot-instance-requests", "--spot-instance-request-ids", sir, "--query", "SpotInstanceRequests[0].InstanceId", "--output", "text")
	other := ok("ec2", "run-instances", "--image-id", "ami-4fffc834", "--instance-type", "m4.large",
		"--instance-market-options", "MarketType=spot,SpotOptions={MaxPrice=0.05}", "--query", "Instances[0].InstanceId", "--output", "text")

	out := ok("sim", "spot-price", "--instance-type", "m4.large", "--availability-zone", "us-east-1b", "0.07")
	want := "m4.large in us-east-1b (Linux/UNIX): 0.070000 an hour from 2026-01-01T09:00:00Z\n" +
		id + " (" + sir + "): interruption notice at 2026-01-01T09:00:00Z: terminate at 2026-01-01T09:02:00Z"
	if out != want {
		t.Errorf("sim spot-price:\n%s\nwant\n%s", out, want)
	}
	if got := ok("ec2", "describe-spot-instance-requests", "--spot-instance-request-ids", sir, "--query", "SpotInstanceRequests[0].Status.Code", "--output", "text"); got != "marked-for-termination" {
		t.Errorf("status %s", got)
	}
	if got := ok("sim", "on", id, "curl", "-s", "http://169.254.169.254/latest/meta-data/spot/instance-action"); got != `{"action": "terminate", "time": "2026-01-01T09:02:00Z"}` {
		t.Errorf("instance-action: %s", got)
	}
	if got := ok("sim", "interrupt", other); !strings.HasSuffix(got, "interruption notice at 2026-01-01T09:00:00Z: terminate at 2026-01-01T09:02:00Z") {
		t.Errorf("sim interrupt: %s", got)
	}
	if got := ok("sim", "advance", "2m"); got != "The simulator's clock is at 2026-01-01T09:02:00Z." {
		t.Errorf("sim advance: %s", got)
	}
	got := ok("ec2", "describe-spot-instance-requests", "--query", "SpotInstanceRequests[].[InstanceId,State,Status.Code]", "--output", "text")
	if want := id + "\tclosed\tinstance-terminated-by-price\n" + other + "\tclosed\tinstance-terminated-no-capacity"; got != want {
		t.Errorf("after two minutes:\n%s\nwant\n%s", got, want)
	}
	if got := ok("ec2", "describe-instances", "--instance-ids", id, "--query", "Reservations[0].Instances[0].StateReason.Code", "--output", "text"); got != "Server.SpotInstanceTermination" {
		t.Errorf("state reason %s", got)
	}

	for _, tc := range []struct {
		args []string
		err  string
	}{
		{[]string{"sim", "interrupt", id}, "IncorrectInstanceState"},
		{[]string{"sim", "interrupt", "i-00000000000000000"}, "InvalidInstanceID.NotFound"},
		{[]string{"sim", "spot-price", "--instance-type", "m4.large", "--availability-zone", "us-east-1z", "0.1"}, "Invalid availability zone"},
		{[]string{"sim", "spot-price", "--instance-type", "m4.large", "--availability-zone", "us-east-1a", "cheap"}, `"cheap" is not a price`},
		{[]string{"sim", "spot-price", "--availability-zone", "us-east-1a", "0.1"}, `"instance-type" not set`},
		{[]string{"sim", "advance", "0s"}, "not a positive duration"},
		{[]string{"sim", "advance", "soon"}, "not a positive duration"},
	} {
		r := run(tc.args...)
		if r.code == 0 || !strings.Contains(r.stderr, tc.err) {
			t.Errorf("awsx %s: %d %q, want an error with %q", strings.Join(tc.args, " "), r.code, r.stderr, tc.err)
		}
	}
}

// The spot commands of the AWS CLI against `awsx sim serve`, and awsx's answers to the same
// commands against a server of its own, compared.
func TestSpotParityWithAWSCLI(t *testing.T) {
	t.Parallel()
	for _, c := range clients(t) {
		t.Run(c.Name, func(t *testing.T) {
			home := t.TempDir()
			env := cliEnv(t, home, "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
			frozen := func(o *ServeOptions) { o.Clock = spotClock }
			cli := newCLIWorld(c, env, home, startServerWith(t, frozen))
			awsx := awsxWorld{t, env, home, startServerWith(t, frozen)}
			if err := os.WriteFile(filepath.Join(home, "spec.json"), []byte(`{"ImageId": "ami-4fffc834", "InstanceType": "m4.large"}`), 0o600); err != nil {
				t.Fatal(err)
			}
			steps := []step{
				{args: []string{"ec2", "describe-spot-price-history", "--instance-types", "m4.large", "--product-descriptions", "Linux/UNIX", "--start-time", "2026-01-01T09:00:00Z"}},
				{args: []string{"ec2", "describe-spot-price-history", "--instance-types", "m4.large", "t3.micro", "--availability-zone", "us-east-1c",
					"--start-time", "2025-12-31T09:00:00Z", "--filters", "Name=product-description,Values=Windows", "--output", "text"}},
				{args: []string{"ec2", "request-spot-instances", "--spot-price", "0.05", "--instance-count", "1", "--type", "one-time",
					"--launch-specification", "file://spec.json", "--query", "SpotInstanceRequests[0].SpotInstanceRequestId", "--output", "text"}, capture: "sir"},
				{args: []string{"ec2", "describe-spot-instance-requests", "--spot-instance-request-ids", "{sir}"}},
				{args: []string{"ec2", "describe-spot-instance-requests", "--output", "text"}},
				{args: []string{"ec2", "request-spot-instances", "--spot-price", "0.01", "--launch-specification", "file://spec.json", "--output", "table"}},
				{args: []string{"ec2", "describe-spot-instance-requests", "--filters", "Name=state,Values=open", "--query", "SpotInstanceRequests[].Status"}},
				{args: []string{"ec2", "run-instances", "--image-id", "ami-4fffc834", "--instance-type", "m4.large", "--instance-market-options",
					"MarketType=spot,SpotOptions={MaxPrice=0.05,SpotInstanceType=one-time}", "--query", "Instances[0].InstanceId", "--output", "text"}, capture: "i"},
				{args: []string{"ec2", "describe-instances", "--instance-ids", "{i}", "--query", "Reservations[0].Instances[0].[InstanceLifecycle,SpotInstanceRequestId,State.Name]"}},
				{args: []string{"ec2", "describe-instances", "--filters", "Name=instance-lifecycle,Values=spot", "--query", "Reservations[].Instances[].InstanceId", "--output", "text"}},
				{args: []string{"ec2", "cancel-spot-instance-requests", "--spot-instance-request-ids", "{sir}"}},
				{args: []string{"ec2", "terminate-instances", "--instance-ids", "{i}", "--query", "TerminatingInstances[0].CurrentState.Name"}},
				{args: []string{"ec2", "describe-spot-instance-requests", "--query", "SpotInstanceRequests[].[State,Status.Code]", "--output", "text"}},
				{args: []string{"ec2", "request-spot-instances", "--spot-price", "abc", "--launch-specification", "file://spec.json"}},
				{args: []string{"ec2", "request-spot-instances", "--instance-interruption-behavior", "stop", "--launch-specification", "file://spec.json"}},
				{args: []string{"ec2", "run-instances", "--image-id", "ami-4fffc834", "--instance-type", "m4.large", "--instance-market-options", "MarketType=spot,SpotOptions={MaxPrice=0.001}"}},
				{args: []string{"ec2", "describe-spot-instance-requests", "--spot-instance-request-ids", "sir-00000000"}},
				{args: []string{"ec2", "cancel-spot-instance-requests", "--spot-instance-request-ids", "sir-X"}},
			}
			want, got := play(cli, steps), play(awsx, steps)
			for k, s := range steps {
				compareWithCLI(t, c, s.args, got[k], want[k])
			}
			if want[2].code != 0 || !strings.HasPrefix(want[2].stdout, "sir-") || !strings.Contains(want[3].stdout, `"Code": "fulfilled"`) {
				t.Errorf("the AWS CLI's request: %+v then %+v", want[2], want[3])
			}
		})
	}
}

// boto3, as the course notes use it: request_spot_instances with a bid, the instance it got,
// and the instance killed through the resource API, against `awsx sim serve`.
func TestSpotBoto3AgainstServe(t *testing.T) {
	t.Parallel()
	skipWithoutBoto3(t)
	url := startServer(t)
	home := t.TempDir()
	// The notes' profile dev, as `aws configure --profile dev` writes it.
	os.WriteFile(filepath.Join(home, "credentials"), []byte("[dev]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"), 0o600)
	script := `
import boto3, json, datetime
from botocore.exceptions import ClientError
price = 0.05

s = boto3.Session(profile_name='dev', region_name='us-east-1')
client = s.client('ec2')

rc = client.request_spot_instances(
                DryRun=False,
                SpotPrice=str(price),
                Type='one-time',
                LaunchSpecification={'ImageId': 'ami-4fffc834',
                                     'InstanceType': 'm4.large',
                                     },
                InstanceCount=1,
               )

request_id = rc['SpotInstanceRequests'][0]['SpotInstanceRequestId']
first = rc['SpotInstanceRequests'][0]['Status']['Code']
client.get_waiter('spot_instance_request_fulfilled').wait(SpotInstanceRequestIds=[request_id], WaiterConfig={'Delay': 1, 'MaxAttempts': 5})
req = client.describe_spot_instance_requests(SpotInstanceRequestIds=[request_id])['SpotInstanceRequests'][0]
instance_id = req['InstanceId']
history = client.describe_spot_price_history(InstanceTypes=['m4.large'], ProductDescriptions=['Linux/UNIX'],
    StartTime=datetime.datetime.now(datetime.timezone.utc))['SpotPriceHistory']
lifecycle = client.describe_instances(InstanceIds=[instance_id])['Reservations'][0]['Instances'][0]['InstanceLifecycle']

s = boto3.Session(profile_name='dev')
ec2 = s.resource('ec2', region_name='us-east-1')
ec2.Instance(instance_id).terminate()

after = client.describe_spot_instance_requests(SpotInstanceRequestIds=[request_id])['SpotInstanceRequests'][0]
modern = client.run_instances(ImageId='ami-4fffc834', InstanceType='m4.large', MinCount=1, MaxCount=1,
    InstanceMarketOptions={'MarketType': 'spot', 'SpotOptions': {'MaxPrice': '0.05', 'SpotInstanceType': 'one-time'}})['Instances'][0]
try:
    client.request_spot_instances(SpotPrice='0', LaunchSpecification={'ImageId': 'ami-4fffc834', 'InstanceType': 'm4.large'})
    error = None
except ClientError as e:
    error = e.response['Error']
print(json.dumps({"first": first, "state": req['State'], "code": req['Status']['Code'], "price": req['SpotPrice'],
    "zones": len(history), "lifecycle": lifecycle, "after": [after['State'], after['Status']['Code']],
    "modern": [modern['InstanceLifecycle'], modern['SpotInstanceRequestId'][:4]], "error": error}))
`
	out := runBoto3(t, slicesDeleteEmptyKeys(append(cliEnv(t, home, "", ""), "AWS_ENDPOINT_URL="+url)), script)
	var got struct {
		First, State, Code, Price, Lifecycle string
		Zones                                int
		After, Modern                        []string
		Error                                struct{ Code, Message string }
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if got.First != "pending-evaluation" || got.State != "active" || got.Code != "fulfilled" || got.Price != "0.050000" ||
		got.Zones != 6 || got.Lifecycle != "spot" || strings.Join(got.After, " ") != "closed instance-terminated-by-user" ||
		strings.Join(got.Modern, " ") != "spot sir-" || got.Error.Code != "InvalidParameterValue" ||
		got.Error.Message != `Value (0.000000) for parameter price is invalid. "0.000000" is an invalid spot instance price` {
		t.Errorf("boto3 saw %+v", got)
	}
}

// slicesDeleteEmptyKeys drops the empty AWS_ACCESS_KEY_ID= and AWS_SECRET_ACCESS_KEY= that
// cliEnv writes for no keys, so that boto3 reads the profile's.
func slicesDeleteEmptyKeys(env []string) []string {
	var out []string
	for _, kv := range env {
		if kv != "AWS_ACCESS_KEY_ID=" && kv != "AWS_SECRET_ACCESS_KEY=" {
			out = append(out, kv)
		}
	}
	return out
}
