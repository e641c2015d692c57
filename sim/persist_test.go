package sim_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsxlab/awsx/sim"
)

func openCloud(t testing.TB, dir string, readOnly bool) *sim.Cloud {
	t.Helper()
	c, err := sim.Open(context.Background(), dir, readOnly)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// What a cloud from Open is told survives it: every service's state, the clock, the IDs.
func TestOpenKeepsState(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c := openCloud(t, dir, false)
	cfg := c.Config()
	must(iam.NewFromConfig(cfg).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alex")}))(t)
	vpc := must(ec2.NewFromConfig(cfg).CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.1.0.0/16")}))(t).Vpc
	must(s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("kept")}))(t)
	must(s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }).PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("kept"), Key: aws.String("k"), Body: strings.NewReader("body")}))(t)
	must(ssm.NewFromConfig(cfg).PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/p"), Value: aws.String("v"), Type: ssmtypes.ParameterTypeString}))(t)
	c.Advance(time.Hour)
	clock := c.Now()
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}

	c = openCloud(t, dir, false)
	defer c.Close()
	cfg = c.Config()
	must(iam.NewFromConfig(cfg).GetUser(ctx, &iam.GetUserInput{UserName: aws.String("alex")}))(t)
	vpcs := must(ec2.NewFromConfig(cfg).DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{*vpc.VpcId}}))(t)
	if len(vpcs.Vpcs) != 1 {
		t.Errorf("the VPC is gone: %+v", vpcs)
	}
	obj := must(s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }).GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("kept"), Key: aws.String("k")}))(t)
	var body bytes.Buffer
	body.ReadFrom(obj.Body)
	if body.String() != "body" {
		t.Errorf("object = %q", body.String())
	}
	if v := must(ssm.NewFromConfig(cfg).GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/p")}))(t).Parameter.Value; aws.ToString(v) != "v" {
		t.Errorf("parameter = %q", aws.ToString(v))
	}
	if d := c.Now().Sub(clock); d < 0 || d > time.Minute {
		t.Errorf("the clock moved by %v across the reopen", d)
	}
	// A new VPC gets an ID not handed out before.
	other := must(ec2.NewFromConfig(cfg).CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.2.0.0/16")}))(t).Vpc
	if *other.VpcId == *vpc.VpcId {
		t.Errorf("an ID was handed out twice: %s", *other.VpcId)
	}
}

// dirBytes returns the names and sizes of the files under dir.
func dirBytes(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			fi, _ := d.Info()
			fmt.Fprintf(&b, "%s %d %d\n", strings.TrimPrefix(path, dir), fi.Size(), fi.ModTime().UnixNano())
		}
		return nil
	})
	return b.String()
}

// Reads write nothing; a write writes.
func TestOpenReadsWriteNothing(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c := openCloud(t, dir, false)
	defer c.Close()
	cfg := c.Config()
	alex := newUser(t, c, "alex")
	must(ec2.NewFromConfig(cfg).DescribeVpcs(ctx, &ec2.DescribeVpcsInput{}))(t) // makes the region's default network: a change
	before := dirBytes(t, dir)
	for range 3 {
		must(sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))(t)
		must(sts.NewFromConfig(alex).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))(t)
		must(iam.NewFromConfig(cfg).ListUsers(ctx, &iam.ListUsersInput{}))(t)
		must(ec2.NewFromConfig(cfg).DescribeVpcs(ctx, &ec2.DescribeVpcsInput{}))(t)
		must(s3.NewFromConfig(cfg).ListBuckets(ctx, &s3.ListBucketsInput{}))(t)
		_, err := iam.NewFromConfig(cfg).GetUser(ctx, &iam.GetUserInput{UserName: aws.String("nobody")})
		wantCode(t, err, "NoSuchEntity")
	}
	if after := dirBytes(t, dir); after != before {
		t.Errorf("reads wrote:\nbefore\n%s\nafter\n%s", before, after)
	}
	must(iam.NewFromConfig(cfg).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("sam")}))(t)
	if after := dirBytes(t, dir); after == before {
		t.Error("a write wrote nothing")
	}
}

// A read-only cloud shares the directory and keeps nothing it is told.
func TestOpenReadOnly(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c := openCloud(t, dir, false)
	must(iam.NewFromConfig(c.Config()).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alex")}))(t)
	c.Close()

	r1, r2 := openCloud(t, dir, true), openCloud(t, dir, true) // two readers at once
	must(iam.NewFromConfig(r1.Config()).GetUser(ctx, &iam.GetUserInput{UserName: aws.String("alex")}))(t)
	must(iam.NewFromConfig(r2.Config()).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("sam")}))(t)
	r1.Close()
	r2.Close()
	c = openCloud(t, dir, true)
	defer c.Close()
	_, err := iam.NewFromConfig(c.Config()).GetUser(ctx, &iam.GetUserInput{UserName: aws.String("sam")})
	wantCode(t, err, "NoSuchEntity")
}

// A state.json written before the journal is read once and moved into it.
func TestOpenMigratesStateJSON(t *testing.T) {
	ctx := context.Background()
	old := sim.New()
	must(iam.NewFromConfig(old.Config()).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("from-before")}))(t)
	var buf bytes.Buffer
	if err := old.Save(&buf); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "state.json"), buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	c := openCloud(t, dir, false)
	must(iam.NewFromConfig(c.Config()).GetUser(ctx, &iam.GetUserInput{UserName: aws.String("from-before")}))(t)
	c.Close()
	if _, err := os.Stat(filepath.Join(dir, "state.json")); !os.IsNotExist(err) {
		t.Errorf("state.json is still there: %v", err)
	}
	c = openCloud(t, dir, true)
	defer c.Close()
	must(iam.NewFromConfig(c.Config()).GetUser(ctx, &iam.GetUserInput{UserName: aws.String("from-before")}))(t)
}

// Goroutines writing at once through one cloud: every acknowledged write is kept.
func TestOpenConcurrentWriters(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c := openCloud(t, dir, false)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			client := iam.NewFromConfig(c.Config())
			for i := range 10 {
				if _, err := client.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(fmt.Sprintf("u%d-%d", g, i))}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	c.Close()
	c = openCloud(t, dir, true)
	defer c.Close()
	out := must(iam.NewFromConfig(c.Config()).ListUsers(ctx, &iam.ListUsersInput{MaxItems: aws.Int32(1000)}))(t)
	if len(out.Users) != 80 {
		t.Errorf("%d users after reopening, want 80", len(out.Users))
	}
}

// The crash test: writer processes (each with several goroutines) take turns on one
// directory, creating users and printing each one whose creation was answered; they are
// killed with SIGKILL at random points. After each round the directory opens, and every user
// whose creation was acknowledged is there. AWSX_CRASH_ROUNDS sets the rounds (default 8).
func TestOpenSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	rounds := 8
	if v, err := strconv.Atoi(os.Getenv("AWSX_CRASH_ROUNDS")); err == nil {
		rounds = v
	}
	dir := t.TempDir()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	acked := map[string]bool{}
	for round := range rounds {
		var procs []*exec.Cmd
		var outs []*bytes.Buffer
		for p := range 3 {
			cmd := exec.Command(exe, "-test.run=^TestCrashWriter$")
			cmd.Env = append(os.Environ(), "AWSX_CRASH_DIR="+dir, fmt.Sprintf("AWSX_CRASH_PREFIX=r%dp%d", round, p))
			out := &bytes.Buffer{}
			cmd.Stdout = out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			procs, outs = append(procs, cmd), append(outs, out)
		}
		time.Sleep(time.Duration(50+rng.IntN(400)) * time.Millisecond)
		for _, p := range procs {
			p.Process.Signal(syscall.SIGKILL)
		}
		for i, p := range procs {
			p.Wait()
			sc := bufio.NewScanner(bytes.NewReader(outs[i].Bytes()))
			for sc.Scan() {
				if name, ok := strings.CutPrefix(sc.Text(), "acked "); ok {
					acked[name] = true
				}
			}
		}
		c := openCloud(t, dir, true)
		have := map[string]bool{}
		p := iam.NewListUsersPaginator(iam.NewFromConfig(c.Config()), &iam.ListUsersInput{})
		for p.HasMorePages() {
			for _, u := range must(p.NextPage(context.Background()))(t).Users {
				have[*u.UserName] = true
			}
		}
		c.Close()
		for name := range acked {
			if !have[name] {
				t.Fatalf("round %d: user %s was acknowledged and is gone", round, name)
			}
		}
	}
	t.Logf("%d rounds, %d acknowledged users, all present", rounds, len(acked))
}

// TestCrashWriter is TestOpenSurvivesKill's writer process.
func TestCrashWriter(t *testing.T) {
	dir := os.Getenv("AWSX_CRASH_DIR")
	if dir == "" {
		t.Skip("run by TestOpenSurvivesKill")
	}
	prefix := os.Getenv("AWSX_CRASH_PREFIX")
	ctx := context.Background()
	for n := 0; ; n++ {
		c, err := sim.Open(ctx, dir, false)
		if err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		var wg sync.WaitGroup
		for g := range 3 {
			wg.Go(func() {
				client := iam.NewFromConfig(c.Config())
				for i := range 5 {
					name := fmt.Sprintf("%s-%d-%d-%d", prefix, n, g, i)
					if _, err := client.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}); err == nil {
						mu.Lock()
						fmt.Println("acked", name)
						mu.Unlock()
					}
				}
			})
		}
		wg.Wait()
		c.Close()
	}
}
