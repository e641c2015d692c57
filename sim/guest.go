package sim

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/ec2sim"
	"github.com/awsxlab/awsx/sim/internal/efssim"
	"github.com/awsxlab/awsx/sim/internal/guest"
	"github.com/awsxlab/awsx/sim/internal/world"
)

// newGuests makes the instances' operating systems and has EC2 tell them when instances
// boot and shut down.
func (c *Cloud) newGuests() {
	c.guests = guest.NewStore(c.clock, guest.Env{
		Metadata: c.Metadata,
		Fetch:    c.HTTPClient().Do,
		Mount:    c.guestMount,
	})
	c.compute.OnInstance(func(e ec2sim.InstanceEvent) {
		if strings.HasPrefix(e.ImageName, "Windows") || c.needs(c.guests) != nil {
			return // the simulator models Linux instances' operating systems only
		}
		c.guests.Handle(context.Background(), guest.Event{
			Kind:     guest.EventKind(e.Kind),
			Instance: guest.Instance{ID: e.Instance, Region: e.Region, ImageName: e.ImageName, PrivateIP: e.PrivateIP, ImageID: e.Image},
			UserData: e.UserData,
			Time:     e.Time,
			Image:    e.Image, SourceImage: e.SourceImage, SourceRegion: e.SourceRegion,
		})
	})
}

// guestMount answers an instance's mount of an EFS file system (`mount -t efs`, `mount -t
// nfs4`): EFS's check of the mount target, the network on TCP 2049 and the file system policy.
func (c *Cloud) guestMount(ctx context.Context, instance, region, target string, tls bool) (fsID, reason string, ok bool) {
	if err := c.needs(c.files); err != nil {
		return "", err.Error(), false
	}
	v := c.files.CanMount(ctx, efssim.Mount{Region: region, Instance: instance, Target: target, TLS: tls})
	if !v.OK {
		return "", v.Reason, false
	}
	return c.files.MountedFileSystem(region, target), "", true
}

// An AWSCall is one run of the AWS CLI on an instance (see [Cloud.SetInstanceCLI]): its
// arguments and streams, and what the instance's own ~/.aws and environment say — the keys
// of the profile in use, its region and output format — each empty when they say nothing,
// and the CLI then takes the instance role's credentials from the metadata service
// ([Cloud.InstanceConfig]).
type AWSCall struct {
	Instance                                   string
	Args                                       []string
	Stdin                                      io.Reader
	Stdout, Stderr                             io.Writer
	AccessKeyID, SecretAccessKey, SessionToken string
	Region, Output                             string
}

// SetInstanceCLI sets the program that answers `aws` (and `awsx`) on the instances: the
// awsx command sets its own CLI. Without one, `aws` on an instance says that none runs. run
// returns the command's exit status.
func (c *Cloud) SetInstanceCLI(run func(ctx context.Context, call AWSCall) int) {
	if run == nil {
		c.guests.SetAWS(nil)
		return
	}
	c.guests.SetAWS(func(ctx context.Context, g guest.AWSCall) int {
		return run(ctx, AWSCall(g))
	})
}

// RunOptions are the streams and user of [Cloud.Run].
type RunOptions struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// User is whom the command runs as: "" for the image's default user (ec2-user,
	// ubuntu, admin), or "root".
	User string
}

// Run runs a shell command line (or a whole script) on the running instance id, as if
// logged in to it, and returns its exit status. See "Inside an instance" in the package
// documentation for what the instance's shell has; its sleep moves the cloud's clock, as
// [Cloud.Advance] does, and takes no wall time. err is for what is not the command's
// doing: no such instance, one that is not running, a Windows instance.
func (c *Cloud) Run(ctx context.Context, id, script string, opts RunOptions) (exit int, err error) {
	if err := c.needs(c.compute); err != nil {
		return 0, err
	}
	if err := c.needs(c.guests); err != nil {
		return 0, err
	}
	in, err := c.guestInstance(id)
	if err != nil {
		return 0, err
	}
	// What the command changed on the instance is kept as a request's change is.
	defer func() { err = errors.Join(err, c.commit(false)) }()
	user := opts.User
	if user != "" && user != "root" {
		user = "" // the image's default user is the only other one
	}
	// sleep moves the simulator's clock, as Advance does; user data at boot does not (guest.Env).
	code, err := c.guests.Run(ctx, in, script, guest.RunOptions{Stdin: opts.Stdin, Stdout: opts.Stdout, Stderr: opts.Stderr, User: user, Sleep: c.Advance})
	if err != nil {
		return 0, fmt.Errorf("sim: instance %s is not running", id)
	}
	return code, nil
}

// guestInstance returns what the operating system of the running instance id needs of it.
func (c *Cloud) guestInstance(id string) (guest.Instance, error) {
	v, ok := c.compute.Instance(id)
	if !ok {
		return guest.Instance{}, fmt.Errorf("sim: no instance %s", id)
	}
	if v.Instance.State == nil || v.Instance.State.Name != types.InstanceStateNameRunning {
		state := "not running"
		if v.Instance.State != nil {
			state = string(v.Instance.State.Name)
		}
		return guest.Instance{}, fmt.Errorf("sim: instance %s is %s; commands run only on a running instance", id, state)
	}
	name, _ := c.compute.ImageName(v.Region, aws.ToString(v.Instance.ImageId))
	if strings.HasPrefix(name, "Windows") || v.Instance.Platform == types.PlatformValuesWindows {
		return guest.Instance{}, fmt.Errorf("sim: instance %s runs Windows; the simulator models Linux instances' operating systems only", id)
	}
	return guest.Instance{ID: id, Region: v.Region, ImageName: name, PrivateIP: aws.ToString(v.Instance.PrivateIpAddress)}, nil
}

// hosts returns the instances' operating systems as the network sees them: which ports
// listen, and what answers HTTP there — a test's, else the guests'. The guests' never call
// EC2, so EC2 may ask them while it holds its own lock. An instance launched before its
// cloud modelled operating systems listens on nothing until a command runs on it ([Cloud.Run]
// gives it one).
func (c *Cloud) hosts() world.Hosts {
	if c.opts.hosts != nil {
		return c.opts.hosts
	}
	return guestHosts{c}
}

type guestHosts struct{ c *Cloud }

func (h guestHosts) Listening(instance string, port int) bool {
	return h.c.needs(h.c.guests) == nil && h.c.guests.Listening(instance, port)
}

func (h guestHosts) Handler(instance string, port int) http.Handler {
	if h.c.needs(h.c.guests) != nil {
		return nil
	}
	return h.c.guests.Handler(instance, port)
}

// ErrNotListening is the error of [Cloud.FetchInstance] when nothing on the instance
// listens on the port.
var ErrNotListening = errors.New("sim: nothing listens on the instance's port")

// FetchInstance sends an HTTP GET for path to the instance's port, as a client next to the
// instance would (the network between is not consulted), and returns the answer, for tests
// and tools. err is [ErrNotListening] when nothing answers HTTP there.
func (c *Cloud) FetchInstance(id string, port int, path string) (*http.Response, error) {
	h := c.hosts().Handler(id, port)
	if h == nil {
		return nil, ErrNotListening
	}
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
	return w.Result(), nil
}
