package awsx_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsxlab/awsx"
	"github.com/awsxlab/awsx/sim"
)

// home gives the test a HOME of its own with the given ~/.aws files, and clears the AWS
// variables of the machine.
func home(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("HOME", dir)
	for _, v := range []string{"AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
		"AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWSX_BACKEND", "AWSX_CONFIG"} {
		t.Setenv(v, "")
		os.Unsetenv(v)
	}
	return dir
}

func callerARN(t *testing.T, cfgErr error, client *sts.Client) string {
	t.Helper()
	if cfgErr != nil {
		t.Fatal(cfgErr)
	}
	out, err := client.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	return *out.Arn
}

func TestLoadBackends(t *testing.T) {
	ctx := context.Background()
	cloud := sim.New()
	srv := httptest.NewServer(cloud)
	defer srv.Close()

	t.Run("embedded simulator, root without credentials", func(t *testing.T) {
		home(t, nil)
		cfg, err := awsx.Load(ctx, func(o *awsx.Options) { o.Backend, o.Simulator = awsx.BackendSim, cloud })
		if got := callerARN(t, err, sts.NewFromConfig(cfg)); got != "arn:aws:iam::123456789012:root" {
			t.Errorf("caller = %s", got)
		}
		if cfg.Region != "us-east-1" {
			t.Errorf("region = %q, want us-east-1", cfg.Region)
		}
	})

	t.Run("profile region and AWS_CA_BUNDLE", func(t *testing.T) {
		dir := home(t, map[string]string{
			".aws/config": "[profile lab]\nregion = eu-west-1\n",
			"ca.pem":      testCA,
		})
		t.Setenv("AWS_CA_BUNDLE", filepath.Join(dir, "ca.pem"))
		cfg, err := awsx.Load(ctx, func(o *awsx.Options) { o.Backend, o.Simulator, o.Profile = awsx.BackendSim, cloud, "lab" })
		callerARN(t, err, sts.NewFromConfig(cfg))
		if cfg.Region != "eu-west-1" {
			t.Errorf("region = %q, want the profile's eu-west-1", cfg.Region)
		}
	})

	t.Run("simulator URL from AWSX_BACKEND", func(t *testing.T) {
		home(t, nil)
		t.Setenv("AWSX_BACKEND", srv.URL)
		cfg, err := awsx.Load(ctx)
		if got := callerARN(t, err, sts.NewFromConfig(cfg)); got != "arn:aws:iam::123456789012:root" {
			t.Errorf("caller = %s", got)
		}
		if cfg.BaseEndpoint == nil || *cfg.BaseEndpoint != srv.URL {
			t.Errorf("BaseEndpoint = %v, want %s", cfg.BaseEndpoint, srv.URL)
		}
	})

	t.Run("simulator URL from the config file", func(t *testing.T) {
		home(t, map[string]string{".awsx/config.yaml": "backend: " + srv.URL + "\n"})
		cfg, err := awsx.Load(ctx)
		callerARN(t, err, sts.NewFromConfig(cfg))
		if cfg.BaseEndpoint == nil || *cfg.BaseEndpoint != srv.URL {
			t.Errorf("BaseEndpoint = %v, want %s", cfg.BaseEndpoint, srv.URL)
		}
	})

	t.Run("real AWS by default: no simulator answers", func(t *testing.T) {
		home(t, map[string]string{".aws/config": "[default]\nregion = us-west-2\n"})
		cfg, err := awsx.Load(ctx, func(o *awsx.Options) { o.Simulator = cloud })
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Region != "us-west-2" || cfg.BaseEndpoint != nil {
			t.Errorf("region %q endpoint %v", cfg.Region, cfg.BaseEndpoint)
		}
		if _, err := cfg.Credentials.Retrieve(ctx); err == nil {
			t.Error("credentials without any configured: the simulator's root in disguise")
		}
		if _, ok := cfg.HTTPClient.(*http.Client); ok { // the SDK's own is an *awshttp.BuildableClient
			t.Errorf("HTTP client %T: the simulator's, on the AWS backend", cfg.HTTPClient)
		}
	})

	t.Run("real AWS is the SDK's own config", func(t *testing.T) {
		home(t, map[string]string{".aws/config": "[default]\nregion = us-west-2\n"})
		cfg, err := awsx.Load(ctx, func(o *awsx.Options) { o.Backend = awsx.BackendAWS })
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Region != "us-west-2" || cfg.BaseEndpoint != nil {
			t.Errorf("region %q endpoint %v", cfg.Region, cfg.BaseEndpoint)
		}
	})

	t.Run("a role_arn profile assumes the role in the simulator", func(t *testing.T) {
		admin := cloud.Config()
		iamc := iam.NewFromConfig(admin)
		must := func(_ any, err error) {
			if err != nil {
				t.Fatal(err)
			}
		}
		must(iamc.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("rita")}))
		key, err := iamc.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("rita")})
		if err != nil {
			t.Fatal(err)
		}
		must(iamc.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("reader"),
			AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow",` +
				`"Principal":{"AWS":"arn:aws:iam::123456789012:user/rita"},"Action":"sts:AssumeRole"}]}`)}))
		home(t, map[string]string{
			".aws/credentials": "[rita]\naws_access_key_id = " + *key.AccessKey.AccessKeyId +
				"\naws_secret_access_key = " + *key.AccessKey.SecretAccessKey + "\n",
			".aws/config": "[profile reader]\nrole_arn = arn:aws:iam::123456789012:role/reader\nsource_profile = rita\n" +
				"role_session_name = lab\n[profile nobody]\nrole_arn = arn:aws:iam::123456789012:role/missing\nsource_profile = rita\n",
		})
		cfg, err := awsx.Load(ctx, func(o *awsx.Options) { o.Backend, o.Simulator, o.Profile = awsx.BackendSim, cloud, "reader" })
		if got := callerARN(t, err, sts.NewFromConfig(cfg)); got != "arn:aws:sts::123456789012:assumed-role/reader/lab" {
			t.Errorf("caller = %s", got)
		}

		// A role that cannot be assumed is an error, never the root in disguise.
		cfg, err = awsx.Load(ctx, func(o *awsx.Options) { o.Backend, o.Simulator, o.Profile = awsx.BackendSim, cloud, "nobody" })
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err == nil {
			t.Error("GetCallerIdentity succeeded with a role that does not exist")
		}
	})

	t.Run("sim without a simulator", func(t *testing.T) {
		home(t, nil)
		t.Setenv("AWSX_BACKEND", "sim")
		_, err := awsx.Load(ctx)
		if err == nil || !strings.Contains(err.Error(), "simbackend") {
			t.Fatalf("Load with no simulator: %v", err)
		}
	})

	t.Run("bad backend", func(t *testing.T) {
		home(t, nil)
		_, err := awsx.Load(ctx, func(o *awsx.Options) { o.Backend = "moon" })
		if err == nil {
			t.Fatal("Load accepted backend \"moon\"")
		}
	})
}

// testCA is a self-signed CA certificate, only for the loader to read.
const testCA = `-----BEGIN CERTIFICATE-----
MIIBhTCCASugAwIBAgIQIRi6zePL6mKjOipn+dNuaTAKBggqhkjOPQQDAjASMRAw
DgYDVQQKEwdBY21lIENvMB4XDTE3MTAyMDE5NDMwNloXDTE4MTAyMDE5NDMwNlow
EjEQMA4GA1UEChMHQWNtZSBDbzBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABD0d
7VNhbWvZLWPuj/RtHFjvtJBEwOkhbN/BnnE8rnZR8+sbwnc/KhCk3FhnpHZnQz7B
5aETbbIgmuvewdjvSBSjYzBhMA4GA1UdDwEB/wQEAwICpDATBgNVHSUEDDAKBggr
BgEFBQcDATAPBgNVHRMBAf8EBTADAQH/MCkGA1UdEQQiMCCCDmxvY2FsaG9zdDo1
NDUzgg4xMjcuMC4wLjE6NTQ1MzAKBggqhkjOPQQDAgNIADBFAiEA2zpJEPQyz6/l
Wf86aX6PepsntZv2GYlA5UpabfT2EZICIDpJIfvbsCgVmSGpXi2ZRvNyIF6pSGUm
3W5i8u9lyvF7
-----END CERTIFICATE-----
`

// The root's fallback credentials and region are the simulator's.
func TestSimulatorDefaults(t *testing.T) {
	home(t, nil)
	cloud := sim.New()
	cfg, err := awsx.Load(context.Background(), func(o *awsx.Options) { o.Backend, o.Simulator = awsx.BackendSim, cloud })
	if err != nil {
		t.Fatal(err)
	}
	creds, err := cfg.Credentials.Retrieve(context.Background())
	if err != nil || creds.AccessKeyID != sim.DefaultAccessKeyID || creds.SecretAccessKey != sim.DefaultSecretAccessKey || cfg.Region != sim.DefaultRegion {
		t.Errorf("credentials %v (%v), region %s", creds.AccessKeyID, err, cfg.Region)
	}
}

// With Options.Getenv, Load reads the environment it is given, not the process's, in the SDK's
// order: a profile (named or AWS_PROFILE) before keys in the environment, which come before
// the shared files; AWS_REGION, then AWS_DEFAULT_REGION, before the profile's region; the
// AWSX_ settings.
func TestLoadGetenv(t *testing.T) {
	home(t, nil) // the process's own environment is empty of AWS variables
	ctx := context.Background()
	cloud := sim.New()
	iamc := iam.NewFromConfig(cloud.Config())
	if _, err := iamc.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("sam")}); err != nil {
		t.Fatal(err)
	}
	key, err := iamc.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("sam")})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	creds := "[sam]\naws_access_key_id = " + *key.AccessKey.AccessKeyId + "\naws_secret_access_key = " + *key.AccessKey.SecretAccessKey + "\n"
	if err := os.MkdirAll(filepath.Join(dir, ".aws"), 0o700); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, ".aws", "credentials"), []byte(creds), 0o600)
	os.WriteFile(filepath.Join(dir, ".aws", "config"), []byte("[profile sam]\nregion = eu-west-1\n"), 0o600)
	rootEnv := map[string]string{"HOME": dir, "AWSX_BACKEND": "sim", "AWS_ACCESS_KEY_ID": sim.DefaultAccessKeyID,
		"AWS_SECRET_ACCESS_KEY": sim.DefaultSecretAccessKey, "AWS_DEFAULT_REGION": "ap-south-1"}
	for _, tc := range []struct {
		name, profile, region, arn string
		env                        map[string]string
	}{
		{"keys in the environment", "", "ap-south-1", "arn:aws:iam::123456789012:root", rootEnv},
		{"a named profile before them, the region in the environment before its", "sam", "ap-south-1", "arn:aws:iam::123456789012:user/sam", rootEnv},
		{"AWS_PROFILE before them", "", "ap-south-1", "arn:aws:iam::123456789012:user/sam", merge(rootEnv, map[string]string{"AWS_PROFILE": "sam"})},
		{"the profile's region", "sam", "eu-west-1", "arn:aws:iam::123456789012:user/sam", merge(rootEnv, map[string]string{"AWS_DEFAULT_REGION": ""})},
		{"AWS_REGION before AWS_DEFAULT_REGION", "", "us-west-2", "arn:aws:iam::123456789012:root", merge(rootEnv, map[string]string{"AWS_REGION": "us-west-2"})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := awsx.Load(ctx, func(o *awsx.Options) {
				o.Profile, o.Simulator = tc.profile, cloud
				o.Getenv = func(k string) string { return tc.env[k] }
			})
			if got := callerARN(t, err, sts.NewFromConfig(cfg)); got != tc.arn || cfg.Region != tc.region {
				t.Errorf("caller %s in %s, want %s in %s", got, cfg.Region, tc.arn, tc.region)
			}
		})
	}
	// The backend setting comes from the given environment, whatever the process's: this
	// test registers no simulator, so a "sim" backend is refused and AWS is not.
	t.Setenv("AWSX_BACKEND", "sim")
	if _, err := awsx.Load(ctx, func(o *awsx.Options) { o.Getenv = func(string) string { return "" } }); err != nil {
		t.Errorf("no backend in the given environment: %v, want AWS", err)
	}
	t.Setenv("AWSX_BACKEND", "aws")
	simEnv := func(k string) string { return map[string]string{"AWSX_BACKEND": "sim"}[k] }
	if _, err := awsx.Load(ctx, func(o *awsx.Options) { o.Getenv = simEnv }); err == nil || !strings.Contains(err.Error(), "no simulator") {
		t.Errorf("AWSX_BACKEND=sim in the given environment: %v, want the sim backend's refusal", err)
	}
	v, err := awsx.NewSettingsFrom(func(k string) string { return map[string]string{"AWSX_SEED": "7"}[k] })
	if err != nil || v.GetString("backend") != "" || v.GetString("seed") != "7" {
		t.Errorf("NewSettingsFrom: backend %q seed %q (%v); want none and 7", v.GetString("backend"), v.GetString("seed"), err)
	}
}

func merge(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}
