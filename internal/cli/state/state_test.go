package state

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/gofrs/flock"

	"github.com/awsxlab/awsx/sim"
)

// helperEnv selects a helper mode when the test binary re-executes itself, as os/exec's tests
// do: the child runs one job against a state directory and exits.
const helperEnv = "AWSX_STATE_TEST_HELPER"

func TestMain(m *testing.M) {
	if mode := os.Getenv(helperEnv); mode != "" {
		os.Exit(helper(mode, os.Args[len(os.Args)-3:]))
	}
	os.Exit(m.Run())
}

// helper runs in a child process. args are the state directory, a user name prefix and a count.
func helper(mode string, args []string) int {
	dir, prefix := args[0], args[1]
	n, _ := strconv.Atoi(args[2])
	d, _, err := Open(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	switch mode {
	case "create":
	case "create-until-killed": // n is ignored: it writes until the parent kills it
		n = 1 << 30
	default:
		fmt.Fprintln(os.Stderr, "unknown helper mode", mode)
		return 2
	}
	for i := range n {
		name := fmt.Sprintf("%s-%d", prefix, i)
		if err := createUser(d, name); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Println("acked", name)
	}
	return 0
}

func createUser(d *Dir, name string) error {
	return d.Update(context.Background(), nil, func(c *sim.Cloud) error {
		_, err := iam.NewFromConfig(c.Config()).CreateUser(context.Background(), &iam.CreateUserInput{UserName: aws.String(name)})
		return err
	})
}

func listUsers(t testing.TB, d *Dir) []string {
	t.Helper()
	var names []string
	err := d.View(context.Background(), nil, func(c *sim.Cloud) error {
		p := iam.NewListUsersPaginator(iam.NewFromConfig(c.Config()), &iam.ListUsersInput{})
		for p.HasMorePages() {
			out, err := p.NextPage(context.Background())
			if err != nil {
				return err
			}
			for _, u := range out.Users {
				names = append(names, *u.UserName)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("View: %v", err)
	}
	slices.Sort(names)
	return names
}

func openTemp(t *testing.T) *Dir {
	t.Helper()
	d, created, err := Open(filepath.Join(t.TempDir(), "state"))
	if err != nil || !created {
		t.Fatalf("Open = %v, %v; want a new directory", created, err)
	}
	return d
}

// startHelper re-executes the test binary in a helper mode.
func startHelper(t *testing.T, mode, dir, prefix string, n int) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$", dir, prefix, strconv.Itoa(n))
	cmd.Env = append(os.Environ(), helperEnv+"="+mode)
	cmd.Stdout, cmd.Stderr = new(bytes.Buffer), new(bytes.Buffer)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

func TestOpen(t *testing.T) {
	base := t.TempDir()
	t.Run("creates with 0700", func(t *testing.T) {
		path := filepath.Join(base, "a", "b")
		d, created, err := Open(path)
		if err != nil || !created {
			t.Fatalf("Open = %v, %v; want created", created, err)
		}
		if d.Path != path {
			t.Errorf("Path = %q, want %q", d.Path, path)
		}
		fi, err := os.Stat(path)
		if err != nil || fi.Mode().Perm() != 0o700 || !fi.IsDir() {
			t.Fatalf("stat: %v, %v; want a directory with mode 0700", fi.Mode(), err)
		}
		if _, created, err := Open(path); err != nil || created {
			t.Errorf("second Open = %v, %v; want existing", created, err)
		}
	})
	t.Run("relative path made absolute", func(t *testing.T) {
		t.Chdir(base)
		d, _, err := Open("rel")
		if err != nil || d.Path != filepath.Join(base, "rel") {
			t.Fatalf("Open(rel) = %+v, %v", d, err)
		}
	})
	t.Run("default from env", func(t *testing.T) {
		env := map[string]string{EnvDir: filepath.Join(base, "env"), "HOME": filepath.Join(base, "home")}
		p, err := DefaultPath(func(k string) string { return env[k] })
		if err != nil || p != filepath.Join(base, "env") {
			t.Fatalf("DefaultPath = %q, %v", p, err)
		}
	})
	t.Run("default in home", func(t *testing.T) {
		env := map[string]string{"HOME": filepath.Join(base, "home")}
		p, err := DefaultPath(func(k string) string { return env[k] })
		if err != nil || p != filepath.Join(base, "home", ".awsx") {
			t.Fatalf("DefaultPath = %q, %v", p, err)
		}
		if _, err := DefaultPath(func(string) string { return "" }); err == nil {
			t.Errorf("DefaultPath with no HOME and no %s: no error", EnvDir)
		}
	})
	t.Run("a file is not a directory", func(t *testing.T) {
		path := filepath.Join(base, "file")
		os.WriteFile(path, nil, 0o600)
		if _, _, err := Open(path); err == nil || !strings.Contains(err.Error(), "not a directory") {
			t.Fatalf("Open(file) error = %v, want not a directory", err)
		}
	})
}

func TestUpdatePersists(t *testing.T) {
	d := openTemp(t)
	if got := listUsers(t, d); len(got) != 0 {
		t.Fatalf("new state has users %v", got)
	}
	if err := createUser(d, "alex"); err != nil {
		t.Fatal(err)
	}
	filepath.WalkDir(d.Path, func(path string, e os.DirEntry, err error) error {
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s: %v, %v; want it private to its owner", path, fi, err)
		}
		return nil
	})
	// A second Dir on the same path, as a second process would open it.
	d2, created, err := Open(d.Path)
	if err != nil || created {
		t.Fatal(created, err)
	}
	if got := listUsers(t, d2); !slices.Equal(got, []string{"alex"}) {
		t.Fatalf("users = %v, want [alex]", got)
	}
	// The IDs continue where they stopped: a second user does not reuse the first one's ID.
	if err := createUser(d2, "sam"); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	d.View(context.Background(), nil, func(c *sim.Cloud) error {
		out, err := iam.NewFromConfig(c.Config()).ListUsers(context.Background(), &iam.ListUsersInput{})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range out.Users {
			ids[*u.UserId] = true
		}
		return nil
	})
	if len(ids) != 2 {
		t.Fatalf("user IDs = %v, want two distinct", ids)
	}
}

func TestUpdateSavesOnError(t *testing.T) {
	d := openTemp(t)
	boom := errors.New("boom")
	err := d.Update(context.Background(), nil, func(c *sim.Cloud) error {
		client := iam.NewFromConfig(c.Config())
		if _, err := client.CreateUser(context.Background(), &iam.CreateUserInput{UserName: aws.String("kept")}); err != nil {
			t.Fatal(err)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update error = %v, want f's error", err)
	}
	if got := listUsers(t, d); !slices.Equal(got, []string{"kept"}) {
		t.Fatalf("users = %v, want [kept]", got)
	}
}

func TestViewDiscards(t *testing.T) {
	d := openTemp(t)
	err := d.View(context.Background(), nil, func(c *sim.Cloud) error {
		_, err := iam.NewFromConfig(c.Config()).CreateUser(context.Background(), &iam.CreateUserInput{UserName: aws.String("gone")})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := listUsers(t, d); len(got) != 0 {
		t.Fatalf("users after View = %v, want none", got)
	}
	if files := listing(t, d); len(files) > 1 {
		t.Fatalf("View wrote the state: %v", files)
	}
}

func TestUpdateWithoutChangeDoesNotWrite(t *testing.T) {
	d := openTemp(t)
	if err := createUser(d, "alex"); err != nil {
		t.Fatal(err)
	}
	before := listing(t, d)
	if err := d.Update(context.Background(), nil, func(c *sim.Cloud) error {
		_, err := iam.NewFromConfig(c.Config()).GetUser(context.Background(), &iam.GetUserInput{UserName: aws.String("alex")})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if after := listing(t, d); !slices.Equal(before, after) {
		t.Fatalf("an Update that changed nothing wrote:\n%v\n%v", before, after)
	}
}

func TestCorruptState(t *testing.T) {
	d := openTemp(t)
	// A state.json of an older awsx, damaged.
	os.WriteFile(filepath.Join(d.Path, "state.json"), []byte(`{"version":1,`), 0o600)
	called := false
	err := d.Update(context.Background(), nil, func(*sim.Cloud) error { called = true; return nil })
	if err == nil || called || !strings.Contains(err.Error(), filepath.Join(d.Path, "state.json")) {
		t.Fatalf("Update on a corrupt state: err = %v, f called = %v; want an error naming the file", err, called)
	}
}

func TestLockWaitsAndHonoursContext(t *testing.T) {
	d := openTemp(t)
	other := flock.New(filepath.Join(d.Path, "lock"))
	if err := other.Lock(); err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	for _, tc := range []struct {
		name string
		run  func(context.Context) error
	}{
		{"Update", func(ctx context.Context) error {
			return d.Update(ctx, nil, func(*sim.Cloud) error { return nil })
		}},
		{"View", func(ctx context.Context) error {
			return d.View(ctx, nil, func(*sim.Cloud) error { return nil })
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			if err := tc.run(ctx); !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("%s under another's lock = %v, want the deadline", tc.name, err)
			}
		})
	}
	// Once released, the waiter proceeds.
	done := make(chan error, 1)
	go func() { done <- createUser(d, "after") }()
	time.Sleep(20 * time.Millisecond)
	select {
	case err := <-done:
		t.Fatalf("Update ran while the lock was held: %v", err)
	default:
	}
	other.Unlock()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := listUsers(t, d); !slices.Equal(got, []string{"after"}) {
		t.Fatalf("users = %v", got)
	}
}

// Goroutines and processes create users in one directory at once; none is lost.
func TestConcurrentUpdates(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	d := openTemp(t)
	const goroutines, procs, each = 4, 3, 8
	var want []string
	var cmds []*exec.Cmd
	for p := range procs {
		prefix := fmt.Sprintf("proc%d", p)
		cmds = append(cmds, startHelper(t, "create", d.Path, prefix, each))
		for i := range each {
			want = append(want, fmt.Sprintf("%s-%d", prefix, i))
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, goroutines*each)
	for g := range goroutines {
		for i := range each {
			want = append(want, fmt.Sprintf("goroutine%d-%d", g, i))
		}
		wg.Go(func() {
			for i := range each {
				if err := createUser(d, fmt.Sprintf("goroutine%d-%d", g, i)); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for _, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("helper %v: %v: %s", cmd.Args, err, cmd.Stderr)
		}
	}
	slices.Sort(want)
	if got := listUsers(t, d); !slices.Equal(got, want) {
		t.Fatalf("users after concurrent updates: %d, want %d\ngot  %v\nwant %v", len(got), len(want), got, want)
	}
}

// A process killed with SIGKILL while it writes keeps every change it answered, and the
// next Update proceeds.
func TestKilledWriterKeepsAnsweredChanges(t *testing.T) {
	d := openTemp(t)
	if err := createUser(d, "before"); err != nil {
		t.Fatal(err)
	}
	for round := range 3 {
		cmd := startHelper(t, "create-until-killed", d.Path, fmt.Sprintf("doomed%d", round), 0)
		time.Sleep(time.Duration(100+round*70) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		have := listUsers(t, d)
		for _, line := range strings.Split(cmd.Stdout.(*bytes.Buffer).String(), "\n") {
			if name, ok := strings.CutPrefix(line, "acked "); ok && !slices.Contains(have, name) {
				t.Fatalf("round %d: %s was answered and is gone", round, name)
			}
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := d.Update(ctx, nil, func(c *sim.Cloud) error {
		_, err := iam.NewFromConfig(c.Config()).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("after")})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// listing returns the names, sizes and times of the files under the directory.
func listing(t *testing.T, d *Dir) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(d.Path, func(path string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			fi, _ := e.Info()
			out = append(out, fmt.Sprintf("%s %d %d", path, fi.Size(), fi.ModTime().UnixNano()))
		}
		return nil
	})
	return out
}

// A directory held longer than LockWait — by a server — is refused with a hint, not waited
// on forever.
func TestHeldDirectorySaysWhy(t *testing.T) {
	d := openTemp(t)
	other := flock.New(filepath.Join(d.Path, "lock"))
	if err := other.Lock(); err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	defer func(w time.Duration) { LockWait = w }(LockWait)
	LockWait = 50 * time.Millisecond
	err := d.Update(context.Background(), nil, func(*sim.Cloud) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "awsx sim serve --state-dir") || !strings.Contains(err.Error(), "--endpoint-url") {
		t.Fatalf("Update on a held directory = %v", err)
	}
}
