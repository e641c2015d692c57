package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/awsxlab/awsx/internal/awscli"
)

// replayCache is where the AWS CLIs' records are kept: AWSX_AWSCLI_REPLAY names the
// directory, or is "off" to run every command; by default the user's cache directory.
func replayCache(t *testing.T) (awscli.Cache, bool) {
	dir := os.Getenv("AWSX_AWSCLI_REPLAY")
	switch dir {
	case "off":
		return awscli.Cache{}, false
	case "":
		base, err := os.UserCacheDir()
		if err != nil {
			return awscli.Cache{}, false
		}
		dir = filepath.Join(base, "awsx", "awscli-replay")
	}
	return awscli.Cache{Dir: dir}, true
}

// replayWorld is an AWS CLI session whose commands are replayed from the record of an earlier
// run where that holds (package awscli, "Replaying the AWS CLI") and run otherwise:
//
//   - A command whose inputs (words, environment, stdin, the home's files) are the record's,
//     and whose recorded requests the server answers as recorded, prints what it printed.
//   - A command whose inputs differ, or that the record says is always run (it sent no
//     request, changed its files, or sent one that cannot be signed anew), is run.
//   - When the server answers a replayed request otherwise, that request has changed the
//     server's state as the command would have, but what the command would do next is
//     unknown: the session starts again on a new server and home, and runs the commands
//     so far (their answers must be those already given) and every one after.
//
// The new run is the record from then on.
type replayWorld struct {
	t     *testing.T
	c     client
	cache awscli.Cache
	name  string // the record's
	id    string // the client's identity
	now   time.Time
	fresh func() (*cliWorld, *awscli.Tap)

	live    *cliWorld
	tap     *awscli.Tap
	norm    awscli.Normalizer
	secrets map[string]string
	home    *awscli.Home

	old      *awscli.Record // the record replayed; nil after maxRebuilds failed replays
	rec      awscli.Record  // this run's
	args     [][]string     // the steps so far, as run
	results  []result       // and their answers
	changed  bool           // whether rec differs from old
	failed   bool           // the AWS CLI could not be run
	replays  int
	rebuilds int
}

// maxRebuilds bounds the replays of a session whose answers keep differing from its record
// (each rebuild replays every step so far).
const maxRebuilds = 10

func newReplayWorld(t *testing.T, c client, cache awscli.Cache, now time.Time, fresh func() (*cliWorld, *awscli.Tap)) *replayWorld {
	w := &replayWorld{t: t, c: c, cache: cache, now: now, fresh: fresh}
	id, err := c.Identity()
	if err != nil {
		t.Log(err)
		w.failed = true
	}
	sum := sha256.Sum256([]byte(id + "\x00" + t.Name()))
	w.id, w.name = id, c.Name+"-"+hex.EncodeToString(sum[:12])
	if old, ok := cache.Load(w.name); ok && old.Client == id {
		w.old = old
	}
	w.start()
	return w
}

// start begins the session on a new server and home.
func (w *replayWorld) start() {
	w.live, w.tap = w.fresh()
	w.norm = awscli.Normalizer{Now: w.now, Names: map[string]string{
		strings.TrimPrefix(w.live.url, "http://"): "⟦endpoint⟧",
		w.live.dir: "⟦home⟧",
	}}
	w.secrets = map[string]string{}
	awscli.Secrets(w.secrets, strings.Join(w.live.env, "\n"))
	w.home = &awscli.Home{Dir: w.live.dir, Norm: w.norm, Secrets: w.secrets}
	w.rec = awscli.Record{Client: w.id}
}

func (w *replayWorld) run(args []string) result {
	step := w.inputs(args)
	i := len(w.rec.Steps)
	if w.old != nil && i < len(w.old.Steps) && sameInputs(w.old.Steps[i], step) && !w.old.Steps[i].Live {
		old := w.old.Steps[i]
		err := awscli.Replay(w.t.Context(), w.live.url, w.tap, w.norm, old.Exchanges)
		if err == nil {
			w.learn(old.Exchanges)
			w.replays++
			return w.keep(args, old, w.denorm(old.Result))
		}
		w.t.Logf("the AWS CLI %s: %q is run, its answers differ from the record's: %v", w.c.Name, strings.Join(args, " "), err)
		if w.rebuilds++; w.rebuilds > maxRebuilds {
			w.t.Logf("the AWS CLI %s: %d commands differ from the record: the rest of the session is run", w.c.Name, w.rebuilds)
			w.old = nil
		}
		w.rebuild()
		step = w.inputs(args)
	}
	if w.old == nil || i >= len(w.old.Steps) || !sameInputs(w.old.Steps[i], step) {
		w.changed = true
	}
	return w.runLive(args, step)
}

// learn keeps the access keys of replayed answers, for the commands run after them.
func (w *replayWorld) learn(ex []awscli.Exchange) {
	for _, e := range ex {
		awscli.Secrets(w.secrets, w.norm.Denorm(e.RespBody))
	}
}

// inputs is what the step's command depends on besides the server's answers.
func (w *replayWorld) inputs(args []string) awscli.Step {
	s := awscli.Step{Env: make([]string, len(w.live.env)), Tree: w.home.Hash()}
	s.Args = append(s.Args, w.norm.Norm(w.live.url))
	for _, a := range args {
		s.Args = append(s.Args, w.norm.Norm(a))
	}
	for i, e := range w.live.env {
		s.Env[i] = w.norm.Norm(e)
	}
	return s
}

func sameInputs(a, b awscli.Step) bool {
	return slices.Equal(a.Args, b.Args) && slices.Equal(a.Env, b.Env) && a.Stdin == b.Stdin && a.Tree == b.Tree
}

// runLive runs the step's command and records it.
func (w *replayWorld) runLive(args []string, step awscli.Step) result {
	r := w.live.run(args)
	if w.live.err != nil {
		w.failed = true
	}
	ex, replayable := w.tap.Record(w.norm, w.secrets)
	after := w.home.Hash()
	step.Exchanges = ex
	step.Live = !replayable || len(ex) == 0 || after != step.Tree || holdsRequestID(r, ex)
	step.Result = awscli.Result{Stdout: w.norm.Norm(r.stdout), Stderr: w.norm.Norm(r.stderr), Code: r.code}
	return w.keep(args, step, r)
}

// holdsRequestID is whether the command printed a request ID of its exchanges, which
// replays do not compare.
func holdsRequestID(r result, ex []awscli.Exchange) bool {
	for _, e := range ex {
		for _, id := range e.RequestIDs() {
			if id != "" && (strings.Contains(r.stdout, id) || strings.Contains(r.stderr, id)) {
				return true
			}
		}
	}
	return false
}

func (w *replayWorld) keep(args []string, s awscli.Step, r result) result {
	w.rec.Steps = append(w.rec.Steps, s)
	w.args = append(w.args, args)
	w.results = append(w.results, r)
	return r
}

func (w *replayWorld) denorm(r awscli.Result) result {
	return result{w.norm.Denorm(r.Stdout), w.norm.Denorm(r.Stderr), r.Code}
}

// rebuild brings a new server and home to where the session is: a replayed request was
// answered otherwise than recorded, and has changed the server as the command would have,
// which cannot now be run on it. The steps so far are replayed from this run's record; those
// that are always run, or whose answers now differ (a key pair's new random key), are run
// again and recorded anew.
func (w *replayWorld) rebuild() {
	w.changed = true
	steps, args, results := w.rec.Steps, w.args, w.results
	w.start()
	for i, s := range steps {
		if !s.Live {
			if err := awscli.Replay(w.t.Context(), w.live.url, w.tap, w.norm, s.Exchanges); err == nil {
				w.learn(s.Exchanges)
				continue
			}
		}
		w.runLive(args[i], w.inputs(args[i]))
		steps[i] = w.rec.Steps[len(w.rec.Steps)-1]
	}
	w.rec.Steps, w.args, w.results = steps, args, results
}

// finish keeps this run as the record, when it has anything new.
func (w *replayWorld) finish() {
	w.t.Logf("the AWS CLI %s: %d of %d commands replayed from the record", w.c.Name, w.replays, len(w.rec.Steps))
	if w.failed || !w.changed {
		return
	}
	if err := w.cache.Save(w.name, &w.rec); err != nil {
		w.t.Logf("the AWS CLI %s: record not kept: %v", w.c.Name, err)
	}
}
