package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/spf13/cobra"

	"github.com/awsxlab/awsx"
	"github.com/awsxlab/awsx/internal/cli/state"
	"github.com/awsxlab/awsx/sim"
)

// NewCmdSimOn returns `awsx sim on INSTANCE COMMAND…`: a command run as if on a simulated
// instance, where 169.254.169.254 is the instance's metadata service and the AWS CLI signs
// with the instance role's credentials.
func NewCmdSimOn(streams *IO) *cobra.Command {
	return &cobra.Command{
		Use:   "on INSTANCE-ID (aws|awsx|curl) ARGS…",
		Short: "Run a command as if on a simulated instance: its metadata service and its role",
		Long: `Run a command as if logged in to an instance of the embedded simulator.

  awsx sim on i-0abc… curl http://169.254.169.254/latest/meta-data/instance-id
  awsx sim on i-0abc… aws sts get-caller-identity

curl reaches only the instance metadata service (options -s -S -f -i -X -H). aws (or awsx)
runs with no profile and no keys of yours: like the AWS CLI on an instance, it takes the
region and the credentials of the instance's IAM role from the metadata service.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
				return nil
			}
			return cobra.MinimumNArgs(2)(cmd, args)
		},
		DisableFlagParsing:    true,
		DisableFlagsInUseLine: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if args[0] == "-h" || args[0] == "--help" {
				return cmd.Help()
			}
			id, prog, rest := args[0], args[1], args[2:]
			var err error
			switch prog {
			case "aws", "awsx":
				root := NewCmdRoot(streams)
				root.SetArgs(rest)
				return root.ExecuteContext(withInstance(cmd.Context(), id))
			case "curl":
				err = onInstance(cmd.Context(), id, func(c *sim.Cloud) error { return curl(streams, c.Metadata(id), rest) })
			default:
				err = &exitError{127, prog + ": command not found (a simulated instance has aws, awsx and curl)\n"}
			}
			var ee *exitError
			if errors.As(err, &ee) {
				io.WriteString(streams.Err, ee.msg)
				return &exitCode{ee.code}
			}
			return err
		},
	}
}

type instanceKey struct{}

// withInstance marks ctx as running on the instance called id.
func withInstance(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, instanceKey{}, id)
}

// instanceFrom returns the instance ctx runs on, "" for none.
func instanceFrom(ctx context.Context) string {
	id, _ := ctx.Value(instanceKey{}).(string)
	return id
}

// onInstance runs f with the embedded simulator's state, which must hold the instance.
func onInstance(ctx context.Context, id string, f func(*sim.Cloud) error) error {
	s, err := awsx.NewSettings()
	if err != nil {
		return err
	}
	if b := s.GetString("backend"); b != awsx.BackendSim {
		return fmt.Errorf("sim on: runs on the embedded simulator's instances; the backend is %s", b)
	}
	opts, err := awsx.SimOptions(s)
	if err != nil {
		return err
	}
	d, _, err := state.Open("")
	if err != nil {
		return err
	}
	return d.Update(ctx, opts, func(c *sim.Cloud) error {
		if _, err := c.InstanceConfig(id); err != nil {
			return fmt.Errorf("sim on: the simulator has no instance %s", id)
		}
		return f(c)
	})
}

// curl does what curl does with the few options a lab uses, against the metadata service:
// the only address a simulated instance reaches.
func curl(streams *IO, metadata http.Handler, args []string) error {
	method, header, include, fail := "", http.Header{}, false, false
	var target string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-s" || a == "--silent" || a == "-S" || a == "--show-error" || a == "-sS" || a == "-Ss":
		case a == "-f" || a == "--fail" || a == "-sf" || a == "-fs":
			fail = true
		case a == "-i" || a == "--include":
			include = true
		case (a == "-X" || a == "--request" || a == "-H" || a == "--header") && i+1 < len(args):
			i++
			if a == "-X" || a == "--request" {
				method = args[i]
				break
			}
			k, v, ok := strings.Cut(args[i], ":")
			if !ok {
				return &exitError{2, "curl: option " + a + ": header " + args[i] + " has no colon\n"}
			}
			header.Add(strings.TrimSpace(k), strings.TrimSpace(v))
		case strings.HasPrefix(a, "-"):
			return &exitError{2, "curl: option " + a + ": not supported on a simulated instance (it has -s -S -f -i -X -H)\n"}
		case target != "":
			return &exitError{2, "curl: one URL at a time on a simulated instance\n"}
		default:
			target = a
		}
	}
	u, err := url.Parse(target)
	if err != nil || target == "" {
		return &exitError{3, "curl: (3) URL using bad/illegal format or missing URL\n"}
	}
	if u.Scheme == "" {
		u, _ = url.Parse("http://" + target)
	}
	if u.Hostname() != "169.254.169.254" || u.Scheme != "http" {
		return &exitError{7, "curl: (7) Failed to connect to " + u.Host + ": a simulated instance reaches only its metadata service, http://169.254.169.254\n"}
	}
	if method == "" {
		method = http.MethodGet
	}
	r := httptest.NewRequest(method, u.String(), nil)
	r.Header = header
	w := httptest.NewRecorder()
	metadata.ServeHTTP(w, r)
	if fail && w.Code >= 400 {
		return &exitError{22, fmt.Sprintf("curl: (22) The requested URL returned error: %d\n", w.Code)}
	}
	if include {
		fmt.Fprintf(streams.Out, "HTTP/1.1 %d %s\r\n", w.Code, http.StatusText(w.Code))
		w.Result().Header.Write(streams.Out)
		fmt.Fprint(streams.Out, "\r\n")
	}
	_, err = w.Body.WriteTo(streams.Out)
	return err
}
