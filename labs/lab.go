// Package labs is the workbook: the course's labs, each a testscript file, and what presents
// them to a learner — a lab parsed into its header, steps and goals ([Parse], [All], [Find]),
// and a [Player] that runs a lab's lines with the awsx command, for `awsx lab run` and
// `awsx lab check`.
//
// A lab file reads as a page. Its first comment lines are the header: "# Lab N: Title", then
// paragraphs such as "What you will learn: …". A step starts with a comment "# N. …" (more
// comment lines continue it); the lines after it are the commands, written as for the AWS CLI,
// and the checks of their output (stdout, stderr, cmp, grep, exists); "cp stdout FILE" keeps
// a command's output in a file, as "> FILE" would. The file's "goals"
// section lists what must hold once the lab is done, each goal a comment, optional
// "# hint: …" lines, and read-only commands with their checks.
package labs

import (
	"embed"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/rogpeppe/go-internal/txtar"
)

// Clock is the time at which a lab's simulator clock stands, so that the dates a lab prints
// are the same on every run.
const Clock = "2026-01-01T09:00:00Z"

//go:embed *.txtar
var files embed.FS

// A Lab is one lab file, parsed.
type Lab struct {
	Number int    // from the file name: 2 for 02-iam-admin-user.txtar
	Name   string // the file name without .txtar
	Title  string
	Intro  []string // the header's paragraphs after the title
	Steps  []Step
	Goals  []Goal
	Files  []txtar.File // the files its commands read, such as policy documents
	Wants  []txtar.File // the expected outputs its cmp checks name (want/…)
}

// A Step is an instruction and the lines that carry it out.
type Step struct {
	Number int
	Text   string // the instruction, its comment lines joined
	Lines  []Line
}

// A Goal is what must hold once the lab is done, checked by read-only lines.
type Goal struct {
	Text  string
	Hints []string
	Lines []Line
}

// A Line is a command or a check, as testscript reads it.
type Line struct {
	Num  int    // its line number in the file
	Text string // as written, without the leading "! "
	Neg  bool   // written with "!": the command must fail, the check must not match
	Args []string
}

// Name is the line's command: aws, stdout, cmp, ….
func (l Line) Name() string { return l.Args[0] }

// commands are the lines' verbs a lab may use: what a learner types, and the checks.
var commands = []string{"aws", "awsx", "grep", "chmod", "stdin", "stdout", "stderr", "cmp", "cp", "exists"}

// Typed says whether the line is one a learner types, rather than a check of output.
func (l Line) Typed() bool {
	switch l.Name() {
	case "aws", "awsx", "grep", "chmod":
		return true
	}
	return false
}

// Saves says whether the line keeps the last command's output in a file (cp stdout FILE),
// which a learner types as "> FILE" after the command; it returns the file.
func (l Line) Saves() (file string, ok bool) {
	if l.Name() == "cp" && len(l.Args) == 3 && l.Args[1] == "stdout" {
		return l.Args[2], true
	}
	return "", false
}

var (
	titleRE = regexp.MustCompile(`^Lab (\d+): (.+)$`)
	stepRE  = regexp.MustCompile(`^(\d+)\. (.*)$`)
	labelRE = regexp.MustCompile(`^[A-Z][A-Za-z ]{0,30}: `) // "Prerequisites: …" starts a paragraph
	nameRE  = regexp.MustCompile(`^(\d+)-[a-z0-9-]+\.txtar$`)
)

// All returns the labs in order.
func All() ([]*Lab, error) {
	entries, err := files.ReadDir(".")
	if err != nil {
		return nil, err
	}
	var labs []*Lab
	for _, e := range entries {
		data, err := files.ReadFile(e.Name())
		if err != nil {
			return nil, err
		}
		lab, err := Parse(e.Name(), data)
		if err != nil {
			return nil, err
		}
		labs = append(labs, lab)
	}
	slices.SortFunc(labs, func(a, b *Lab) int { return a.Number - b.Number })
	return labs, nil
}

// Find returns the lab that id names: its number ("2" or "02"), its file name
// ("02-iam-admin-user") or the name without the number ("iam-admin-user").
func Find(id string) (*Lab, error) {
	labs, err := All()
	if err != nil {
		return nil, err
	}
	n, numErr := strconv.Atoi(id)
	for _, lab := range labs {
		if (numErr == nil && lab.Number == n) || lab.Name == id || strings.TrimLeft(lab.Name, "0123456789") == "-"+id {
			return lab, nil
		}
	}
	return nil, fmt.Errorf("there is no lab %q; `awsx lab list` lists them", id)
}

// Parse reads a lab file.
func Parse(name string, data []byte) (*Lab, error) {
	m := nameRE.FindStringSubmatch(path.Base(name))
	if m == nil {
		return nil, fmt.Errorf("%s: a lab's file name is NN-words.txtar", name)
	}
	lab := &Lab{Name: strings.TrimSuffix(path.Base(name), ".txtar")}
	lab.Number, _ = strconv.Atoi(m[1])
	ar := txtar.Parse(data)
	p := parser{file: name}
	if err := p.script(lab, string(ar.Comment)); err != nil {
		return nil, err
	}
	for _, f := range ar.Files {
		switch {
		case f.Name == "goals":
			goals, err := p.goals(string(f.Data), lineOf(data, "-- goals --")+1)
			if err != nil {
				return nil, err
			}
			lab.Goals = goals
		case strings.HasPrefix(f.Name, "want/"):
			lab.Wants = append(lab.Wants, f)
		default:
			lab.Files = append(lab.Files, f)
		}
	}
	return lab, nil
}

// File returns the lab's file or want file of that name.
func (lab *Lab) File(name string) (txtar.File, bool) {
	for _, f := range slices.Concat(lab.Files, lab.Wants) {
		if f.Name == name {
			return f, true
		}
	}
	return txtar.File{}, false
}

// lineOf is the 1-based number of the line that is exactly s, or 0.
func lineOf(data []byte, s string) int {
	for i, l := range strings.Split(string(data), "\n") {
		if l == s {
			return i + 1
		}
	}
	return 0
}

type parser struct{ file string }

func (p *parser) errorf(line int, format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", p.file, line, fmt.Sprintf(format, args...))
}

// script reads the header and the steps.
func (p *parser) script(lab *Lab, text string) error {
	var step *Step
	var para []string // the comment paragraph being read
	inStepText := false
	flush := func() {
		if len(para) == 0 {
			return
		}
		joined := strings.Join(para, " ")
		para = nil
		if m := titleRE.FindStringSubmatch(joined); m != nil && lab.Title == "" && len(lab.Intro) == 0 {
			lab.Title = m[2]
			return
		}
		lab.Intro = append(lab.Intro, joined)
	}
	for i, raw := range strings.Split(text, "\n") {
		num := i + 1
		line := strings.TrimSpace(raw)
		if c, ok := strings.CutPrefix(line, "#"); ok {
			c = strings.TrimSpace(c)
			if m := stepRE.FindStringSubmatch(c); m != nil {
				flush()
				n, _ := strconv.Atoi(m[1])
				if n != len(lab.Steps)+1 {
					return p.errorf(num, "step %d follows step %d", n, len(lab.Steps))
				}
				lab.Steps = append(lab.Steps, Step{Number: n, Text: m[2]})
				step, inStepText = &lab.Steps[len(lab.Steps)-1], true
				continue
			}
			if step != nil && inStepText && c != "" {
				step.Text += " " + c
				continue
			}
			if step != nil && c != "" {
				return p.errorf(num, "a comment among step %d's commands: start a new step with \"# N. …\"", step.Number)
			}
			if c == "" || labelRE.MatchString(c) {
				flush()
			}
			if c != "" {
				para = append(para, c)
			}
			continue
		}
		if line == "" {
			flush()
			continue
		}
		if step == nil {
			return p.errorf(num, "a command before the first step")
		}
		inStepText = false
		l, err := p.line(num, line)
		if err != nil {
			return err
		}
		step.Lines = append(step.Lines, l)
	}
	flush()
	if lab.Title == "" {
		return p.errorf(1, "a lab starts with \"# Lab N: Title\"")
	}
	if len(lab.Steps) == 0 {
		return p.errorf(1, "a lab has steps: \"# 1. …\"")
	}
	return nil
}

// goals reads the goals section, whose first line is the file's line first.
func (p *parser) goals(text string, first int) ([]Goal, error) {
	var goals []Goal
	var g *Goal
	for i, raw := range strings.Split(text, "\n") {
		num := first + i
		line := strings.TrimSpace(raw)
		if line == "" {
			continue
		}
		if c, ok := strings.CutPrefix(line, "#"); ok {
			c = strings.TrimSpace(c)
			switch {
			case strings.HasPrefix(c, "hint:"):
				if g == nil {
					return nil, p.errorf(num, "a hint before any goal")
				}
				g.Hints = append(g.Hints, strings.TrimSpace(strings.TrimPrefix(c, "hint:")))
			case g != nil && len(g.Lines) == 0 && len(g.Hints) == 0:
				g.Text += " " + c
			default:
				goals = append(goals, Goal{Text: c})
				g = &goals[len(goals)-1]
			}
			continue
		}
		if g == nil {
			return nil, p.errorf(num, "a command before the first goal")
		}
		l, err := p.line(num, line)
		if err != nil {
			return nil, err
		}
		if l.Name() == "cp" || l.Name() == "chmod" || (l.Typed() && l.Name() != "grep" && !readOnly(l.Args)) {
			return nil, p.errorf(num, "a goal only reads: %s changes state", l.Args[2])
		}
		g.Lines = append(g.Lines, l)
	}
	for _, g := range goals {
		if len(g.Lines) == 0 {
			return nil, fmt.Errorf("%s: goal %q has no checks", p.file, g.Text)
		}
	}
	return goals, nil
}

// readOnly says whether an aws command line only reads: a get, list, describe or simulate
// operation, configure get or list, or awsx netcalc.
func readOnly(args []string) bool {
	if len(args) >= 2 && args[0] == "awsx" && args[1] == "netcalc" {
		return true
	}
	if len(args) >= 3 && args[0] == "awsx" && args[1] == "sim" && args[2] == "inbox" {
		return !slices.ContainsFunc(args, func(a string) bool { return strings.HasPrefix(a, "--confirm") })
	}
	if len(args) < 3 {
		return false
	}
	switch args[1] {
	case "configure":
		return args[2] == "get" || args[2] == "list"
	case "s3":
		return args[2] == "ls" || args[2] == "presign"
	}
	for _, verb := range []string{"get-", "list-", "describe-", "simulate-", "head-"} {
		if strings.HasPrefix(args[2], verb) {
			return true
		}
	}
	return false
}

// line reads one command or check.
func (p *parser) line(num int, text string) (Line, error) {
	l := Line{Num: num, Text: text}
	if rest, ok := strings.CutPrefix(text, "!"); ok {
		l.Neg, l.Text = true, strings.TrimSpace(rest)
	}
	args, err := Words(l.Text, nil)
	if err != nil {
		return l, p.errorf(num, "%v", err)
	}
	if len(args) == 0 {
		return l, p.errorf(num, "an empty command")
	}
	l.Args = args
	if !slices.Contains(commands, l.Name()) {
		return l, p.errorf(num, "unknown command %q: a lab uses %s", l.Name(), strings.Join(commands, ", "))
	}
	if _, ok := l.Saves(); l.Name() == "cp" && !ok {
		return l, p.errorf(num, "a lab copies only a command's output: cp stdout FILE")
	}
	return l, nil
}
