package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// TestCustomizations checks the AWS CLI's hand-made arguments of ec2 by the input they bind,
// and their errors as the AWS CLI words them.
func TestCustomizations(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string // the bound input as JSON, or the error's text
		code int
	}{
		{args: []string{"ec2", "run-instances", "--image-id", "ami-1"}, want: `"MaxCount":1,"MinCount":1`},
		{args: []string{"ec2", "run-instances", "--image-id", "ami-1", "--count", "3"}, want: `"MaxCount":3,"MinCount":3`},
		{args: []string{"ec2", "run-instances", "--image-id", "ami-1", "--count", "2:5"}, want: `"MaxCount":5,"MinCount":2`},
		{args: []string{"ec2", "run-instances", "--image-id", "ami-1", "--count", "2:x"}, code: exitUsage, want: "count parameter should be of form min[:max] (e.g. 1 or 1:10)"},
		{args: []string{"ec2", "run-instances", "--image-id", "ami-1", "--min-count", "1"}, code: exitUsage, want: "Unknown options: --min-count"},
		{args: []string{"ec2", "authorize-security-group-ingress", "--group-name", "web", "--protocol", "tcp", "--port", "22", "--cidr", "203.0.113.0/24"},
			want: `"IpPermissions":[{"FromPort":22,"IpProtocol":"tcp","IpRanges":[{"CidrIp":"203.0.113.0/24"`},
		{args: []string{"ec2", "authorize-security-group-ingress", "--group-name", "web", "--protocol", "all", "--port", "all", "--source-group", "full-access", "--group-owner", "123456789012"},
			want: `"IpPermissions":[{"FromPort":-1,"IpProtocol":"-1","IpRanges":null,"Ipv6Ranges":null,"PrefixListIds":null,"ToPort":-1,"UserIdGroupPairs":[{"Description":null,"GroupId":null,"GroupName":"full-access"`},
		{args: []string{"ec2", "authorize-security-group-egress", "--group-id", "sg-1", "--protocol", "udp", "--port", "1000-2000", "--source-group", "sg-2"},
			want: `"FromPort":1000,"IpProtocol":"udp"`},
		{args: []string{"ec2", "revoke-security-group-ingress", "--group-id", "sg-1", "--protocol", "300"}, code: exitUsage,
			want: "protocol numbers must be in the range 0-255 or -1 to specify all protocols"},
		{args: []string{"ec2", "authorize-security-group-ingress", "--group-id", "sg-1", "--protocol", "foo"}, code: exitUsage,
			want: "protocol parameter should be one of: tcp|udp|icmp|all or any valid protocol number."},
		{args: []string{"ec2", "authorize-security-group-ingress", "--group-id", "sg-1", "--protocol", "tcp", "--port", "22-x"}, code: exitUsage,
			want: "port parameter should be of the form <from[-to]> (e.g. 22 or 22-25)"},
		{args: []string{"ec2", "authorize-security-group-ingress", "--group-id", "sg-1", "--protocol", "tcp", "--ip-permissions", "IpProtocol=tcp"}, code: exitUsage,
			want: "The --protocol option is not compatible with the --ip-permissions option"},
		{args: []string{"ec2", "run-instances", "--image-id", "ami-1", "--user-data", "#!/bin/bash"}, want: `"UserData":"IyEvYmluL2Jhc2g="`},
		// EC2's structures of one boolean are flags (awscli/customizations/toplevelbool.py).
		{args: []string{"ec2", "modify-subnet-attribute", "--subnet-id", "subnet-1", "--map-public-ip-on-launch"}, want: `"MapPublicIpOnLaunch":{"Value":true}`},
		{args: []string{"ec2", "modify-subnet-attribute", "--subnet-id", "subnet-1", "--no-map-public-ip-on-launch"}, want: `"MapPublicIpOnLaunch":{"Value":false}`},
		{args: []string{"ec2", "modify-subnet-attribute", "--subnet-id", "subnet-1", "--map-public-ip-on-launch", "Value=false"}, want: `"MapPublicIpOnLaunch":{"Value":false}`},
		{args: []string{"ec2", "modify-vpc-attribute", "--vpc-id", "vpc-1", "--enable-dns-hostnames", `{"Value":true}`}, want: `"EnableDnsHostnames":{"Value":true}`},
		{args: []string{"ec2", "modify-subnet-attribute", "--subnet-id", "subnet-1", "--no-map-public-ip-on-launch", "x"}, code: exitUsage, want: "Unknown options: x"},
	} {
		in, err := bindOnly(tc.args)
		if tc.code != 0 {
			var ee *exitError
			if err == nil || !asExit(err, &ee) || ee.code != tc.code || !strings.Contains(ee.msg, tc.want) {
				t.Errorf("%s: error %v, want exit %d with %q", strings.Join(tc.args, " "), err, tc.code, tc.want)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", strings.Join(tc.args, " "), err)
			continue
		}
		b, _ := json.Marshal(in)
		if !bytes.Contains(b, []byte(tc.want)) {
			t.Errorf("%s: input %s, want it to hold %s", strings.Join(tc.args, " "), b, tc.want)
		}
	}
}

// bindOnly parses `awsx <service> <operation> args…` and binds the input, without calling.
func bindOnly(args []string) (any, error) {
	svc := lookupService(args[0])
	op := svc.operation(args[1])
	g, named, order, err := parseArgs(globals{}, args[2:])
	if err != nil {
		return nil, err
	}
	iv := &invocation{svc: svc, op: op, g: g, args: named, seen: order}
	in := reflect.New(op.in.Elem()).Interface()
	return in, iv.bind(in, "")
}

func asExit(err error, target **exitError) bool { return errors.As(err, target) }
