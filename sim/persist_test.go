package sim_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
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
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/sim/internal/durable"
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

// TestCrashWriter is the writer process of TestOpenSurvivesKill and, with
// AWSX_CRASH_MODE=s3, of TestOpenBodiesSurviveKill.
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
		if os.Getenv("AWSX_CRASH_MODE") == "s3" {
			crashWriteObjects(ctx, c, fmt.Sprintf("%s-%d", prefix, n))
			c.Close()
			continue
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

// bodyClient is a path-style S3 client of c.
func bodyClient(c *sim.Cloud) *s3.Client {
	return s3.NewFromConfig(c.Config(), func(o *s3.Options) { o.UsePathStyle = true })
}

// getBody returns the body of bucket/key (of a version, or a range, when given).
func getBody(t *testing.T, client *s3.Client, bucket, key, version, rng string) []byte {
	t.Helper()
	in := &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}
	if version != "" {
		in.VersionId = aws.String(version)
	}
	if rng != "" {
		in.Range = aws.String(rng)
	}
	out, err := client.GetObject(context.Background(), in)
	if err != nil {
		t.Fatalf("GetObject %s/%s %s %s: %v", bucket, key, version, rng, err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pattern returns n bytes that differ with seed.
func pattern(seed string, n int) []byte {
	b := make([]byte, n)
	r := rand.New(rand.NewPCG(uint64(len(seed)), uint64(crc32.ChecksumIEEE([]byte(seed)))))
	for i := 0; i < n; i += 8 {
		v := r.Uint64()
		for j := 0; j < 8 && i+j < n; j++ {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	return b
}

// stateSizes returns the bytes of the journal, snapshot and manifest under dir, and the
// number and bytes of its blobs.
func stateSizes(t *testing.T, dir string) (journal int64, blobs int, blobBytes int64) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		switch {
		case strings.HasPrefix(rel, "blobs"+string(filepath.Separator)):
			blobs++
			blobBytes += fi.Size()
		case rel != "lock":
			journal += fi.Size()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return journal, blobs, blobBytes
}

// Object bodies survive a reopen, whatever made them.
func TestOpenKeepsBodies(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c := openCloud(t, dir, false)
	client := bodyClient(c)
	must(client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("bodies")}))(t)
	must(client.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("bodies"),
		VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}}))(t)
	want := map[string][]byte{ // key → body
		"small": []byte("hello, blobs"),
		"empty": {},
		"big":   pattern("big", 5<<20),
	}
	for key, body := range want {
		must(client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bodies"), Key: aws.String(key), Body: bytes.NewReader(body)}))(t)
	}
	// A multipart upload of three parts.
	up := must(client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("bodies"), Key: aws.String("multi")}))(t)
	var parts []s3types.CompletedPart
	var whole []byte
	for i, size := range []int{5 << 20, 5 << 20, 1000} {
		body := pattern(fmt.Sprint("part", i), size)
		out := must(client.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("bodies"), Key: aws.String("multi"), UploadId: up.UploadId,
			PartNumber: aws.Int32(int32(i + 1)), Body: bytes.NewReader(body)}))(t)
		parts = append(parts, s3types.CompletedPart{ETag: out.ETag, PartNumber: aws.Int32(int32(i + 1))})
		whole = append(whole, body...)
	}
	must(client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("bodies"), Key: aws.String("multi"), UploadId: up.UploadId,
		MultipartUpload: &s3types.CompletedMultipartUpload{Parts: parts}}))(t)
	want["multi"] = whole
	must(client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("bodies"), Key: aws.String("copy"), CopySource: aws.String("bodies/multi")}))(t)
	want["copy"] = whole
	// Three versions of one key.
	var versions []string
	for i := range 3 {
		out := must(client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bodies"), Key: aws.String("versioned"), Body: bytes.NewReader(pattern(fmt.Sprint("v", i), 1000+i))}))(t)
		versions = append(versions, aws.ToString(out.VersionId))
	}
	want["versioned"] = pattern("v2", 1002)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}

	for _, readOnly := range []bool{false, true} {
		t.Run(fmt.Sprintf("readOnly=%v", readOnly), func(t *testing.T) {
			c := openCloud(t, dir, readOnly)
			defer c.Close()
			client := bodyClient(c)
			for key, body := range want {
				if got := getBody(t, client, "bodies", key, "", ""); !bytes.Equal(got, body) {
					t.Errorf("%s: %d bytes back, want %d (equal prefix %v)", key, len(got), len(body), bytes.HasPrefix(body, got[:min(len(got), 16)]))
				}
				head := must(client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("bodies"), Key: aws.String(key)}))(t)
				if aws.ToInt64(head.ContentLength) != int64(len(body)) {
					t.Errorf("%s: HeadObject says %d bytes, want %d", key, aws.ToInt64(head.ContentLength), len(body))
				}
			}
			for i, v := range versions {
				if got, body := getBody(t, client, "bodies", "versioned", v, ""), pattern(fmt.Sprint("v", i), 1000+i); !bytes.Equal(got, body) {
					t.Errorf("version %d: %d bytes back, want %d", i, len(got), len(body))
				}
			}
			if got := getBody(t, client, "bodies", "multi", "", "bytes=5242870-5242889"); !bytes.Equal(got, whole[5242870:5242890]) {
				t.Errorf("range across the parts: %x, want %x", got, whole[5242870:5242890])
			}
			if got := getBody(t, client, "bodies", "big", "", "bytes=-7"); !bytes.Equal(got, want["big"][len(want["big"])-7:]) {
				t.Errorf("suffix range: %x", got)
			}
		})
	}
}

// The state's journal grows with metadata, not with bodies, which are blobs; a body stored
// twice is one blob.
func TestOpenBodiesAreBlobs(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c := openCloud(t, dir, false)
	defer c.Close()
	client := bodyClient(c)
	must(client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("fill")}))(t)
	journal0, blobs0, _ := stateSizes(t, dir)
	for i := range 20 {
		must(client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("fill"), Key: aws.String(fmt.Sprint("obj", i)), Body: bytes.NewReader(pattern(fmt.Sprint("fill", i), 1<<20))}))(t)
	}
	journal, blobs, blobBytes := stateSizes(t, dir)
	if grew := journal - journal0; grew > 256<<10 {
		t.Errorf("20 PutObjects of 1 MiB grew the journal by %d bytes, want metadata only (< 256 KiB)", grew)
	}
	if blobs-blobs0 != 20 || blobBytes != 20<<20 {
		t.Errorf("blobs: %d files, %d bytes; want 20 of 1 MiB", blobs-blobs0, blobBytes)
	}

	// The same bytes under two more keys, and a copy: no new blob.
	for _, key := range []string{"again", "and-again"} {
		must(client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("fill"), Key: aws.String(key), Body: bytes.NewReader(pattern("fill3", 1<<20))}))(t)
	}
	must(client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("fill"), Key: aws.String("copied"), CopySource: aws.String("fill/obj4")}))(t)
	if _, n, _ := stateSizes(t, dir); n != blobs {
		t.Errorf("%d blobs after storing bodies already stored, want %d", n, blobs)
	}
	if got := getBody(t, client, "fill", "and-again", "", ""); !bytes.Equal(got, pattern("fill3", 1<<20)) {
		t.Error("and-again: wrong body")
	}
}

// Closing a cloud that let bodies go removes their blobs, and only theirs.
func TestOpenCollectsBlobs(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	put := func(client *s3.Client, key, seed string) {
		t.Helper()
		must(client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("collect"), Key: aws.String(key), Body: bytes.NewReader(pattern(seed, 4096))}))(t)
	}
	c := openCloud(t, dir, false)
	client := bodyClient(c)
	must(client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("collect")}))(t)
	for i := range 6 {
		put(client, fmt.Sprint("k", i), fmt.Sprint("k", i))
	}
	must(client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("collect"), Key: aws.String("shares-k5"), CopySource: aws.String("collect/k5")}))(t)
	up := must(client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("collect"), Key: aws.String("aborted")}))(t)
	must(client.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("collect"), Key: aws.String("aborted"), UploadId: up.UploadId,
		PartNumber: aws.Int32(1), Body: bytes.NewReader(pattern("part", 4096))}))(t)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, n, _ := stateSizes(t, dir); n != 7 {
		t.Fatalf("%d blobs, want 7 (six objects, one part)", n)
	}

	// Another session lets go of k0 (deleted), k1 (overwritten), k5 (deleted, but its copy
	// keeps the blob) and the upload's part; it stores and deletes k6 itself.
	c = openCloud(t, dir, false)
	client = bodyClient(c)
	must(client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("collect"), Key: aws.String("k0")}))(t)
	put(client, "k1", "k1 again")
	must(client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("collect"), Key: aws.String("k5")}))(t)
	must(client.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String("collect"), Key: aws.String("aborted"), UploadId: up.UploadId}))(t)
	put(client, "k6", "k6")
	must(client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("collect"), Key: aws.String("k6")}))(t)
	if _, n, _ := stateSizes(t, dir); n != 9 {
		t.Errorf("%d blobs before Close, want 9: nothing is removed while the cloud is open", n)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, n, _ := stateSizes(t, dir); n != 5 {
		t.Errorf("%d blobs after Close, want 5 (k1 again, k2, k3, k4, k5 shared by its copy)", n)
	}

	c = openCloud(t, dir, true)
	defer c.Close()
	client = bodyClient(c)
	for key, seed := range map[string]string{"k1": "k1 again", "k2": "k2", "k3": "k3", "k4": "k4", "shares-k5": "k5"} {
		if got := getBody(t, client, "collect", key, "", ""); !bytes.Equal(got, pattern(seed, 4096)) {
			t.Errorf("%s: wrong body after the collection", key)
		}
	}
	_, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("collect"), Key: aws.String("k0")})
	wantCode(t, err, "NoSuchKey")
}

// A cloud that only reads bodies, or that let none go, removes nothing and, read-only,
// writes nothing; a read-only cloud keeps what it is given in memory.
func TestOpenReadOnlyBodies(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c := openCloud(t, dir, false)
	client := bodyClient(c)
	must(client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("readonly")}))(t)
	must(client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("readonly"), Key: aws.String("kept"), Body: bytes.NewReader(pattern("kept", 3000))}))(t)
	c.Close()
	before := dirBytes(t, dir)

	c = openCloud(t, dir, true)
	client = bodyClient(c)
	must(client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("readonly"), Key: aws.String("fleeting"), Body: bytes.NewReader(pattern("fleeting", 3000))}))(t)
	must(client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("readonly"), Key: aws.String("copy"), CopySource: aws.String("readonly/kept")}))(t)
	must(client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("readonly"), Key: aws.String("kept")}))(t)
	if got := getBody(t, client, "readonly", "fleeting", "", ""); !bytes.Equal(got, pattern("fleeting", 3000)) {
		t.Error("fleeting: wrong body in the read-only cloud")
	}
	if got := getBody(t, client, "readonly", "copy", "", ""); !bytes.Equal(got, pattern("kept", 3000)) {
		t.Error("copy: wrong body in the read-only cloud")
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if after := dirBytes(t, dir); after != before {
		t.Errorf("a read-only cloud wrote:\nbefore\n%s\nafter\n%s", before, after)
	}
	c = openCloud(t, dir, false)
	defer c.Close()
	client = bodyClient(c)
	if got := getBody(t, client, "readonly", "kept", "", ""); !bytes.Equal(got, pattern("kept", 3000)) {
		t.Error("kept: wrong body after a read-only cloud deleted it")
	}
	_, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("readonly"), Key: aws.String("fleeting")})
	wantCode(t, err, "NoSuchKey")
}

// A state.json with bodies inside moves into the journal with its bodies as blobs; so does
// an S3 part saved before bodies were blobs, the first time it is read.
func TestOpenMigratesBodies(t *testing.T) {
	ctx := context.Background()
	old := sim.New()
	oldClient := bodyClient(old)
	must(oldClient.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("legacy")}))(t)
	for i := range 4 {
		must(oldClient.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("legacy"), Key: aws.String(fmt.Sprint("k", i)), Body: bytes.NewReader(pattern(fmt.Sprint("legacy", i), 256<<10))}))(t)
	}
	var saved bytes.Buffer
	if err := old.Save(&saved); err != nil {
		t.Fatal(err)
	}
	check := func(t *testing.T, dir string) {
		t.Helper()
		c := openCloud(t, dir, true)
		defer c.Close()
		client := bodyClient(c)
		for i := range 4 {
			if got := getBody(t, client, "legacy", fmt.Sprint("k", i), "", ""); !bytes.Equal(got, pattern(fmt.Sprint("legacy", i), 256<<10)) {
				t.Errorf("k%d: wrong body", i)
			}
		}
	}
	inline := func(t *testing.T, dir string) bool {
		t.Helper()
		d, err := durable.Open(ctx, dir, durable.ReadOnly)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		part, err := d.Part("s3")
		if err != nil {
			t.Fatal(err)
		}
		return len(part) > 256<<10 || bytes.Contains(part, []byte(`"Data"`))
	}

	t.Run("state.json", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "state.json"), saved.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		openCloud(t, dir, false).Close()
		if _, n, bytes := stateSizes(t, dir); n != 4 || bytes != 4*256<<10 {
			t.Errorf("%d blobs of %d bytes, want the 4 bodies", n, bytes)
		}
		if inline(t, dir) {
			t.Error("the S3 part holds the bodies")
		}
		check(t, dir)
	})

	t.Run("part", func(t *testing.T) {
		// A directory whose S3 part has the bodies inline, as the journal kept them before.
		dir := t.TempDir()
		c := openCloud(t, dir, false)
		must(bodyClient(c).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("legacy")}))(t)
		c.Close()
		var st struct{ S3 json.RawMessage }
		if err := json.Unmarshal(saved.Bytes(), &st); err != nil {
			t.Fatal(err)
		}
		d, err := durable.Open(ctx, dir, durable.ReadWrite)
		if err != nil {
			t.Fatal(err)
		}
		if err := d.Commit(map[string][]byte{"s3": st.S3}); err != nil {
			t.Fatal(err)
		}
		d.Close()
		if !inline(t, dir) {
			t.Fatal("the legacy part has no bodies inline")
		}
		check(t, dir) // read-only: reads the bodies inline, moves nothing
		if _, n, _ := stateSizes(t, dir); n != 0 {
			t.Errorf("a read-only cloud wrote %d blobs", n)
		}

		c = openCloud(t, dir, false)
		must(bodyClient(c).ListBuckets(ctx, &s3.ListBucketsInput{}))(t) // reads the part, which is written again with refs
		c.Close()
		if inline(t, dir) {
			t.Error("the S3 part still holds the bodies")
		}
		if _, n, _ := stateSizes(t, dir); n != 4 {
			t.Errorf("%d blobs, want the 4 bodies", n)
		}
		check(t, dir)
	})
}

// crashBucket is the bucket of TestOpenBodiesSurviveKill.
const crashBucket = "crash-bodies"

// crashBody is the body TestOpenBodiesSurviveKill stores under key (and its copy): up to
// 300 KiB, some empty, that differ with the key.
func crashBody(key string) []byte {
	key = strings.TrimSuffix(key, "-copy")
	n := int(crc32.ChecksumIEEE([]byte(key)) % (300 << 10))
	if n%7 == 0 {
		n = 0
	}
	return pattern(key, n)
}

// crashWriteObjects is one life of TestOpenBodiesSurviveKill's writer: goroutines that put
// objects, copy them and delete the one they put two steps before, printing what is
// acknowledged.
func crashWriteObjects(ctx context.Context, c *sim.Cloud, prefix string) {
	client := bodyClient(c)
	client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(crashBucket)}) // made by the first writer
	var mu sync.Mutex
	say := func(what, key string) {
		mu.Lock()
		fmt.Println(what, key)
		mu.Unlock()
	}
	var wg sync.WaitGroup
	for g := range 3 {
		wg.Go(func() {
			for i := range 6 {
				key := fmt.Sprintf("%s-%d-%d", prefix, g, i)
				if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(crashBucket), Key: aws.String(key), Body: bytes.NewReader(crashBody(key))}); err != nil {
					continue
				}
				say("put", key)
				if i%2 == 0 {
					if _, err := client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String(crashBucket), Key: aws.String(key + "-copy"), CopySource: aws.String(crashBucket + "/" + key)}); err == nil {
						say("put", key+"-copy")
					}
				}
				if i >= 2 {
					old := fmt.Sprintf("%s-%d-%d", prefix, g, i-2)
					say("deleting", old)
					if _, err := client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(crashBucket), Key: aws.String(old)}); err == nil {
						say("deleted", old)
					}
				}
			}
		})
	}
	wg.Wait()
}

// The crash test of bodies: writer processes put, copy and delete objects, and are killed
// with SIGKILL at random points, in a PutBlob, a commit or the collection of a Close. After
// each round every object whose PutObject or CopyObject was acknowledged, and whose delete
// was not begun, reads back with its exact bytes; every acknowledged delete holds; and every
// object there is reads back whole. AWSX_CRASH_ROUNDS sets the rounds (default 8).
func TestOpenBodiesSurviveKill(t *testing.T) {
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
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 2))
	put, deleting, deleted := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for round := range rounds {
		var procs []*exec.Cmd
		var outs []*bytes.Buffer
		for p := range 3 {
			cmd := exec.Command(exe, "-test.run=^TestCrashWriter$")
			cmd.Env = append(os.Environ(), "AWSX_CRASH_DIR="+dir, "AWSX_CRASH_MODE=s3", fmt.Sprintf("AWSX_CRASH_PREFIX=r%dp%d", round, p))
			out := &bytes.Buffer{}
			cmd.Stdout = out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			procs, outs = append(procs, cmd), append(outs, out)
		}
		time.Sleep(time.Duration(100+rng.IntN(700)) * time.Millisecond)
		for _, p := range procs {
			p.Process.Signal(syscall.SIGKILL)
		}
		for i, p := range procs {
			p.Wait()
			sc := bufio.NewScanner(bytes.NewReader(outs[i].Bytes()))
			for sc.Scan() {
				what, key, _ := strings.Cut(sc.Text(), " ")
				switch what {
				case "put":
					put[key] = true
				case "deleting":
					deleting[key] = true
				case "deleted":
					deleted[key] = true
				}
			}
		}
		if len(put) == 0 {
			continue // no writer got as far as an object yet
		}
		c := openCloud(t, dir, true)
		client := bodyClient(c)
		there := map[string]bool{}
		pages := s3.NewListObjectsV2Paginator(client, &s3.ListObjectsV2Input{Bucket: aws.String(crashBucket)})
		for pages.HasMorePages() {
			for _, o := range must(pages.NextPage(ctx))(t).Contents {
				key := aws.ToString(o.Key)
				there[key] = true
				if got := getBody(t, client, crashBucket, key, "", ""); !bytes.Equal(got, crashBody(key)) {
					t.Fatalf("round %d: %s reads back %d bytes, want its %d", round, key, len(got), len(crashBody(key)))
				}
			}
		}
		c.Close()
		for key := range put {
			if !there[key] && !deleting[key] {
				t.Fatalf("round %d: %s was acknowledged and is gone", round, key)
			}
		}
		for key := range deleted {
			if there[key] {
				t.Fatalf("round %d: the delete of %s was acknowledged and it is back", round, key)
			}
		}
	}
	_, blobs, _ := stateSizes(t, dir)
	t.Logf("%d rounds, %d acknowledged puts and copies, %d deletes; %d blobs", rounds, len(put), len(deleted), blobs)
}

// Save writes a cloud from Open whole, bodies and all: a cloud from New loads it.
func TestSaveOfOpenedCloudIsWhole(t *testing.T) {
	ctx := context.Background()
	c := openCloud(t, t.TempDir(), false)
	defer c.Close()
	client := s3.NewFromConfig(c.Config(), func(o *s3.Options) { o.UsePathStyle = true })
	must(client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("whole")}))(t)
	must(client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("whole"), Key: aws.String("k"), Body: strings.NewReader("in a blob")}))(t)
	var buf bytes.Buffer
	if err := c.Save(&buf); err != nil {
		t.Fatal(err)
	}
	other := sim.New()
	if err := other.Load(&buf); err != nil {
		t.Fatal(err)
	}
	obj := must(s3.NewFromConfig(other.Config(), func(o *s3.Options) { o.UsePathStyle = true }).GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("whole"), Key: aws.String("k")}))(t)
	var body bytes.Buffer
	body.ReadFrom(obj.Body)
	if body.String() != "in a blob" {
		t.Errorf("body = %q", body.String())
	}
}
