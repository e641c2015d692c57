package cli

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// A customization is what the AWS CLI changes on one generated command: arguments of its own
// that fill in the input's members, members it hides, and defaults.
// (awscli/customizations/ec2: addcount.py, secgroupsimplify.py.)
type customization struct {
	extras []extra
	// removed are the operation's own flags that the command does not take.
	removed []string
	// defaults fills in members the command line left empty.
	defaults func(in any)
	// exclusive is a flag that none of the extras may accompany.
	exclusive string
	// prepare rewrites members as the AWS CLI does before it sends them.
	prepare func(in any)
}

// An extra is one of the AWS CLI's hand-made arguments: one word that sets members of the
// input.
type extra struct {
	flag, help string
	set        func(in any, value string) error
}

// customizations are keyed by service and command: "ec2 run-instances".
var customizations = map[string]*customization{
	"ec2 run-instances": {
		extras:  []extra{{flag: "count", help: "number of instances to launch: min[:max] (default 1)", set: setCount}},
		removed: []string{"min-count", "max-count"},
		defaults: func(in any) {
			ri := in.(*ec2.RunInstancesInput)
			if ri.MinCount == nil {
				ri.MinCount = aws.Int32(1)
			}
			if ri.MaxCount == nil {
				ri.MaxCount = aws.Int32(1)
			}
		},
		// User data is given as text and sent in base64, which the AWS CLI encodes
		// (botocore's base64_encode_user_data).
		prepare: func(in any) {
			if ri := in.(*ec2.RunInstancesInput); ri.UserData != nil {
				ri.UserData = aws.String(base64.StdEncoding.EncodeToString([]byte(*ri.UserData)))
			}
		},
	},
	"ec2 authorize-security-group-ingress": secgroupRule,
	"ec2 authorize-security-group-egress":  secgroupRule,
	"ec2 revoke-security-group-ingress":    secgroupRule,
	"ec2 revoke-security-group-egress":     secgroupRule,
}

// secgroupRule is one rule in scalar arguments: --protocol tcp --port 22 --cidr 203.0.113.0/24,
// or --source-group and --group-owner instead of --cidr. They fill in IpPermissions[0].
var secgroupRule = &customization{
	exclusive: "ip-permissions",
	extras: []extra{
		{flag: "protocol", help: "tcp, udp, icmp, all, or a protocol number", set: func(in any, v string) error {
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
		}},
		{flag: "port", help: "a port or a range, from-to (for ICMP, type-code); all or -1 for every port", set: func(in any, v string) error {
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
		}},
		{flag: "cidr", help: "the IPv4 address range, in CIDR notation", set: func(in any, v string) error {
			permission(in).IpRanges = []types.IpRange{{CidrIp: aws.String(v)}}
			return nil
		}},
		{flag: "source-group", help: "the name or ID of the source security group", set: func(in any, v string) error {
			pair := groupPair(in)
			if strings.HasPrefix(v, "sg-") {
				pair.GroupId = aws.String(v)
			} else {
				pair.GroupName = aws.String(v)
			}
			return nil
		}},
		{flag: "group-owner", help: "the account ID that owns the source security group", set: func(in any, v string) error {
			groupPair(in).UserId = aws.String(v)
			return nil
		}},
	},
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

// apply sets the extras given on the command line (words by flag) and then the defaults. It
// reports a usage error as the AWS CLI words it.
func (c *customization) apply(in any, words map[string][]string) error {
	if c == nil {
		return nil
	}
	for _, x := range c.extras {
		vals, ok := words[x.flag]
		if !ok {
			continue
		}
		if _, both := words[c.exclusive]; both && c.exclusive != "" {
			return &exitError{exitUsage, fmt.Sprintf("\nThe --%s option is not compatible with the --%s option \n", x.flag, c.exclusive)}
		}
		if len(vals) != 1 {
			return usageErr("argument --%s: expected one argument", x.flag)
		}
		if err := x.set(in, vals[0]); err != nil {
			return &exitError{exitUsage, "\n" + err.Error() + "\n"}
		}
	}
	if c.defaults != nil {
		c.defaults(in)
	}
	if c.prepare != nil {
		c.prepare(in)
	}
	return nil
}
