package sim_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// selectAll runs a SelectObjectContent and reads its event stream with the SDK's reader:
// the records, the stats and the kinds of events in order, and the stream's error.
func selectAll(t *testing.T, client *s3.Client, in *s3.SelectObjectContentInput) (records string, stats *s3types.Stats, events []string, err error) {
	t.Helper()
	out, err := client.SelectObjectContent(context.Background(), in)
	if err != nil {
		return "", nil, nil, err
	}
	stream := out.GetStream()
	defer stream.Close()
	for ev := range stream.Events() {
		switch e := ev.(type) {
		case *s3types.SelectObjectContentEventStreamMemberRecords:
			records += string(e.Value.Payload)
			events = append(events, "Records")
		case *s3types.SelectObjectContentEventStreamMemberStats:
			stats = e.Value.Details
			events = append(events, "Stats")
		case *s3types.SelectObjectContentEventStreamMemberProgress:
			events = append(events, "Progress")
		case *s3types.SelectObjectContentEventStreamMemberCont:
			events = append(events, "Cont")
		case *s3types.SelectObjectContentEventStreamMemberEnd:
			events = append(events, "End")
		default:
			t.Fatalf("an event of type %T", ev)
		}
	}
	return records, stats, events, stream.Err()
}

func csvSelect(bucket, key, sql string) *s3.SelectObjectContentInput {
	return &s3.SelectObjectContentInput{
		Bucket: aws.String(bucket), Key: aws.String(key), Expression: aws.String(sql), ExpressionType: s3types.ExpressionTypeSql,
		InputSerialization:  &s3types.InputSerialization{CSV: &s3types.CSVInput{FileHeaderInfo: s3types.FileHeaderInfoUse}},
		OutputSerialization: &s3types.OutputSerialization{CSV: &s3types.CSVOutput{}},
	}
}

const selectPeople = "name,age,city\nAlice,30,Paris\nBob,25,Berlin\nCarol,41,Paris\n"

// TestS3Select runs S3 Select through the SDK's SelectObjectContent and its event stream
// reader, in memory and over a loopback server: CSV in, CSV and JSON out, JSON lines in,
// progress, stats, the errors answered before the stream and those sent in it.
func TestS3Select(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		c := b.Open(t)
		c.Diverges(t, conformance.Moto, "moto's S3 Select answers a subset of the SQL")
		client := s3Client(t, c, "virtual")
		mustBucket(t, client, "selects")
		mustPut(t, client, "selects", "people.csv", selectPeople)
		mustPut(t, client, "selects", "people.jsonl", `{"name":"Alice","age":30,"langs":["go","sql"]}`+"\n"+`{"name":"Bob","age":25}`+"\n")

		recs, stats, events, err := selectAll(t, client, csvSelect("selects", "people.csv", "SELECT s.name, CAST(s.age AS INT) + 1 AS next FROM S3Object s WHERE s.city = 'Paris'"))
		if err != nil || recs != "Alice,31\nCarol,42\n" {
			t.Fatalf("CSV select: %q, %v", recs, err)
		}
		if strings.Join(events, " ") != "Records Stats End" || aws.ToInt64(stats.BytesScanned) != int64(len(selectPeople)) ||
			aws.ToInt64(stats.BytesProcessed) != int64(len(selectPeople)) || aws.ToInt64(stats.BytesReturned) != int64(len(recs)) {
			t.Errorf("events %v, stats %+v", events, stats)
		}

		in := csvSelect("selects", "people.csv", "SELECT COUNT(*) AS n, AVG(CAST(age AS INT)) AS mean FROM S3Object")
		in.OutputSerialization = &s3types.OutputSerialization{JSON: &s3types.JSONOutput{}}
		in.RequestProgress = &s3types.RequestProgress{Enabled: aws.Bool(true)}
		recs, _, events, err = selectAll(t, client, in)
		if err != nil || recs != `{"n":3,"mean":32.0}`+"\n" || strings.Join(events, " ") != "Records Progress Progress Stats End" {
			t.Errorf("aggregate to JSON: %q %v %v", recs, events, err)
		}

		jin := &s3.SelectObjectContentInput{
			Bucket: aws.String("selects"), Key: aws.String("people.jsonl"), ExpressionType: s3types.ExpressionTypeSql,
			Expression:          aws.String("SELECT s.name, s.langs[0] AS first FROM S3Object[*] s WHERE s.age > 26"),
			InputSerialization:  &s3types.InputSerialization{JSON: &s3types.JSONInput{Type: s3types.JSONTypeLines}},
			OutputSerialization: &s3types.OutputSerialization{JSON: &s3types.JSONOutput{RecordDelimiter: aws.String(";")}},
		}
		if recs, _, _, err = selectAll(t, client, jin); err != nil || recs != `{"name":"Alice","first":"go"};` {
			t.Errorf("JSON lines: %q %v", recs, err)
		}

		// Refused before the stream: an HTTP error of S3 Select's code.
		_, _, _, err = selectAll(t, client, csvSelect("selects", "people.csv", "SELECT name FROM S3Object WHERE"))
		wantS3Error(t, err, "ParseExpectedExpression", 400)
		_, _, _, err = selectAll(t, client, csvSelect("selects", "people.csv", "SELECT name, FROM S3Object"))
		wantS3Error(t, err, "ParseUnexpectedToken", 400)
		_, _, _, err = selectAll(t, client, csvSelect("selects", "missing.csv", "SELECT * FROM S3Object"))
		wantS3Error(t, err, "NoSuchKey", 404)
		noType := csvSelect("selects", "people.csv", "SELECT * FROM S3Object")
		noType.InputSerialization = &s3types.InputSerialization{} // no format
		_, _, _, err = selectAll(t, client, noType)
		wantS3Error(t, err, "MissingRequiredParameter", 400)

		// Failing while records are read: an error message in the stream.
		_, _, _, err = selectAll(t, client, csvSelect("selects", "people.csv", "SELECT CAST(name AS INT) FROM S3Object"))
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != "CastFailed" {
			t.Errorf("a failing CAST: %v", err)
		}
		mustPut(t, client, "selects", "latin1.csv", "caf\xe9\n")
		_, _, _, err = selectAll(t, client, csvSelect("selects", "latin1.csv", "SELECT * FROM S3Object"))
		if !errors.As(err, &ae) || ae.ErrorCode() != "InvalidTextEncoding" {
			t.Errorf("Latin-1 text: %v", err)
		}
	})
}

// TestS3SelectAuthorization: S3 Select is s3:GetObject on the object.
func TestS3SelectAuthorization(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		c := b.Open(t)
		c.Require(t, conformance.EnforcesIAM)
		root := s3Client(t, c, "virtual")
		mustBucket(t, root, "guarded")
		mustPut(t, root, "guarded", "people.csv", selectPeople)
		alex := s3Client(t, c, "virtual", conformance.WithCredentials(credsOf(t, newUser(t, c, "alex"))))
		_, _, _, err := selectAll(t, alex, csvSelect("guarded", "people.csv", "SELECT * FROM S3Object"))
		wantS3Error(t, err, "AccessDenied", 403)
		if !strings.Contains(err.Error(), "s3:GetObject on resource: \"arn:aws:s3:::guarded/people.csv\"") {
			t.Errorf("message: %v", err)
		}
	})
}

// TestS3SelectBoto3 iterates boto3's select_object_content Payload against a loopback server.
func TestS3SelectBoto3(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	if exec.Command("python3", "-c", "import boto3").Run() != nil {
		t.Skip("boto3 is not installed (pip install boto3)")
	}
	t.Parallel()
	srv := httptest.NewServer(sim.New())
	defer srv.Close()
	script := `
import sys, boto3, botocore
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1")
s3.create_bucket(Bucket="sel")
s3.put_object(Bucket="sel", Key="p.csv", Body=sys.argv[2].encode())
r = s3.select_object_content(Bucket="sel", Key="p.csv", ExpressionType="SQL",
    Expression="SELECT name FROM S3Object WHERE CAST(age AS INT) < 40",
    InputSerialization={"CSV": {"FileHeaderInfo": "USE"}, "CompressionType": "NONE"},
    OutputSerialization={"JSON": {}}, RequestProgress={"Enabled": True})
recs, kinds = b"", []
for ev in r["Payload"]:
    kinds.append(list(ev)[0])
    if "Records" in ev:
        recs += ev["Records"]["Payload"]
    if "Stats" in ev:
        assert ev["Stats"]["Details"]["BytesScanned"] == len(sys.argv[2]), ev
assert recs == b'{"name":"Alice"}\n{"name":"Bob"}\n', recs
assert kinds == ["Records", "Progress", "Progress", "Stats", "End"], kinds
try:
    s3.select_object_content(Bucket="sel", Key="p.csv", ExpressionType="SQL", Expression="SELECT FROM S3Object",
        InputSerialization={"CSV": {}}, OutputSerialization={"CSV": {}})
    raise SystemExit("no error")
except botocore.exceptions.ClientError as e:
    assert e.response["Error"]["Code"] == "ParseEmptySelect", e.response
r = s3.select_object_content(Bucket="sel", Key="p.csv", ExpressionType="SQL", Expression="SELECT CAST(name AS INT) FROM S3Object",
    InputSerialization={"CSV": {"FileHeaderInfo": "USE"}}, OutputSerialization={"CSV": {}})
try:
    for ev in r["Payload"]:
        pass
    raise SystemExit("no stream error")
except botocore.exceptions.EventStreamError as e:
    assert e.response["Error"]["Code"] == "CastFailed", e.response
print("ok")
`
	cmd := exec.Command("python3", "-c", script, srv.URL, selectPeople)
	cmd.Env, cmd.Dir = cliEnvFor(t.TempDir()), t.TempDir()
	out, err := cmd.CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "ok" {
		t.Fatalf("boto3: %v\n%s", err, out)
	}
}
