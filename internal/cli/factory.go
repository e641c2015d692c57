package cli

import (
	"io"
	"maps"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/viper"

	"github.com/awsxlab/awsx"
	"github.com/awsxlab/awsx/internal/cli/state"
)

// A Factory is what the awsx command takes from the process it runs in: the standard
// streams, the environment and the working directory. main builds one from the process
// ([FromProcess]); the lab runner, tests and the console build their own ([NewFactory],
// [Factory.With]), so that several commands run at once in one process, each seeing only
// its own. Below the factory nothing reads the process's environment or working directory,
// or changes them: settings, profiles, credentials and the state directory all come from
// here.
type Factory struct {
	IO  *IO
	env map[string]string
	dir string
}

// NewFactory returns a factory of the streams, the environment environ ("KEY=value"
// entries, as os.Environ gives them) and the working directory dir.
func NewFactory(streams *IO, environ []string, dir string) *Factory {
	env := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok && k != "" {
			env[k] = v
		}
	}
	return &Factory{IO: streams, env: env, dir: dir}
}

// FromProcess returns the factory of this process: its environment and working directory,
// with HOME set from the user's account when the environment lacks it.
func FromProcess(stdin io.Reader, stdout, stderr io.Writer) *Factory {
	dir, _ := os.Getwd()
	f := NewFactory(&IO{In: stdin, Out: stdout, Err: stderr}, os.Environ(), dir)
	if f.env["HOME"] == "" {
		if home, err := os.UserHomeDir(); err == nil {
			f.env["HOME"] = home
		}
	}
	return f
}

// Getenv returns the environment variable key, "" when unset.
func (f *Factory) Getenv(key string) string { return f.env[key] }

// Dir returns the working directory.
func (f *Factory) Dir() string { return f.dir }

// With returns a copy of f with the variables in env set (an empty value unsets one), the
// working directory dir ("" keeps f's) and the streams streams (nil keeps f's).
func (f *Factory) With(streams *IO, env map[string]string, dir string) *Factory {
	g := &Factory{IO: f.IO, env: maps.Clone(f.env), dir: f.dir}
	for k, v := range env {
		if v == "" {
			delete(g.env, k)
		} else {
			g.env[k] = v
		}
	}
	if dir != "" {
		g.dir = dir
	}
	if streams != nil {
		g.IO = streams
	}
	return g
}

// Path returns p relative to the working directory, or p when it is absolute.
func (f *Factory) Path(p string) string {
	if filepath.IsAbs(p) || f.dir == "" {
		return p
	}
	return filepath.Join(f.dir, p)
}

// Settings returns awsx's settings as this environment has them.
func (f *Factory) Settings() (*viper.Viper, error) { return awsx.NewSettingsFrom(f.Getenv) }

// StateDir returns the embedded simulator's state directory: AWSX_STATE_DIR, or ~/.awsx.
func (f *Factory) StateDir() (string, error) {
	p, err := state.DefaultPath(f.Getenv)
	if err != nil {
		return "", err
	}
	return f.Path(p), nil
}
