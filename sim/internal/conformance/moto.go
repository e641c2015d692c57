package conformance

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/awsxlab/awsx/sim"
)

// motoBackend is a moto_server, one per test binary, started by the first test that opens an
// account on it and reset before each test. Its accounts are one server's state: one at a
// time.
type motoBackend struct {
	start sync.Once
	err   error // why moto_server did not start, or nil
	skip  bool  // err is a reason to skip (no moto_server), not a failure
	cmd   *exec.Cmd
	dir   string // moto's files: the image catalog, its log
	url   string
	base  aws.Config

	busy    sync.Mutex // held by the test that has moto's account, while it runs
	mu      sync.Mutex
	current testing.TB // the test that has moto's account, or nil
}

var theMoto = &motoBackend{}

func (*motoBackend) Name() string { return Moto }

// moto gives a fresh account (a reset server) and nothing else the suite asks for: it checks
// no signature unless told to, evaluates no policy, and makes random IDs on the wall clock.
func (*motoBackend) Has(c Capability) bool { return c == Fresh }

func (b *motoBackend) Shared(t testing.TB) *Account { return b.Open(t) }

func (b *motoBackend) Open(t testing.TB, opts ...sim.Option) *Account {
	t.Helper()
	if len(opts) > 0 {
		t.Skipf("%s lacks %s: the test sets the simulator's options", Moto, Simulator)
	}
	if !motoSelected() {
		t.Skip("moto: not run by default (each test resets moto_server, which adds minutes); " +
			"set AWSX_CONFORMANCE_MOTO=1, or select it with -run '/moto'")
	}
	b.start.Do(b.launch)
	if b.err != nil {
		if b.skip {
			t.Skip(b.err)
		}
		t.Fatal(b.err)
	}
	b.mu.Lock()
	if holder := b.current; holder != nil && strings.HasPrefix(t.Name()+"/", holder.Name()+"/") {
		b.mu.Unlock()
		t.Skipf("%s has one account at a time, and the test has it", Moto)
	}
	b.mu.Unlock()
	b.busy.Lock() // tests that run in parallel take turns
	b.mu.Lock()
	b.current = t
	b.mu.Unlock()
	t.Cleanup(func() {
		b.mu.Lock()
		b.current = nil
		b.mu.Unlock()
		b.busy.Unlock()
	})
	resp, err := http.Post(b.url+"/moto-api/reset", "", nil)
	if err != nil {
		t.Fatalf("moto: reset: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("moto: reset: %s; moto_server's log ends:\n%s", resp.Status, b.logTail())
	}
	return &Account{backend: b, url: b.url, base: b.base, client: b.base.HTTPClient.(*http.Client)}
}

// motoSelected reports whether the suite is to run on moto: AWSX_CONFORMANCE_MOTO=1, or a
// -run pattern that names it.
func motoSelected() bool {
	if os.Getenv("AWSX_CONFORMANCE_MOTO") == "1" {
		return true
	}
	f := flag.Lookup("test.run")
	return f != nil && strings.Contains(f.Value.String(), Moto)
}

// launch starts moto_server on a free port of 127.0.0.1, and waits until it answers.
func (b *motoBackend) launch() {
	path, err := exec.LookPath("moto_server")
	if err != nil {
		b.err, b.skip = errors.New("moto: the moto_server command is not installed (pip install 'moto[server]'): skipped"), true
		return
	}
	if b.dir, err = os.MkdirTemp("", "awsx-moto-"); err != nil {
		b.err = fmt.Errorf("moto: %w", err)
		return
	}
	amis := filepath.Join(b.dir, "amis.json")
	if err := writeMotoImages(amis); err != nil {
		b.err = fmt.Errorf("moto: the image catalog: %w", err)
		return
	}
	port, err := freePort()
	if err != nil {
		b.err = fmt.Errorf("moto: %w", err)
		return
	}
	log, err := os.Create(filepath.Join(b.dir, "moto.log"))
	if err != nil {
		b.err = fmt.Errorf("moto: %w", err)
		return
	}
	b.cmd = exec.Command(path, "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	b.cmd.Env = append(os.Environ(), "MOTO_IAM_LOAD_MANAGED_POLICIES=true", "MOTO_AMIS_PATH="+amis)
	b.cmd.Stdout, b.cmd.Stderr = log, log
	dieWithParent(b.cmd)
	if err := b.cmd.Start(); err != nil {
		b.err = fmt.Errorf("moto: start %s: %w", path, err)
		return
	}
	b.url = "http://localhost:" + strconv.Itoa(port)
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(b.url + "/moto-api/")
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			b.stop()
			b.err = fmt.Errorf("moto: moto_server did not answer on %s in 30s (its log: %s): %v", b.url, log.Name(), err)
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	client := dialling("127.0.0.1:" + strconv.Itoa(port))
	// moto takes any credentials; its root is whoever signs with a key it does not know.
	b.base = aws.Config{
		Region:       sim.DefaultRegion,
		Credentials:  aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider("test", "test", "")),
		HTTPClient:   client,
		BaseEndpoint: aws.String(b.url),
	}
}

// logTail returns the last lines of moto_server's log.
func (b *motoBackend) logTail() string {
	log, _ := os.ReadFile(filepath.Join(b.dir, "moto.log"))
	lines := strings.Split(strings.TrimSpace(string(log)), "\n")
	return strings.Join(lines[max(0, len(lines)-20):], "\n")
}

// stop ends moto_server, if it runs, and removes its files.
func (b *motoBackend) stop() {
	if b.cmd != nil && b.cmd.Process != nil {
		b.cmd.Process.Kill()
		b.cmd.Wait()
		b.cmd = nil
	}
	if b.dir != "" {
		os.RemoveAll(b.dir)
		b.dir = ""
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// writeMotoImages writes the simulator's image catalog of us-east-1 in the form of moto's
// amis.json, for MOTO_AMIS_PATH: moto then has the images the tests launch (the course's
// AMIs, Amazon Linux 2023, …) instead of its own. moto has one catalog for every region.
// Without creation dates: moto 5 parses them in place, and its second reset fails on them.
func writeMotoImages(path string) error {
	out, err := ec2.NewFromConfig(sim.New().Config()).DescribeImages(background, &ec2.DescribeImagesInput{IncludeDeprecated: aws.Bool(true)})
	if err != nil {
		return err
	}
	var amis []map[string]any
	for _, im := range out.Images {
		var platform any // EC2 writes "windows", as moto's catalog does; the SDK's constant is "Windows"
		if im.Platform != "" {
			platform = strings.ToLower(string(im.Platform))
		}
		amis = append(amis, map[string]any{
			"ami_id": aws.ToString(im.ImageId), "name": aws.ToString(im.Name), "description": aws.ToString(im.Description),
			"owner_id": aws.ToString(im.OwnerId), "public": true, "state": "available", "image_type": "machine",
			"architecture": string(im.Architecture), "platform": platform, "virtualization_type": string(im.VirtualizationType),
			"hypervisor": string(im.Hypervisor), "root_device_type": string(im.RootDeviceType),
			"root_device_name": aws.ToString(im.RootDeviceName), "sriov": "simple",
		})
	}
	b, err := json.Marshal(amis)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}
