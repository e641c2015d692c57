package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/awsxlab/awsx/internal/cli/state"
	"github.com/awsxlab/awsx/labs"
)

// exitLab is the exit code of a lab run or check that did not pass.
const exitLab = 1

// NewCmdLab returns `awsx lab`: the workbook's labs, to read, to watch and to check.
func NewCmdLab(f *Factory) *cobra.Command {
	streams := f.IO
	cmd := &cobra.Command{
		Use:   "lab",
		Short: "The workbook: list, read, watch and check the course's labs",
		Long: `The workbook's labs, each a sequence of AWS CLI commands that runs on the simulator.

  awsx lab list           the labs
  awsx lab show 2         read lab 2
  awsx lab run 2          watch lab 2 being done, step by step, in a scratch account
  awsx lab check 2        check your own work: type the lab's commands with awsx
                          (where a lab says aws, type awsx, or alias aws=awsx), then check`,
	}
	lab := func(args []string) (*labs.Lab, error) { return labs.Find(args[0]) }
	cmd.AddCommand(&cobra.Command{
		Use:   "list",
		Short: "List the labs",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			all, err := labs.All()
			if err != nil {
				return err
			}
			for _, l := range all {
				fmt.Fprintf(streams.Out, "%2d  %-34s %s\n", l.Number, l.Title, l.Name)
			}
			return nil
		},
	}, &cobra.Command{
		Use:   "show N",
		Short: "Print a lab as a page to read",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			l, err := lab(args)
			if err != nil {
				return err
			}
			l.Page(streams.Out)
			return nil
		},
	}, &cobra.Command{
		Use:   "run N",
		Short: "Play a lab step by step in a scratch account, pausing between steps on a terminal",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			l, err := lab(args)
			if err != nil {
				return err
			}
			return runLab(cmd.Context(), f, l)
		},
	}, &cobra.Command{
		Use:   "check N",
		Short: "Check that your own account meets a lab's goals, with a hint for each that does not",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			l, err := lab(args)
			if err != nil {
				return err
			}
			return checkLab(cmd.Context(), f, l)
		},
	})
	return cmd
}

// checkLab runs the lab's goals against the learner's own state and configuration.
func checkLab(ctx context.Context, f *Factory, lab *labs.Lab) error {
	streams := f.IO
	if len(lab.Goals) == 0 {
		return fmt.Errorf("lab %d has no goals to check", lab.Number)
	}
	met := 0
	fmt.Fprintf(streams.Out, "Lab %d: %s\n\n", lab.Number, lab.Title)
	for _, g := range lab.Goals {
		p := player(ctx, f, lab)
		var failed error
		for _, l := range g.Lines {
			if failed = p.Play(l); failed != nil {
				break
			}
		}
		if failed == nil {
			met++
			fmt.Fprintf(streams.Out, "%s\n", labs.Wrap(g.Text, "  ✓ ", "    "))
			continue
		}
		fmt.Fprintf(streams.Out, "%s\n", labs.Wrap(g.Text, "  ✗ ", "    "))
		var f *labs.Failure
		if !errors.As(failed, &f) {
			return failed
		}
		for _, h := range g.Hints {
			fmt.Fprintf(streams.Out, "%s\n", labs.Wrap(h, "      hint: ", "            "))
		}
		why, _, _ := strings.Cut(strings.TrimSpace(f.Reason), "\n")
		fmt.Fprintf(streams.Out, "%s\n", labs.Wrap(why, "      why: ", "           "))
	}
	fmt.Fprintf(streams.Out, "\n%d of %d goals met.\n", met, len(lab.Goals))
	if met < len(lab.Goals) {
		return &exitCode{exitLab}
	}
	fmt.Fprintln(streams.Out, "Well done: the lab is complete.")
	return nil
}

// runLab plays the lab in a scratch workspace of its own: a HOME with its own ~/.aws, a
// simulator state of its own on the lab's clock, and the lab's files. The learner's own
// configuration and state are left alone.
func runLab(ctx context.Context, f *Factory, lab *labs.Lab) error {
	streams := f.IO
	base, err := f.StateDir()
	if err != nil {
		return err
	}
	work := filepath.Join(base, "labs", lab.Name)
	if err := os.RemoveAll(work); err != nil {
		return err
	}
	if err := os.MkdirAll(work, 0o700); err != nil {
		return err
	}
	for _, f := range lab.Files {
		p := filepath.Join(work, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			return err
		}
		if err := os.WriteFile(p, f.Data, 0o600); err != nil {
			return err
		}
	}
	if _, _, err := state.Open(filepath.Join(work, ".awsx")); err != nil {
		return err
	}

	out := streams.Out
	interactive := isTerminal(streams.In) && isTerminal(streams.Out)
	in := bufio.NewReader(streams.In)
	fmt.Fprintf(out, "Lab %d: %s\n", lab.Number, lab.Title)
	for _, p := range lab.Intro {
		fmt.Fprintf(out, "\n%s\n", labs.Wrap(p, "", ""))
	}
	fmt.Fprintf(out, "\n%s\n", labs.Wrap("This run works in a scratch account of its own, in "+work+"; your own ~/.aws and simulator state are untouched.", "", ""))
	p := player(ctx, f.With(nil, labEnvironment(work), work), lab)
	for _, s := range lab.Steps {
		if interactive {
			fmt.Fprintf(out, "\n[Enter: step %d of %d, q: stop] ", s.Number, len(lab.Steps))
			answer, err := in.ReadString('\n')
			if err != nil || strings.TrimSpace(answer) == "q" {
				fmt.Fprintln(out)
				return nil
			}
		}
		fmt.Fprintf(out, "\n%s\n", labs.Wrap(s.Text, fmt.Sprintf("%d. ", s.Number), strings.Repeat(" ", len(strconv.Itoa(s.Number))+2)))
		for i, l := range s.Lines {
			err := p.Play(l)
			switch {
			case l.Typed():
				// A command whose output the next line keeps in a file is typed with "> file".
				text, shown := l.Text, p.Stdout()+p.Stderr()
				if i+1 < len(s.Lines) {
					if file, ok := s.Lines[i+1].Saves(); ok {
						text, shown = text+" > "+file, p.Stderr()
					}
				}
				fmt.Fprintf(out, "\n  $ %s\n", text)
				if shown != "" {
					fmt.Fprint(out, labs.Indent(shown, "  "))
				}
			case l.Name() == "cmp" && l.Args[1] != "stdout" && l.Args[1] != "stderr":
				fmt.Fprintf(out, "\n%s", labs.Indent(lab.Expect(l), "  "))
			}
			if err != nil {
				fmt.Fprintf(streams.Err, "\nawsx: lab %d, step %d did not go as the lab says:\n%v\n", lab.Number, s.Number, err)
				return &exitCode{exitLab}
			}
		}
	}
	fmt.Fprintf(out, "\n%s\n", labs.Wrap(fmt.Sprintf("Done. Now do it yourself: type the commands with awsx in your own account, then run `awsx lab check %d`.", lab.Number), "", ""))
	return nil
}

// player returns a player of the lab's lines that runs awsx in f's environment and working
// directory.
func player(ctx context.Context, f *Factory, lab *labs.Lab) *labs.Player {
	return &labs.Player{
		Main: func(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
			return Run(ctx, f.With(&IO{In: stdin, Out: stdout, Err: stderr}, nil, ""), args)
		},
		Dir: f.Dir(), Getenv: f.Getenv, Lab: lab,
	}
}

// labEnvironment is the environment of a lab's workspace work: HOME there, the simulator's
// state directory in it, the embedded backend on the lab's clock, and none of the learner's
// AWS variables.
func labEnvironment(work string) map[string]string {
	env := map[string]string{
		"HOME": work, state.EnvDir: filepath.Join(work, ".awsx"), "AWSX_BACKEND": "sim", "AWSX_CLOCK": labs.Clock,
		"AWSX_CONFIG": filepath.Join(work, ".awsx", "config.yaml"),
	}
	for _, v := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_REGION",
		"AWS_DEFAULT_REGION", "AWS_DEFAULT_OUTPUT", "AWS_ENDPOINT_URL", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWSX_SEED"} {
		env[v] = ""
	}
	return env
}

// isTerminal says whether f is a character device: a person at a terminal, not a pipe or file.
func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	if !ok {
		return false
	}
	st, err := file.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
