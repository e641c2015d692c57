package ssmsim_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/awsxlab/awsx/sim/internal/ssmsim"
)

// answers reads everything the API shows of a store, for comparing two stores.
func answers(t *testing.T, h *ssmsim.SSM) map[string]any {
	t.Helper()
	out := map[string]any{}
	for _, region := range []string{east, "eu-west-1"} {
		d, err := h.DescribeParameters(in(region), &ssm.DescribeParametersInput{})
		if err != nil {
			t.Fatal(err)
		}
		out[region+" describe"] = d.Parameters
		for _, m := range d.Parameters {
			name := aws.ToString(m.Name)
			hist, err := h.GetParameterHistory(in(region), &ssm.GetParameterHistoryInput{Name: m.Name, WithDecryption: aws.Bool(true)})
			if err != nil {
				t.Fatal(err)
			}
			out[region+" history "+name] = hist.Parameters
			hidden, err := h.GetParameter(in(region), &ssm.GetParameterInput{Name: m.Name})
			if err != nil {
				t.Fatal(err)
			}
			out[region+" value "+name] = *hidden.Parameter
			tags, err := h.ListTagsForResource(in(region), &ssm.ListTagsForResourceInput{ResourceType: types.ResourceTypeForTaggingParameter, ResourceId: m.Name})
			if err != nil {
				t.Fatal(err)
			}
			out[region+" tags "+name] = tags.TagList
		}
	}
	return out
}

func TestPersistence(t *testing.T) {
	w := tree(t)
	w.clock.Advance(time.Hour)
	w.put(t, "eu-west-1", &ssm.PutParameterInput{
		Name: aws.String("/eu/secret"), Value: aws.String("s"), Type: types.ParameterTypeSecureString, Tier: types.ParameterTierAdvanced,
		Policies:       aws.String(`[{"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"2030-01-01T00:00:00.000Z"}}]`),
		AllowedPattern: aws.String(".+"), Description: aws.String("in Ireland"),
	})
	before := answers(t, w.ssm)

	saved, err := w.store.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	w2 := newWorld(t)
	if err := w2.store.UnmarshalJSON(saved); err != nil {
		t.Fatal(err)
	}
	if after := answers(t, w2.ssm); !reflect.DeepEqual(before, after) {
		t.Fatalf("the loaded store answers differently:\nbefore %v\nafter  %v", before, after)
	}
	again, _ := w2.store.MarshalJSON()
	if string(again) != string(saved) {
		t.Fatalf("saved twice, the state differs:\n%s\n%s", saved, again)
	}
	// The loaded store goes on: versions, labels and the selector work.
	if v := w2.overwrite(t, east, "/app/port", "9090"); v != 3 {
		t.Fatalf("next version %d, want 3", v)
	}
	if p := w2.get(t, east, "/app/port:old", false); aws.ToString(p.Value) != "80" {
		t.Fatalf("/app/port:old = %+v", p)
	}

	for _, bad := range []string{
		`{`,
		`{"Regions":{"us-east-1":{"Parameters":{"/x":{"Name":"/x","Versions":[]}}}}}`,
		`{"Regions":{"us-east-1":{"Parameters":{"/x":{"Name":"/y","Versions":[{"Version":1}]}}}}}`,
		`{"Regions":{"us-east-1":{"Parameters":{"/x":{"Name":"/x","Versions":[{"Version":2},{"Version":1}]}}}}}`,
	} {
		w3 := tree(t)
		gen := w3.store.Generation()
		if err := w3.store.UnmarshalJSON([]byte(bad)); err == nil || !strings.HasPrefix(err.Error(), "ssmsim: load: ") {
			t.Fatalf("loading %s: %v", bad, err)
		}
		if w3.store.Generation() != gen || !w3.exists(t, east, "/app/name") {
			t.Fatalf("a state that did not load changed the store")
		}
	}
	empty := newWorld(t)
	if err := empty.store.UnmarshalJSON([]byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	empty.putString(t, east, "/after", "v")
}

func TestGeneration(t *testing.T) {
	w := newWorld(t)
	ctx := in(east)
	steps := []struct {
		name  string
		moves bool
		do    func() error
	}{
		{"put", true, func() error {
			_, err := w.ssm.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/g"), Value: aws.String("1"), Type: types.ParameterTypeString})
			return err
		}},
		{"get", false, func() error {
			_, err := w.ssm.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/g")})
			return err
		}},
		{"get several", false, func() error {
			_, err := w.ssm.GetParameters(ctx, &ssm.GetParametersInput{Names: []string{"/g", "/none"}})
			return err
		}},
		{"by path", false, func() error {
			_, err := w.ssm.GetParametersByPath(ctx, &ssm.GetParametersByPathInput{Path: aws.String("/"), Recursive: aws.Bool(true)})
			return err
		}},
		{"describe", false, func() error { _, err := w.ssm.DescribeParameters(ctx, &ssm.DescribeParametersInput{}); return err }},
		{"history", false, func() error {
			_, err := w.ssm.GetParameterHistory(ctx, &ssm.GetParameterHistoryInput{Name: aws.String("/g")})
			return err
		}},
		{"list tags", false, func() error {
			_, err := w.ssm.ListTagsForResource(ctx, &ssm.ListTagsForResourceInput{ResourceType: types.ResourceTypeForTaggingParameter, ResourceId: aws.String("/g")})
			return err
		}},
		{"resolve", false, func() error {
			_, err := w.store.Resolve(east, "/aws/service/debian/release/12/latest/amd64")
			return err
		}},
		{"save", false, func() error { _, err := w.store.MarshalJSON(); return err }},
		{"overwrite", true, func() error {
			_, err := w.ssm.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/g"), Value: aws.String("2"), Overwrite: aws.Bool(true)})
			return err
		}},
		{"label", true, func() error {
			_, err := w.ssm.LabelParameterVersion(ctx, &ssm.LabelParameterVersionInput{Name: aws.String("/g"), Labels: []string{"x"}})
			return err
		}},
		{"label again", false, func() error {
			_, err := w.ssm.LabelParameterVersion(ctx, &ssm.LabelParameterVersionInput{Name: aws.String("/g"), Labels: []string{"x", "1bad"}})
			return err
		}},
		{"unlabel", true, func() error {
			_, err := w.ssm.UnlabelParameterVersion(ctx, &ssm.UnlabelParameterVersionInput{Name: aws.String("/g"), ParameterVersion: aws.Int64(2), Labels: []string{"x"}})
			return err
		}},
		{"tag", true, func() error {
			_, err := w.ssm.AddTagsToResource(ctx, &ssm.AddTagsToResourceInput{ResourceType: types.ResourceTypeForTaggingParameter, ResourceId: aws.String("/g"), Tags: tagList("k", "v")})
			return err
		}},
		{"same tag", false, func() error {
			_, err := w.ssm.AddTagsToResource(ctx, &ssm.AddTagsToResourceInput{ResourceType: types.ResourceTypeForTaggingParameter, ResourceId: aws.String("/g"), Tags: tagList("k", "v")})
			return err
		}},
		{"untag", true, func() error {
			_, err := w.ssm.RemoveTagsFromResource(ctx, &ssm.RemoveTagsFromResourceInput{ResourceType: types.ResourceTypeForTaggingParameter, ResourceId: aws.String("/g"), TagKeys: []string{"k"}})
			return err
		}},
		{"delete", true, func() error {
			_, err := w.ssm.DeleteParameter(ctx, &ssm.DeleteParameterInput{Name: aws.String("/g")})
			return err
		}},
		{"load", true, func() error { return w.store.UnmarshalJSON([]byte(`{"Regions":{}}`)) }},
	}
	for _, s := range steps {
		before := w.store.Generation()
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if moved := w.store.Generation() != before; moved != s.moves {
			t.Fatalf("%s: the generation moved %v, want %v", s.name, moved, s.moves)
		}
	}
	// Refusals move nothing either.
	before := w.store.Generation()
	_, err := w.ssm.DeleteParameter(ctx, &ssm.DeleteParameterInput{Name: aws.String("/g")})
	if codeOf(err) != ssmsim.ParameterNotFound || w.store.Generation() != before {
		t.Fatalf("a failed delete: %v, generation %d → %d", err, before, w.store.Generation())
	}
}
