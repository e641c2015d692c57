// Package awscli runs the real AWS CLI, v1 and v2, for awsx's parity tests.
//
// Starting the AWS CLI costs most of what one command takes, so a [Session] starts it once:
// one Python process imports the AWS CLI and runs the commands it is sent one after the
// other, each with its own driver, as `aws` would run them, and answers with what the command
// printed and its exit code. Each command may bring its own environment, directory and
// stdin, so a [Pool] of sessions serves every test of a package, several at once. Help
// pages, which the AWS CLI sends to a pager process, are the command's output when the pager
// is cat.
//
// v1 is `python3 -m awscli` (pip's awscli on the default Python); v2 is Debian's awscli
// package, /usr/bin/aws on the system Python: a pyenv `aws` shim may shadow it on PATH.
package awscli

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// Client is one AWS CLI.
type Client struct {
	Name   string // "v1" or "v2"
	python string // the interpreter that has it
}

// Installed returns the AWS CLIs on this machine, v1 first, and a note on each missing one.
func Installed() (clients []Client, missing []string) {
	if exec.Command("python3", "-c", "import awscli").Run() == nil {
		clients = append(clients, Client{"v1", "python3"})
	} else {
		missing = append(missing, "the AWS CLI v1: python3 -m awscli is not installed (pip install awscli)")
	}
	if b, err := exec.Command("/usr/bin/aws", "--version").CombinedOutput(); err == nil && strings.HasPrefix(string(b), "aws-cli/2") {
		clients = append(clients, Client{"v2", "/usr/bin/python3"})
	} else {
		missing = append(missing, "the AWS CLI v2: /usr/bin/aws is not v2 (apt-get install awscli)")
	}
	return clients, missing
}

// Env is a clean environment for the AWS CLI with home as HOME (and its ~/.aws files),
// signing with the given keys in us-east-1, no pager; of the environment getenv reads (the
// test's), only what finds Python is kept: PATH and pyenv's and Python's own variables.
func Env(getenv func(string) string, home, key, secret string) []string {
	return append(PythonEnv(getenv), "HOME="+home, "AWS_ACCESS_KEY_ID="+key, "AWS_SECRET_ACCESS_KEY="+secret,
		"AWS_DEFAULT_REGION=us-east-1", "AWS_PAGER=", "AWS_CONFIG_FILE="+filepath.Join(home, "config"),
		"AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(home, "credentials"))
}

// PythonEnv is what of the environment getenv reads finds Python: PATH and pyenv's and
// Python's own variables.
func PythonEnv(getenv func(string) string) []string {
	env := []string{"PATH=" + getenv("PATH")}
	for _, v := range []string{"PYENV_ROOT", "PYENV_VERSION", "PYTHONPATH"} {
		if s := getenv(v); s != "" {
			env = append(env, v+"="+s)
		}
	}
	return env
}

// Result is what a command printed and its exit code.
type Result struct {
	Stdout, Stderr string
	Code           int
}

// batchScript reads one JSON Command a line and answers each with a JSON line of the
// command's stdout, stderr and exit code. argv[1] is "v2" for Debian's AWS CLI v2.
const batchScript = `
import io, json, os, sys
sys.argv[0] = 'aws'  # argparse's prog, in usage errors
v2 = sys.argv[1] == 'v2'
if v2:
    sys.path.insert(0, '/usr/lib/python3/dist-packages')
import awscli.clidriver as clidriver
from botocore import loaders  # in v2, awscli.botocore's: the one its sessions use

# Each command has a driver and a botocore session of its own, as 'aws' would, but the
# decoded data files (models, endpoints) are shared between the sessions, as between the
# clients of one session: decoding EC2's model again costs more than most commands.
def shared(load):
    kept = {}
    def cached(self, *args, **kwargs):
        key = (tuple(self.search_paths), args, tuple(sorted(kwargs.items())))
        if key not in kept:
            kept[key] = load(self, *args, **kwargs)
        return kept[key]
    return cached
loaders.Loader.load_service_model = shared(loaders.Loader.load_service_model)
loaders.Loader.load_data_with_path = shared(loaders.Loader.load_data_with_path)
loaders.Loader.list_available_services = shared(loaders.Loader.list_available_services)

# Registering an event handler asks inspect whether the handler takes **kwargs, and
# naming an event looks its aliases up: pure answers that each session works out again for
# thousands of handlers, most of a command's time. They are worked out once.
import functools, importlib, types
def kwargs_once(accepts):
    kept = {}
    def key(func):
        if isinstance(func, functools.partial):
            return key(func.func)
        f = getattr(func, '__func__', func)
        if isinstance(f, (types.FunctionType, type)):
            return f
        if not isinstance(f, (types.BuiltinFunctionType, types.MethodType)) and hasattr(type(f), '__call__'):
            return ('instance', type(f))
        return None
    def cached(func):
        k = key(func)
        if k is None:
            return accepts(func)
        if k not in kept:
            kept[k] = accepts(func)
        return kept[k]
    return cached
for pkg in ('botocore', 'awscli.botocore'):
    try:
        hooks = importlib.import_module(pkg + '.hooks')
    except ImportError:
        continue
    hooks.accepts_kwargs = kwargs_once(hooks.accepts_kwargs)
    aliaser = getattr(hooks, 'EventAliaser', None)
    if aliaser is not None:
        def shared_names(self, event_emitter, event_aliases=None, init=aliaser.__init__, names={}):
            init(self, event_emitter, event_aliases)
            if event_aliases is None:
                self._alias_name_cache = names
        aliaser.__init__ = shared_names

# A client's class has a method for each of its service's operations, made again for every
# command's client: the same functions (they call the client's _make_api_call by name) for
# the same model, which the loader above shares. The creating-client-class handlers get a
# copy of the methods, to add theirs as they would.
for pkg in ('botocore', 'awscli.botocore'):
    try:
        creator = importlib.import_module(pkg + '.client').ClientCreator
    except ImportError:
        continue
    def create_methods(self, model, create=creator._create_methods, kept={}):
        key = (model.service_name, model.api_version, id(model._service_description))
        if key not in kept:
            kept[key] = create(self, model)
        return dict(kept[key])
    creator._create_methods = create_methods

# A help page goes to a pager process, which writes where the session's answers go; with
# the pager cat the page is the command's output instead.
import awscli.help as clihelp
def to_stdout(self, output, send=clihelp.PosixHelpRenderer._send_output_to_pager):
    if self.get_pager_cmdline() == ['cat']:
        sys.stdout.write(output.decode('utf-8'))
    else:
        send(self, output)
clihelp.PosixHelpRenderer._send_output_to_pager = to_stdout

# A command may change what lives as long as the process, which a fresh 'aws' would not
# carry over: CloudFormation's commands add YAML 1.1's booleans to ruamel.yaml's resolvers
# (after which every YAML read takes 'yes' for true) and an OrderedDict constructor to its
# SafeConstructor. The YAML libraries' registries, their classes' and their modules' own
# lists and dicts, are put back before each command.
import copy
yaml_modules = []
for name in ('ruamel.yaml.resolver', 'ruamel.yaml.constructor', 'ruamel.yaml.representer',
             'yaml.resolver', 'yaml.constructor', 'yaml.representer'):
    try:
        yaml_modules.append(importlib.import_module(name))
    except ImportError:
        pass
yaml_registries = ('yaml_implicit_resolvers', 'yaml_path_resolvers', 'yaml_constructors',
                   'yaml_multi_constructors', 'yaml_representers', 'yaml_multi_representers')
yaml_classes = [c for m in yaml_modules for c in vars(m).values() if isinstance(c, type)]
yaml_kept = {(c, r): copy.deepcopy(c.__dict__[r]) for c in yaml_classes for r in yaml_registries if r in c.__dict__}
yaml_globals = [(v, copy.deepcopy(v)) for m in yaml_modules for k, v in vars(m).items()
                if not k.startswith('_') and type(v) in (list, dict)]
def restore_yaml():
    for c in yaml_classes:
        for r in yaml_registries:
            if (c, r) in yaml_kept:
                setattr(c, r, copy.deepcopy(yaml_kept[(c, r)]))
            elif r in c.__dict__:
                delattr(c, r)
    for v, kept in yaml_globals:
        if type(v) is list:
            v[:] = copy.deepcopy(kept)
        else:
            v.clear()
            v.update(copy.deepcopy(kept))

def call(args):
    if v2:
        return clidriver.AWSCLIEntryPoint().main(args)
    return clidriver.create_clidriver().main(args)

base_env, base_dir = dict(os.environ), os.getcwd()
# What importing awscli set (v1 finds its own data through AWS_DATA_PATH) stays set.
imported = {k: v for k, v in base_env.items() if k in ('AWS_DATA_PATH',)}
real_in, real_out, real_err = sys.stdin, sys.stdout, sys.stderr
for line in real_in:
    c = json.loads(line)
    os.environ.clear()
    if c.get('Env') is None:
        os.environ.update(base_env)
    else:
        os.environ.update(imported)
        os.environ.update(v.split('=', 1) for v in c['Env'])
    os.chdir(c.get('Dir') or base_dir)
    restore_yaml()
    out = io.TextIOWrapper(io.BytesIO(), encoding='utf-8', newline='')
    err = io.TextIOWrapper(io.BytesIO(), encoding='utf-8', newline='')
    sys.stdin, sys.stdout, sys.stderr = io.StringIO(c.get('Stdin') or ''), out, err
    try:
        rc = call(c['Args'])
    except SystemExit as e:
        rc = e.code if isinstance(e.code, int) else 1
    finally:
        sys.stdin, sys.stdout, sys.stderr = real_in, real_out, real_err
    out.flush()
    err.flush()
    real_out.write(json.dumps({'Stdout': out.buffer.getvalue().decode(),
        'Stderr': err.buffer.getvalue().decode(), 'Code': rc}) + '\n')
    real_out.flush()
`

// Command is one command for a session: the words after `aws`, and what is its own.
type Command struct {
	Args  []string
	Env   []string // all of its environment; nil: the session's
	Dir   string   // its working directory; "": the session's
	Stdin string   // what it reads on stdin
}

// Session is one AWS CLI process running command after command. It is not safe for
// concurrent use.
type Session struct {
	cmd    *exec.Cmd
	in     io.WriteCloser
	out    *bufio.Reader
	stderr bytes.Buffer
}

// Start starts a session of the client in dir with env.
func (c Client) Start(env []string, dir string) (*Session, error) {
	s := &Session{cmd: exec.Command(c.python, "-c", batchScript, c.Name)}
	s.cmd.Env, s.cmd.Dir, s.cmd.Stderr = env, dir, &s.stderr
	in, err := s.cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := s.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	s.in, s.out = in, bufio.NewReaderSize(out, 1<<20)
	return s, nil
}

// Run runs one command (the words after `aws`) in the session's environment and directory,
// with nothing on stdin, and returns what it printed.
func (s *Session) Run(args ...string) (Result, error) {
	return s.Do(Command{Args: args})
}

// Do runs one command and returns what it printed.
func (s *Session) Do(c Command) (Result, error) {
	line, err := json.Marshal(c)
	if err != nil {
		return Result{}, err
	}
	if _, err := fmt.Fprintf(s.in, "%s\n", line); err != nil {
		return Result{}, fmt.Errorf("awscli: %v: %s", err, s.stderr.String())
	}
	reply, err := s.out.ReadBytes('\n')
	if err != nil {
		return Result{}, fmt.Errorf("awscli: %v: %s", err, s.stderr.String())
	}
	var r Result
	err = json.Unmarshal(reply, &r)
	return r, err
}

// Close ends the session.
func (s *Session) Close() error {
	s.in.Close()
	if err := s.cmd.Wait(); err != nil {
		return fmt.Errorf("awscli: %v: %s", err, s.stderr.String())
	}
	return nil
}

// A Pool runs commands in sessions of one client, as many at once as it is given: each
// command on a session that is idle, or on a new one. Each command brings its environment
// and directory, so one pool serves every test of a package. It is safe for concurrent use.
type Pool struct {
	c   Client
	env []string // the sessions' own: what finds Python

	mu   sync.Mutex
	idle []*Session
	all  []*Session
	err  error // the first failure to start a session
}

// Pool returns an empty pool of the client's sessions, which start in the environment env.
func (c Client) Pool(env []string) *Pool { return &Pool{c: c, env: env} }

// Do runs c on an idle session of the pool.
func (p *Pool) Do(c Command) (Result, error) {
	s, err := p.get()
	if err != nil {
		return Result{}, err
	}
	r, err := s.Do(c)
	if err != nil { // a broken session is not reused
		return r, err
	}
	p.mu.Lock()
	p.idle = append(p.idle, s)
	p.mu.Unlock()
	return r, nil
}

func (p *Pool) get() (*Session, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n := len(p.idle); n > 0 {
		s := p.idle[n-1]
		p.idle = p.idle[:n-1]
		return s, nil
	}
	if p.err != nil {
		return nil, p.err
	}
	s, err := p.c.Start(p.env, "")
	if err != nil {
		p.err = err
		return nil, err
	}
	p.all = append(p.all, s)
	return s, nil
}

// Close ends every session of the pool.
func (p *Pool) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var errs []error
	for _, s := range p.all {
		errs = append(errs, s.Close())
	}
	p.all, p.idle = nil, nil
	return errors.Join(errs...)
}

// identities holds each client's [Client.Identity], worked out once.
var identities sync.Map

// Identity names the client exactly enough for a record of its runs: its name, the versions
// of the AWS CLI and botocore it runs, its Python, and this package's way of running it.
func (c Client) Identity() (string, error) {
	if id, ok := identities.Load(c.Name); ok {
		return id.(string), nil
	}
	script := `import sys
if sys.argv[1] == 'v2':
    sys.path.insert(0, '/usr/lib/python3/dist-packages')
import awscli, botocore
print(awscli.__version__, botocore.__version__, sys.version.split()[0])`
	out, err := exec.Command(c.python, "-c", script, c.Name).Output()
	if err != nil {
		return "", fmt.Errorf("awscli: the version of %s: %v", c.Name, err)
	}
	sum := sha256.Sum256([]byte(batchScript))
	id := c.Name + " " + strings.TrimSpace(string(out)) + " " + hex.EncodeToString(sum[:8])
	identities.Store(c.Name, id)
	return id, nil
}
