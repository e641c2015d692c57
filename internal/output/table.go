package output

import (
	"bufio"
	"fmt"
	"math"
	"strings"

	"golang.org/x/text/width"
)

// writeTable prints v as the AWS CLI's table output does (awscli/formatter.py TableFormatter
// and awscli/table.py MultiTable, without colors): sections titled by the operation and by
// the keys of nested lists and objects, indented one '|' per level; an object's scalars as one
// row under sorted headers (a single scalar as a key | value row); a list of objects as rows
// under the sorted union of their scalar keys; columns scaled to the widest section; and
// single-row sections turned vertical when the table is wider than the terminal.
func writeTable(w *bufio.Writer, v any, op string, termWidth int) error {
	t := &multiTable{termWidth: termWidth}
	ok, err := t.build(op, true, v, 0)
	if err != nil || !ok {
		return err
	}
	t.render(w)
	return nil
}

// textLength is awscli's get_text_length: East Asian wide, full-width and ambiguous
// characters count two columns.
func textLength(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth, width.EastAsianAmbiguous:
			n += 2
		default:
			n++
		}
	}
	return n
}

func spaces(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat(" ", n)
}

func centerText(text string, length int, left, right string) string {
	tl := textLength(text)
	charStart := length/2 - tl/2 - 1
	var b strings.Builder
	b.WriteString(left)
	b.WriteString(spaces(charStart))
	b.WriteString(text)
	soFar := textLength(left) + charStart + tl
	b.WriteString(spaces(length - textLength(right) - soFar))
	b.WriteString(right)
	return b.String()
}

func alignLeft(text string, length int, left, right string) string {
	tl := textLength(text)
	padding := 2
	if length-(tl+2+textLength(left)+textLength(right)) < 0 {
		padding = 0
	}
	var b strings.Builder
	b.WriteString(left)
	b.WriteString(spaces(padding))
	b.WriteString(text)
	soFar := len(left) + padding + tl
	b.WriteString(spaces(length - soFar - len(right)))
	b.WriteString(right)
	return b.String()
}

type section struct {
	title     string
	titleNone bool // Python's title None, whose str() "None" still counts in the width
	headers   []string
	rows      [][]string
	indent    int
	numCols   int
	hasCols   bool
	maxWidths []int
}

func (s *section) addHeader(h []string) {
	s.updateMaxWidths(h)
	if !s.hasCols {
		s.numCols, s.hasCols = len(h), true
	}
	s.headers = h
}

func (s *section) addRow(values []any) error {
	row := make([]string, len(values))
	for i, v := range values {
		row[i] = pyStr(v)
	}
	if !s.hasCols {
		s.numCols, s.hasCols = len(row), true
	}
	if len(row) != s.numCols {
		return fmt.Errorf("output: table row should have %d elements, instead it has %d", s.numCols, len(row))
	}
	s.rows = append(s.rows, row)
	s.updateMaxWidths(row)
	return nil
}

func (s *section) updateMaxWidths(row []string) {
	if len(s.maxWidths) == 0 {
		s.maxWidths = make([]int, len(row))
		for i, e := range row {
			s.maxWidths[i] = textLength(e)
		}
		return
	}
	for i, e := range row {
		if i < len(s.maxWidths) {
			s.maxWidths[i] = max(s.maxWidths[i], textLength(e))
		}
	}
}

// columnWidths is Section.calculate_column_widths: the widest cells plus padding, scaled to
// maxWidth (when > 0) with Python's round-half-to-even and the off-by-one fixes.
func (s *section) columnWidths(padding, maxWidth int) []int {
	widths := make([]int, len(s.maxWidths))
	sum := 0
	for i, w := range s.maxWidths {
		widths[i] = w + padding
		sum += widths[i]
	}
	if maxWidth <= 0 || len(widths) == 0 {
		return widths
	}
	scale := float64(maxWidth) / float64(sum)
	total := 0
	for i, w := range widths {
		widths[i] = int(math.RoundToEven(scale * float64(w)))
		total += widths[i]
	}
	off := total - maxWidth
	for off != 0 {
		if off > 0 {
			for i := 0; i < len(widths) && off != 0; i++ {
				widths[i]--
				off--
			}
		} else {
			for i := len(widths) - 1; i >= 0 && off != 0; i-- {
				widths[i]++
				off++
			}
		}
	}
	return widths
}

func (s *section) totalWidth(padding int, border bool, outer int) int {
	total := 0
	for _, w := range s.columnWidths(0, 0) {
		total += w + padding
	}
	if border {
		total += 2
	}
	total += 2 * outer
	tl := textLength(s.title)
	if s.titleNone {
		tl = len("None")
	}
	return max(tl+2+2*outer, total)
}

type multiTable struct {
	termWidth int
	sections  []*section
	cur       *section
}

func (t *multiTable) newSection(title string, indent int) {
	t.cur = &section{title: title, indent: indent}
	t.sections = append(t.sections, t.cur)
}

func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case *Map:
		return x.Len() > 0
	case map[string]any:
		return len(x) > 0
	case []any:
		return len(x) > 0
	case string:
		return x != ""
	case bool:
		return x
	case int64:
		return x != 0
	case int:
		return x != 0
	case float64:
		return x != 0
	}
	return true
}

func asMap(v any) (*Map, bool) {
	switch x := v.(type) {
	case *Map:
		return x, true
	case map[string]any:
		return sortedMap(x), true
	}
	return nil, false
}

// build is TableFormatter._build_table; hasTitle false is Python's title=None.
func (t *multiTable) build(title string, hasTitle bool, v any, indent int) (bool, error) {
	if !truthy(v) {
		return false, nil
	}
	if hasTitle {
		t.newSection(title, indent)
	}
	if t.cur == nil { // awscli would fail the same way: rows need a section
		return false, fmt.Errorf("output: cannot print %s as a table", pyRepr(v))
	}
	if l, ok := v.([]any); ok {
		if _, first := asMap(l[0]); first {
			return true, t.subTableFromList(l, indent, title, hasTitle)
		}
		for _, item := range l {
			sub, isList := item.([]any)
			switch {
			case !isContainer(item):
				if err := t.cur.addRow([]any{item}); err != nil {
					return false, err
				}
			case isList && allScalar(sub):
				if err := t.cur.addRow(sub); err != nil {
					return false, err
				}
			default:
				if _, err := t.build("", false, item, 0); err != nil {
					return false, err
				}
			}
		}
	}
	if m, ok := asMap(v); ok {
		return true, t.subTableFromDict(m, indent)
	}
	return true, nil
}

func allScalar(l []any) bool {
	for _, e := range l {
		if isContainer(e) {
			return false
		}
	}
	return true
}

func groupScalarKeys(m *Map) (headers, more []string) {
	for _, k := range sortedKeys(m) {
		if isContainer(m.vals[k]) {
			more = append(more, k)
		} else {
			headers = append(headers, k)
		}
	}
	return headers, more
}

func (t *multiTable) subTableFromDict(m *Map, indent int) error {
	headers, more := groupScalarKeys(m)
	if len(headers) == 1 {
		if err := t.cur.addRow([]any{headers[0], m.vals[headers[0]]}); err != nil {
			return err
		}
	} else if len(headers) > 0 {
		t.cur.addHeader(headers)
		row := make([]any, len(headers))
		for i, h := range headers {
			row[i] = m.vals[h]
		}
		if err := t.cur.addRow(row); err != nil {
			return err
		}
	}
	for _, k := range more {
		if _, err := t.build(k, true, m.vals[k], indent+1); err != nil {
			return err
		}
	}
	return nil
}

func (t *multiTable) subTableFromList(l []any, indent int, title string, hasTitle bool) error {
	hs, ms := map[string]bool{}, map[string]bool{}
	maps := make([]*Map, len(l))
	for i, e := range l {
		m, ok := asMap(e)
		if !ok {
			return fmt.Errorf("output: cannot print %s as a table: a list mixes objects and other values", pyRepr(l))
		}
		maps[i] = m
		h, more := groupScalarKeys(m)
		for _, k := range h {
			hs[k] = true
		}
		for _, k := range more {
			ms[k] = true
		}
	}
	headers, more := sortedSet(hs), sortedSet(ms)
	t.cur.addHeader(headers)
	for i, m := range maps {
		if i > 0 && len(more) > 0 {
			t.newSection(title, indent)
			t.cur.titleNone = !hasTitle
			t.cur.addHeader(headers)
		}
		row := make([]any, len(headers))
		for j, h := range headers {
			if v, ok := m.vals[h]; ok {
				row[j] = v
			} else {
				row[j] = ""
			}
		}
		if err := t.cur.addRow(row); err != nil {
			return err
		}
		for _, k := range more {
			if v, ok := m.vals[k]; ok {
				if _, err := t.build(k, true, v, indent+1); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func sortedSet(s map[string]bool) []string {
	m := &Map{}
	for k := range s {
		m.Set(k, nil)
	}
	return sortedKeys(m)
}

func (t *multiTable) maxWidth() int {
	w := 0
	for _, s := range t.sections {
		w = max(w, s.totalWidth(4, true, s.indent))
	}
	return w
}

func (t *multiTable) render(w *bufio.Writer) {
	maxWidth := t.maxWidth()
	if maxWidth > t.termWidth {
		for i, s := range t.sections {
			if len(s.rows) == 1 && len(s.headers) > 0 {
				ns := &section{title: s.title, titleNone: s.titleNone, indent: s.indent}
				for j := 0; j < len(s.headers) && j < len(s.rows[0]); j++ {
					ns.addRow([]any{s.headers[j], s.rows[0][j]})
				}
				t.sections[i] = ns
			}
		}
		maxWidth = t.maxWidth()
	}
	w.WriteString(strings.Repeat("-", maxWidth))
	w.WriteByte('\n')
	for _, s := range t.sections {
		renderSection(w, s, maxWidth)
	}
}

func renderSection(w *bufio.Writer, s *section, maxWidth int) {
	bars := strings.Repeat("|", s.indent)
	line := func(text string) {
		w.WriteString(bars)
		w.WriteString(text)
		w.WriteString(bars)
		w.WriteByte('\n')
	}
	maxWidth -= s.indent * 2
	if s.title != "" {
		line(centerText(s.title, maxWidth, "|", "|"))
		if len(s.headers) == 0 && len(s.rows) == 0 {
			line("+" + strings.Repeat("-", max(maxWidth-2, 0)) + "+")
		}
	}
	if len(s.headers) > 0 {
		widths := s.columnWidths(4, maxWidth)
		var b strings.Builder
		for i, h := range s.headers {
			if i >= len(widths) {
				break
			}
			left := ""
			if i == 0 {
				left = "|"
			}
			b.WriteString(centerText(h, widths[i], left, "|"))
		}
		line(lineBreak(widths))
		line(b.String())
	}
	if len(s.rows) > 0 {
		widths := s.columnWidths(4, maxWidth)
		if len(widths) == 0 {
			return
		}
		line(lineBreak(widths))
		for _, row := range s.rows {
			var b strings.Builder
			for i, e := range row {
				if i >= len(widths) {
					break
				}
				left := ""
				if i == 0 {
					left = "|"
				}
				b.WriteString(alignLeft(e, widths[i], left, "|"))
			}
			line(b.String())
		}
		line(lineBreak(widths))
	}
}

func lineBreak(widths []int) string {
	var b strings.Builder
	for i, w := range widths {
		if i == 0 {
			b.WriteString("+" + strings.Repeat("-", max(w-2, 0)) + "+")
		} else {
			b.WriteString(strings.Repeat("-", max(w-1, 0)) + "+")
		}
	}
	return b.String()
}
