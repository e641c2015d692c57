package labs

import (
	"fmt"
	"io"
	"regexp/syntax"
	"strconv"
	"strings"
)

// width is the page's line length.
const width = 80

// Page writes the lab as a page to read: its header, its steps with their commands and what
// they print, the files the commands read, and the goals `awsx lab check` verifies.
func (lab *Lab) Page(w io.Writer) {
	title := fmt.Sprintf("Lab %d: %s", lab.Number, lab.Title)
	fmt.Fprintf(w, "%s\n%s\n", title, strings.Repeat("=", len(title)))
	for _, p := range lab.Intro {
		fmt.Fprintf(w, "\n%s\n", Wrap(p, "", ""))
	}
	for _, s := range lab.Steps {
		fmt.Fprintf(w, "\n%s\n", Wrap(s.Text, fmt.Sprintf("%d. ", s.Number), strings.Repeat(" ", len(strconv.Itoa(s.Number))+2)))
		if len(s.Lines) > 0 {
			fmt.Fprintln(w)
		}
		for _, l := range s.Lines {
			if l.Typed() {
				fmt.Fprintf(w, "     $ %s\n", l.Text)
			} else if e := lab.Expect(l); e != "" {
				fmt.Fprint(w, Indent(e, "     "))
			}
		}
	}
	if len(lab.Files) > 0 {
		fmt.Fprintf(w, "\nFiles\n-----\n%s\n", Wrap("The commands read these files from the directory you work in. `awsx lab run` writes them there for you.", "", ""))
		for _, f := range lab.Files {
			fmt.Fprintf(w, "\n%s:\n%s", f.Name, Indent(string(f.Data), "    "))
		}
	}
	if len(lab.Goals) > 0 {
		fmt.Fprintf(w, "\nGoals\n-----\n%s\n\n", Wrap(fmt.Sprintf("Once you have done the lab yourself, `awsx lab check %d` checks that:", lab.Number), "", ""))
		for _, g := range lab.Goals {
			fmt.Fprintf(w, "%s\n", Wrap(g.Text, "  - ", "    "))
		}
	}
}

// Expect says in words what a check line expects, for a reader: the output itself where the
// check names it exactly, else the pattern. It is "" for lines that expect nothing.
func (lab *Lab) Expect(l Line) string {
	args := l.Args[1:]
	if len(args) > 1 && strings.HasPrefix(args[0], "-count=") {
		args = args[1:]
	}
	switch l.Name() {
	case "cmp":
		f, ok := lab.File(args[len(args)-1])
		switch {
		case !ok || len(args) != 2:
		case args[0] == "stdout" || args[0] == "stderr":
			return strings.TrimRight(string(f.Data), "\n")
		default:
			return fmt.Sprintf("(%s now reads:)\n%s", args[0], Indent(string(f.Data), "  "))
		}
	case "stdout", "stderr":
		if len(args) != 1 {
			return ""
		}
		what := "output"
		if l.Name() == "stderr" {
			what = "error"
		}
		text, exact := literal(args[0])
		switch {
		case l.Neg:
			return fmt.Sprintf("(the %s no longer %s)", what, described(args[0]))
		case exact && what == "output":
			return text
		}
		return fmt.Sprintf("(the %s %s)", what, described(args[0]))
	case "stdin":
		if f, ok := lab.File(args[0]); ok {
			return "(answer its questions with:)\n" + Indent(strings.TrimRight(string(f.Data), "\n"), "  ")
		}
	case "exists":
		return fmt.Sprintf("(%s now exists)", strings.Join(args, ", "))
	case "cp":
		if file, ok := l.Saves(); ok {
			return fmt.Sprintf("(keep what it prints in %s: end the command with > %s)", file, file)
		}
	}
	return ""
}

// described is what matching a pattern means, in words.
func described(pattern string) string {
	if text, _ := literal(pattern); text != "" {
		return fmt.Sprintf("contains %q", text)
	}
	return "matches /" + pattern + "/"
}

// literal returns the text a pattern matches when it is plain text, anchors aside; exact
// says it is anchored at both ends of a line, so that the text is the whole line.
func literal(pattern string) (text string, exact bool) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return "", false
	}
	re = re.Simplify()
	parts := []*syntax.Regexp{re}
	if re.Op == syntax.OpConcat {
		parts = re.Sub
	}
	var b strings.Builder
	begin, end := false, false
	for i, p := range parts {
		switch {
		case p.Op == syntax.OpLiteral && p.Flags&syntax.FoldCase == 0 && !end:
			b.WriteString(string(p.Rune))
		case (p.Op == syntax.OpBeginLine || p.Op == syntax.OpBeginText) && i == 0:
			begin = true
		case (p.Op == syntax.OpEndLine || p.Op == syntax.OpEndText) && i == len(parts)-1:
			end = true
		default:
			return "", false
		}
	}
	return b.String(), begin && end
}

// Wrap fills text to the page's width, the first line after first and the others after rest.
func Wrap(text, first, rest string) string {
	var b strings.Builder
	line := first
	empty := true
	for _, word := range strings.Fields(text) {
		if !empty && len(line)+1+len(word) > width {
			b.WriteString(line + "\n")
			line, empty = rest, true
		}
		if !empty {
			line += " "
		}
		line += word
		empty = false
	}
	b.WriteString(line)
	return b.String()
}

// Indent puts prefix before every line of text.
func Indent(text, prefix string) string {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	for i, l := range lines {
		lines[i] = prefix + l
	}
	return strings.Join(lines, "\n") + "\n"
}
