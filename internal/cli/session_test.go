package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"testing"
)

// A world plays a session of commands against its own simulator server: awsx in-process,
// or one AWS CLI in one Python process that runs the commands one after the other (starting
// the AWS CLI once, not per command, keeps a session of a hundred commands to seconds).
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

// batchScript runs AWS CLI commands read from stdin, one JSON list of arguments a line, in
// one interpreter, and answers each with a JSON line of its stdout, stderr and exit code.
// argv[1] is "v2" for Debian's AWS CLI v2 (on the system Python), else the AWS CLI v1.
const batchScript = `
import io, json, sys
v2 = sys.argv[1] == 'v2'
if v2:
    sys.path.insert(0, '/usr/lib/python3/dist-packages')
sys.argv[0] = 'aws'  # argparse's prog, in usage errors
import awscli.clidriver as clidriver

def call(args):
    if v2:
        return clidriver.AWSCLIEntryPoint().main(args)
    return clidriver.create_clidriver().main(args)

real_out, real_err = sys.stdout, sys.stderr
for line in sys.stdin:
    out = io.TextIOWrapper(io.BytesIO(), encoding='utf-8', newline='')
    err = io.TextIOWrapper(io.BytesIO(), encoding='utf-8', newline='')
    sys.stdout, sys.stderr = out, err
    try:
        rc = call(json.loads(line))
    except SystemExit as e:
        rc = e.code if isinstance(e.code, int) else 1
    finally:
        sys.stdout, sys.stderr = real_out, real_err
    out.flush()
    err.flush()
    real_out.write(json.dumps({'stdout': out.buffer.getvalue().decode(),
        'stderr': err.buffer.getvalue().decode(), 'code': rc}) + '\n')
    real_out.flush()
`

// cliWorld is one AWS CLI running batchScript.
type cliWorld struct {
	url string
	in  io.WriteCloser
	out *bufio.Reader
	err error // the first failure to talk to the process
}

// startCLIWorld starts the client c's batch process in dir with env, for a server at url
// ("" for commands that need none); it ends with the test.
func startCLIWorld(t *testing.T, c client, env []string, dir, url string) *cliWorld {
	t.Helper()
	python := "python3"
	if c.name == "v2" {
		python = "/usr/bin/python3"
	}
	cmd := exec.Command(python, "-c", batchScript, c.name)
	cmd.Env, cmd.Dir = env, dir
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		in.Close()
		if err := cmd.Wait(); err != nil {
			t.Errorf("%s batch: %v\n%s", c.name, err, stderr.String())
		}
	})
	return &cliWorld{url: url, in: in, out: bufio.NewReaderSize(out, 1<<20)}
}

func (w *cliWorld) run(args []string) result {
	if w.err != nil {
		return result{stderr: w.err.Error(), code: -1}
	}
	if w.url != "" {
		args = append([]string{"--endpoint-url", w.url}, args...)
	}
	line, _ := json.Marshal(args)
	var r struct {
		Stdout, Stderr string
		Code           int
	}
	if _, err := fmt.Fprintf(w.in, "%s\n", line); err != nil {
		w.err = err
		return w.run(args)
	}
	reply, err := w.out.ReadBytes('\n')
	if err == nil {
		err = json.Unmarshal(reply, &r)
	}
	if err != nil {
		w.err = fmt.Errorf("the AWS CLI's batch process: %v", err)
		return w.run(args)
	}
	return result{r.Stdout, r.Stderr, r.Code}
}

// step is one command of a session. A step with capture keeps its output, trimmed, for the
// later steps' "{capture}" arguments: each world substitutes its own.
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
			kept[s.capture] = strings.TrimSpace(out[i].stdout)
		}
	}
	return out
}
