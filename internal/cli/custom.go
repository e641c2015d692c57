package cli

import (
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/internal/cli/params"
)

// A customization is what the AWS CLI changes on one generated command: arguments of its own
// that fill in the input's members, members it hides, checks of the words given, and changes
// to the input before it is sent.
// (awscli/customizations/ec2: addcount.py, secgroupsimplify.py, runinstances.py; botocore's
// handlers.py for the user data.)
type customization struct {
	extras []extra
	// removed are the operation's own flags that the command does not take.
	removed []string
	// hidden are the operation's own flags that the command takes but its help does not show.
	hidden []string
	// check refuses combinations of flags (words by flag), as the AWS CLI's
	// operation-args-parsed handlers do, before any value is read.
	check func(words map[string][]string) error
	// build changes the input once the command line is in it, as the AWS CLI's
	// before-parameter-build handlers do: defaults, members moved, values encoded.
	build func(in any)
	// after changes the output before it is printed, as the AWS CLI's after-call handlers
	// do; words are the command line's by flag, path names a file of the working directory.
	after func(out any, words map[string][]string, path func(string) string) error
}

// An extra is one of the AWS CLI's hand-made arguments: it sets members of the input from
// its words.
type extra struct {
	flag, help string
	nargs      nargs
	set        func(in any, words []string) error
	required   bool
}

// nargs is how many words an extra takes, as argparse's nargs says it.
type nargs int

const (
	oneWord  nargs = iota // one: --count 2
	anyWords              // any number: --secondary-private-ip-addresses a b
	noWord                // none, a switch: --associate-public-ip-address
)

// oneValue adapts a setter of one word.
func oneValue(set func(in any, v string) error) func(any, []string) error {
	return func(in any, words []string) error { return set(in, words[0]) }
}

// customizations are keyed by service and command: "ec2 run-instances".
var customizations = map[string]*customization{
	"ec2 run-instances": {
		extras: []extra{
			{flag: "count", help: "number of instances to launch: min[:max] (default 1)", set: oneValue(setCount)},
			{flag: "secondary-private-ip-addresses", help: "secondary private IP addresses of the network interface", nargs: anyWords, set: setSecondaryAddresses},
			{flag: "secondary-private-ip-address-count", help: "how many secondary private IP addresses to assign", set: oneValue(setSecondaryCount)},
			{flag: "associate-public-ip-address", help: "give the instance a public IP address", nargs: noWord, set: setPublicIP(true)},
			{flag: "no-associate-public-ip-address", help: "give the instance no public IP address", nargs: noWord, set: setPublicIP(false)},
		},
		removed: []string{"min-count", "max-count"},
		check:   checkNetworkInterfaces,
		build:   buildRunInstances,
	},
	"ec2 authorize-security-group-ingress": secgroupRule,
	"ec2 authorize-security-group-egress":  secgroupRule,
	"ec2 revoke-security-group-ingress":    secgroupRule,
	"ec2 revoke-security-group-egress":     secgroupRule,
	"cloudwatch put-metric-data":           putMetricData,
	"iam create-virtual-mfa-device":        createVirtualMFADevice,
}

// secgroupRule is one rule in scalar arguments: --protocol tcp --port 22 --cidr 203.0.113.0/24,
// or --source-group and --group-owner instead of --cidr. They fill in IpPermissions[0].
var secgroupRule = &customization{
	check:  checkIPPermissions,
	hidden: []string{"ip-protocol", "from-port", "to-port", "cidr-ip", "source-security-group-name", "source-security-group-owner-id"},
	extras: []extra{
		{flag: "protocol", help: "tcp, udp, icmp, all, or a protocol number", set: oneValue(func(in any, v string) error {
			if n, err := strconv.Atoi(v); err == nil {
				if (n < 0 || n > 255) && n != -1 {
					return fmt.Errorf("protocol numbers must be in the range 0-255 or -1 to specify all protocols")
				}
			} else if v != "tcp" && v != "udp" && v != "icmp" && v != "all" {
				return fmt.Errorf("protocol parameter should be one of: tcp|udp|icmp|all or any valid protocol number.")
			}
			if v == "all" {
				v = "-1"
			}
			permission(in).IpProtocol = aws.String(v)
			return nil
		})},
		{flag: "port", help: "a port or a range, from-to (for ICMP, type-code); all or -1 for every port", set: oneValue(func(in any, v string) error {
			from, to, ok := strings.Cut(v, "-")
			switch {
			case v == "all" || v == "-1":
				from, to = "-1", "-1"
			case !ok:
				to = from
			}
			f, err1 := strconv.Atoi(from)
			t, err2 := strconv.Atoi(to)
			if err1 != nil || err2 != nil {
				return fmt.Errorf("port parameter should be of the form <from[-to]> (e.g. 22 or 22-25)")
			}
			p := permission(in)
			p.FromPort, p.ToPort = aws.Int32(int32(f)), aws.Int32(int32(t))
			return nil
		})},
		{flag: "cidr", help: "the IPv4 address range, in CIDR notation", set: oneValue(func(in any, v string) error {
			permission(in).IpRanges = []types.IpRange{{CidrIp: aws.String(v)}}
			return nil
		})},
		{flag: "source-group", help: "the name or ID of the source security group", set: oneValue(func(in any, v string) error {
			pair := groupPair(in)
			if strings.HasPrefix(v, "sg-") {
				pair.GroupId = aws.String(v)
			} else {
				pair.GroupName = aws.String(v)
			}
			return nil
		})},
		{flag: "group-owner", help: "the account ID that owns the source security group", set: oneValue(func(in any, v string) error {
			groupPair(in).UserId = aws.String(v)
			return nil
		})},
	},
}

// checkIPPermissions refuses the scalar arguments beside --ip-permissions. The AWS CLI names
// them by their Python names: --source_group, --group_owner.
func checkIPPermissions(words map[string][]string) error {
	if !given(words, "ip-permissions") {
		return nil
	}
	for _, flag := range []string{"protocol", "port", "cidr", "source-group", "group-owner"} {
		if given(words, flag) {
			return &exitError{exitUsage, fmt.Sprintf("\nThe --%s option is not compatible with the --ip-permissions option \n", strings.ReplaceAll(flag, "-", "_"))}
		}
	}
	return nil
}

// given reports whether the flag has a value Python finds true: it was given with a word that
// is not empty, or as a switch.
func given(words map[string][]string, flag string) bool {
	ws, ok := words[flag]
	return ok && (len(ws) == 0 || len(ws) > 1 || ws[0] != "")
}

// setCount reads --count N or --count MIN:MAX.
func setCount(in any, v string) error {
	lo, hi, ok := strings.Cut(v, ":")
	if !ok {
		hi = lo
	}
	min, err1 := strconv.ParseInt(lo, 10, 32)
	max, err2 := strconv.ParseInt(hi, 10, 32)
	if err1 != nil || err2 != nil || strings.Contains(hi, ":") {
		return fmt.Errorf("count parameter should be of form min[:max] (e.g. 1 or 1:10)")
	}
	ri := in.(*ec2.RunInstancesInput)
	ri.MinCount, ri.MaxCount = aws.Int32(int32(min)), aws.Int32(int32(max))
	return nil
}

// networkInterface returns the network interface that run-instances' scalar arguments fill in:
// the first, device 0, made when there is none.
func networkInterface(ri *ec2.RunInstancesInput) *types.InstanceNetworkInterfaceSpecification {
	if len(ri.NetworkInterfaces) == 0 {
		ri.NetworkInterfaces = []types.InstanceNetworkInterfaceSpecification{{DeviceIndex: aws.Int32(0)}}
	}
	return &ri.NetworkInterfaces[0]
}

func setSecondaryAddresses(in any, words []string) error {
	if len(words) == 0 {
		return nil
	}
	ni := networkInterface(in.(*ec2.RunInstancesInput))
	if ni.PrivateIpAddresses != nil {
		return nil
	}
	for _, w := range words {
		ni.PrivateIpAddresses = append(ni.PrivateIpAddresses, types.PrivateIpAddressSpecification{PrivateIpAddress: aws.String(w), Primary: aws.Bool(false)})
	}
	return nil
}

func setSecondaryCount(in any, v string) error {
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 32)
	if err != nil {
		return usageErr("argument --secondary-private-ip-address-count: invalid int value: '%s'", v)
	}
	if n != 0 {
		networkInterface(in.(*ec2.RunInstancesInput)).SecondaryPrivateIpAddressCount = aws.Int32(int32(n))
	}
	return nil
}

func setPublicIP(v bool) func(any, []string) error {
	return func(in any, _ []string) error {
		networkInterface(in.(*ec2.RunInstancesInput)).AssociatePublicIpAddress = aws.Bool(v)
		return nil
	}
}

// checkNetworkInterfaces refuses run-instances' scalar network arguments beside
// --network-interfaces (--no-associate-public-ip-address escapes the AWS CLI's check).
func checkNetworkInterfaces(words map[string][]string) error {
	if !given(words, "network-interfaces") {
		return nil
	}
	count := words["secondary-private-ip-address-count"]
	if given(words, "secondary-private-ip-addresses") || given(words, "associate-public-ip-address") ||
		len(count) == 1 && strings.TrimSpace(count[0]) != "0" && count[0] != "" {
		return &exitError{exitUsage, "\nMixing the --network-interfaces option with the simple, scalar options is not supported.\n"}
	}
	return nil
}

// buildRunInstances is what the AWS CLI does to a RunInstances input before sending it: one
// instance unless told (addcount.py); the instance's subnet, groups and addresses moved into
// the network interface when the scalar arguments made one (runinstances.py), since EC2 takes
// them in one place only; the user data base64-encoded (botocore's base64_encode_user_data).
func buildRunInstances(in any) {
	ri := in.(*ec2.RunInstancesInput)
	if ri.MaxCount == nil {
		ri.MaxCount = aws.Int32(1)
	}
	if ri.MinCount == nil {
		ri.MinCount = aws.Int32(1)
	}
	if len(ri.NetworkInterfaces) > 0 {
		ni := &ri.NetworkInterfaces[0]
		if ni.PrivateIpAddresses != nil || ni.SecondaryPrivateIpAddressCount != nil || ni.AssociatePublicIpAddress != nil {
			if ri.SubnetId != nil {
				ni.SubnetId, ri.SubnetId = ri.SubnetId, nil
			}
			if ri.SecurityGroupIds != nil {
				ni.Groups, ri.SecurityGroupIds = ri.SecurityGroupIds, nil
			}
			if ri.PrivateIpAddress != nil {
				// The primary address replaces the secondary ones, as in the AWS CLI.
				ni.PrivateIpAddresses = []types.PrivateIpAddressSpecification{{PrivateIpAddress: ri.PrivateIpAddress, Primary: aws.Bool(true)}}
				ri.PrivateIpAddress = nil
			}
			if ri.Ipv6AddressCount != nil {
				ni.Ipv6AddressCount, ri.Ipv6AddressCount = ri.Ipv6AddressCount, nil
			}
			if ri.Ipv6Addresses != nil {
				ni.Ipv6Addresses, ri.Ipv6Addresses = ri.Ipv6Addresses, nil
			}
		}
	}
	if ri.UserData != nil {
		ri.UserData = aws.String(base64.StdEncoding.EncodeToString([]byte(*ri.UserData)))
	}
}

// permission returns the rule the scalar arguments fill in: the input's first IpPermissions.
func permission(in any) *types.IpPermission {
	var perms *[]types.IpPermission
	switch in := in.(type) {
	case *ec2.AuthorizeSecurityGroupIngressInput:
		perms = &in.IpPermissions
	case *ec2.AuthorizeSecurityGroupEgressInput:
		perms = &in.IpPermissions
	case *ec2.RevokeSecurityGroupIngressInput:
		perms = &in.IpPermissions
	case *ec2.RevokeSecurityGroupEgressInput:
		perms = &in.IpPermissions
	default:
		panic(fmt.Sprintf("cli: no security group rule in %T", in))
	}
	if len(*perms) == 0 {
		*perms = []types.IpPermission{{}}
	}
	return &(*perms)[0]
}

// groupPair returns the first source group of the rule.
func groupPair(in any) *types.UserIdGroupPair {
	p := permission(in)
	if len(p.UserIdGroupPairs) == 0 {
		p.UserIdGroupPairs = []types.UserIdGroupPair{{}}
	}
	return &p.UserIdGroupPairs[0]
}

// renames are the flags the AWS CLI renames (awscli/customizations/argrename.py), by
// "service command flag", "*" for any command, in the services awsx has. They apply to the
// flags of the operation's members, before toplevelbool.py adds its --no- flags.
var renames = map[string]string{
	"ec2 create-image no-no-reboot":    "reboot",
	"ec2 * no-egress":                  "ingress",
	"ec2 * no-disable-api-termination": "enable-api-termination",
	"sns subscribe endpoint":           "notification-endpoint",
}

func renamed(service, command, flag string) string {
	if to, ok := renames[service+" "+command+" "+flag]; ok {
		return to
	}
	if to, ok := renames[service+" * "+flag]; ok {
		return to
	}
	return flag
}

// An opFlag is a flag of one of the operation's members, as the AWS CLI presents it.
type opFlag struct {
	p params.Param
	// value is what a switch sets: the boolean of --x or --no-x, or of a top-level boolean
	// structure; nil for the flags that take words.
	value *bool
	// topBool marks --x of a structure of one boolean Value (ec2's toplevelbool.py): alone it
	// means {"Value": true}, or it takes one word, shorthand or JSON. Its --no-x is pair.
	topBool bool
	pair    string
}

// operationFlags returns the operation's flags by name: one per member, --no-x beside a
// boolean's --x, renamed as the AWS CLI renames them, and in ec2, --x and --no-x for each
// structure of one boolean Value (--map-public-ip-on-launch, --no-source-dest-check).
func operationFlags(service string, op *operation, custom *customization) map[string]opFlag {
	out := map[string]opFlag{}
	add := func(name string, f opFlag) { out[renamed(service, op.command, name)] = f }
	var tops []params.Param
	for _, p := range params.Params(op.in) {
		switch {
		case custom.removes(p.Flag):
		case p.Kind == params.Bool:
			add(p.Flag, opFlag{p: p, value: aws.Bool(true)})
			add("no-"+p.Flag, opFlag{p: p, value: aws.Bool(false)})
		case service == "ec2" && p.Kind == params.Structure && boolValue(p.Type):
			tops = append(tops, p)
		default:
			add(p.Flag, opFlag{p: p})
		}
	}
	for _, p := range tops {
		out[p.Flag] = opFlag{p: p, value: aws.Bool(true), topBool: true, pair: "no-" + p.Flag}
		out["no-"+p.Flag] = opFlag{p: p, value: aws.Bool(false), pair: p.Flag}
	}
	return out
}

// extra returns the customization's argument of that flag.
func (c *customization) extra(flag string) (extra, bool) {
	if c == nil {
		return extra{}, false
	}
	for _, x := range c.extras {
		if x.flag == flag {
			return x, true
		}
	}
	return extra{}, false
}

// hides says whether the command's help leaves out the operation's flag.
func (c *customization) hides(flag string) bool {
	return c != nil && slices.Contains(c.hidden, flag)
}

// removes says whether the command does not take the operation's flag.
func (c *customization) removes(flag string) bool {
	if c == nil {
		return false
	}
	for _, h := range c.removed {
		if h == flag || "no-"+h == flag {
			return true
		}
	}
	return false
}

// apply sets the extras given on the command line (words by flag) and then builds the input.
// It reports a usage error as the AWS CLI words it.
func (c *customization) apply(in any, words map[string][]string) error {
	if c == nil {
		return nil
	}
	for _, x := range c.extras {
		vals, ok := words[x.flag]
		if !ok {
			continue
		}
		if x.nargs == oneWord && len(vals) == 0 {
			return usageErr("argument --%s: expected one argument", x.flag)
		}
		if err := x.set(in, vals); err != nil {
			var ee *exitError
			if errors.As(err, &ee) {
				return err
			}
			return &exitError{exitUsage, "\n" + err.Error() + "\n"}
		}
	}
	if c.build != nil {
		c.build(in)
	}
	return nil
}
