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

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
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
	loadOpts := []func(*config.LoadOptions) error{
		config.WithSharedConfigFiles([]string{sharedFile("AWS_CONFIG_FILE", "config")}),
		config.WithSharedCredentialsFiles([]string{sharedFile("AWS_SHARED_CREDENTIALS_FILE", "credentials")}),
	}
	if o.Profile != "" {
		loadOpts = append(loadOpts, config.WithSharedConfigProfile(o.Profile))
	}
	if o.Region != "" {
		loadOpts = append(loadOpts, config.WithRegion(o.Region))
	}
	if backend != BackendAWS {
		// A simulator is never on EC2: do not let the credential chain wait for instance metadata.
		loadOpts = append(loadOpts, config.WithEC2IMDSClientEnableState(imds.ClientDisabled))
	}
	if endpoint != "" {
		loadOpts = append(loadOpts, config.WithBaseEndpoint(endpoint))
	}
	// The SDK's loader builds its own HTTP client (honouring AWS_CA_BUNDLE, which it cannot
	// apply to a client it did not build); the simulator's transport replaces it afterwards.
	cfg, err := config.LoadDefaultConfig(ctx, loadOpts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("awsx: load config: %w", err)
	}
	if backend == BackendAWS {
		return cfg, nil
	}
	if cfg.Region == "" {
		cfg.Region = sim.DefaultRegion
	}
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		cfg.Credentials = aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(sim.DefaultAccessKeyID, sim.DefaultSecretAccessKey, ""))
	}
	if endpoint == "" {
		c := o.Cloud
		if c == nil {
			c = DefaultCloud()
		}
		cfg.HTTPClient = &http.Client{Transport: sim.Transport(c)}
	}
	return cfg, nil
}

// sharedFile returns the ~/.aws file name, or the one the environment variable env names.
func sharedFile(env, name string) string {
	if f := os.Getenv(env); f != "" {
		return f
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".aws", name)
}
