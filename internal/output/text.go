package output

import (
	"bufio"
	"sort"
	"strings"
)

// writeText prints v as the AWS CLI's text output does (awscli/text.py): a scalar on its own
// line; an object's scalar values on one tab-separated line in sorted key order, preceded by
// the upper-cased key it sits under, then its lists and objects, each under its own key; a
// list of objects as one line per object with the union of their scalar keys (empty where one
// lacks a key); a list of scalars on one line, or one line per item under a key.
//
// A [Stream] prints page after page, as the AWS CLI prints a paginated result.
func writeText(w *bufio.Writer, v any) error {
	if pages, ok := v.(Stream); ok {
		for _, p := range pages {
			formatText(w, p, "", false, nil)
		}
		return nil
	}
	formatText(w, v, "", false, nil)
	return nil
}

func isContainer(v any) bool {
	switch v.(type) {
	case *Map, []any, map[string]any:
		return true
	}
	return false
}

func formatText(w *bufio.Writer, v any, ident string, hasIdent bool, scalarKeys []string) {
	switch x := v.(type) {
	case map[string]any:
		formatText(w, sortedMap(x), ident, hasIdent, scalarKeys)
	case *Map:
		textDict(w, x, ident, hasIdent, scalarKeys)
	case []any:
		textList(w, x, ident, hasIdent)
	default:
		w.WriteString(pyStr(v))
		w.WriteByte('\n')
	}
}

func textList(w *bufio.Writer, l []any, ident string, hasIdent bool) {
	if len(l) == 0 {
		return
	}
	anyDict, anyList := false, false
	for _, e := range l {
		switch e.(type) {
		case *Map, map[string]any:
			anyDict = true
		case []any:
			anyList = true
		}
	}
	switch {
	case anyDict:
		keys := allScalarKeys(l)
		for _, e := range l {
			formatText(w, e, ident, hasIdent, keys)
		}
	case anyList:
		var scalars, others []any
		for _, e := range l {
			if isContainer(e) {
				others = append(others, e)
			} else {
				scalars = append(scalars, e)
			}
		}
		if len(scalars) > 0 {
			textScalarList(w, scalars, ident, hasIdent)
		}
		for _, e := range others {
			formatText(w, e, ident, hasIdent, nil)
		}
	default:
		textScalarList(w, l, ident, hasIdent)
	}
}

func textScalarList(w *bufio.Writer, l []any, ident string, hasIdent bool) {
	if hasIdent {
		for _, e := range l {
			w.WriteString(strings.ToUpper(ident))
			w.WriteByte('\t')
			w.WriteString(pyStr(e))
			w.WriteByte('\n')
		}
		return
	}
	parts := make([]string, len(l))
	for i, e := range l {
		parts[i] = pyStr(e)
	}
	w.WriteString(strings.Join(parts, "\t"))
	w.WriteByte('\n')
}

func allScalarKeys(l []any) []string {
	seen := map[string]bool{}
	var keys []string
	for _, e := range l {
		m, ok := e.(*Map)
		if !ok {
			if pm, isPlain := e.(map[string]any); isPlain {
				m = sortedMap(pm)
			} else {
				continue
			}
		}
		for _, k := range m.keys {
			if !isContainer(m.vals[k]) && !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	return keys
}

func textDict(w *bufio.Writer, m *Map, ident string, hasIdent bool, scalarKeys []string) {
	var scalars []string
	type pair struct {
		key string
		val any
	}
	var nonScalars []pair
	if scalarKeys == nil {
		for _, k := range sortedKeys(m) {
			if isContainer(m.vals[k]) {
				nonScalars = append(nonScalars, pair{k, m.vals[k]})
			} else {
				scalars = append(scalars, pyStr(m.vals[k]))
			}
		}
	} else {
		in := map[string]bool{}
		for _, k := range scalarKeys {
			in[k] = true
			if v, ok := m.vals[k]; ok {
				scalars = append(scalars, pyStr(v))
			} else {
				scalars = append(scalars, "")
			}
		}
		for _, k := range sortedKeys(m) {
			if !in[k] {
				nonScalars = append(nonScalars, pair{k, m.vals[k]})
			}
		}
	}
	if len(scalars) > 0 {
		if hasIdent {
			scalars = append([]string{strings.ToUpper(ident)}, scalars...)
		}
		w.WriteString(strings.Join(scalars, "\t"))
		w.WriteByte('\n')
	}
	for _, p := range nonScalars {
		formatText(w, p.val, p.key, true, nil)
	}
}
