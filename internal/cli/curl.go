package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/awsxlab/awsx"
	"github.com/awsxlab/awsx/internal/cli/state"
	"github.com/awsxlab/awsx/sim"
)

// NewCmdSimCurl returns `awsx sim curl URL`: curl from your machine to the embedded simulator,
// for what a browser or curl fetches from AWS without the CLI: a bucket's website endpoint, a
// presigned URL.
func NewCmdSimCurl(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "curl [-s] [-f] [-i|-I] [-L] [-o FILE] [-X METHOD] [-H 'NAME: VALUE'] URL",
		Short: "Fetch an AWS URL (a website endpoint, a presigned URL) from the embedded simulator",
		Long: `Fetch a URL of the simulated AWS, as curl fetches it from AWS: the static website
endpoint of a bucket, a load balancer's DNS name, or a presigned URL.

  awsx sim curl http://my-bucket.s3-website-us-east-1.amazonaws.com/
  awsx sim curl http://web-1234567890.us-east-1.elb.amazonaws.com/
  awsx sim curl "$(awsx s3 presign s3://my-bucket/report.pdf)" -o report.pdf

The request goes to the embedded simulator in memory, unsigned unless the URL carries its
signature. Only AWS's hosts (*.amazonaws.com) are there. With --endpoint-url URL before the
other options, it goes to the simulator that awsx sim serve serves there, through its admin
API; curl itself reaches a served simulator too, at
http://BUCKET.s3-website-REGION.localhost:PORT/ and
http://NAME-1234567890.REGION.elb.localhost:PORT/.`,
		DisableFlagParsing:    true,
		DisableFlagsInUseLine: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 && (args[0] == "-h" || args[0] == "--help") {
				return cmd.Help()
			}
			args, err := cutEndpoint(cmd, args)
			if err != nil {
				return err
			}
			admin, err := adminOf(cmd.Context(), cmd, f)
			switch {
			case err != nil:
				return err
			case admin != nil:
				err = curl(f, admin.fetch(cmd.Context()), awsHostsOnly, args)
			default:
				err = onEmbedded(cmd.Context(), f, "sim curl", func(c *sim.Cloud) error { return curl(f, handlerFetch(c), awsHostsOnly, args) })
			}
			var ee *exitError
			if errors.As(err, &ee) {
				io.WriteString(f.IO.Err, ee.msg)
				return &exitCode{ee.code}
			}
			return err
		},
	}
}

// onEmbedded runs fn with the embedded simulator's state; command names the command in errors.
func onEmbedded(ctx context.Context, f *Factory, command string, fn func(*sim.Cloud) error) error {
	backend, opts, err := backendOf(f, globals{})
	if err != nil {
		return err
	}
	if backend != awsx.BackendSim {
		return fmt.Errorf("%s: works on the embedded simulator; the backend is %s", command, backend)
	}
	path, err := f.StateDir()
	if err != nil {
		return err
	}
	d, _, err := state.Open(path)
	if err != nil {
		return err
	}
	return d.Update(ctx, opts, func(c *sim.Cloud) error {
		c.SetInstanceCLI(instanceCLI(c))
		return fn(c)
	})
}

// A reach says whether a URL is reachable, and why not.
type reach func(u *url.URL) error

func awsHostsOnly(u *url.URL) error {
	if h := u.Hostname(); h != "amazonaws.com" && !strings.HasSuffix(h, ".amazonaws.com") {
		return &exitError{6, "curl: (6) Could not resolve host: " + h + " (the simulator has only AWS's hosts, *.amazonaws.com)\n"}
	}
	return nil
}

// maxRedirects is how many redirects -L follows, as curl's default --max-redirs is unlimited
// but a loop must end.
const maxRedirects = 10

// curl does what curl does with the options a lab uses, answered by fetch: -s -S (silent; errors
// are always shown), -f (exit 22 on an HTTP error), -i (headers too), -I (HEAD, headers only),
// -L (follow redirects), -o FILE, -X METHOD, -H 'Name: value'.
func curl(f *Factory, fetch fetch, reachable reach, args []string) error {
	streams := f.IO
	method, header := "", http.Header{}
	var target, outFile string
	var include, head, fail, follow bool
	args = splitShortOptions(args)
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch a {
		case "-s", "--silent", "-S", "--show-error":
			continue
		case "-f", "--fail":
			fail = true
			continue
		case "-i", "--include":
			include = true
			continue
		case "-I", "--head":
			head, include = true, true
			continue
		case "-L", "--location":
			follow = true
			continue
		case "-X", "--request", "-H", "--header", "-o", "--output":
			if i+1 == len(args) {
				return &exitError{2, "curl: option " + a + ": requires parameter\n"}
			}
			i++
			switch a {
			case "-X", "--request":
				method = args[i]
			case "-o", "--output":
				outFile = args[i]
			default:
				k, v, ok := strings.Cut(args[i], ":")
				if !ok {
					return &exitError{2, "curl: option " + a + ": header " + args[i] + " has no colon\n"}
				}
				header.Add(strings.TrimSpace(k), strings.TrimSpace(v))
			}
			continue
		}
		switch {
		case strings.HasPrefix(a, "-"):
			return &exitError{2, "curl: option " + a + ": not supported here (there are -s -S -f -i -I -L -o -X -H)\n"}
		case target != "":
			return &exitError{2, "curl: one URL at a time here\n"}
		}
		target = a
	}
	if target == "" {
		return &exitError{2, "curl: no URL specified\n"}
	}
	if !strings.Contains(target, "://") {
		target = "http://" + target
	}
	u, err := url.Parse(target)
	if err != nil || u.Host == "" {
		return &exitError{3, "curl: (3) URL using bad/illegal format or missing URL\n"}
	}
	switch {
	case method == "" && head:
		method = http.MethodHead
	case method == "":
		method = http.MethodGet
	}
	var w *httptest.ResponseRecorder
	for redirects := 0; ; redirects++ {
		if err := reachable(u); err != nil {
			return err
		}
		r := httptest.NewRequest(method, u.String(), nil)
		r.Header = header.Clone()
		if w, err = fetch(r); err != nil {
			return &exitError{7, "curl: (7) Failed to connect to " + u.Host + ": " + err.Error() + "\n"}
		}
		loc := w.Header().Get("Location")
		if !follow || w.Code < 300 || w.Code > 399 || loc == "" {
			break
		}
		if redirects == maxRedirects {
			return &exitError{47, fmt.Sprintf("curl: (47) Maximum (%d) redirects followed\n", maxRedirects)}
		}
		next, err := u.Parse(loc)
		if err != nil {
			return &exitError{3, "curl: (3) URL using bad/illegal format: " + loc + "\n"}
		}
		u = next
	}
	if fail && w.Code >= 400 {
		return &exitError{22, fmt.Sprintf("curl: (22) The requested URL returned error: %d\n", w.Code)}
	}
	out := streams.Out
	if outFile != "" {
		file, err := os.Create(f.Path(outFile))
		if err != nil {
			return &exitError{23, "curl: (23) Failure writing output to destination: " + err.Error() + "\n"}
		}
		defer file.Close()
		out = file
	}
	if include {
		fmt.Fprintf(out, "HTTP/1.1 %d %s\r\n", w.Code, http.StatusText(w.Code))
		w.Result().Header.Write(out)
		fmt.Fprint(out, "\r\n")
	}
	if method != http.MethodHead {
		_, err = w.Body.WriteTo(out)
	}
	return err
}

// splitShortOptions splits clusters of short options as curl reads them: -sSL is -s -S -L,
// and -so FILE is -s -o FILE. The word after an option that takes a value is left whole.
func splitShortOptions(args []string) []string {
	takesValue := func(opt string) bool { return opt == "-o" || opt == "-X" || opt == "-H" }
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if len(a) < 3 || a[0] != '-' || a[1] == '-' {
			out = append(out, a)
		} else {
			for _, c := range a[1:] {
				out = append(out, "-"+string(c))
			}
		}
		if takesValue(out[len(out)-1]) && i+1 < len(args) {
			i++
			out = append(out, args[i])
		}
	}
	return out
}
