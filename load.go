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
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/spf13/viper"
)

// The backends. Any other value must be an http or https URL of a simulator.
const (
	BackendAWS = "aws" // real AWS: the SDK's own config, the library's default
	BackendSim = "sim" // the embedded simulator: [Options.Simulator] or the one registered
)

// The simulators' root credentials and region: AWS's documented example key pair (the
// simulator's defaults, sim.DefaultAccessKeyID and sim.DefaultSecretAccessKey), used when
// a simulator backend is chosen and no credentials are configured.
const (
	simAccessKeyID     = "AKIAIOSFODNN7EXAMPLE"
	simSecretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	simRegion          = "us-east-1"
)

// A Simulator is an AWS simulator that answers in this process, the "sim" backend: its
// HTTP client sends every request to it. *sim.Cloud is one.
type Simulator interface {
	HTTPClient() *http.Client
}

var registered struct {
	mu sync.Mutex
	fn func() Simulator
}

// RegisterSimulator makes fn the simulator of the "sim" backend when [Options.Simulator] is
// nil; it is called once, on the first Load that needs it. Package
// github.com/awsxlab/awsx/simbackend registers the simulator when it is imported, as a
// database/sql driver registers itself: a program that does not import it links no
// simulator, and a "sim" backend is an error in it.
func RegisterSimulator(fn func() Simulator) {
	registered.mu.Lock()
	defer registered.mu.Unlock()
	registered.fn = fn
}

func registeredSimulator() Simulator {
	registered.mu.Lock()
	fn := registered.fn
	registered.mu.Unlock()
	if fn == nil {
		return nil
	}
	return fn()
}

// Options tunes [Load].
type Options struct {
	// Profile is the ~/.aws profile to use; empty means AWS_PROFILE or "default".
	Profile string
	// Region overrides the profile's region; with none anywhere, the simulator backends use
	// us-east-1.
	Region string
	// Backend chooses where requests go: "aws", "sim" or a simulator URL. Empty means the
	// setting (flag, AWSX_BACKEND, config file), and "aws" when there is none.
	Backend string
	// Simulator answers the "sim" backend. Nil means the one registered with
	// [RegisterSimulator] (by importing package simbackend).
	Simulator Simulator
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

// Load returns an aws.Config for the backend the options and settings choose, with the
// profile, region and credentials the SDK's loader finds in ~/.aws and the environment. With
// no backend chosen it is real AWS, and the config is the SDK's own. On a simulator backend,
// a profile with no credentials signs as the simulated account's root.
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
	if backend == "" {
		backend = BackendAWS
	}
	var endpoint string
	switch backend {
	case BackendSim, BackendAWS:
	default:
		u, err := url.Parse(backend)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return aws.Config{}, fmt.Errorf("awsx: backend %q: want %q, %q or a simulator URL such as http://127.0.0.1:4566", backend, BackendAWS, BackendSim)
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
			config.WithDefaultRegion(simRegion),
			// A simulator is never on EC2: do not let the credential chain wait for instance metadata.
			config.WithEC2IMDSClientEnableState(imds.ClientDisabled))
		if !configuresCredentials(ctx, o.Profile, files) {
			root := credentials.NewStaticCredentialsProvider(simAccessKeyID, simSecretAccessKey, "")
			loadOpts = append(loadOpts, config.WithCredentialsProvider(root))
		}
	}
	switch {
	case endpoint != "":
		loadOpts = append(loadOpts, config.WithBaseEndpoint(endpoint))
	case backend == BackendSim:
		c := o.Simulator
		if c == nil {
			c = registeredSimulator()
		}
		if c == nil {
			return aws.Config{}, fmt.Errorf("awsx: backend %q: this program has no simulator: import _ \"github.com/awsxlab/awsx/simbackend\" or set Options.Simulator", BackendSim)
		}
		simHTTP = c.HTTPClient()
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
