package cli

import "testing"

// ec2NetSession uses the EC2 operations of a VPC's private networking as the AWS documentation
// does: DHCP options sets; each part in a VPC of its own, ending with its deletes and their
// refusals.
var ec2NetSession = []step{
	// DHCP options sets.
	{args: []string{"ec2", "describe-dhcp-options"}},
	{args: []string{"ec2", "describe-dhcp-options", "--output", "yaml"}},
	{args: []string{"ec2", "describe-dhcp-options", "--query", "DhcpOptions[0].DhcpOptionsId", "--output", "text"}, capture: "defdopt"},
	{args: []string{"ec2", "create-vpc", "--cidr-block", "10.20.0.0/16", "--query", "Vpc.VpcId", "--output", "text"}, capture: "dvpc"},
	{args: []string{"ec2", "create-dhcp-options", "--dhcp-configurations", "Key=domain-name-servers,Values=10.2.5.1,10.2.5.2", "Key=domain-name,Values=corp.example.com",
		"--tag-specifications", "ResourceType=dhcp-options,Tags=[{Key=Name,Value=corp}]"}},
	{args: []string{"ec2", "create-dhcp-options", "--dhcp-configurations", `[{"Key":"netbios-node-type","Values":["2"]},{"Key":"ntp-servers","Values":["169.254.169.123"]}]`, "--output", "text"}},
	{args: []string{"ec2", "create-dhcp-options", "--dhcp-configurations", "Key=domain-search,Values=x"}},
	{args: []string{"ec2", "create-dhcp-options", "--dhcp-configurations", "Key=netbios-node-type,Values=3"}},
	{args: []string{"ec2", "describe-dhcp-options", "--filters", "Name=tag:Name,Values=corp", "--query", "DhcpOptions[0].DhcpOptionsId", "--output", "text"}, capture: "dopt"},
	{args: []string{"ec2", "describe-dhcp-options", "--dhcp-options-ids", "{dopt}", "--output", "table"}},
	{args: []string{"ec2", "describe-dhcp-options", "--filters", "Name=key,Values=domain-name", "--query", "DhcpOptions[].DhcpConfigurations", "--output", "text"}},
	{args: []string{"ec2", "describe-dhcp-options", "--dhcp-options-ids", "dopt-0123456789abcdef0"}},
	{args: []string{"ec2", "associate-dhcp-options", "--dhcp-options-id", "{dopt}", "--vpc-id", "{dvpc}"}},
	{args: []string{"ec2", "describe-vpcs", "--vpc-ids", "{dvpc}", "--query", "Vpcs[0].DhcpOptionsId", "--output", "text"}},
	{args: []string{"ec2", "delete-dhcp-options", "--dhcp-options-id", "{dopt}"}},
	{args: []string{"ec2", "associate-dhcp-options", "--dhcp-options-id", "default", "--vpc-id", "{dvpc}"}},
	{args: []string{"ec2", "describe-vpcs", "--filters", "Name=dhcp-options-id,Values=default", "--query", "Vpcs[].VpcId", "--output", "text"}},
	{args: []string{"ec2", "delete-dhcp-options", "--dhcp-options-id", "{dopt}"}},
	{args: []string{"ec2", "delete-dhcp-options", "--dhcp-options-id", "{dopt}"}},
	{args: []string{"ec2", "delete-dhcp-options", "--dhcp-options-id", "{defdopt}"}},
	{args: []string{"ec2", "delete-vpc", "--vpc-id", "{dvpc}"}},
}

// The EC2 operations of private networking, through the AWS CLI v1, v2 and awsx.
func TestParityEC2PrivateNetworks(t *testing.T) {
	t.Parallel()
	compareSession(t, ec2NetSession, nil)
}
