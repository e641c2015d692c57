package cli

import (
	"fmt"
	"sort"
	"strings"
)

// invalidChoice is the AWS CLI's error for an option value outside its choices: the choices
// two to a line in 40-column cells, then the close matches, if any (awscli/argparser.py).
func invalidChoice(option, value string, choices []string) *exitError {
	lines := []string{"Invalid choice, valid choices are:\n"}
	for i := 0; i < len(choices); i += 2 {
		var cells []string
		for _, c := range choices[i:min(i+2, len(choices))] {
			cells = append(cells, fmt.Sprintf("%-40s", c))
		}
		lines = append(lines, strings.Join(cells, " | "))
	}
	if close := closeMatches(value, choices); len(close) > 0 {
		lines = append(lines, fmt.Sprintf("\n\nInvalid choice: '%s', maybe you meant:\n", value))
		for _, c := range close {
			lines = append(lines, "  * "+c)
		}
	}
	return usageErr("argument %s: %s", option, strings.Join(lines, "\n"))
}

// closeMatches is Python's difflib.get_close_matches(word, choices, cutoff=0.8): up to three
// choices whose similarity ratio to word is at least 0.8, best first.
func closeMatches(word string, choices []string) []string {
	type scored struct {
		choice string
		ratio  float64
	}
	var found []scored
	for _, c := range choices {
		if r := similarity(c, word); r >= 0.8 {
			found = append(found, scored{c, r})
		}
	}
	sort.SliceStable(found, func(i, j int) bool {
		if found[i].ratio != found[j].ratio {
			return found[i].ratio > found[j].ratio
		}
		return found[i].choice > found[j].choice // heapq.nlargest breaks ties on the string
	})
	var out []string
	for _, f := range found[:min(3, len(found))] {
		out = append(out, f.choice)
	}
	return out
}

// similarity is difflib.SequenceMatcher(None, a, b).ratio() for short strings: twice the
// characters in matching blocks over the total length. Blocks are found as difflib does,
// the longest common substring first, then recursively on either side of it.
func similarity(a, b string) float64 {
	if len(a)+len(b) == 0 {
		return 1
	}
	return 2 * float64(matching([]rune(a), []rune(b))) / float64(len([]rune(a))+len([]rune(b)))
}

func matching(a, b []rune) int {
	i, j, n := longestCommon(a, b)
	if n == 0 {
		return 0
	}
	return n + matching(a[:i], b[:j]) + matching(a[i+n:], b[j+n:])
}

// longestCommon returns the longest common substring a[i:i+n] == b[j:j+n], the earliest in a
// and then in b on ties, as difflib's find_longest_match does.
func longestCommon(a, b []rune) (bi, bj, bn int) {
	for i := range a {
		for j := range b {
			n := 0
			for i+n < len(a) && j+n < len(b) && a[i+n] == b[j+n] {
				n++
			}
			if n > bn {
				bi, bj, bn = i, j, n
			}
		}
	}
	return bi, bj, bn
}
