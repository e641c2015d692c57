package labs

import (
	"slices"
	"strings"
	"testing"
)

func TestWords(t *testing.T) {
	env := map[string]string{"HOME": "/home/x", "EMPTY": ""}
	expand := expandEnv(func(k string) string { return env[k] })
	for _, tc := range []struct {
		line string
		want []string
		err  bool
	}{
		{line: "aws iam get-user", want: []string{"aws", "iam", "get-user"}},
		{line: "  aws\tiam  ", want: []string{"aws", "iam"}},
		{line: "stdout '^a b$'", want: []string{"stdout", "^a b$"}},
		{line: "echo 'it''s'", want: []string{"echo", "it's"}},
		{line: "echo ''", want: []string{"echo", ""}},
		{line: "a'b c'd", want: []string{"ab cd"}},
		{line: "cmp $HOME/.aws/config want", want: []string{"cmp", "/home/x/.aws/config", "want"}},
		{line: "echo '$HOME' ${HOME}x", want: []string{"echo", "$HOME", "/home/xx"}},
		{line: "echo a # a comment 'x", want: []string{"echo", "a"}},
		{line: "echo 'a # not a comment'", want: []string{"echo", "a # not a comment"}},
		{line: "q '`us-east-1`'", want: []string{"q", "`us-east-1`"}},
		{line: "echo 'open", err: true},
		{line: "", want: nil},
	} {
		got, err := Words(tc.line, expand)
		if (err != nil) != tc.err || !slices.Equal(got, tc.want) {
			t.Errorf("Words(%q) = %q, %v; want %q (error %v)", tc.line, got, err, tc.want, tc.err)
		}
	}
}

// FuzzWords checks that any line either splits or is refused, and that words written back
// in quotes split to themselves.
func FuzzWords(f *testing.F) {
	for _, s := range []string{"aws iam get-user --user-name alex", "stdout '^a''b$'", "x $HOME '$HOME' # c", "'", "a'b'c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		words, err := Words(line, nil)
		if err != nil {
			return
		}
		quoted := make([]string, len(words))
		for i, w := range words {
			quoted[i] = "'" + strings.ReplaceAll(w, "'", "''") + "'"
		}
		again, err := Words(strings.Join(quoted, " "), nil)
		if err != nil || !slices.Equal(again, words) {
			t.Fatalf("%q split to %q; quoted back, %q split to %q (%v)", line, words, strings.Join(quoted, " "), again, err)
		}
	})
}
