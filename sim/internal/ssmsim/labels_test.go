package ssmsim_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/ssmsim"
)

// labelsOf returns the labels of every version of a parameter, by version.
func labelsOf(t *testing.T, w *world, name string) map[int64][]string {
	t.Helper()
	out, err := w.ssm.GetParameterHistory(in(east), &ssm.GetParameterHistoryInput{Name: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	m := map[int64][]string{}
	for _, h := range out.Parameters {
		if len(h.Labels) > 0 {
			m[h.Version] = h.Labels
		}
	}
	return m
}

func TestLabelParameterVersion(t *testing.T) {
	tests := []struct {
		name    string
		version *int64
		labels  []string
		invalid []string
		want    map[int64][]string // labels after, by version
		labeled int64
	}{
		{"latest", nil, []string{"prod"}, []string{}, map[int64][]string{3: {"stable", "prod"}}, 3},
		{"a version", aws.Int64(1), []string{"v1", "first.one_x-y"}, []string{}, map[int64][]string{1: {"v1", "first.one_x-y"}, 2: {"prod"}, 3: {"stable"}}, 1},
		{"moves", aws.Int64(1), []string{"prod"}, []string{}, map[int64][]string{1: {"prod"}, 3: {"stable"}}, 1},
		{"again is nothing", aws.Int64(2), []string{"prod", "prod"}, []string{}, map[int64][]string{2: {"prod"}, 3: {"stable"}}, 2},
		{"case matters", aws.Int64(1), []string{"Prod"}, []string{}, map[int64][]string{1: {"Prod"}, 2: {"prod"}, 3: {"stable"}}, 1},
		{"invalid ones", aws.Int64(1), []string{"1st", "aws-x", "SSMy", "has space", "a/b", "ok", "1st"}, []string{"1st", "aws-x", "SSMy", "has space", "a/b"}, map[int64][]string{1: {"ok"}, 2: {"prod"}, 3: {"stable"}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			w.putString(t, east, "/p", "1")
			w.overwrite(t, east, "/p", "2")
			w.overwrite(t, east, "/p", "3")
			for v, l := range map[int64]string{2: "prod", 3: "stable"} {
				if _, err := w.ssm.LabelParameterVersion(in(east), &ssm.LabelParameterVersionInput{Name: aws.String("/p"), ParameterVersion: aws.Int64(v), Labels: []string{l}}); err != nil {
					t.Fatal(err)
				}
			}
			out, err := w.ssm.LabelParameterVersion(in(east), &ssm.LabelParameterVersionInput{Name: aws.String("/p"), ParameterVersion: tt.version, Labels: tt.labels})
			if err != nil {
				t.Fatal(err)
			}
			if out.ParameterVersion != tt.labeled || !slices.Equal(out.InvalidLabels, tt.invalid) {
				t.Fatalf("out = version %d invalid %v", out.ParameterVersion, out.InvalidLabels)
			}
			got := labelsOf(t, w, "/p")
			if len(got) != len(tt.want) {
				t.Fatalf("labels = %v, want %v", got, tt.want)
			}
			for v, want := range tt.want {
				if !slices.Equal(got[v], want) {
					t.Fatalf("labels = %v, want %v", got, tt.want)
				}
			}
		})
	}
}

func TestLabelRefusals(t *testing.T) {
	w := newWorld(t)
	w.putString(t, east, "/p", "1")
	w.overwrite(t, east, "/p", "2")
	var ten []string
	for i := range 10 {
		ten = append(ten, "l"+strconv.Itoa(i))
	}
	if _, err := w.ssm.LabelParameterVersion(in(east), &ssm.LabelParameterVersionInput{Name: aws.String("/p"), ParameterVersion: aws.Int64(1), Labels: ten}); err != nil {
		t.Fatal(err)
	}
	gen := w.store.Generation()
	_, err := w.ssm.LabelParameterVersion(in(east), &ssm.LabelParameterVersionInput{Name: aws.String("/p"), ParameterVersion: aws.Int64(1), Labels: []string{"eleventh"}})
	wantError(t, err, ssmsim.ParameterVersionLabelLimitExceeded, "A parameter version can have maximum 10 labels.Move one or more labels to another version and try again.")
	if w.store.Generation() != gen || len(labelsOf(t, w, "/p")[1]) != 10 {
		t.Fatal("the refused label changed the parameter")
	}
	// One of the ten moves away: room for another.
	if _, err := w.ssm.LabelParameterVersion(in(east), &ssm.LabelParameterVersionInput{Name: aws.String("/p"), Labels: []string{"l0"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.ssm.LabelParameterVersion(in(east), &ssm.LabelParameterVersionInput{Name: aws.String("/p"), ParameterVersion: aws.Int64(1), Labels: []string{"eleventh"}}); err != nil {
		t.Fatal(err)
	}
	if got := w.get(t, east, "/p:l0", false); got.Version != 2 {
		t.Fatalf("/p:l0 is version %d", got.Version)
	}

	tests := []struct {
		name string
		in   *ssm.LabelParameterVersionInput
		code core.Code
		msg  string
	}{
		{"no parameter", &ssm.LabelParameterVersionInput{Name: aws.String("/none"), Labels: []string{"x"}}, ssmsim.ParameterNotFound, ""},
		{"no version", &ssm.LabelParameterVersionInput{Name: aws.String("/p"), ParameterVersion: aws.Int64(7), Labels: []string{"x"}}, ssmsim.ParameterVersionNotFound, "Systems Manager could not find version 7 of /p."},
		{"no labels", &ssm.LabelParameterVersionInput{Name: aws.String("/p")}, ssmsim.ValidationException, "Value null at 'labels'"},
		{"eleven labels", &ssm.LabelParameterVersionInput{Name: aws.String("/p"), Labels: append(ten, "x")}, ssmsim.ValidationException, "at 'labels' failed to satisfy constraint: Member must have length less than or equal to 10"},
		{"long label", &ssm.LabelParameterVersionInput{Name: aws.String("/p"), Labels: []string{strings.Repeat("a", 101)}}, ssmsim.ValidationException, "Member must have length less than or equal to 100"},
		{"public", &ssm.LabelParameterVersionInput{Name: aws.String("/aws/service/debian/release/12/latest/amd64"), Labels: []string{"x"}}, ssmsim.AccessDeniedException, "No access to reserved parameter name"},
		{"an ARN", &ssm.LabelParameterVersionInput{Name: aws.String("arn:aws:ssm:us-east-1:123456789012:parameter/p"), Labels: []string{"x"}}, ssmsim.ValidationException, "If formed as a path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := w.ssm.LabelParameterVersion(in(east), tt.in)
			wantError(t, err, tt.code, tt.msg)
		})
	}
}

func TestUnlabelParameterVersion(t *testing.T) {
	w := newWorld(t)
	w.putString(t, east, "/p", "1")
	w.overwrite(t, east, "/p", "2")
	if _, err := w.ssm.LabelParameterVersion(in(east), &ssm.LabelParameterVersionInput{Name: aws.String("/p"), ParameterVersion: aws.Int64(1), Labels: []string{"a", "b", "c"}}); err != nil {
		t.Fatal(err)
	}
	out, err := w.ssm.UnlabelParameterVersion(in(east), &ssm.UnlabelParameterVersionInput{Name: aws.String("/p"), ParameterVersion: aws.Int64(1), Labels: []string{"a", "zz", "c", "a"}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(out.RemovedLabels, []string{"a", "c"}) || !slices.Equal(out.InvalidLabels, []string{"zz"}) {
		t.Fatalf("removed %v invalid %v", out.RemovedLabels, out.InvalidLabels)
	}
	if got := labelsOf(t, w, "/p"); len(got) != 1 || !slices.Equal(got[1], []string{"b"}) {
		t.Fatalf("labels = %v", got)
	}
	if _, err := w.ssm.GetParameter(in(east), &ssm.GetParameterInput{Name: aws.String("/p:a")}); codeOf(err) != ssmsim.ParameterNotFound {
		t.Fatalf("/p:a after unlabel: %v", err)
	}
	gen := w.store.Generation()
	out, err = w.ssm.UnlabelParameterVersion(in(east), &ssm.UnlabelParameterVersionInput{Name: aws.String("/p"), ParameterVersion: aws.Int64(2), Labels: []string{"b"}})
	if err != nil || len(out.RemovedLabels) != 0 || !slices.Equal(out.InvalidLabels, []string{"b"}) || w.store.Generation() != gen {
		t.Fatalf("label of another version: %+v, %v", out, err)
	}
	_, err = w.ssm.UnlabelParameterVersion(in(east), &ssm.UnlabelParameterVersionInput{Name: aws.String("/p"), Labels: []string{"b"}})
	wantError(t, err, ssmsim.ValidationException, "Value null at 'parameterVersion' failed to satisfy constraint: Member must not be null")
	_, err = w.ssm.UnlabelParameterVersion(in(east), &ssm.UnlabelParameterVersionInput{Name: aws.String("/p"), ParameterVersion: aws.Int64(3), Labels: []string{"b"}})
	wantError(t, err, ssmsim.ParameterVersionNotFound, "version 3 of /p")
	_, err = w.ssm.UnlabelParameterVersion(in(east), &ssm.UnlabelParameterVersionInput{Name: aws.String("/q"), ParameterVersion: aws.Int64(1), Labels: []string{"b"}})
	wantError(t, err, ssmsim.ParameterNotFound, "")
}
