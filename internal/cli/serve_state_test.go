package cli

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsxlab/awsx/sim"
)

// serverConfig is an SDK config for the server at url, as its root.
func serverConfig(url string) aws.Config {
	return aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider(sim.DefaultAccessKeyID, sim.DefaultSecretAccessKey, ""),
		BaseEndpoint: aws.String(url),
	}
}

// `sim serve --state-dir` keeps what it was told across restarts, and holds the directory
// while it runs.
func TestServeStateDirKeepsState(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	serve := func() (url string, stop func()) {
		sctx, cancel := context.WithCancel(ctx)
		ready, done := make(chan string, 1), make(chan error, 1)
		o := &ServeOptions{IO: &IO{Out: nopWriter{}, Err: nopWriter{}}, Addr: "127.0.0.1:0", Seed: 1, StateDir: dir, Ready: func(a string) { ready <- a }}
		go func() { done <- serveRun(sctx, o) }()
		select {
		case a := <-ready:
			return "http://" + a, func() { cancel(); <-done }
		case err := <-done:
			t.Fatalf("serve: %v", err)
		}
		return "", nil
	}
	url, stop := serve()
	if _, err := iam.NewFromConfig(serverConfig(url)).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("kept")}); err != nil {
		t.Fatal(err)
	}
	wait, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if c, err := sim.Open(wait, dir, true); err == nil {
		c.Close()
		t.Error("a reader opened the directory while the server holds it")
	}
	stop()
	url, stop = serve()
	defer stop()
	if _, err := iam.NewFromConfig(serverConfig(url)).GetUser(ctx, &iam.GetUserInput{UserName: aws.String("kept")}); err != nil {
		t.Errorf("after a restart: %v", err)
	}
}

// freePort returns a loopback address no one listens on.
func freePort(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startServeProcess runs `awsx sim serve --state-dir dir` as its own process (the test
// binary acting as awsx) and waits until it answers.
func startServeProcess(t *testing.T, dir string) (*exec.Cmd, string) {
	t.Helper()
	addr := freePort(t)
	cmd := exec.Command(os.Args[0], "sim", "serve", "--addr", addr, "--state-dir", dir)
	cmd.Env = append(os.Environ(), "AWSX_TEST_MAIN=1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	url := "http://" + addr
	client := sts.NewFromConfig(serverConfig(url))
	for start := time.Now(); time.Since(start) < 20*time.Second; time.Sleep(20 * time.Millisecond) {
		if _, err := client.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{}); err == nil {
			return cmd, url
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	t.Fatal("sim serve did not start")
	return nil, ""
}

// The crash test over loopback: clients (goroutines) create users through `sim serve
// --state-dir`, noting each creation the server answered; the server is killed with SIGKILL
// at a random point, restarted on the same directory, and every answered creation is there.
// AWSX_CRASH_ROUNDS sets the rounds (default 4).
func TestServeStateDirSurvivesKill(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("short")
	}
	rounds := 4
	if v, err := strconv.Atoi(os.Getenv("AWSX_CRASH_ROUNDS")); err == nil {
		rounds = v
	}
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 2))
	var mu sync.Mutex
	acked := map[string]bool{}
	for round := range rounds {
		cmd, url := startServeProcess(t, dir)
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for g := range 4 {
			wg.Go(func() {
				cfg := serverConfig(url)
				cfg.RetryMaxAttempts = 1
				client := iam.NewFromConfig(cfg)
				for i := 0; ctx.Err() == nil; i++ {
					name := fmt.Sprintf("r%d-g%d-%d", round, g, i)
					if _, err := client.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}); err == nil {
						mu.Lock()
						acked[name] = true
						mu.Unlock()
					}
				}
			})
		}
		time.Sleep(time.Duration(100+rng.IntN(400)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		cancel()
		wg.Wait()
	}
	cmd, url := startServeProcess(t, dir)
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	have := map[string]bool{}
	p := iam.NewListUsersPaginator(iam.NewFromConfig(serverConfig(url)), &iam.ListUsersInput{})
	for p.HasMorePages() {
		out, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range out.Users {
			have[*u.UserName] = true
		}
	}
	for name := range acked {
		if !have[name] {
			t.Fatalf("%s was answered and is gone", name)
		}
	}
	if len(acked) == 0 {
		t.Fatal("no creation was answered: the test tested nothing")
	}
	t.Logf("%d rounds, %d answered creations, all present", rounds, len(acked))
}

// BenchmarkServeStateDir compares a read-only request to `sim serve` with and without a
// state directory holding 1,000 users, in one run (report the ratio, not the times).
func BenchmarkServeStateDir(b *testing.B) {
	for _, withDir := range []bool{false, true} {
		b.Run(fmt.Sprintf("state-dir=%v", withDir), func(b *testing.B) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			ready := make(chan string, 1)
			done := make(chan error, 1)
			o := &ServeOptions{IO: &IO{Out: nopWriter{}, Err: nopWriter{}}, Addr: "127.0.0.1:0", Seed: 1, Ready: func(a string) { ready <- a }}
			if withDir {
				o.StateDir = b.TempDir()
			}
			go func() { done <- serveRun(ctx, o) }()
			url := "http://" + <-ready
			admin := iam.NewFromConfig(serverConfig(url))
			for i := range 1000 {
				if _, err := admin.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(fmt.Sprintf("u%04d", i))}); err != nil {
					b.Fatal(err)
				}
			}
			client := iam.NewFromConfig(serverConfig(url))
			for b.Loop() {
				if _, err := client.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("u0500")}); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			cancel()
			<-done
		})
	}
}

type nopWriter struct{}

func (nopWriter) Write(p []byte) (int, error) { return len(p), nil }
