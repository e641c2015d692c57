package guest

import (
	"fmt"
	"html"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
)

// Listening reports whether a service of the instance listens on the port (tcp): a started
// unit of an installed package (httpd, nginx, sshd, mariadb …) or a program started by hand
// (python3 -m http.server). A machine that is not running listens on nothing.
func (s *Store) Listening(instance string, port int) bool {
	ok := false
	s.view(instance, func(m *machine) { _, ok = m.listener(port) })
	return ok
}

// Handler returns what answers HTTP on the instance's port, nil when nothing listens there
// or what listens does not speak HTTP (a database, SSH).
func (s *Store) Handler(instance string, port int) http.Handler {
	var st *site
	s.view(instance, func(m *machine) { st, _ = m.listener(port) })
	if st == nil {
		return nil
	}
	st.s, st.id = s, instance
	return st
}

// site is a web server: where it serves files from, and how it words its answers.
type site struct {
	s       *Store
	id      string
	root    string
	server  string // the Server header
	kind    string // apache, nginx, python
	listing bool   // lists directories without an index
	user    string // whom it reads files as
}

// listener returns the web server on the port (nil for a service that is not HTTP), and
// whether anything listens there. s.mu is held.
func (m *machine) listener(port int) (*site, bool) {
	if !m.Running {
		return nil, false
	}
	if l, ok := m.Listeners[port]; ok {
		return &site{root: l.Dir, server: "SimpleHTTP/0.6 Python/" + catalogOf(m.family())["python3"].Version, kind: "python", listing: true, user: l.User}, true
	}
	f := m.family()
	for name, u := range m.Units {
		if !u.Active {
			continue
		}
		p := catalogOf(f)[u.Package]
		if p == nil || p.Port != port {
			continue
		}
		if !p.Web {
			return nil, true
		}
		st := &site{root: f.Docroot[p.Name], kind: "nginx", server: "nginx/" + p.Version, user: "nobody"}
		if name != "nginx" {
			os := "Amazon Linux"
			if !f.amazon() {
				os = strings.Fields(f.Pretty)[0]
			}
			st.kind, st.server = "apache", "Apache/"+p.Version+" ("+os+")"
		}
		return st, true
	}
	return nil, false
}

func (st *site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Server", st.server)
	w.Header().Set("Date", st.s.clock.Now().UTC().Format(http.TimeFormat))
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		switch st.kind {
		case "python":
			st.page(w, r, http.StatusNotImplemented, "Unsupported method ('"+r.Method+"')")
		default:
			st.page(w, r, http.StatusMethodNotAllowed, "")
		}
		return
	}
	urlPath := path.Clean("/" + r.URL.Path)
	p := path.Join(st.root, urlPath)
	var n *node
	var index *node
	var kids []string
	var err error
	st.s.view(st.id, func(m *machine) {
		// the server runs as its own user: what it reads must be other-readable
		if n, err = m.Files.lookup(st.user, p); err != nil {
			return
		}
		n = n.clone()
		if n.Dir {
			if ix, ok := m.Files[path.Join(p, "index.html")]; ok && !ix.Dir {
				index = ix.clone()
			}
			kids = m.Files.children(p)
			for i, k := range kids {
				if m.Files[path.Join(p, k)].Dir {
					kids[i] += "/"
				}
			}
		}
	})
	switch {
	case err == errAccess:
		st.page(w, r, http.StatusForbidden, "")
		return
	case err != nil:
		st.page(w, r, http.StatusNotFound, "")
		return
	case n.Dir && !strings.HasSuffix(r.URL.Path, "/") && r.URL.Path != "":
		http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
		return
	case n.Dir && index != nil:
		n, p = index, path.Join(p, "index.html")
	case n.Dir && st.listing:
		var b strings.Builder
		fmt.Fprintf(&b, "<!DOCTYPE HTML>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Directory listing for %[1]s</title>\n</head>\n<body>\n<h1>Directory listing for %[1]s</h1>\n<hr>\n<ul>\n", html.EscapeString(urlPath+trailing(urlPath)))
		for _, k := range kids {
			fmt.Fprintf(&b, "<li><a href=\"%s\">%s</a></li>\n", html.EscapeString(k), html.EscapeString(k))
		}
		b.WriteString("</ul>\n<hr>\n</body>\n</html>\n")
		st.write(w, r, http.StatusOK, "text/html; charset=utf-8", []byte(b.String()))
		return
	case n.Dir:
		st.page(w, r, http.StatusForbidden, "")
		return
	}
	if !canRead(st.user, n) {
		st.page(w, r, http.StatusForbidden, "")
		return
	}
	ctype := mime.TypeByExtension(path.Ext(p))
	if ctype == "" {
		ctype = http.DetectContentType(n.Data)
	}
	w.Header().Set("Last-Modified", n.Mod.UTC().Format(http.TimeFormat))
	st.write(w, r, http.StatusOK, ctype, n.Data)
}

func trailing(p string) string {
	if strings.HasSuffix(p, "/") {
		return ""
	}
	return "/"
}

func (st *site) write(w http.ResponseWriter, r *http.Request, code int, ctype string, body []byte) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(code)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// page answers an error as the server words it.
func (st *site) page(w http.ResponseWriter, r *http.Request, code int, msg string) {
	text := http.StatusText(code)
	var body string
	switch st.kind {
	case "nginx":
		body = fmt.Sprintf("<html>\r\n<head><title>%[1]d %[2]s</title></head>\r\n<body>\r\n<center><h1>%[1]d %[2]s</h1></center>\r\n<hr><center>%[3]s</center>\r\n</body>\r\n</html>\r\n", code, text, st.server)
	case "python":
		if msg == "" {
			msg = map[int]string{404: "File not found", 403: "Forbidden"}[code]
		}
		body = fmt.Sprintf("<!DOCTYPE HTML>\n<html lang=\"en\">\n    <head>\n        <meta charset=\"utf-8\">\n        <title>Error response</title>\n    </head>\n    <body>\n        <h1>Error response</h1>\n        <p>Error code: %d</p>\n        <p>Message: %s.</p>\n    </body>\n</html>\n", code, html.EscapeString(msg))
	default:
		detail := map[int]string{404: "The requested URL was not found on this server.", 403: "You don't have permission to access this resource.",
			405: "The requested method is not allowed for this URL."}[code]
		body = fmt.Sprintf("<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>%d %s</title>\n</head><body>\n<h1>%s</h1>\n<p>%s</p>\n</body></html>\n", code, text, text, detail)
	}
	st.write(w, r, code, "text/html; charset=utf-8", []byte(body))
}

// python answers python3 (python3 -m http.server, --version); the simulator runs no other
// Python program.
func python(c *cmd) int {
	args := c.args[1:]
	if len(args) > 0 && (args[0] == "--version" || args[0] == "-V") {
		fmt.Fprintf(c.stdout, "Python %s\n", pythonVersion(c))
		return 0
	}
	if len(args) < 2 || args[0] != "-m" || args[1] != "http.server" {
		fmt.Fprintln(c.stderr, "awsx sim: a simulated instance runs python3 only as `python3 -m http.server [PORT] [--directory DIR]` and `python3 --version`")
		return 1
	}
	port, dir := 8000, c.dir
	rest := args[2:]
	for i := 0; i < len(rest); i++ {
		switch a := rest[i]; {
		case (a == "--directory" || a == "-d" || a == "--bind" || a == "-b") && i+1 < len(rest):
			if a == "--directory" || a == "-d" {
				dir = c.abs(rest[i+1])
			}
			i++
		case strings.HasPrefix(a, "--directory="):
			dir = c.abs(strings.TrimPrefix(a, "--directory="))
		case strings.HasPrefix(a, "-"):
		default:
			v, err := strconv.Atoi(a)
			if err != nil || v < 1 || v > 65535 {
				fmt.Fprintf(c.stderr, "usage: python3 -m http.server [-h] [--cgi] [-b ADDRESS] [-d DIRECTORY] [-p VERSION] [port]\npython3 -m http.server: error: argument port: invalid int value: '%s'\n", a)
				return 2
			}
			port = v
		}
	}
	if port < 1024 && c.user != "root" {
		fmt.Fprintln(c.stderr, "Traceback (most recent call last):\n  ...\nPermissionError: [Errno 13] Permission denied")
		return 1
	}
	taken := false
	c.sh.s.update(c.sh.id, func(m *machine) {
		if _, busy := m.listener(port); busy {
			taken = true
			return
		}
		m.Listeners[port] = &listener{Port: port, Dir: dir, User: c.user}
	})
	if taken {
		fmt.Fprintln(c.stderr, "Traceback (most recent call last):\n  ...\nOSError: [Errno 98] Address already in use")
		return 1
	}
	fmt.Fprintf(c.stdout, "Serving HTTP on 0.0.0.0 port %d (http://0.0.0.0:%d/) ...\n", port, port)
	return 0
}

func pythonVersion(c *cmd) string {
	if p := catalogOf(c.sh.fam)["python3"]; p != nil {
		return p.Version
	}
	return "3"
}
