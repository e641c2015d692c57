package sim

import (
	"io/fs"
	"net/netip"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/guest"
)

// An SSHHost is the instance that a client connecting to an address finds there (an SSH
// client, scp), as much of it as the client's checks need.
type SSHHost struct {
	Instance string
	Region   string
	Address  netip.Addr // the address connected to
	Private  bool       // Address is the instance's private address
	State    string     // pending, running, stopping, stopped, shutting-down
	Windows  bool
	// PublicKey is the public key of the key pair the instance was launched with, as an
	// authorized_keys line; "" when it has none. KeyName names the key pair.
	PublicKey, KeyName string
	// User is the image's default user (ec2-user, ubuntu, admin), the only one with the key.
	User string
	// Amazon says the image is Amazon Linux's, whose sshd offers GSSAPI too.
	Amazon bool
	// Hostname is the instance's short host name: ip-10-0-1-5.
	Hostname string
	// Image is the name of the instance's image: al2023-ami-2023.6…, ubuntu/images/….
	Image string
}

// hostDNS are EC2's DNS names of an address: ec2-3-80-12-7.compute-1.amazonaws.com,
// ec2-3-80-12-7.us-west-2.compute.amazonaws.com, ip-10-0-1-5.ec2.internal,
// ip-10-0-1-5.us-west-2.compute.internal.
var hostDNS = regexp.MustCompile(`^(?:ec2|ip)-(\d{1,3})-(\d{1,3})-(\d{1,3})-(\d{1,3})\.(?:compute-1\.amazonaws\.com|[a-z0-9-]+\.compute\.amazonaws\.com|ec2\.internal|[a-z0-9-]+\.compute\.internal)\.?$`)

// HostAddress returns the address that host names: an IPv4 address, or one of EC2's public or
// private DNS names of an address. ok is false for any other name, which resolves to
// nothing in the simulator.
func HostAddress(host string) (a netip.Addr, ok bool) {
	if a, err := netip.ParseAddr(host); err == nil {
		return a, true
	}
	m := hostDNS.FindStringSubmatch(strings.ToLower(host))
	if m == nil {
		return a, false
	}
	a, err := netip.ParseAddr(strings.Join(m[1:5], "."))
	return a, err == nil
}

// SSHHost returns the instance that has the address a (private, public or Elastic IP) in
// any region; ok is false when none has it.
func (c *Cloud) SSHHost(a netip.Addr) (h SSHHost, ok bool) {
	if c.needs(c.compute) != nil {
		return h, false
	}
	id, private, ok := c.compute.InstanceAt(a)
	if !ok {
		return h, false
	}
	v, ok := c.compute.Instance(id)
	if !ok {
		return h, false
	}
	name, _ := c.compute.ImageName(v.Region, aws.ToString(v.Instance.ImageId))
	h = SSHHost{Instance: id, Region: v.Region, Address: a, Private: private, PublicKey: v.PublicKey,
		KeyName: aws.ToString(v.Instance.KeyName), User: guest.DefaultUser(name), Amazon: guest.AmazonLinux(name),
		Image:    name,
		Windows:  strings.HasPrefix(name, "Windows") || v.Instance.Platform == types.PlatformValuesWindows,
		Hostname: "ip-" + strings.ReplaceAll(aws.ToString(v.Instance.PrivateIpAddress), ".", "-")}
	if v.Instance.State != nil {
		h.State = string(v.Instance.State.Name)
	}
	return h, true
}

// Listening reports whether a service of the instance listens on the tcp port: sshd on 22
// unless stopped, a web server started on 80 …
func (c *Cloud) Listening(id string, port int) bool { return c.hosts().Listening(id, port) }

// An InstanceFile is one of a running instance's files, as a client copying files sees it.
type InstanceFile struct {
	Name string
	Dir  bool
	Mode fs.FileMode
}

// StatInstanceFile returns the file p of the running instance id as user sees it ("" for the
// image's default user, or "root"); a relative p is in the user's home directory. The
// errors are *fs.PathError with the C library's words ("No such file or directory").
func (c *Cloud) StatInstanceFile(id, user, p string) (InstanceFile, error) {
	in, err := c.guestFiles(id)
	if err != nil {
		return InstanceFile{}, err
	}
	fi, err := c.guests.Stat(in, user, p)
	return InstanceFile(fi), err
}

// ReadInstanceFile returns the contents of the file p of the running instance id, read as user.
func (c *Cloud) ReadInstanceFile(id, user, p string) ([]byte, error) {
	in, err := c.guestFiles(id)
	if err != nil {
		return nil, err
	}
	return c.guests.ReadFile(in, user, p)
}

// ReadInstanceDir returns the entries of the directory p of the running instance id, sorted.
func (c *Cloud) ReadInstanceDir(id, user, p string) ([]InstanceFile, error) {
	in, err := c.guestFiles(id)
	if err != nil {
		return nil, err
	}
	list, err := c.guests.ReadDir(in, user, p)
	out := make([]InstanceFile, len(list))
	for i, f := range list {
		out[i] = InstanceFile(f)
	}
	return out, err
}

// WriteInstanceFile writes data to the file p of the running instance id as user, creating
// it with mode (less the umask's 022) if need be.
func (c *Cloud) WriteInstanceFile(id, user, p string, data []byte, mode fs.FileMode) error {
	in, err := c.guestFiles(id)
	if err != nil {
		return err
	}
	defer c.commit(false)
	return c.guests.WriteFile(in, user, p, data, mode)
}

// MkdirInstance makes the directory p on the running instance id as user; one that exists
// is no error.
func (c *Cloud) MkdirInstance(id, user, p string) error {
	in, err := c.guestFiles(id)
	if err != nil {
		return err
	}
	defer c.commit(false)
	return c.guests.Mkdir(in, user, p)
}

// guestFiles returns the running instance id, for a file call.
func (c *Cloud) guestFiles(id string) (guest.Instance, error) {
	if err := c.needs(c.compute); err != nil {
		return guest.Instance{}, err
	}
	if err := c.needs(c.guests); err != nil {
		return guest.Instance{}, err
	}
	return c.guestInstance(id)
}
