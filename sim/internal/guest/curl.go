package guest

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
)

// curlOptions are the options curl takes here.
type curlOptions struct {
	method, target, out, data string
	header                    http.Header
	silent, showErr, fail     bool
	include, head, follow     bool
	remoteName                bool
}

// takesValue reports whether a curl option takes the next word as its value.
func takesValue(o string) bool {
	switch o {
	case "-o", "-X", "-H", "-d", "-m", "-w", "-u", "-A", "-e", "--output", "--request", "--header", "--data", "--data-raw",
		"--data-binary", "--max-time", "--connect-timeout", "--retry", "--write-out", "--user-agent", "--referer":
		return true
	}
	return false
}

func parseCurl(args []string) (curlOptions, string) {
	o := curlOptions{header: http.Header{}}
	var words []string
	for i := 0; i < len(args); i++ { // split -sSL into -s -S -L, -so FILE into -s -o FILE
		a := args[i]
		if len(a) > 2 && a[0] == '-' && a[1] != '-' {
			for j, r := range a[1:] {
				words = append(words, "-"+string(r))
				if takesValue("-"+string(r)) && j < len(a)-2 {
					words = append(words, a[j+2:])
					break
				}
			}
			continue
		}
		words = append(words, a)
	}
	for i := 0; i < len(words); i++ {
		a := words[i]
		if takesValue(a) {
			if i+1 == len(words) {
				return o, "curl: option " + a + ": requires parameter"
			}
			i++
			v := words[i]
			switch a {
			case "-X", "--request":
				o.method = v
			case "-o", "--output":
				o.out = v
			case "-H", "--header":
				k, val, ok := strings.Cut(v, ":")
				if !ok {
					continue // curl ignores a header without a colon
				}
				o.header.Add(strings.TrimSpace(k), strings.TrimSpace(val))
			case "-d", "--data", "--data-raw", "--data-binary":
				o.data = v
			}
			continue
		}
		switch a {
		case "-s", "--silent":
			o.silent = true
		case "-S", "--show-error":
			o.showErr = true
		case "-f", "--fail":
			o.fail = true
		case "-i", "--include":
			o.include = true
		case "-I", "--head":
			o.head, o.include = true, true
		case "-L", "--location":
			o.follow = true
		case "-O", "--remote-name":
			o.remoteName = true
		case "-k", "--insecure", "-v", "--verbose", "-4", "-6", "--compressed", "-#", "--progress-bar":
		default:
			if strings.HasPrefix(a, "-") {
				return o, "curl: option " + a + ": is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information"
			}
			o.target = a
		}
	}
	if o.target == "" {
		return o, "curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more information"
	}
	return o, ""
}

// curl fetches a URL from the instance: its metadata service (169.254.169.254), its own
// services (localhost, 127.0.0.1, its private address and host name), and, when the cloud
// gives a way, AWS's endpoints; nothing else resolves.
func curl(c *cmd) int {
	o, bad := parseCurl(c.args[1:])
	if bad != "" {
		fmt.Fprintln(c.stderr, bad)
		return 2
	}
	target := o.target
	if !strings.Contains(target, "://") {
		target = "http://" + target
	}
	u, err := url.Parse(target)
	if err != nil || u.Host == "" {
		return c.curlErr(o, 3, "URL rejected: Malformed input to a URL function")
	}
	if u.Path == "" {
		u.Path = "/" // what curl asks for
	}
	method := o.method
	switch {
	case method == "" && o.head:
		method = http.MethodHead
	case method == "" && o.data != "":
		method = http.MethodPost
	case method == "":
		method = http.MethodGet
	}
	var w *httptest.ResponseRecorder
	for redirects := 0; ; redirects++ {
		h, code, why := c.route(u)
		if h == nil {
			return c.curlErr(o, code, why)
		}
		var body io.Reader
		if o.data != "" {
			body = strings.NewReader(o.data)
		}
		r := httptest.NewRequest(method, u.String(), body)
		r.Header = o.header.Clone()
		if o.data != "" && r.Header.Get("Content-Type") == "" {
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		r.Header.Set("User-Agent", "curl/8.5.0")
		w = httptest.NewRecorder()
		h.ServeHTTP(w, r)
		loc := w.Header().Get("Location")
		if !o.follow || w.Code < 300 || w.Code > 399 || loc == "" {
			break
		}
		if redirects == 50 {
			return c.curlErr(o, 47, "Maximum (50) redirects followed")
		}
		next, err := u.Parse(loc)
		if err != nil {
			return c.curlErr(o, 3, "URL rejected: Malformed input to a URL function")
		}
		u = next
	}
	if o.fail && w.Code >= 400 {
		return c.curlErr(o, 22, fmt.Sprintf("The requested URL returned error: %d", w.Code))
	}
	var out bytes.Buffer
	if o.include {
		fmt.Fprintf(&out, "HTTP/1.1 %d %s\r\n", w.Code, http.StatusText(w.Code))
		w.Result().Header.Write(&out)
		out.WriteString("\r\n")
	}
	if method != http.MethodHead {
		out.Write(w.Body.Bytes())
	}
	if !o.silent && (o.out != "" || o.remoteName) {
		n := strconv.Itoa(w.Body.Len())
		fmt.Fprintf(c.stderr, "  %% Total    %% Received %% Xferd  Average Speed   Time    Time     Time  Current\n"+
			"                                 Dload  Upload   Total   Spent    Left  Speed\n"+
			"100 %5s  100 %5s    0     0   %5s      0 --:--:-- --:--:-- --:--:-- %5s\n", n, n, n, n)
	}
	name := o.out
	if o.remoteName {
		name = u.Path[strings.LastIndex(u.Path, "/")+1:]
		if name == "" {
			return c.curlErr(o, 23, "Remote file name has no length")
		}
	}
	if name == "" || name == "-" {
		c.stdout.Write(out.Bytes())
		return 0
	}
	var werr error
	c.sh.s.update(c.sh.id, func(m *machine) {
		werr = m.Files.write(c.user, c.abs(name), out.Bytes(), false, 0o644, c.sh.s.clock.Now())
	})
	if werr != nil {
		return c.curlErr(o, 23, "Failure writing output to destination")
	}
	return 0
}

// curlErr prints curl's error line (unless -s without -S) and returns its exit code.
func (c *cmd) curlErr(o curlOptions, code int, msg string) int {
	if !o.silent || o.showErr {
		fmt.Fprintf(c.stderr, "curl: (%d) %s\n", code, msg)
	}
	return code
}

// route returns what answers u from the instance, or curl's exit code and message when
// nothing does.
func (c *cmd) route(u *url.URL) (http.Handler, int, string) {
	host := u.Hostname()
	port := 80
	if u.Scheme == "https" {
		port = 443
	}
	if p := u.Port(); p != "" {
		v, err := strconv.Atoi(p)
		if err != nil || v < 1 || v > 65535 {
			return nil, 3, "URL rejected: Port number was not a decimal number between 0 and 65535"
		}
		port = v
	}
	var hostname string
	c.sh.s.view(c.sh.id, func(m *machine) { hostname = m.Hostname })
	own := strings.ReplaceAll(strings.TrimPrefix(strings.SplitN(hostname, ".", 2)[0], "ip-"), "-", ".")
	switch {
	case host == "169.254.169.254" || host == "instance-data" || host == "instance-data.ec2.internal":
		if c.sh.s.env.Metadata == nil || port != 80 || u.Scheme != "http" {
			return nil, 7, fmt.Sprintf("Failed to connect to %s port %d after 0 ms: Couldn't connect to server", host, port)
		}
		return c.sh.s.env.Metadata(c.sh.id), 0, ""
	case host == "localhost" || host == "127.0.0.1" || host == "0.0.0.0" || host == "::1" || host == hostname || host == own:
		if u.Scheme == "https" {
			return nil, 7, fmt.Sprintf("Failed to connect to %s port %d after 0 ms: Couldn't connect to server", host, port)
		}
		if h := c.sh.s.Handler(c.sh.id, port); h != nil {
			return h, 0, ""
		}
		if c.sh.s.Listening(c.sh.id, port) {
			return nil, 1, fmt.Sprintf("Received HTTP/0.9 when not allowed")
		}
		return nil, 7, fmt.Sprintf("Failed to connect to %s port %d after 0 ms: Couldn't connect to server", host, port)
	case c.sh.s.env.Fetch != nil && (host == "amazonaws.com" || strings.HasSuffix(host, ".amazonaws.com")):
		return fetcher{c.sh.s.env.Fetch}, 0, ""
	}
	// The internet and the other instances are not modelled (yet) from inside an instance.
	return nil, 7, fmt.Sprintf("Failed to connect to %s port %d after 0 ms: Couldn't connect to server\n"+
		"awsx sim: an instance's curl reaches its metadata service (169.254.169.254), its own services (localhost) and AWS's endpoints", host, port)
}

// fetcher answers a request with the cloud's own HTTP client (AWS's endpoints, in memory).
type fetcher struct {
	do func(*http.Request) (*http.Response, error)
}

func (f fetcher) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	out := r.Clone(r.Context())
	out.RequestURI = ""
	resp, err := f.do(out)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.StatusCode)
	io.Copy(w, io.LimitReader(resp.Body, maxDiskBytes))
}
