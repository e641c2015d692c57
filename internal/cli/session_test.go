package cli

import (
	"strings"
	"testing"

	"github.com/awsxlab/awsx/internal/cli/internal/awscli"
)

// A world plays a session of commands against its own simulator server: awsx in-process,
// or an AWS CLI session (package awscli: one Python process for all the commands).
type world interface {
	run(args []string) result
}

// awsxWorld runs awsx in-process; the process environment must be the session's.
type awsxWorld struct {
	t         *testing.T
	home, url string
}

func (w awsxWorld) run(args []string) result {
	return runAwsx(w.t, w.home, append([]string{"--endpoint-url", w.url}, args...)...)
}

// cliWorld is one AWS CLI session against a server.
type cliWorld struct {
	url string
	s   *awscli.Session
	err error // the first failure to talk to the AWS CLI
}

// startCLIWorld starts the client c's session in dir with env, for a server at url ("" for
// commands that need none); it ends with the test.
func startCLIWorld(t *testing.T, c client, env []string, dir, url string) *cliWorld {
	t.Helper()
	s, err := c.Start(env, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("%s: %v", c.Name, err)
		}
	})
	return &cliWorld{url: url, s: s}
}

func (w *cliWorld) run(args []string) result {
	if w.url != "" {
		args = append([]string{"--endpoint-url", w.url}, args...)
	}
	if w.err == nil {
		var r awscli.Result
		if r, w.err = w.s.Run(args...); w.err == nil {
			return result{r.Stdout, r.Stderr, r.Code}
		}
	}
	return result{stderr: w.err.Error(), code: -1}
}

// step is one command of a session. A step with capture keeps its output (trimmed, and
// without the quotes of a JSON string) for the later steps' "{capture}" arguments: each world
// substitutes its own.
type step struct {
	args    []string
	capture string
}

// play runs the steps in w and returns their results.
func play(w world, steps []step) []result {
	kept := map[string]string{}
	out := make([]result, len(steps))
	for i, s := range steps {
		args := make([]string, len(s.args))
		for j, a := range s.args {
			for k, v := range kept {
				a = strings.ReplaceAll(a, "{"+k+"}", v)
			}
			args[j] = a
		}
		out[i] = w.run(args)
		if s.capture != "" {
			kept[s.capture] = strings.Trim(strings.TrimSpace(out[i].stdout), `"`)
		}
	}
	return out
}
