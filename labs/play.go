package labs

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// A Player runs a lab's lines: the commands with the awsx command, the checks against what
// they printed, as testscript would.
type Player struct {
	// Main runs the awsx command with the words after "aws" or "awsx" and returns its exit code.
	Main func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
	// Dir is the working directory of grep, cmp and exists; "" is the process's.
	Dir string
	// Getenv expands $VAR in lines; nil is os.Getenv.
	Getenv func(string) string
	// Lab supplies the want files of cmp checks; files on disk are read otherwise.
	Lab *Lab

	stdout, stderr string
	stdin          []byte
}

// A Failure is a line whose expectation did not hold.
type Failure struct {
	Line   Line
	Reason string
}

func (f *Failure) Error() string {
	return fmt.Sprintf("line %d: %s: %s", f.Line.Num, f.Line.Text, f.Reason)
}

// Stdout is what the last command printed on standard output (for grep, the matching lines).
func (p *Player) Stdout() string { return p.stdout }

// Stderr is what the last command printed on standard error.
func (p *Player) Stderr() string { return p.stderr }

// Play runs one line. It returns a *Failure when the line's expectation does not hold, and
// another error when the line cannot be run at all.
func (p *Player) Play(l Line) error {
	getenv := p.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	args, err := Words(l.Text, expandEnv(getenv))
	if err != nil {
		return fmt.Errorf("line %d: %w", l.Num, err)
	}
	fail := func(format string, a ...any) error { return &Failure{l, fmt.Sprintf(format, a...)} }
	switch name := args[0]; name {
	case "aws", "awsx":
		var out, errOut bytes.Buffer
		code := p.Main(args[1:], &typed{text: p.stdin, echo: &out}, &out, &errOut)
		p.stdin, p.stdout, p.stderr = nil, out.String(), errOut.String()
		switch {
		case code != 0 && !l.Neg:
			if msg := strings.TrimSpace(p.stderr); msg != "" {
				return fail("%s", msg)
			}
			return fail("exit status %d", code)
		case code == 0 && l.Neg:
			return fail("it succeeded, but should have been refused")
		}
	case "stdin":
		if len(args) != 2 {
			return fail("usage: stdin file")
		}
		b, err := p.read(args[1])
		if err != nil {
			return fail("%v", err)
		}
		p.stdin = b
	case "stdout", "stderr":
		text := p.stdout
		if name == "stderr" {
			text = p.stderr
		}
		return p.match(l, args[1:], text, name)
	case "grep":
		if len(args) < 3 {
			return fail("usage: grep [-count=N] pattern file")
		}
		b, err := p.read(args[len(args)-1])
		if err != nil {
			return fail("%v", err)
		}
		p.stdout, p.stderr = matchingLines(args[len(args)-2], string(b)), ""
		return p.match(l, args[1:len(args)-1], string(b), args[len(args)-1])
	case "cmp":
		if len(args) != 3 {
			return fail("usage: cmp stdout|stderr|file want-file")
		}
		got, err := p.operand(args[1])
		if err != nil {
			return fail("%v", err)
		}
		want, err := p.operand(args[2])
		if err != nil {
			return fail("%v", err)
		}
		if (got == want) == l.Neg {
			return fail("%s differs from %s:\n%s", args[1], args[2], diff(want, got))
		}
	case "cp":
		if len(args) != 3 || args[1] != "stdout" {
			return fail("usage: cp stdout file")
		}
		if err := os.WriteFile(p.path(args[2]), []byte(p.stdout), 0o666); err != nil {
			return fail("%v", err)
		}
	case "chmod":
		mode, err := strconv.ParseUint(args[1], 8, 32)
		if len(args) < 3 || err != nil {
			return fail("usage: chmod octal-mode file...")
		}
		for _, f := range args[2:] {
			if err := os.Chmod(p.path(f), os.FileMode(mode)); err != nil {
				return fail("%v", err)
			}
		}
		p.stdout, p.stderr = "", ""
	case "exists":
		for _, f := range args[1:] {
			if _, err := os.Stat(p.path(f)); (err == nil) == l.Neg {
				if l.Neg {
					return fail("%s exists", f)
				}
				return fail("%s does not exist", f)
			}
		}
	default:
		return fmt.Errorf("line %d: unknown command %q", l.Num, name)
	}
	return nil
}

// match checks that text matches the pattern (with -count=N, that many times); with "!",
// that it does not. what names the text in the failure.
func (p *Player) match(l Line, args []string, text, what string) error {
	count := -1
	if len(args) == 2 {
		n, ok := strings.CutPrefix(args[0], "-count=")
		c, err := strconv.Atoi(n)
		if !ok || err != nil || c < 0 {
			return &Failure{l, "usage: " + l.Name() + " [-count=N] pattern"}
		}
		count, args = c, args[1:]
	}
	if len(args) != 1 {
		return &Failure{l, "usage: " + l.Name() + " [-count=N] pattern"}
	}
	re, err := regexp.Compile("(?m)" + args[0])
	if err != nil {
		return &Failure{l, fmt.Sprintf("bad pattern: %v", err)}
	}
	n := len(re.FindAllStringIndex(text, -1))
	switch {
	case l.Neg && n > 0:
		return &Failure{l, fmt.Sprintf("%s should not match %s, but it did:\n%s", what, args[0], indent(text))}
	case !l.Neg && count < 0 && n == 0:
		return &Failure{l, fmt.Sprintf("%s should match %s, but it was:\n%s", what, args[0], indent(text))}
	case !l.Neg && count >= 0 && n != count:
		return &Failure{l, fmt.Sprintf("%s should match %s %d times, not %d:\n%s", what, args[0], count, n, indent(text))}
	}
	return nil
}

// operand is the text cmp compares: the last command's output, or a file's content.
func (p *Player) operand(name string) (string, error) {
	switch name {
	case "stdout":
		return p.stdout, nil
	case "stderr":
		return p.stderr, nil
	}
	b, err := p.read(name)
	return string(b), err
}

// read returns a lab's file of that name, else the file on disk.
func (p *Player) read(name string) ([]byte, error) {
	if p.Lab != nil {
		if f, ok := p.Lab.File(name); ok {
			return f.Data, nil
		}
	}
	return os.ReadFile(p.path(name))
}

func (p *Player) path(name string) string {
	if filepath.IsAbs(name) || p.Dir == "" {
		return name
	}
	return filepath.Join(p.Dir, name)
}

// typed is standard input as a person types it: a line at a time, each echoed to the output
// as a terminal would, so that answers appear after the questions they answer.
type typed struct {
	text []byte
	echo io.Writer
}

func (t *typed) Read(b []byte) (int, error) {
	if len(t.text) == 0 {
		return 0, io.EOF
	}
	line := t.text
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i+1]
	}
	n := copy(b, line)
	t.echo.Write(b[:n])
	t.text = t.text[n:]
	return n, nil
}

// matchingLines returns the lines of text that pattern matches, as grep prints them.
func matchingLines(pattern, text string) string {
	re, err := regexp.Compile("(?m)" + pattern)
	if err != nil {
		return ""
	}
	var b strings.Builder
	for l := range strings.Lines(text) {
		if re.MatchString(l) {
			b.WriteString(l)
		}
	}
	return b.String()
}

// diff shows want and got line by line, marking the lines that differ.
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := range max(len(w), len(g)) {
		wl, gl := at(w, i), at(g, i)
		if wl == gl {
			fmt.Fprintf(&b, "    %s\n", wl)
			continue
		}
		if i < len(w) {
			fmt.Fprintf(&b, "  - %s\n", wl)
		}
		if i < len(g) {
			fmt.Fprintf(&b, "  + %s\n", gl)
		}
	}
	return b.String()
}

func at(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return ""
}

func indent(text string) string {
	if text == "" {
		return "    (nothing)"
	}
	return "    " + strings.ReplaceAll(strings.TrimRight(text, "\n"), "\n", "\n    ")
}
