package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/awsxlab/awsx/internal/output"
)

// TestCustomizations checks the AWS CLI's hand-made arguments of ec2 by the input they bind,
// and their errors as the AWS CLI words them.
func TestCustomizations(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string // the bound input as JSON, or the error's text
		code int
	}{
		{args: []string{"ec2", "run-instances", "--image-id", "ami-1"}, want: `"MaxCount":1,"MinCount":1`},
		{args: []string{"ec2", "run-instances", "--image-id", "ami-1", "--count", "3"}, want: `"MaxCount":3,"MinCount":3`},
		{args: []string{"ec2", "run-instances", "--image-id", "ami-1", "--count", "2:5"}, want: `"MaxCount":5,"MinCount":2`},
		{args: []string{"ec2", "run-instances", "--image-id", "ami-1", "--count", "2:x"}, code: exitUsage, want: "count parameter should be of form min[:max] (e.g. 1 or 1:10)"},
		{args: []string{"ec2", "run-instances", "--image-id", "ami-1", "--count", "2", "3"}, code: exitUsage, want: "\nUnknown options: 3\n"},
		{args: []string{"ec2", "run-instances", "--image-id", "ami-1", "--count"}, code: exitUsage, want: "aws: error: argument --count: expected one argument"},
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
		// Checked before any value is read, and named by its Python name.
		{args: []string{"ec2", "revoke-security-group-egress", "--group-id", "sg-1", "--ip-permissions", "IpProtocol=tcp,FromPort=x", "--source-group", "sg-2"}, code: exitUsage,
			want: "The --source_group option is not compatible with the --ip-permissions option"},
		// run-instances' network arguments make the network interface, and the instance's
		// subnet, groups and address move into it; the user data is base64-encoded.
		{args: []string{"ec2", "run-instances", "--image-id", "ami-1", "--subnet-id", "subnet-1", "--security-group-ids", "sg-1", "--private-ip-address", "10.0.0.5", "--associate-public-ip-address"},
			want: `"NetworkInterfaces":[{"AssociateCarrierIpAddress":null,"AssociatePublicIpAddress":true,"ConnectionTrackingSpecification":null,"DeleteOnTermination":null,"Description":null,"DeviceIndex":0,"EnaQueueCount":null,"EnaSrdSpecification":null,"Groups":["sg-1"]`},
		{args: []string{"ec2", "run-instances", "--image-id", "ami-1", "--subnet-id", "subnet-1", "--private-ip-address", "10.0.0.5", "--associate-public-ip-address"},
			want: `"PrivateIpAddresses":[{"Primary":true,"PrivateIpAddress":"10.0.0.5"}],"SecondaryPrivateIpAddressCount":null,"SubnetId":"subnet-1"}]`},
		{args: []string{"ec2", "run-instances", "--image-id", "ami-1", "--subnet-id", "subnet-1", "--no-associate-public-ip-address"}, want: `"SecurityGroups":null,"SubnetId":null`},
		{args: []string{"ec2", "run-instances", "--image-id", "ami-1", "--subnet-id", "subnet-1", "--no-associate-public-ip-address"}, want: `"AssociatePublicIpAddress":false`},
		{args: []string{"ec2", "run-instances", "--image-id", "ami-1", "--secondary-private-ip-addresses", "10.0.0.6", "10.0.0.7"},
			want: `"PrivateIpAddresses":[{"Primary":false,"PrivateIpAddress":"10.0.0.6"},{"Primary":false,"PrivateIpAddress":"10.0.0.7"}]`},
		{args: []string{"ec2", "run-instances", "--image-id", "ami-1", "--secondary-private-ip-address-count", "x"}, code: exitUsage,
			want: "argument --secondary-private-ip-address-count: invalid int value: 'x'"},
		{args: []string{"ec2", "run-instances", "--image-id", "ami-1", "--associate-public-ip-address", "--network-interfaces", "DeviceIndex=0"}, code: exitUsage,
			want: "Mixing the --network-interfaces option with the simple, scalar options is not supported."},
		{args: []string{"ec2", "run-instances", "--image-id", "ami-1", "--user-data", "echo hi"}, want: `"UserData":"ZWNobyBoaQ=="`},
		// Flags renamed (argrename.py): on run-instances' boolean, not on toplevelbool's.
		{args: []string{"ec2", "run-instances", "--image-id", "ami-1", "--enable-api-termination"}, want: `"DisableApiTermination":false`},
		{args: []string{"ec2", "run-instances", "--image-id", "ami-1", "--no-disable-api-termination"}, code: exitUsage, want: "Unknown options: --no-disable-api-termination"},
		{args: []string{"ec2", "modify-instance-attribute", "--instance-id", "i-1", "--no-disable-api-termination"}, want: `"DisableApiTermination":{"Value":false}`},
		{args: []string{"ec2", "modify-instance-attribute", "--instance-id", "i-1", "--enable-api-termination"}, code: exitUsage, want: "Unknown options: --enable-api-termination"},
		// A structure of one boolean Value is a switch in ec2 (toplevelbool.py).
		{args: []string{"ec2", "modify-subnet-attribute", "--subnet-id", "subnet-1", "--map-public-ip-on-launch"}, want: `"MapPublicIpOnLaunch":{"Value":true}`},
		{args: []string{"ec2", "modify-subnet-attribute", "--subnet-id", "subnet-1", "--map-public-ip-on-launch", "Value=false"}, want: `"MapPublicIpOnLaunch":{"Value":false}`},
		{args: []string{"ec2", "modify-subnet-attribute", "--subnet-id", "subnet-1", "--no-map-public-ip-on-launch"}, want: `"MapPublicIpOnLaunch":{"Value":false}`},
		{args: []string{"ec2", "modify-subnet-attribute", "--subnet-id", "subnet-1", "--map-public-ip-on-launch", "Value=true", "more"}, code: exitUsage, want: "\nUnknown options: more\n"},
		{args: []string{"ec2", "modify-subnet-attribute", "--subnet-id", "subnet-1", "--no-map-public-ip-on-launch", "--map-public-ip-on-launch"}, code: exitUsage,
			want: `Cannot specify both the "--map-public-ip-on-launch" option and the "--no-map-public-ip-on-launch" option.`},
		{args: []string{"ec2", "modify-subnet-attribute", "--subnet-id", "subnet-1", "--no-map-public-ip-on-launch", "x"}, code: exitUsage, want: "Unknown options: x"},
		{args: []string{"ec2", "modify-vpc-attribute", "--vpc-id", "vpc-1", "--enable-dns-hostnames", `{"Value":true}`}, want: `"EnableDnsHostnames":{"Value":true}`},
		{args: []string{"ec2", "run-instances", "--image-id", "ami-1", "--user-data", "#!/bin/bash"}, want: `"UserData":"IyEvYmluL2Jhc2g="`},
		{args: []string{"iam", "update-login-profile", "--user-name", "alex", "--no-password-reset-required"}, want: `"PasswordResetRequired":false`},
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
	iv := &invocation{svc: svc, op: op, g: g, args: named, seen: order, f: NewFactory(&IO{}, nil, "")}
	in := reflect.New(op.in.Elem()).Interface()
	return in, iv.bind(in)
}

func asExit(err error, target **exitError) bool { return errors.As(err, target) }

// TestDecodeToken reads --starting-token as botocore does: a resume token, or an old-style one.
func TestDecodeToken(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		token string
		want  map[string]string
		skip  int
		err   string
	}{
		{token: resumeToken(output.Paginator{InputTokens: []string{"NextToken"}}, map[string]string{"NextToken": "abc"}, 2), want: map[string]string{"NextToken": "abc"}, skip: 2},
		{token: "None___2", want: map[string]string{}, skip: 2},
		{token: "abc___x", want: map[string]string{"NextToken": "abc___x"}},
		{token: "not-a-token", want: map[string]string{"NextToken": "not-a-token"}},
		{token: "a___b___3", err: "Bad starting token: a___b___3"},
	} {
		got, skip, err := decodeToken(tc.token, []string{"NextToken"})
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("%q: error %v, want %q", tc.token, err, tc.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) || skip != tc.skip {
			t.Errorf("%q: %v %d %v, want %v %d", tc.token, got, skip, err, tc.want, tc.skip)
		}
	}
}
