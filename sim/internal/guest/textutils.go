package guest

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path"
	"regexp"
	"slices"
	"strings"
)

// sedSubst is one s/RE/REPLACEMENT/FLAGS command.
type sedSubst struct {
	re     *regexp.Regexp
	repl   string
	global bool
}

// parseSed reads a sed script of s commands separated by ; or newlines (the form user data
// uses to edit a configuration file); ok is false for anything else.
func parseSed(script string, extended bool) ([]sedSubst, bool) {
	var out []sedSubst
	rest := strings.TrimSpace(script)
	for rest != "" {
		if len(rest) < 2 || rest[0] != 's' {
			return nil, false
		}
		d := rest[1]
		parts := make([]string, 0, 3)
		var cur strings.Builder
		i := 2
		for ; i < len(rest) && len(parts) < 2; i++ {
			switch {
			case rest[i] == '\\' && i+1 < len(rest) && rest[i+1] == d:
				cur.WriteByte(d)
				i++
			case rest[i] == d:
				parts = append(parts, cur.String())
				cur.Reset()
			default:
				cur.WriteByte(rest[i])
			}
		}
		if len(parts) < 2 {
			return nil, false
		}
		flags := ""
		for i < len(rest) && rest[i] != ';' && rest[i] != '\n' {
			flags += string(rest[i])
			i++
		}
		rest = strings.TrimSpace(strings.TrimLeft(rest[i:], ";\n"))
		expr := parts[0]
		if !extended {
			expr = bre(expr)
		}
		if strings.Contains(flags, "I") || strings.Contains(flags, "i") {
			expr = "(?i)" + expr
		}
		re, err := regexp.Compile(expr)
		if err != nil {
			return nil, false
		}
		// sed's & and \1 are Go's ${0} and ${1}; a literal $ stays one.
		repl := strings.ReplaceAll(parts[1], "$", "$$")
		var b strings.Builder
		for j := 0; j < len(repl); j++ {
			switch {
			case repl[j] == '\\' && j+1 < len(repl) && repl[j+1] >= '0' && repl[j+1] <= '9':
				b.WriteString("${" + string(repl[j+1]) + "}")
				j++
			case repl[j] == '\\' && j+1 < len(repl) && repl[j+1] == 'n':
				b.WriteByte('\n')
				j++
			case repl[j] == '\\' && j+1 < len(repl):
				b.WriteByte(repl[j+1])
				j++
			case repl[j] == '&':
				b.WriteString("${0}")
			default:
				b.WriteByte(repl[j])
			}
		}
		out = append(out, sedSubst{re: re, repl: b.String(), global: strings.Contains(flags, "g")})
	}
	return out, true
}

func (s sedSubst) apply(line string) string {
	if s.global {
		return s.re.ReplaceAllString(line, s.repl)
	}
	loc := s.re.FindStringSubmatchIndex(line)
	if loc == nil {
		return line
	}
	var dst []byte
	dst = s.re.ExpandString(dst, s.repl, line, loc)
	return line[:loc[0]] + string(dst) + line[loc[1]:]
}

// sed runs s commands over files or stdin: sed [-i] [-E] [-e SCRIPT]… [SCRIPT] [FILE]….
func sed(c *cmd) int {
	var scripts, files []string
	inPlace, extended := false, false
	args := c.args[1:]
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "-e" && i+1 < len(args):
			scripts = append(scripts, args[i+1])
			i++
		case a == "-i" || strings.HasPrefix(a, "-i") && !strings.HasPrefix(a, "-i-"):
			inPlace = true
		case a == "-E" || a == "-r":
			extended = true
		case strings.HasPrefix(a, "-") && len(a) > 1:
			return c.fail(1, "unsupported option %s (the simulator's sed has -i, -E, -e and s commands)", a)
		case len(scripts) == 0:
			scripts = append(scripts, a)
		default:
			files = append(files, a)
		}
	}
	if len(scripts) == 0 {
		return c.fail(1, "no script specified")
	}
	var cmds []sedSubst
	for _, s := range scripts {
		more, ok := parseSed(s, extended)
		if !ok {
			return c.fail(1, "-e expression #1: the simulator's sed runs s/REGEXP/REPLACEMENT/FLAGS commands only")
		}
		cmds = append(cmds, more...)
	}
	edit := func(data []byte) []byte {
		var b strings.Builder
		ls := lines(data)
		for _, l := range ls {
			for _, s := range cmds {
				l = s.apply(l)
			}
			b.WriteString(l + "\n")
		}
		return []byte(b.String())
	}
	if !inPlace {
		return exit(c.inputs(files, func(_ string, data []byte) { c.stdout.Write(edit(data)) }))
	}
	if len(files) == 0 {
		return c.fail(1, "no input files")
	}
	bad := false
	for _, f := range files {
		data, err := c.read(f)
		if err != nil {
			fmt.Fprintf(c.stderr, "sed: can't read %s: %s\n", f, err)
			bad = true
			continue
		}
		var werr error
		c.sh.s.update(c.sh.id, func(m *machine) {
			werr = m.Files.write(c.user, c.abs(f), edit(data), false, 0o644, c.sh.s.clock.Now())
		})
		if werr != nil {
			fmt.Fprintf(c.stderr, "sed: couldn't open temporary file %s: %s\n", path.Join(path.Dir(f), "sedXXXXXX"), werr)
			bad = true
		}
	}
	return exit(bad)
}

// findCmd walks directories: find [PATH…] [-type f|d] [-name GLOB] [-maxdepth N]
// [-exec COMMAND {} \; | +].
func findCmd(c *cmd) int {
	args := c.args[1:]
	var roots []string
	for len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		roots, args = append(roots, args[0]), args[1:]
	}
	if len(roots) == 0 {
		roots = []string{"."}
	}
	typ, name, maxDepth := "", "", -1
	var exec []string
	batch := false
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case (a == "-type" || a == "-name" || a == "-iname" || a == "-maxdepth") && i+1 < len(args):
			switch a {
			case "-type":
				typ = args[i+1]
			case "-name", "-iname":
				name = args[i+1]
			default:
				fmt.Sscan(args[i+1], &maxDepth)
			}
			i++
		case a == "-exec":
			j := i + 1
			for j < len(args) && args[j] != ";" && args[j] != "+" {
				j++
			}
			if j == len(args) {
				return c.fail(1, "missing argument to `-exec'")
			}
			exec, batch = args[i+1:j], args[j] == "+"
			i = j
		case a == "-print":
		default:
			return c.fail(1, "unknown predicate `%s' (the simulator's find has -type, -name, -maxdepth, -exec)", a)
		}
	}
	var found []string
	bad := false
	c.sh.s.view(c.sh.id, func(m *machine) {
		for _, r := range roots {
			p := c.abs(r)
			n, err := m.Files.lookup(c.user, p)
			if err != nil {
				fmt.Fprintf(c.stderr, "find: ‘%s’: %s\n", r, err)
				bad = true
				continue
			}
			var walk func(p, shown string, n *node, depth int)
			walk = func(p, shown string, n *node, depth int) {
				ok := (typ == "" || typ == "d" && n.Dir || typ == "f" && !n.Dir)
				if name != "" {
					matched, _ := path.Match(name, path.Base(p))
					ok = ok && matched
				}
				if ok {
					found = append(found, shown)
				}
				if !n.Dir || depth == maxDepth {
					return
				}
				if !canRead(c.user, n) {
					fmt.Fprintf(c.stderr, "find: ‘%s’: Permission denied\n", shown)
					bad = true
					return
				}
				for _, k := range m.Files.children(p) {
					walk(path.Join(p, k), path.Join(shown, k), m.Files[path.Join(p, k)], depth+1)
				}
			}
			walk(p, r, n, 0)
		}
	})
	if len(exec) == 0 {
		for _, f := range found {
			fmt.Fprintln(c.stdout, f)
		}
		return exit(bad)
	}
	run := func(files []string) {
		var args []string
		for _, a := range exec {
			if a == "{}" {
				args = append(args, files...)
			} else {
				args = append(args, a)
			}
		}
		if !slices.Contains(exec, "{}") {
			args = append(args, files...)
		}
		sub := *c
		sub.args = args
		if sub.dispatch() != 0 {
			bad = true
		}
	}
	if batch && len(found) > 0 {
		run(found)
	} else {
		for _, f := range found {
			run([]string{f})
		}
	}
	return exit(bad)
}

// ec2Metadata is Amazon Linux's ec2-metadata (amazon-ec2-utils): the instance's metadata
// by option, through its metadata service with an IMDSv2 token.
func ec2Metadata(c *cmd) int {
	opts := map[string][2]string{
		"-i": {"instance-id", "instance-id"}, "-a": {"ami-id", "ami-id"}, "-t": {"instance-type", "instance-type"},
		"-z": {"placement", "placement/availability-zone"}, "-o": {"local-ipv4", "local-ipv4"}, "-h": {"local-hostname", "local-hostname"},
		"-v": {"public-ipv4", "public-ipv4"}, "-p": {"public-hostname", "public-hostname"}, "-d": {"user-data", ""},
	}
	long := map[string]string{"--instance-id": "-i", "--ami-id": "-a", "--instance-type": "-t", "--availability-zone": "-z",
		"--local-ipv4": "-o", "--local-hostname": "-h", "--public-ipv4": "-v", "--public-hostname": "-p", "--user-data": "-d"}
	md := c.sh.s.env.Metadata
	if md == nil {
		return c.fail(1, "the metadata service is not reachable")
	}
	h := md(c.sh.id)
	get := func(method, p string, header http.Header) (int, string) {
		r := httptest.NewRequest(method, "http://169.254.169.254"+p, nil)
		r.Header = header
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		b, _ := io.ReadAll(w.Body)
		return w.Code, string(b)
	}
	code, token := get(http.MethodPut, "/latest/api/token", http.Header{"X-Aws-Ec2-Metadata-Token-Ttl-Seconds": {"21600"}})
	if code != 200 {
		return c.fail(1, "could not get a session token from the metadata service")
	}
	hdr := http.Header{"X-Aws-Ec2-Metadata-Token": {token}}
	want := c.args[1:]
	if len(want) == 0 || slices.Contains(want, "--all") {
		want = []string{"-a", "-i", "-t", "-h", "-o", "-z", "-p", "-v"}
	}
	for _, w := range want {
		if l, ok := long[w]; ok {
			w = l
		}
		o, ok := opts[w]
		if !ok {
			return c.fail(1, "invalid option %s", w)
		}
		p := "/latest/meta-data/" + o[1]
		if o[1] == "" {
			p = "/latest/user-data"
		}
		code, body := get(http.MethodGet, p, hdr)
		if code != 200 {
			body = "not available"
		}
		fmt.Fprintf(c.stdout, "%s: %s\n", o[0], body)
	}
	return 0
}
