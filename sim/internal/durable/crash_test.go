package durable

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var crashRounds = flag.Int("crash.rounds", 20, "rounds of TestCrash: start writer processes, kill them, check the directory")

// The crash helper's environment: the directory, the process number, and a seed.
const (
	envHelperDir  = "DURABLE_CRASH_DIR"
	envHelperProc = "DURABLE_CRASH_PROC"
	envHelperSeed = "DURABLE_CRASH_SEED"
)

func TestMain(m *testing.M) {
	if dir := os.Getenv(envHelperDir); dir != "" {
		crashHelper(dir)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

const (
	crashProcs   = 3 // writer processes at once, serialized by the lock
	crashWriters = 4 // goroutines committing in each
)

// crashBody is the blob that commit n of writer (proc, w) stores: the checker regenerates it.
func crashBody(proc, w, n int) []byte {
	rng := rand.New(rand.NewPCG(uint64(proc<<32|w), uint64(n)))
	size := rng.IntN(16 << 10)
	if rng.IntN(20) == 0 {
		size = 256 << 10
	}
	b := make([]byte, size)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

func crashPart(proc, w int) string { return fmt.Sprintf("p%d/w%d", proc, w) }

// parseCrashPart reads "counter ref padding".
func parseCrashPart(v []byte) (n int, ref string, err error) {
	f := strings.Fields(string(v))
	if len(f) < 2 {
		return 0, "", fmt.Errorf("malformed part %.40q", v)
	}
	n, err = strconv.Atoi(f[0])
	return n, f[1], err
}

// crashHelper is a writer process: it opens the directory, runs writer goroutines that commit
// increasing counters (each with a new blob, to two parts at once) and print each
// acknowledged commit, compacts now and then, closes, and starts again, until it is killed.
// It also kills itself, rarely, at the hook points inside a write.
func crashHelper(dir string) {
	proc, _ := strconv.Atoi(os.Getenv(envHelperProc))
	seed, _ := strconv.ParseUint(os.Getenv(envHelperSeed), 10, 64)
	var rmu sync.Mutex
	rng := rand.New(rand.NewPCG(seed, uint64(proc)))
	intn := func(n int) int {
		rmu.Lock()
		defer rmu.Unlock()
		return rng.IntN(n)
	}
	testHook = func(d *Dir, point string) {
		odds := 400
		if point == "snapshot-renamed" || point == "manifest-renamed" || point == "seal-written" {
			odds = 25 // compactions and Close are rarer than commits
		}
		if intn(odds) != 0 {
			return
		}
		if point == "journal-written" && intn(2) == 0 {
			// What a power loss before the fsync could leave: part of the record, then
			// maybe garbage, or zeros where the file system had extended it.
			fi, _ := d.jrnl.Stat()
			cut := d.jend + int64(intn(int(fi.Size()-d.jend)))
			d.jrnl.Truncate(cut)
			switch intn(3) {
			case 0:
				d.jrnl.WriteAt([]byte("garbage"), cut)
			case 1:
				d.jrnl.Truncate(fi.Size())
			}
			point = "journal-torn"
		}
		if point == "seal-written" {
			d.jrnl.Truncate(d.jend + int64(intn(prefixSize+12)))
		}
		fmt.Fprintf(os.Stderr, "hook %s\n", point)
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
	}
	var outMu sync.Mutex
	out := func(format string, args ...any) {
		outMu.Lock()
		defer outMu.Unlock()
		fmt.Fprintf(os.Stdout, format, args...)
	}
	fail := func(err error) {
		fmt.Fprintf(os.Stderr, "helper %d: %v\n", proc, err)
		os.Exit(3)
	}
	counters := make([]int, crashWriters)
	first := true
	for {
		d, err := Open(context.Background(), dir, ReadWrite, func(o *Options) {
			o.CompactMin = 32 << 10
			o.BlobGrace = -1
		})
		if err != nil {
			fail(err)
		}
		if first {
			for w := range counters {
				if v, err := d.Part(crashPart(proc, w)); err == nil {
					if counters[w], _, err = parseCrashPart(v); err != nil {
						fail(err)
					}
				}
			}
			first = false
		}
		var inflightMu sync.Mutex
		inflight := map[string]bool{}
		live := func(ref string) bool {
			inflightMu.Lock()
			ok := inflight[ref]
			inflightMu.Unlock()
			if ok {
				return true
			}
			for _, name := range d.Parts() {
				v, err := d.Part(name)
				if err != nil {
					fail(err)
				}
				if _, r, _ := parseCrashPart(v); r == ref {
					return true
				}
			}
			return false
		}
		var wg sync.WaitGroup
		for w := range crashWriters {
			wg.Go(func() {
				for range 1 + intn(15) {
					n := counters[w] + 1
					body := crashBody(proc, w, n)
					ref := sha(body)
					inflightMu.Lock()
					inflight[ref] = true
					inflightMu.Unlock()
					if _, err := d.PutBlob(body); err != nil {
						fail(err)
					}
					v := fmt.Appendf(nil, "%d %s ", n, ref)
					if intn(10) == 0 {
						v = append(v, make([]byte, 20<<10)...) // grow the journal to compaction
					}
					err := d.Commit(map[string][]byte{crashPart(proc, w): v, crashPart(proc, w) + "/mirror": v})
					if err != nil {
						fail(err)
					}
					counters[w] = n
					inflightMu.Lock()
					delete(inflight, ref)
					inflightMu.Unlock()
					out("ack %d %d %d %s\n", proc, w, n, ref)
					if intn(15) == 0 {
						if err := d.Compact(live); err != nil {
							fail(err)
						}
						out("compact\n")
					}
				}
			})
		}
		wg.Wait()
		if err := d.Close(); err != nil {
			fail(err)
		}
	}
}

// crashAck is a writer's last acknowledged commit.
type crashAck struct {
	n   int
	ref string
}

// TestCrash starts writer processes on one directory, kills them with SIGKILL at random
// times, and checks that the directory loads and holds every acknowledged commit and its blob.
// -crash.rounds sets the number of rounds.
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 0))
	acked := map[string]crashAck{} // part → the last acknowledged commit
	var acks, compactions, rounds int
	hooks := map[string]int{}
	for round := range *crashRounds {
		var cmds []*exec.Cmd
		var readers sync.WaitGroup
		var mu sync.Mutex
		for proc := range crashProcs {
			cmd := exec.Command(exe, "-test.run=^$")
			cmd.Env = append(os.Environ(), envHelperDir+"="+dir, envHelperProc+"="+strconv.Itoa(proc),
				envHelperSeed+"="+strconv.FormatUint(rng.Uint64(), 10))
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			stderr, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			cmds = append(cmds, cmd)
			readers.Go(func() {
				sc := bufio.NewScanner(stdout)
				for sc.Scan() {
					var p, w, n int
					var ref string
					line := sc.Text()
					mu.Lock()
					if line == "compact" {
						compactions++
					} else if _, err := fmt.Sscanf(line, "ack %d %d %d %s", &p, &w, &n, &ref); err == nil {
						part := crashPart(p, w)
						if n <= acked[part].n {
							t.Errorf("round %d: %s acknowledged %d after %d", round, part, n, acked[part].n)
						}
						acked[part] = crashAck{n, ref}
						acks++
					} else {
						t.Errorf("round %d: helper printed %q", round, line)
					}
					mu.Unlock()
				}
			})
			readers.Go(func() {
				sc := bufio.NewScanner(stderr)
				for sc.Scan() {
					mu.Lock()
					if point, ok := strings.CutPrefix(sc.Text(), "hook "); ok {
						hooks[point]++
					} else {
						t.Errorf("round %d: helper %d: %s", round, proc, sc.Text())
					}
					mu.Unlock()
				}
			})
		}
		// Mostly long enough for several open-commit-close cycles; sometimes during the
		// first Open's recovery.
		wait := time.Duration(20+rng.IntN(150)) * time.Millisecond
		if rng.IntN(5) == 0 {
			wait = time.Duration(rng.IntN(15)) * time.Millisecond
		}
		time.Sleep(wait)
		for _, cmd := range cmds {
			cmd.Process.Signal(syscall.SIGKILL)
		}
		readers.Wait()
		for _, cmd := range cmds {
			err := cmd.Wait()
			if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
				t.Fatalf("round %d: helper ended with %v, want killed", round, err)
			}
		}
		if t.Failed() {
			t.FailNow()
		}
		for _, mode := range []Mode{ReadOnly, ReadWrite, ReadOnly} {
			checkCrashDir(t, dir, mode, round, acked)
		}
		rounds++
	}
	gen, _ := readManifest(dir)
	t.Logf("%d rounds, %d processes each: %d commits acknowledged, %d compactions in all (%d explicit, with GC), %d parts checked; self-kills inside writes: %v",
		rounds, crashProcs, acks, gen, compactions, 2*len(acked), hooks)
	if acks == 0 {
		t.Errorf("no commit was acknowledged: the test checked nothing")
	}
}

// checkCrashDir opens dir and checks it: every part reads back; each writer's part holds at
// least its last acknowledged counter (that very commit, if no later one landed), is equal to
// its mirror (committed with it), and names a blob that reads back with the exact bytes
// written; every blob matches its name; a writer leaves no temporary files.
func checkCrashDir(t *testing.T, dir string, mode Mode, round int, acked map[string]crashAck) {
	t.Helper()
	d, err := Open(context.Background(), dir, mode)
	if err != nil {
		t.Fatalf("round %d: %v open after kill: %v", round, mode, err)
	}
	defer d.Close()
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("round %d, %v: "+format, append([]any{round, mode}, args...)...)
	}
	contents(t, d)
	for part, a := range acked {
		v, err := d.Part(part)
		if err != nil {
			fail("acknowledged part %s: %v", part, err)
		}
		mirror, err := d.Part(part + "/mirror")
		if err != nil || string(mirror) != string(v) {
			fail("%s = %.40q but its mirror = %.40q, %v: a commit was applied in part", part, v, mirror, err)
		}
		n, ref, err := parseCrashPart(v)
		if err != nil {
			fail("%s: %v", part, err)
		}
		if n < a.n {
			fail("%s = %d, want ≥ %d: an acknowledged commit was lost", part, n, a.n)
		}
		if n == a.n && ref != a.ref {
			fail("%s commit %d names blob %s, acknowledged with %s", part, n, ref, a.ref)
		}
		var proc, w int
		fmt.Sscanf(part, "p%d/w%d", &proc, &w)
		body, err := d.ReadBlob(ref)
		if err != nil {
			fail("%s commit %d: blob: %v", part, n, err)
		}
		if want := crashBody(proc, w, n); string(body) != string(want) {
			fail("%s commit %d: blob holds %d bytes, want the %d written", part, n, len(body), len(want))
		}
	}
	for ref := range blobRefs(t, dir) {
		if _, err := d.ReadBlob(ref); err != nil {
			fail("blob %s: %v", ref, err)
		}
	}
	if mode == ReadWrite {
		if tmps, _ := os.ReadDir(dir + "/tmp"); len(tmps) != 0 {
			fail("%d temporary files left after a writer's Open", len(tmps))
		}
	}
}
