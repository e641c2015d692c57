package labs

import (
	"errors"
	"os"
	"strings"
)

// Words splits a lab line into words as testscript does: spaces and tabs separate words, a
// "#" outside quotes starts a comment, text in single quotes is literal (” in it is one
// quote), and expand, when not nil, rewrites the unquoted text ($HOME, ${WORK}).
func Words(line string, expand func(string) string) ([]string, error) {
	if expand == nil {
		expand = func(s string) string { return s }
	}
	var (
		words  []string
		word   strings.Builder
		inWord bool
		plain  strings.Builder // unquoted text awaiting expansion
	)
	endPlain := func() {
		word.WriteString(expand(plain.String()))
		plain.Reset()
	}
	for i := 0; i < len(line); i++ {
		switch c := line[i]; c {
		case ' ', '\t', '\r', '#':
			if inWord {
				endPlain()
				words = append(words, word.String())
				word.Reset()
				inWord = false
			}
			if c == '#' {
				return words, nil
			}
		case '\'':
			endPlain()
			inWord = true
			end := i + 1
			for {
				j := strings.IndexByte(line[end:], '\'')
				if j < 0 {
					return nil, errors.New("unterminated quoted argument")
				}
				word.WriteString(line[end : end+j])
				end += j + 1
				if end < len(line) && line[end] == '\'' {
					word.WriteByte('\'')
					end++
					continue
				}
				break
			}
			i = end - 1
		default:
			plain.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		endPlain()
		words = append(words, word.String())
	}
	return words, nil
}

// expandEnv expands $VAR and ${VAR} with getenv, as testscript does.
func expandEnv(getenv func(string) string) func(string) string {
	return func(s string) string { return os.Expand(s, getenv) }
}
