package ssmsim_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/ec2sim"
	"github.com/awsxlab/awsx/sim/internal/ssmsim"
)

// publicImages names the catalog image each public parameter must resolve to, by the image's
// name: what a learner would find with DescribeImages.
var publicImages = map[string]string{
	"/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64":              "al2023-ami-2023.6.20250115.0-kernel-6.1-x86_64",
	"/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64":               "al2023-ami-2023.6.20250115.0-kernel-6.1-arm64",
	"/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64":                  "al2023-ami-2023.6.20250115.0-kernel-6.1-x86_64",
	"/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64":                   "al2023-ami-2023.6.20250115.0-kernel-6.1-arm64",
	"/aws/service/ami-amazon-linux-latest/amzn2-ami-kernel-5.10-hvm-x86_64-gp2":          "amzn2-ami-kernel-5.10-hvm-2.0.20250108.0-x86_64-gp2",
	"/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id": "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250115",
	"/aws/service/canonical/ubuntu/server/24.04/stable/current/arm64/hvm/ebs-gp3/ami-id": "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20250115",
	"/aws/service/canonical/ubuntu/server/22.04/stable/current/amd64/hvm/ebs-gp2/ami-id": "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20250112",
	"/aws/service/debian/release/12/latest/amd64":                                        "debian-12-amd64-20250112-1992",
	"/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base":              "Windows_Server-2022-English-Full-Base-2025.01.15",
}

func imageID(t *testing.T, region, name string) string {
	t.Helper()
	for _, im := range ec2sim.PublicImages(region) {
		if im.Name == name {
			return im.ID
		}
	}
	t.Fatalf("the catalog of %s has no image %s", region, name)
	return ""
}

func TestPublicParameters(t *testing.T) {
	w := newWorld(t)
	for _, region := range []string{"us-east-1", "eu-west-1", "ap-southeast-2", "sa-east-1"} {
		t.Run(region, func(t *testing.T) {
			seen := map[string]bool{}
			for name, image := range publicImages {
				want := imageID(t, region, image)
				if seen[want] && !strings.Contains(name, "kernel-") {
					t.Errorf("%s resolves to an image another parameter has", name)
				}
				seen[want] = true
				p := w.get(t, region, name, false)
				if aws.ToString(p.Value) != want || aws.ToString(p.Name) != name || p.Type != types.ParameterTypeString || p.Version != 1 ||
					aws.ToString(p.ARN) != "arn:aws:ssm:"+region+"::parameter"+name || p.LastModifiedDate == nil || p.LastModifiedDate.Year() != 2025 {
					t.Errorf("%s = %+v, want %s", name, p, want)
				}
				wantType := "text"
				if strings.Contains(name, "canonical") {
					wantType = "aws:ec2:image"
				}
				if aws.ToString(p.DataType) != wantType {
					t.Errorf("%s has DataType %s, want %s", name, aws.ToString(p.DataType), wantType)
				}
				if v, err := w.store.Resolve(region, name); err != nil || v != want {
					t.Errorf("Resolve(%s) = %q, %v", name, v, err)
				}
			}
		})
	}
	// Regions have different images.
	a := w.get(t, "us-east-1", "/aws/service/debian/release/12/latest/amd64", false)
	b := w.get(t, "eu-west-1", "/aws/service/debian/release/12/latest/amd64", false)
	if aws.ToString(a.Value) == aws.ToString(b.Value) {
		t.Fatal("two regions resolve to the same image ID")
	}

	t.Run("by path", func(t *testing.T) {
		got := byPath(t, w, &ssm.GetParametersByPathInput{Path: aws.String("/aws/service/ami-amazon-linux-latest")})
		want := []string{
			"/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64",
			"/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64",
			"/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
			"/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
			"/aws/service/ami-amazon-linux-latest/amzn2-ami-kernel-5.10-hvm-x86_64-gp2",
		}
		if !slices.Equal(names(got), want) {
			t.Fatalf("ami-amazon-linux-latest = %v", names(got))
		}
		for _, max := range []int32{1, 4} {
			all := byPath(t, w, &ssm.GetParametersByPathInput{Path: aws.String("/aws/service"), Recursive: aws.Bool(true), MaxResults: aws.Int32(max)})
			if len(all) != len(publicImages) {
				t.Fatalf("/aws/service lists %d in pages of %d, want %d", len(all), max, len(publicImages))
			}
		}
		if got := byPath(t, w, &ssm.GetParametersByPathInput{Path: aws.String("/aws/service")}); len(got) != 0 {
			t.Fatalf("/aws/service one level: %v", names(got))
		}
		secure := byPath(t, w, &ssm.GetParametersByPathInput{Path: aws.String("/aws/service"), Recursive: aws.Bool(true), ParameterFilters: []types.ParameterStringFilter{{Key: aws.String("Type"), Values: []string{"SecureString"}}}})
		if len(secure) != 0 {
			t.Fatalf("public SecureStrings: %v", names(secure))
		}
	})
	t.Run("selectors and lists", func(t *testing.T) {
		name := "/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base"
		if p := w.get(t, east, name+":1", false); aws.ToString(p.Selector) != ":1" {
			t.Fatalf("%s:1 = %+v", name, p)
		}
		_, err := w.ssm.GetParameter(in(east), &ssm.GetParameterInput{Name: aws.String(name + ":2")})
		wantError(t, err, ssmsim.ParameterVersionNotFound, "version 2 of "+name)
		p := w.get(t, east, "arn:aws:ssm:us-east-1::parameter"+name, false)
		if aws.ToString(p.Name) != name {
			t.Fatalf("by ARN: %+v", p)
		}
		out, err := w.ssm.GetParameters(in(east), &ssm.GetParametersInput{Names: []string{name, "/aws/service/none"}})
		if err != nil || len(out.Parameters) != 1 || !slices.Equal(out.InvalidParameters, []string{"/aws/service/none"}) {
			t.Fatalf("GetParameters = %+v, %v", out, err)
		}
		h, err := w.ssm.GetParameterHistory(in(east), &ssm.GetParameterHistoryInput{Name: aws.String(name)})
		if err != nil || len(h.Parameters) != 1 || h.Parameters[0].Version != 1 {
			t.Fatalf("history = %+v, %v", h, err)
		}
		_, err = w.ssm.GetParameter(in(east), &ssm.GetParameterInput{Name: aws.String("/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2")})
		wantError(t, err, ssmsim.ParameterNotFound, "") // the catalog has no such image
	})
	t.Run("read-only and not the account's", func(t *testing.T) {
		name := "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
		_, err := w.ssm.PutParameter(in(east), &ssm.PutParameterInput{Name: aws.String(name), Value: aws.String("ami-12345678"), Type: types.ParameterTypeString, Overwrite: aws.Bool(true)})
		wantError(t, err, ssmsim.AccessDeniedException, "No access to reserved parameter name: aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64.")
		_, err = w.ssm.DeleteParameter(in(east), &ssm.DeleteParameterInput{Name: aws.String(name)})
		wantError(t, err, ssmsim.AccessDeniedException, "No access to reserved parameter name")
		d, err := w.ssm.DescribeParameters(in(east), &ssm.DescribeParametersInput{})
		if err != nil || len(d.Parameters) != 0 {
			t.Fatalf("DescribeParameters lists %v", metaNames(d.Parameters))
		}
		if w.store.Generation() != 0 {
			t.Fatal("reading public parameters moved the generation")
		}
		b, _ := w.store.MarshalJSON()
		if strings.Contains(string(b), "aws/service") {
			t.Fatalf("public parameters in the saved state: %s", b)
		}
	})
	t.Run("no catalog", func(t *testing.T) {
		s := ssmsim.NewStore(account, core.NewClock(nil), core.NewIDs(1), nil)
		_, err := ssmsim.NewSSM(s).GetParameter(in(east), &ssm.GetParameterInput{Name: aws.String("/aws/service/debian/release/12/latest/amd64")})
		wantError(t, err, ssmsim.ParameterNotFound, "")
	})
}

func TestResolve(t *testing.T) {
	w := newWorld(t)
	al := imageID(t, east, "al2023-ami-2023.6.20250115.0-kernel-6.1-x86_64")
	w.put(t, east, &ssm.PutParameterInput{Name: aws.String("/golden-ami"), Value: aws.String("ami-0123456789abcdef0"), Type: types.ParameterTypeString, DataType: aws.String("aws:ec2:image")})
	w.clock.Advance(time.Minute)
	w.put(t, east, &ssm.PutParameterInput{Name: aws.String("/golden-ami"), Value: aws.String(al), Overwrite: aws.Bool(true)})
	if _, err := w.ssm.LabelParameterVersion(in(east), &ssm.LabelParameterVersionInput{Name: aws.String("/golden-ami"), ParameterVersion: aws.Int64(1), Labels: []string{"old"}}); err != nil {
		t.Fatal(err)
	}
	w.putString(t, east, "/text-ami", "ami-12345678")
	w.putString(t, east, "/not-an-ami", "hello")
	w.put(t, east, &ssm.PutParameterInput{Name: aws.String("/secret-ami"), Value: aws.String("ami-12345678"), Type: types.ParameterTypeSecureString})
	w.put(t, east, &ssm.PutParameterInput{Name: aws.String("/list-ami"), Value: aws.String("ami-12345678"), Type: types.ParameterTypeStringList})

	tests := []struct {
		region, name, want string
		code               core.Code
	}{
		{east, "/golden-ami", al, ""},
		{east, "/golden-ami:1", "ami-0123456789abcdef0", ""},
		{east, "/golden-ami:old", "ami-0123456789abcdef0", ""},
		{east, "arn:aws:ssm:us-east-1:123456789012:parameter/golden-ami", al, ""},
		{east, "/text-ami", "ami-12345678", ""},
		{east, "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64", al, ""},
		{east, "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64:1", al, ""},
		{"eu-west-1", "/golden-ami", "", ssmsim.ParameterNotFound},
		{east, "/golden-ami:3", "", ssmsim.ParameterVersionNotFound},
		{east, "/golden-ami:new", "", ssmsim.ParameterNotFound},
		{east, "/not-an-ami", "", ssmsim.ValidationException},
		{east, "/secret-ami", "", ssmsim.ValidationException},
		{east, "/list-ami", "", ssmsim.ValidationException},
		{east, "/none", "", ssmsim.ParameterNotFound},
		{east, "bad name", "", ssmsim.ValidationException},
		{east, "arn:aws:ssm:eu-west-1::parameter/aws/service/debian/release/12/latest/amd64", "", ssmsim.ParameterNotFound},
	}
	gen := w.store.Generation()
	for _, tt := range tests {
		t.Run(tt.region+" "+tt.name, func(t *testing.T) {
			got, err := w.store.Resolve(tt.region, tt.name)
			if codeOf(err) != tt.code || got != tt.want {
				t.Fatalf("Resolve = %q, %v; want %q, %s", got, err, tt.want, tt.code)
			}
		})
	}
	if w.store.Generation() != gen {
		t.Fatal("Resolve moved the generation")
	}
}

func TestResources(t *testing.T) {
	const r = "eu-west-1"
	p := func(name string) string { return "arn:aws:ssm:eu-west-1:123456789012:parameter/" + name }
	tests := []struct {
		name string
		in   any
		want []string
	}{
		{"put hierarchical", &ssm.PutParameterInput{Name: aws.String("/a/b")}, []string{p("a/b")}},
		{"put one level", &ssm.PutParameterInput{Name: aws.String("top")}, []string{p("top")}},
		{"put one level slashed", &ssm.PutParameterInput{Name: aws.String("/top")}, []string{p("top")}},
		{"get with label", &ssm.GetParameterInput{Name: aws.String("/a/b:prod")}, []string{p("a/b")}},
		{"get by ARN", &ssm.GetParameterInput{Name: aws.String("arn:aws:ssm:eu-west-1:123456789012:parameter/a/b:3")}, []string{p("a/b")}},
		{"get public", &ssm.GetParameterInput{Name: aws.String("/aws/service/debian/release/12/latest/amd64")}, []string{"arn:aws:ssm:eu-west-1::parameter/aws/service/debian/release/12/latest/amd64"}},
		{"get several", &ssm.GetParametersInput{Names: []string{"/a", "/b:1", "/a", "/b"}}, []string{p("a"), p("b")}},
		{"delete several", &ssm.DeleteParametersInput{Names: []string{"x", "/y/z"}}, []string{p("x"), p("y/z")}},
		{"history", &ssm.GetParameterHistoryInput{Name: aws.String("/h")}, []string{p("h")}},
		{"delete", &ssm.DeleteParameterInput{Name: aws.String("/d")}, []string{p("d")}},
		{"label", &ssm.LabelParameterVersionInput{Name: aws.String("/l")}, []string{p("l")}},
		{"unlabel", &ssm.UnlabelParameterVersionInput{Name: aws.String("/l")}, []string{p("l")}},
		{"path", &ssm.GetParametersByPathInput{Path: aws.String("/app/")}, []string{p("app")}},
		{"root path", &ssm.GetParametersByPathInput{Path: aws.String("/")}, []string{p("")}},
		{"public path", &ssm.GetParametersByPathInput{Path: aws.String("/aws/service/ami-amazon-linux-latest")}, []string{"arn:aws:ssm:eu-west-1::parameter/aws/service/ami-amazon-linux-latest"}},
		{"describe", &ssm.DescribeParametersInput{}, []string{"*"}},
		{"tag parameter", &ssm.AddTagsToResourceInput{ResourceType: types.ResourceTypeForTaggingParameter, ResourceId: aws.String("/t")}, []string{p("t")}},
		{"untag document", &ssm.RemoveTagsFromResourceInput{ResourceType: types.ResourceTypeForTaggingDocument, ResourceId: aws.String("MyDoc")}, []string{"arn:aws:ssm:eu-west-1:123456789012:document/MyDoc"}},
		{"list tags window", &ssm.ListTagsForResourceInput{ResourceType: types.ResourceTypeForTaggingMaintenanceWindow, ResourceId: aws.String("mw-1")}, []string{"arn:aws:ssm:eu-west-1:123456789012:maintenancewindow/mw-1"}},
		{"something else", &ssm.SendCommandInput{}, []string{"*"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ssmsim.Resources(account, r, tt.in); !slices.Equal(got, tt.want) {
				t.Fatalf("Resources = %v, want %v", got, tt.want)
			}
		})
	}
}
