package ssmsim_test

import (
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/ssmsim"
)

func tagList(kv ...string) []types.Tag {
	var out []types.Tag
	for i := 0; i < len(kv); i += 2 {
		out = append(out, types.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	return out
}

func tagsText(ts []types.Tag) string {
	s := ""
	for _, t := range ts {
		s += aws.ToString(t.Key) + "=" + aws.ToString(t.Value) + " "
	}
	return s
}

func TestTags(t *testing.T) {
	w := newWorld(t)
	w.put(t, east, &ssm.PutParameterInput{Name: aws.String("/p"), Value: aws.String("v"), Type: types.ParameterTypeString, Tags: tagList("env", "dev", "team", "web")})
	w.putString(t, east, "top", "v")
	list := func(id string) string {
		t.Helper()
		out, err := w.ssm.ListTagsForResource(in(east), &ssm.ListTagsForResourceInput{ResourceType: types.ResourceTypeForTaggingParameter, ResourceId: aws.String(id)})
		if err != nil {
			t.Fatal(err)
		}
		return tagsText(out.TagList)
	}
	if got := list("/p"); got != "env=dev team=web " {
		t.Fatalf("tags = %q", got)
	}
	if _, err := w.ssm.AddTagsToResource(in(east), &ssm.AddTagsToResourceInput{ResourceType: types.ResourceTypeForTaggingParameter, ResourceId: aws.String("/p"), Tags: tagList("env", "prod", "cost", "")}); err != nil {
		t.Fatal(err)
	}
	if got := list("/p"); got != "env=prod team=web cost= " {
		t.Fatalf("tags = %q", got)
	}
	gen := w.store.Generation()
	if _, err := w.ssm.RemoveTagsFromResource(in(east), &ssm.RemoveTagsFromResourceInput{ResourceType: types.ResourceTypeForTaggingParameter, ResourceId: aws.String("/p"), TagKeys: []string{"team", "absent"}}); err != nil {
		t.Fatal(err)
	}
	if got := list("/p"); got != "env=prod cost= " || w.store.Generation() == gen {
		t.Fatalf("tags = %q, generation %d", got, w.store.Generation())
	}
	gen = w.store.Generation()
	if _, err := w.ssm.RemoveTagsFromResource(in(east), &ssm.RemoveTagsFromResourceInput{ResourceType: types.ResourceTypeForTaggingParameter, ResourceId: aws.String("/p"), TagKeys: []string{"absent"}}); err != nil || w.store.Generation() != gen {
		t.Fatalf("removing nothing: %v, generation moved %v", err, w.store.Generation() != gen)
	}
	// A one-level name with or without its slash.
	if _, err := w.ssm.AddTagsToResource(in(east), &ssm.AddTagsToResourceInput{ResourceType: types.ResourceTypeForTaggingParameter, ResourceId: aws.String("/top"), Tags: tagList("k", "v")}); err != nil {
		t.Fatal(err)
	}
	if got := list("top"); got != "k=v " {
		t.Fatalf("tags of top = %q", got)
	}
	// Tags stay through new versions.
	w.overwrite(t, east, "/p", "w")
	if got := list("/p"); got != "env=prod cost= " {
		t.Fatalf("tags after an overwrite = %q", got)
	}

	var fifty []types.Tag
	for i := range 48 {
		fifty = append(fifty, types.Tag{Key: aws.String("k" + strconv.Itoa(i)), Value: aws.String("v")})
	}
	if _, err := w.ssm.AddTagsToResource(in(east), &ssm.AddTagsToResourceInput{ResourceType: types.ResourceTypeForTaggingParameter, ResourceId: aws.String("/p"), Tags: fifty}); err != nil {
		t.Fatalf("50 tags: %v", err)
	}
	tests := []struct {
		name string
		in   *ssm.AddTagsToResourceInput
		code core.Code
		msg  string
	}{
		{"51st tag", &ssm.AddTagsToResourceInput{ResourceType: types.ResourceTypeForTaggingParameter, ResourceId: aws.String("/p"), Tags: tagList("one", "more")}, ssmsim.TooManyTagsError, "at most 50 tags"},
		{"no parameter", &ssm.AddTagsToResourceInput{ResourceType: types.ResourceTypeForTaggingParameter, ResourceId: aws.String("/none"), Tags: tagList("k", "v")}, ssmsim.InvalidResourceId, ""},
		{"a public parameter", &ssm.AddTagsToResourceInput{ResourceType: types.ResourceTypeForTaggingParameter, ResourceId: aws.String("/aws/service/debian/release/12/latest/amd64"), Tags: tagList("k", "v")}, ssmsim.InvalidResourceId, ""},
		{"a document", &ssm.AddTagsToResourceInput{ResourceType: types.ResourceTypeForTaggingDocument, ResourceId: aws.String("MyDoc"), Tags: tagList("k", "v")}, ssmsim.InvalidResourceId, ""},
		{"unknown type", &ssm.AddTagsToResourceInput{ResourceType: "Bucket", ResourceId: aws.String("b"), Tags: tagList("k", "v")}, ssmsim.ValidationException, "Value 'Bucket' at 'resourceType' failed to satisfy constraint: Member must satisfy enum value set: [Document, ManagedInstance, MaintenanceWindow, Parameter"},
		{"no tags", &ssm.AddTagsToResourceInput{ResourceType: types.ResourceTypeForTaggingParameter, ResourceId: aws.String("/p"), Tags: []types.Tag{}}, ssmsim.ValidationException, "at 'tags' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"long key", &ssm.AddTagsToResourceInput{ResourceType: types.ResourceTypeForTaggingParameter, ResourceId: aws.String("/p"), Tags: tagList(string(make([]byte, 129)), "v")}, ssmsim.ValidationException, "at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128"},
		{"no id", &ssm.AddTagsToResourceInput{ResourceType: types.ResourceTypeForTaggingParameter, Tags: tagList("k", "v")}, ssmsim.ValidationException, "Value null at 'resourceId'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gen := w.store.Generation()
			_, err := w.ssm.AddTagsToResource(in(east), tt.in)
			wantError(t, err, tt.code, tt.msg)
			if w.store.Generation() != gen {
				t.Fatal("a refused AddTagsToResource moved the generation")
			}
		})
	}
	_, err := w.ssm.ListTagsForResource(in(east), &ssm.ListTagsForResourceInput{ResourceType: types.ResourceTypeForTaggingParameter, ResourceId: aws.String("/none")})
	wantError(t, err, ssmsim.InvalidResourceId, "")
	_, err = w.ssm.ListTagsForResource(in("eu-west-1"), &ssm.ListTagsForResourceInput{ResourceType: types.ResourceTypeForTaggingParameter, ResourceId: aws.String("/p")})
	wantError(t, err, ssmsim.InvalidResourceId, "")
	_, err = w.ssm.RemoveTagsFromResource(in(east), &ssm.RemoveTagsFromResourceInput{ResourceType: types.ResourceTypeForTaggingMaintenanceWindow, ResourceId: aws.String("mw-0123456789abcdef0"), TagKeys: []string{"k"}})
	wantError(t, err, ssmsim.InvalidResourceId, "")
}
