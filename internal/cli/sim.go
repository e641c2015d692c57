package cli

import (
	"context"
	"fmt"
	"log"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/awsxlab/awsx/sim"
)

// NewCmdSim returns `awsx sim`, the simulator's own commands.
func NewCmdSim(streams *IO) *cobra.Command {
	cmd := &cobra.Command{Use: "sim", Short: "Run the simulator"}
	cmd.AddCommand(NewCmdSimServe(streams, nil), NewCmdSimOn(streams), NewCmdSimCurl(streams))
	cmd.AddCommand(NewCmdSimSpotPrice(streams), NewCmdSimInterrupt(streams), NewCmdSimAdvance(streams)) // simspot.go
	return cmd
}

// ServeOptions are the settings of `awsx sim serve`.
type ServeOptions struct {
	IO       *IO
	Addr     string
	StateDir string
	Seed     uint64
	Clock    time.Time
	AnyKey   bool
	NoAuthz  bool
	// Ready, when set, is called with the bound address once the server listens (tests).
	Ready func(addr string)
}

// NewCmdSimServe returns `awsx sim serve`; runF replaces the command's action in tests.
func NewCmdSimServe(streams *IO, runF func(context.Context, *ServeOptions) error) *cobra.Command {
	o := &ServeOptions{IO: streams}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the simulator over HTTP for the AWS CLI, boto3 and the SDKs",
		Long: `Serve the simulator on a loopback address. Point any AWS client at it:

  aws --endpoint-url http://127.0.0.1:4566 sts get-caller-identity

The account is 123456789012; its root's keys are AKIAIOSFODNN7EXAMPLE /
wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY. Every request is signed and authorized.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(cmd.Context(), o)
			}
			return serveRun(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Addr, "addr", "127.0.0.1:4566", "address to listen on (loopback unless you name another)")
	f.StringVar(&o.StateDir, "state-dir", "", "directory that keeps the state across restarts (none: in memory only)")
	f.Uint64Var(&o.Seed, "seed", 1, "seed of the generated IDs")
	f.TimeVar(&o.Clock, "clock", time.Time{}, []string{time.RFC3339}, "stop the simulator's clock at this time (RFC 3339), for output with the same dates on every run")
	f.BoolVar(&o.AnyKey, "any-access-key", false, "accept any unknown access key as the root (for tools that use dummy keys such as test/test)")
	f.BoolVar(&o.NoAuthz, "no-enforce", false, "turn IAM authorization off (signatures are still checked)")
	return cmd
}

func serveRun(ctx context.Context, o *ServeOptions) error {
	opts := []sim.Option{sim.WithSeed(o.Seed)}
	if !o.Clock.IsZero() {
		opts = append(opts, sim.WithClock(func() time.Time { return o.Clock }))
	}
	if o.AnyKey {
		opts = append(opts, sim.WithAnyAccessKey())
	}
	if o.NoAuthz {
		opts = append(opts, sim.WithoutEnforcement())
	}
	cloud := sim.New(opts...)
	if o.StateDir != "" {
		// The server holds the directory for its lifetime; each change is journaled before
		// its request is answered.
		var err error
		if cloud, err = sim.Open(ctx, o.StateDir, false, opts...); err != nil {
			return err
		}
		defer cloud.Close()
	}
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return err
	}
	logger := log.New(o.IO.Err, "", log.LstdFlags|log.Lmicroseconds)
	srv := &http.Server{Handler: logRequests(logger, cloud), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(o.IO.Err, "awsx sim: serving account %s on http://%s\n", cloud.Account(), ln.Addr())
	if o.Ready != nil {
		o.Ready(ln.Addr().String())
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(shut)
	}
}
