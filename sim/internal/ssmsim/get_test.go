package ssmsim_test

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/ssmsim"
)

// versioned makes /app/mode with versions one, two, three, version 2 labeled "prod".
func versioned(t *testing.T) *world {
	t.Helper()
	w := newWorld(t)
	w.putString(t, east, "/app/mode", "one")
	w.clock.Advance(time.Minute)
	w.overwrite(t, east, "/app/mode", "two")
	w.clock.Advance(time.Minute)
	w.overwrite(t, east, "/app/mode", "three")
	if _, err := w.ssm.LabelParameterVersion(in(east), &ssm.LabelParameterVersionInput{Name: aws.String("/app/mode"), ParameterVersion: aws.Int64(2), Labels: []string{"prod"}}); err != nil {
		t.Fatal(err)
	}
	return w
}

func TestGetParameterSelectors(t *testing.T) {
	w := versioned(t)
	arn := "arn:aws:ssm:us-east-1:123456789012:parameter/app/mode"
	tests := []struct {
		name     string
		value    string
		version  int64
		selector string
	}{
		{"/app/mode", "three", 3, ""},
		{"/app/mode:1", "one", 1, ":1"},
		{"/app/mode:2", "two", 2, ":2"},
		{"/app/mode:prod", "two", 2, ":prod"},
		{" /app/mode:3 ", "three", 3, ":3"},
		{arn, "three", 3, ""},
		{arn + ":prod", "two", 2, ":prod"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := w.get(t, east, tt.name, false)
			if aws.ToString(p.Name) != "/app/mode" || aws.ToString(p.Value) != tt.value || p.Version != tt.version ||
				aws.ToString(p.Selector) != tt.selector || aws.ToString(p.ARN) != arn ||
				!p.LastModifiedDate.Equal(start.Add(time.Duration(tt.version-1)*time.Minute)) {
				t.Fatalf("GetParameter(%q) = %+v", tt.name, p)
			}
		})
	}
}

func TestGetParameterErrors(t *testing.T) {
	w := versioned(t)
	tests := []struct {
		name string
		code core.Code
		msg  string
	}{
		{"/app/none", ssmsim.ParameterNotFound, ""},
		{"/app/mode:9", ssmsim.ParameterVersionNotFound, "Systems Manager could not find version 9 of /app/mode. Verify the version and try again."},
		{"/app/mode:0", ssmsim.ParameterVersionNotFound, "could not find version 0"},
		{"/app/mode:staging", ssmsim.ParameterNotFound, ""},
		{"/app/none:1", ssmsim.ParameterNotFound, ""},
		{"/app/mode:1:2", ssmsim.ValidationException, "If formed as a path"},
		{"/app/mode:", ssmsim.ValidationException, "If formed as a path"},
		{"test/parameter", ssmsim.ValidationException, `Parameter name: can't be prefixed with "ssm" (case-insensitive). If formed as a path`},
		{"", ssmsim.ValidationException, "Member must have length greater than or equal to 1"},
		{"arn:aws:ssm:us-east-1:210987654321:parameter/app/mode", ssmsim.ParameterNotFound, ""},
		{"arn:aws:ssm:eu-west-1:123456789012:parameter/app/mode", ssmsim.ParameterNotFound, ""},
		{"arn:aws:s3:::bucket", ssmsim.ValidationException, "If formed as a path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := w.ssm.GetParameter(in(east), &ssm.GetParameterInput{Name: aws.String(tt.name)})
			wantError(t, err, tt.code, tt.msg)
			if tt.code == ssmsim.ParameterNotFound && core.AsError(err).Message != "" {
				t.Errorf("ParameterNotFound has a message: AWS sends none")
			}
		})
	}
	if _, err := w.ssm.GetParameter(in(east), &ssm.GetParameterInput{}); codeOf(err) != ssmsim.ValidationException {
		t.Fatalf("no name: %v", err)
	}
}

func TestGetParameters(t *testing.T) {
	w := versioned(t)
	w.putString(t, east, "/b", "bee")
	w.putString(t, east, "a", "ay")
	w.put(t, east, &ssm.PutParameterInput{Name: aws.String("/s"), Value: aws.String("secret"), Type: types.ParameterTypeSecureString})

	out, err := w.ssm.GetParameters(in(east), &ssm.GetParametersInput{
		Names:          []string{"/s", "/missing", "/b", "/a", "/app/mode:prod", "/app/mode:9", "/b", "/nope"},
		WithDecryption: aws.Bool(true),
	})
	if err != nil {
		t.Fatal(err)
	}
	// In name order; the ones not found in the order asked.
	if got := names(out.Parameters); !slices.Equal(got, []string{"/app/mode", "/b", "/s", "a"}) {
		t.Fatalf("Parameters = %v", got)
	}
	if !slices.Equal(out.InvalidParameters, []string{"/missing", "/app/mode:9", "/nope"}) {
		t.Fatalf("InvalidParameters = %v", out.InvalidParameters)
	}
	if aws.ToString(out.Parameters[0].Selector) != ":prod" || aws.ToString(out.Parameters[0].Value) != "two" || aws.ToString(out.Parameters[2].Value) != "secret" {
		t.Fatalf("Parameters = %+v", out.Parameters)
	}
	empty, err := w.ssm.GetParameters(in(east), &ssm.GetParametersInput{Names: []string{"/x"}})
	if err != nil || empty.Parameters == nil || len(empty.Parameters) != 0 || !slices.Equal(empty.InvalidParameters, []string{"/x"}) {
		t.Fatalf("nothing found: %+v, %v", empty, err)
	}

	var eleven []string
	for i := range 11 {
		eleven = append(eleven, "/p"+strconv.Itoa(i))
	}
	_, err = w.ssm.GetParameters(in(east), &ssm.GetParametersInput{Names: eleven})
	wantError(t, err, ssmsim.ValidationException, "1 validation error detected: Value '[/p0, /p1, /p2, /p3, /p4, /p5, /p6, /p7, /p8, /p9, /p10]' at 'names' failed to satisfy constraint: Member must have length less than or equal to 10")
	_, err = w.ssm.GetParameters(in(east), &ssm.GetParametersInput{Names: []string{}})
	wantError(t, err, ssmsim.ValidationException, "Member must have length greater than or equal to 1")
	_, err = w.ssm.GetParameters(in(east), &ssm.GetParametersInput{Names: []string{"/ok", "bad name"}})
	wantError(t, err, ssmsim.ValidationException, "If formed as a path")
}

func TestGetParameterHistory(t *testing.T) {
	w := versioned(t)
	w.put(t, east, &ssm.PutParameterInput{Name: aws.String("/app/mode"), Value: aws.String("four"), Type: types.ParameterTypeSecureString, Description: aws.String("now secret"), Overwrite: aws.Bool(true)})

	var got []types.ParameterHistory
	var token *string
	pages := 0
	for {
		out, err := w.ssm.GetParameterHistory(in(east), &ssm.GetParameterHistoryInput{Name: aws.String("/app/mode"), MaxResults: aws.Int32(3), NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		got = append(got, out.Parameters...)
		if token = out.NextToken; token == nil {
			break
		}
	}
	if pages != 2 || len(got) != 4 {
		t.Fatalf("%d versions in %d pages", len(got), pages)
	}
	for i, h := range got {
		if h.Version != int64(i+1) || aws.ToString(h.Name) != "/app/mode" || aws.ToString(h.LastModifiedUser) != rootARN || h.Tier != types.ParameterTierStandard || h.Labels == nil {
			t.Fatalf("version %d: %+v", i+1, h)
		}
	}
	if !slices.Equal(got[1].Labels, []string{"prod"}) || len(got[0].Labels) != 0 {
		t.Fatalf("labels: %v, %v", got[0].Labels, got[1].Labels)
	}
	last := got[3]
	if last.Type != types.ParameterTypeSecureString || aws.ToString(last.KeyId) != "alias/aws/ssm" || aws.ToString(last.Value) == "four" || aws.ToString(last.Description) != "now secret" {
		t.Fatalf("version 4 without decryption: %+v", last)
	}
	if got[0].KeyId != nil || aws.ToString(got[0].Value) != "one" {
		t.Fatalf("version 1: %+v", got[0])
	}
	dec, _ := w.ssm.GetParameterHistory(in(east), &ssm.GetParameterHistoryInput{Name: aws.String("/app/mode"), WithDecryption: aws.Bool(true)})
	if aws.ToString(dec.Parameters[3].Value) != "four" || dec.NextToken != nil {
		t.Fatalf("decrypted history: %+v", dec.Parameters[3])
	}

	_, err := w.ssm.GetParameterHistory(in(east), &ssm.GetParameterHistoryInput{Name: aws.String("/none")})
	wantError(t, err, ssmsim.ParameterNotFound, "")
	_, err = w.ssm.GetParameterHistory(in(east), &ssm.GetParameterHistoryInput{Name: aws.String("/app/mode"), MaxResults: aws.Int32(51)})
	wantError(t, err, ssmsim.ValidationException, "Value '51' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50")
	_, err = w.ssm.GetParameterHistory(in(east), &ssm.GetParameterHistoryInput{Name: aws.String("/app/mode"), NextToken: aws.String("bogus")})
	wantError(t, err, ssmsim.InvalidNextToken, "")
}

func TestDeleteParameters(t *testing.T) {
	w := versioned(t)
	w.putString(t, east, "/b", "bee")
	w.putString(t, east, "c", "see")
	if _, err := w.ssm.AddTagsToResource(in(east), &ssm.AddTagsToResourceInput{ResourceType: types.ResourceTypeForTaggingParameter, ResourceId: aws.String("/b"), Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}}); err != nil {
		t.Fatal(err)
	}

	_, err := w.ssm.DeleteParameter(in(east), &ssm.DeleteParameterInput{Name: aws.String("/none")})
	wantError(t, err, ssmsim.ParameterNotFound, "")
	_, err = w.ssm.DeleteParameter(in(east), &ssm.DeleteParameterInput{Name: aws.String("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64")})
	wantError(t, err, ssmsim.AccessDeniedException, "No access to reserved parameter name: aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64.")
	_, err = w.ssm.DeleteParameter(in(east), &ssm.DeleteParameterInput{Name: aws.String("bad name")})
	wantError(t, err, ssmsim.ValidationException, "If formed as a path")

	if _, err := w.ssm.DeleteParameter(in(east), &ssm.DeleteParameterInput{Name: aws.String("/app/mode")}); err != nil {
		t.Fatal(err)
	}
	if w.exists(t, east, "/app/mode") {
		t.Fatal("/app/mode is still there")
	}
	// Made again, it starts over at version 1 without the old labels.
	w.putString(t, east, "/app/mode", "again")
	if p := w.get(t, east, "/app/mode", false); p.Version != 1 {
		t.Fatalf("recreated: %+v", p)
	}
	if _, err := w.ssm.GetParameter(in(east), &ssm.GetParameterInput{Name: aws.String("/app/mode:prod")}); codeOf(err) != ssmsim.ParameterNotFound {
		t.Fatalf("the old label survived: %v", err)
	}

	out, err := w.ssm.DeleteParameters(in(east), &ssm.DeleteParametersInput{Names: []string{"/b", "/missing", "/c", "c", "bad name", "/aws/service/x", "/b"}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(out.DeletedParameters, []string{"/b", "/c"}) || !slices.Equal(out.InvalidParameters, []string{"/missing", "c", "bad name", "/aws/service/x"}) {
		t.Fatalf("DeleteParameters = %v deleted, %v invalid", out.DeletedParameters, out.InvalidParameters)
	}
	// The tags went with the parameter.
	w.putString(t, east, "/b", "new")
	tags, _ := w.ssm.ListTagsForResource(in(east), &ssm.ListTagsForResourceInput{ResourceType: types.ResourceTypeForTaggingParameter, ResourceId: aws.String("/b")})
	if len(tags.TagList) != 0 {
		t.Fatalf("tags of a deleted parameter: %v", tags.TagList)
	}
	gen := w.store.Generation()
	none, err := w.ssm.DeleteParameters(in(east), &ssm.DeleteParametersInput{Names: []string{"/zzz"}})
	if err != nil || len(none.DeletedParameters) != 0 || w.store.Generation() != gen {
		t.Fatalf("deleting nothing: %+v, %v, generation %d → %d", none, err, gen, w.store.Generation())
	}
	_, err = w.ssm.DeleteParameters(in(east), &ssm.DeleteParametersInput{Names: []string{}})
	wantError(t, err, ssmsim.ValidationException, "at 'names' failed to satisfy constraint")
}
