package awsx

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/spf13/cast"
	"github.com/spf13/viper"

	"github.com/awsxlab/awsx/sim"
)

// The backends. Any other value must be an http or https URL of a simulator.
const (
	BackendSim = "sim"
	BackendAWS = "aws"
)

// Options tunes [Load].
type Options struct {
	// Profile is the ~/.aws profile to use; empty means AWS_PROFILE or "default".
	Profile string
	// Region overrides the profile's region; with none anywhere, the simulator backends use
	// us-east-1.
	Region string
	// Backend chooses where requests go: "sim", "aws" or a simulator URL. Empty means the
	// setting (flag, AWSX_BACKEND, config file), and "sim" when there is none.
	Backend string
	// Cloud is the embedded simulator of the "sim" backend. Nil means one per process, made
	// on first use.
	Cloud *sim.Cloud
	// Settings is where the backend setting is read when Backend is empty: a command passes
	// its own, with its --backend flag bound. Nil means [NewSettings].
	Settings *viper.Viper
}

// NewSettings returns awsx's settings: the AWSX_* environment variables and the config file
// (~/.awsx/config.yaml, or AWSX_CONFIG). A missing config file is no error.
func NewSettings() (*viper.Viper, error) {
	v := viper.New()
	v.SetEnvPrefix("AWSX")
	v.AutomaticEnv()
	v.SetEnvKeyReplacer(strings.NewReplacer("-", "_"))
	v.SetDefault("backend", BackendSim)
	file := os.Getenv("AWSX_CONFIG")
	if file == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return v, nil
		}
		file = filepath.Join(home, ".awsx", "config.yaml")
	}
	v.SetConfigFile(file)
	if err := v.ReadInConfig(); err != nil && !errors.Is(err, os.ErrNotExist) {
		var nf viper.ConfigFileNotFoundError
		if !errors.As(err, &nf) {
			return nil, fmt.Errorf("awsx: settings %s: %w", file, err)
		}
	}
	return v, nil
}

// SimOptions returns the options for an embedded simulator that the settings hold:
// "clock", an RFC 3339 time at which the simulator's clock stands still unless advanced (labs
// set it, so that the dates they print are the same on every run), and "seed", the seed of
// its IDs.
func SimOptions(v *viper.Viper) ([]sim.Option, error) {
	var opts []sim.Option
	if s := v.GetString("clock"); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return nil, fmt.Errorf("awsx: setting clock: %q is not an RFC 3339 time such as 2026-01-01T09:00:00Z", s)
		}
		opts = append(opts, sim.WithClock(func() time.Time { return t }))
	}
	if v.IsSet("seed") {
		seed, err := cast.ToUint64E(v.Get("seed"))
		if err != nil {
			return nil, fmt.Errorf("awsx: setting seed: %q is not an unsigned integer", v.GetString("seed"))
		}
		opts = append(opts, sim.WithSeed(seed))
	}
	return opts, nil
}

var (
	defaultCloudOnce sync.Once
	defaultCloud     *sim.Cloud
)

// DefaultCloud returns the process's embedded simulator, the "sim" backend's when
// [Options.Cloud] is nil.
func DefaultCloud() *sim.Cloud {
	defaultCloudOnce.Do(func() { defaultCloud = sim.New() })
	return defaultCloud
}

// Load returns an aws.Config for the backend the options and settings choose, with the
// profile, region and credentials the SDK's loader finds in ~/.aws and the environment. On a
// simulator backend, a profile with no credentials signs as the simulated account's root.
func Load(ctx context.Context, optFns ...func(*Options)) (aws.Config, error) {
	var o Options
	for _, f := range optFns {
		f(&o)
	}
	backend := o.Backend
	if backend == "" {
		v := o.Settings
		if v == nil {
			var err error
			if v, err = NewSettings(); err != nil {
				return aws.Config{}, err
			}
		}
		backend = v.GetString("backend")
	}
	var endpoint string
	switch backend {
	case BackendSim, BackendAWS:
	default:
		u, err := url.Parse(backend)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return aws.Config{}, fmt.Errorf("awsx: backend %q: want %q, %q or a simulator URL such as http://127.0.0.1:4566", backend, BackendSim, BackendAWS)
		}
		endpoint = backend
	}

	// The SDK fixes its default file names when the program starts; resolve them now, so that
	// a HOME or AWS_CONFIG_FILE set since (a lab's own HOME, a test's) is the one read.
	files := sharedFiles{config: sharedFile("AWS_CONFIG_FILE", "config"), credentials: sharedFile("AWS_SHARED_CREDENTIALS_FILE", "credentials")}
	loadOpts := []func(*config.LoadOptions) error{
		config.WithSharedConfigFiles([]string{files.config}),
		config.WithSharedCredentialsFiles([]string{files.credentials}),
	}
	if o.Profile != "" {
		loadOpts = append(loadOpts, config.WithSharedConfigProfile(o.Profile))
	}
	if o.Region != "" {
		loadOpts = append(loadOpts, config.WithRegion(o.Region))
	}
	var simHTTP *http.Client
	if backend != BackendAWS {
		loadOpts = append(loadOpts,
			config.WithDefaultRegion(sim.DefaultRegion),
			// A simulator is never on EC2: do not let the credential chain wait for instance metadata.
			config.WithEC2IMDSClientEnableState(imds.ClientDisabled))
		if !configuresCredentials(ctx, o.Profile, files) {
			root := credentials.NewStaticCredentialsProvider(sim.DefaultAccessKeyID, sim.DefaultSecretAccessKey, "")
			loadOpts = append(loadOpts, config.WithCredentialsProvider(root))
		}
	}
	switch {
	case endpoint != "":
		loadOpts = append(loadOpts, config.WithBaseEndpoint(endpoint))
	case backend == BackendSim:
		c := o.Cloud
		if c == nil {
			c = DefaultCloud()
		}
		simHTTP = &http.Client{Transport: sim.Transport(c)}
		// The STS client of a role_arn profile is built by the loader: send it to the simulator.
		loadOpts = append(loadOpts, config.WithAssumeRoleCredentialOptions(func(ao *stscreds.AssumeRoleOptions) {
			if client, ok := ao.Client.(*sts.Client); ok {
				ao.Client = sts.New(client.Options(), func(so *sts.Options) { so.HTTPClient = simHTTP })
			}
		}))
	}
	// The SDK's loader builds its own HTTP client (honouring AWS_CA_BUNDLE, which it cannot
	// apply to a client it did not build); the simulator's transport replaces it afterwards.
	cfg, err := config.LoadDefaultConfig(ctx, loadOpts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("awsx: load config: %w", err)
	}
	if simHTTP != nil {
		cfg.HTTPClient = simHTTP
	}
	return cfg, nil
}

// configuresCredentials says whether the environment or the profile names a source of
// credentials: keys, a role to assume, a process, SSO or a web identity. Read with the SDK's
// own parsers; a named profile that cannot be read is left for the loader to report.
func configuresCredentials(ctx context.Context, profile string, files sharedFiles) bool {
	env, err := config.NewEnvConfig()
	if err != nil || env.Credentials.HasKeys() || env.WebIdentityTokenFilePath != "" {
		return true
	}
	if profile == "" {
		profile = env.SharedConfigProfile
	}
	if profile == "" {
		profile = "default"
	}
	sc, err := config.LoadSharedConfigProfile(ctx, profile, func(o *config.LoadSharedConfigOptions) {
		o.ConfigFiles, o.CredentialsFiles = []string{files.config}, []string{files.credentials}
	})
	if err != nil {
		var missing config.SharedConfigProfileNotExistError
		return !errors.As(err, &missing) || profile != "default"
	}
	return sc.Credentials.HasKeys() || sc.RoleARN != "" || sc.CredentialProcess != "" ||
		sc.SSOSessionName != "" || sc.SSOAccountID != "" || sc.WebIdentityTokenFile != ""
}

// sharedFiles are the ~/.aws files the loader reads.
type sharedFiles struct{ config, credentials string }

// sharedFile returns the ~/.aws file name, or the one the environment variable env names.
func sharedFile(env, name string) string {
	if f := os.Getenv(env); f != "" {
		return f
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".aws", name)
}
