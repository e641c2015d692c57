package cli

import (
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/awsxlab/awsx/internal/awscli"
	"github.com/awsxlab/awsx/internal/cli/params"
)

// A world plays a session of commands against its own simulator server: awsx in-process,
// or an AWS CLI session (package awscli: one Python process for all the commands).
type world interface {
	run(args []string) result
}

// awsxWorld runs awsx in-process, in the session's environment.
type awsxWorld struct {
	t         *testing.T
	env       []string
	home, url string
}

func (w awsxWorld) run(args []string) result {
	return runAwsx(w.t, w.env, w.home, append([]string{"--endpoint-url", w.url}, args...)...)
}

// cliWorld is one AWS CLI session against a server: its commands run in the client's pool,
// each in the session's environment and directory.
type cliWorld struct {
	url  string
	pool *awscli.Pool
	env  []string
	dir  string
	err  error // the first failure to talk to the AWS CLI
}

// newCLIWorld is a session of the client c in dir with env, for a server at url ("" for
// commands that need none).
func newCLIWorld(c client, env []string, dir, url string) *cliWorld {
	return &cliWorld{url: url, pool: poolOf(c), env: env, dir: dir}
}

func (w *cliWorld) run(args []string) result {
	if w.url != "" {
		args = append([]string{"--endpoint-url", w.url}, args...)
	}
	if w.err == nil {
		var r awscli.Result
		if r, w.err = w.pool.Do(awscli.Command{Args: args, Env: w.env, Dir: w.dir}); w.err == nil {
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
	// unlike names an AWS CLI whose answer awsx does not follow, and says why:
	// "v2: …". The step is played there all the same, its answer not compared.
	unlike string
	// pause is how long the world waits before the step (on the wall clock).
	pause time.Duration
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
		time.Sleep(s.pause)
		out[i] = w.run(args)
		if s.capture != "" {
			kept[s.capture] = strings.Trim(strings.TrimSpace(out[i].stdout), `"`)
		}
	}
	return out
}

// compareSession plays the steps through the AWS CLI v1, v2 and awsx, each in a home of its
// own holding files and against a server of its own, all with the same seed and clock, so
// that IDs, keys and dates agree; the results are compared step by step.
func compareSession(t *testing.T, steps []step, files map[string]string) {
	t.Helper()
	playSessions(t, steps, func(t *testing.T, dir string, _ time.Time) {
		for name, text := range files {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}, compareWithCLI)
}

// playSessions plays the steps through the AWS CLI v1, v2 and awsx, each in a home of its own
// that fill makes (now is the servers' clock) and against a server of its own, all with the
// same seed and clock; compare judges each step of each AWS CLI against awsx's. The AWS
// CLIs' commands are replayed from their records where nothing they depend on has changed
// (see [replayWorld]).
func playSessions(t *testing.T, steps []step, fill func(t *testing.T, dir string, now time.Time),
	compare func(t *testing.T, c client, args []string, got, want result)) {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Second)
	playSessionsOn(t, steps, now, func(o *ServeOptions) { o.Clock = now }, true, fill, compare)
}

// playSessionsOn is [playSessions] on servers that set makes (their clock), now the time
// that fill is told; the AWS CLIs' commands are replayed from records when replay is set,
// which a clock that moves on its own does not allow.
func playSessionsOn(t *testing.T, steps []step, now time.Time, set func(*ServeOptions), replay bool, fill func(t *testing.T, dir string, now time.Time),
	compare func(t *testing.T, c client, args []string, got, want result)) {
	t.Helper()
	cs := clients(t)
	serve := func(wrap func(http.Handler) http.Handler) string {
		return startServerWith(t, func(o *ServeOptions) {
			set(o)
			o.wrap = wrap
		})
	}
	home := func() string {
		dir := t.TempDir()
		fill(t, dir, now)
		return dir
	}
	const key, secret = "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	results := make([][]result, len(cs))
	var wg sync.WaitGroup
	for i, c := range cs {
		fresh := func() (*cliWorld, *awscli.Tap) {
			dir, tap := home(), &awscli.Tap{}
			return newCLIWorld(c, cliEnv(t, dir, key, secret), dir, serve(tap.Wrap)), tap
		}
		cache, ok := replayCache(t)
		if !replay || !ok {
			w, _ := fresh()
			wg.Go(func() { results[i] = play(w, steps) })
			continue
		}
		w := newReplayWorld(t, c, cache, now, fresh)
		wg.Go(func() {
			results[i] = play(w, steps)
			w.finish()
		})
	}
	dir := home()
	mine := play(awsxWorld{t, cliEnv(t, dir, key, secret), dir, serve(nil)}, steps)
	wg.Wait()
	for i, c := range cs {
		for j, s := range steps {
			if !strings.HasPrefix(s.unlike, c.Name+":") {
				compare(t, c, s.args, mine[j], results[i][j])
			}
		}
	}
}

// paritySessions are the sessions compareSession plays, each with the services whose every
// operation that the simulator answers it must use.
var paritySessions = []struct {
	name     string
	steps    []step
	services []string
}{
	{"iamSTSSession", iamSTSSession, []string{"iam", "sts"}},
	{"iamFederationSession", iamFederationSession, []string{"iam", "sts"}},
	{"ec2Session", ec2Session, []string{"ec2"}},
	{"ec2NetSession", ec2NetSession, []string{"ec2"}},
	{"s3Session", s3Session, []string{"s3api"}},
	{"ssmSession", ssmSession, []string{"ssm"}},
	{"rdsSession", rdsSession, []string{"rds"}},
	{"efsSession", efsSession, []string{"efs"}},
	{"cloudWatchSession", cloudWatchSession, []string{"cloudwatch"}},
	{"snsSession", snsSession, []string{"sns"}},
	{"elbv2Session", elbv2Session, []string{"elbv2"}},
	{"autoScalingSession", autoScalingSession, []string{"autoscaling"}},
	{"cloudFormationSession", cloudFormationSession, []string{"cloudformation"}},
	{"cloudFormationDeploySession", cloudFormationDeploySession, []string{"cloudformation"}},
}

// A new operation in the simulator cannot land without its parity step, nor a new service of
// awsmodel's list without its session.
func TestParityCoversEveryAnsweredOperation(t *testing.T) {
	t.Parallel()
	inSession := map[string]bool{}
	for _, ps := range paritySessions {
		for _, name := range ps.services {
			inSession[name] = true
		}
	}
	for _, s := range awsServices {
		if !inSession[s.cliName()] {
			t.Errorf("%s has no parity session", s.cliName())
		}
	}
	for _, ps := range paritySessions {
		t.Run(ps.name, func(t *testing.T) {
			// A service's operations may be spread over the sessions that name it.
			covered := map[string]bool{}
			for _, other := range paritySessions {
				if !slices.ContainsFunc(other.services, func(n string) bool { return slices.Contains(ps.services, n) }) {
					continue
				}
				for _, s := range other.steps {
					if len(s.args) >= 2 {
						covered[s.args[0]+" "+s.args[1]] = true
					}
				}
			}
			for _, name := range ps.services {
				ops := answeredOperations(t, lookupService(name))
				if len(ops) < 5 {
					t.Fatalf("%s: only %d operations answer: the probe is broken", name, len(ops))
				}
				for _, op := range ops {
					if _, ok := params.Describe(lookupService(name).name, lookupService(name).operation(op).name); !ok {
						continue // newer than the AWS CLI here: no session can call it
					}
					if !covered[name+" "+op] {
						t.Errorf("%s %s is answered by the simulator but has no step in %s", name, op, ps.name)
					}
				}
			}
			if !slices.ContainsFunc(ps.steps, func(s step) bool { return strings.Contains(strings.Join(s.args, " "), "yaml") }) {
				t.Errorf("%s prints no yaml", ps.name)
			}
		})
	}
}
