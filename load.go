package awsx

import (
	"cmp"
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
	// its own, with its --backend flag bound. Nil means [NewSettings] (or [NewSettingsFrom]
	// with Getenv).
	Settings *viper.Viper
	// Getenv is the environment Load reads — HOME, AWS_PROFILE, AWS_REGION,
	// AWS_DEFAULT_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
	// AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, AWS_ENDPOINT_URL and the AWSX_ settings —
	// for a program that runs commands with environments of their own. Nil is the process's,
	// read by the SDK's loader as usual. With Getenv, those variables are passed to the loader
	// as options; the loader still reads the process's other AWS_ variables.
	Getenv func(string) string
}

// NewSettings returns awsx's settings: the AWSX_* environment variables and the config file
// (~/.awsx/config.yaml, or AWSX_CONFIG). A missing config file is no error. Keys a program
// adds are read from AWSX_<KEY> too.
func NewSettings() (*viper.Viper, error) {
	v, err := NewSettingsFrom(os.Getenv)
	if err != nil {
		return nil, err
	}
	v.SetEnvPrefix("AWSX")
	v.AutomaticEnv()
	v.SetEnvKeyReplacer(strings.NewReplacer("-", "_"))
	return v, nil
}

// SettingKeys are the settings awsx reads: "backend" (see [Options.Backend]), and the
// embedded simulator's "clock" and "seed" (package simbackend).
var SettingKeys = []string{"backend", "clock", "seed"}

// NewSettingsFrom returns awsx's settings as an environment reads them, through getenv rather
// than the process's: the config file (AWSX_CONFIG, or .awsx/config.yaml in HOME), then
// AWSX_BACKEND, AWSX_CLOCK and AWSX_SEED over it. A command that runs with an environment of
// its own (a lab's, a test's) reads its settings so; flags bound to the result still win.
func NewSettingsFrom(getenv func(string) string) (*viper.Viper, error) {
	v := viper.New()
	file := getenv("AWSX_CONFIG")
	if file == "" {
		home := getenv("HOME")
		if home == "" {
			return v, mergeEnv(v, getenv)
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
	return v, mergeEnv(v, getenv)
}

// mergeEnv lays the AWSX_* variables of the settings over the config file's values.
func mergeEnv(v *viper.Viper, getenv func(string) string) error {
	env := map[string]any{}
	for _, k := range SettingKeys {
		if val := getenv("AWSX_" + strings.ToUpper(strings.ReplaceAll(k, "-", "_"))); val != "" {
			env[k] = val
		}
	}
	if len(env) == 0 {
		return nil
	}
	return v.MergeConfigMap(env)
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
	getenv := o.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	backend := o.Backend
	if backend == "" {
		v := o.Settings
		if v == nil {
			var err error
			if o.Getenv != nil {
				v, err = NewSettingsFrom(o.Getenv)
			} else {
				v, err = NewSettings()
			}
			if err != nil {
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
	files := sharedFiles{config: sharedFile(getenv, "AWS_CONFIG_FILE", "config"), credentials: sharedFile(getenv, "AWS_SHARED_CREDENTIALS_FILE", "credentials")}
	loadOpts := []func(*config.LoadOptions) error{
		config.WithSharedConfigFiles([]string{files.config}),
		config.WithSharedCredentialsFiles([]string{files.credentials}),
	}
	env := envConfig(getenv)
	if o.Getenv == nil {
		env = config.EnvConfig{} // the loader reads the process's environment itself
	}
	if o.Profile == "" {
		o.Profile = env.SharedConfigProfile
	}
	if o.Profile != "" {
		loadOpts = append(loadOpts, config.WithSharedConfigProfile(o.Profile))
	}
	if o.Region == "" {
		o.Region = env.Region
	}
	if o.Region != "" {
		loadOpts = append(loadOpts, config.WithRegion(o.Region))
	}
	// As the SDK's chain: a profile, named or from AWS_PROFILE, is read before keys in the
	// environment.
	if env.Credentials.HasKeys() && o.Profile == "" {
		loadOpts = append(loadOpts, config.WithCredentialsProvider(credentials.StaticCredentialsProvider{Value: env.Credentials}))
	}
	if env.BaseEndpoint != "" && endpoint == "" {
		loadOpts = append(loadOpts, config.WithBaseEndpoint(env.BaseEndpoint))
	}
	var simHTTP *http.Client
	if backend != BackendAWS {
		loadOpts = append(loadOpts,
			config.WithDefaultRegion(simRegion),
			// A simulator is never on EC2: do not let the credential chain wait for instance metadata.
			config.WithEC2IMDSClientEnableState(imds.ClientDisabled))
		if !configuresCredentials(ctx, getenv, o.Profile, files) {
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
		// And that of a web_identity_token_file profile (AWS_WEB_IDENTITY_TOKEN_FILE): a CI job's.
		loadOpts = append(loadOpts, config.WithWebIdentityRoleCredentialOptions(func(wo *stscreds.WebIdentityRoleOptions) {
			if client, ok := wo.Client.(*sts.Client); ok {
				wo.Client = sts.New(client.Options(), func(so *sts.Options) { so.HTTPClient = simHTTP })
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
func configuresCredentials(ctx context.Context, getenv func(string) string, profile string, files sharedFiles) bool {
	env := envConfig(getenv)
	if env.Credentials.HasKeys() || getenv("AWS_WEB_IDENTITY_TOKEN_FILE") != "" {
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
func sharedFile(getenv func(string) string, env, name string) string {
	if f := getenv(env); f != "" {
		return f
	}
	home := getenv("HOME")
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	return filepath.Join(home, ".aws", name)
}

// envConfig is the part of the SDK's environment configuration Load passes on, as the SDK
// reads it (config.NewEnvConfig), from getenv: the profile, the region, static keys and
// the endpoint.
func envConfig(getenv func(string) string) config.EnvConfig {
	var e config.EnvConfig
	e.SharedConfigProfile = cmp.Or(getenv("AWS_PROFILE"), getenv("AWS_DEFAULT_PROFILE"))
	e.Region = cmp.Or(getenv("AWS_REGION"), getenv("AWS_DEFAULT_REGION"))
	e.Credentials = aws.Credentials{
		AccessKeyID:     cmp.Or(getenv("AWS_ACCESS_KEY_ID"), getenv("AWS_ACCESS_KEY")),
		SecretAccessKey: cmp.Or(getenv("AWS_SECRET_ACCESS_KEY"), getenv("AWS_SECRET_KEY")),
		SessionToken:    getenv("AWS_SESSION_TOKEN"),
		Source:          config.CredentialsSourceName,
	}
	if e.Credentials.AccessKeyID == "" || e.Credentials.SecretAccessKey == "" {
		e.Credentials = aws.Credentials{}
	}
	e.BaseEndpoint = getenv("AWS_ENDPOINT_URL")
	return e
}
