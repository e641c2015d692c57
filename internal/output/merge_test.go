package output

import (
	"bytes"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, "json", v, "Op"); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestMerge(t *testing.T) {
	page := func(marker string, users ...string) any {
		out := &iam.GetGroupOutput{Group: &types.Group{GroupName: aws.String("admin")}, IsTruncated: marker != "", Users: []types.User{}}
		if marker != "" {
			out.Marker = aws.String(marker)
		}
		for _, u := range users {
			out.Users = append(out.Users, types.User{UserName: aws.String(u)})
		}
		return Value(out)
	}
	// botocore's build_full_result: result keys first, then the non-aggregate Group.
	got := jsonOf(t, Merge([]any{page("m1", "alex"), page("", "sam")}, nil))
	want := "{\n    \"Users\": [\n        {\n            \"UserName\": \"alex\"\n        },\n        {\n            \"UserName\": \"sam\"\n        }\n    ],\n    \"Group\": {\n        \"GroupName\": \"admin\"\n    }\n}\n"
	if got != want {
		t.Errorf("GetGroup pages:\n%s\nwant\n%s", got, want)
	}
	p, ok := PaginatorOf("iam", "GetGroup")
	if !ok || p.MoreResults != "IsTruncated" || len(p.NonAggregateKeys) != 1 {
		t.Fatalf("PaginatorOf(iam, GetGroup) = %+v, %v", p, ok)
	}
	// A non-aggregate key missing from the first page is null; a resume token is NextToken.
	p.NonAggregateKeys = []string{"Group", "Missing"}
	got = jsonOf(t, MergePages([]any{page("m1", "alex")}, p, "eyJNYXJrZXIiOiAibTEifQ=="))
	want = "{\n    \"Users\": [\n        {\n            \"UserName\": \"alex\"\n        }\n    ],\n    \"Group\": {\n        \"GroupName\": \"admin\"\n    },\n    \"Missing\": null,\n    \"NextToken\": \"eyJNYXJrZXIiOiAibTEifQ==\"\n}\n"
	if got != want {
		t.Errorf("with resume token:\n%s\nwant\n%s", got, want)
	}
	if _, ok := PaginatorOf("ec2", "DescribeRegions"); ok {
		t.Error("DescribeRegions has no paginator in botocore")
	}
	// Without a known operation: result keys joined, the usual tokens dropped.
	a := NewMap("Items", []any{int64(1)}, "NextToken", "t", "Name", "x")
	b := NewMap("Items", []any{int64(2)})
	if got := jsonOf(t, Merge([]any{a, b}, []string{"Items"})); got != "{\n    \"Items\": [\n        1,\n        2\n    ],\n    \"Name\": \"x\"\n}\n" {
		t.Errorf("generic merge:\n%s", got)
	}
}

func TestQuery(t *testing.T) {
	v := NewMap("Users", []any{
		NewMap("UserName", "alex", "UserId", "A1", "Age", int64(3), "Score", 1.5),
		NewMap("UserName", "sam", "UserId", "A2", "Age", int64(10), "Score", 2.0),
	})
	for _, c := range []struct{ expr, want string }{
		{"Users[0]", "{\n    \"UserName\": \"alex\",\n    \"UserId\": \"A1\",\n    \"Age\": 3,\n    \"Score\": 1.5\n}\n"},
		{"Users[].{Z: UserName, A: Age}", "[\n    {\n        \"Z\": \"alex\",\n        \"A\": 3\n    },\n    {\n        \"Z\": \"sam\",\n        \"A\": 10\n    }\n]\n"},
		{"Users[?Age > `5`].UserName", "[\n    \"sam\"\n]\n"},
		{"length(Users)", "2\n"},
		{"sort_by(Users, &Age)[-1].Score", "2\n"}, // go-jmespath's float64: see the package doc
		{"Users[?UserName=='nobody'] | [0]", "null\n"},
	} {
		got, err := Query(v, c.expr)
		if err != nil {
			t.Fatalf("%s: %v", c.expr, err)
		}
		if s := jsonOf(t, got); s != c.want {
			t.Errorf("%s:\n%s\nwant\n%s", c.expr, s, c.want)
		}
	}
	if _, err := Query(v, "Users[?"); err == nil {
		t.Error("a bad expression is not an error")
	}
}

func TestWriteUnknownFormat(t *testing.T) {
	if err := Write(&bytes.Buffer{}, "xml", NewMap("a", "b"), "Op"); err == nil {
		t.Error("Write accepted --output xml")
	}
	var b bytes.Buffer
	if err := Write(&b, "json", NewMap(), "Op"); err != nil || b.Len() != 0 {
		t.Errorf("an empty result prints %q, %v; the AWS CLI prints nothing", b.String(), err)
	}
}
