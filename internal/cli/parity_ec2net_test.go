package cli

import "testing"

// ec2NetSession uses the EC2 operations of a VPC's private networking as the AWS documentation
// does: DHCP options sets, secondary IPv4 blocks and IPv6, VPC peering; each part in a VPC of its own, ending with its deletes and their
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

	// Secondary IPv4 blocks and IPv6. The simulator's Amazon-provided /56s are the same on
	// every run: this session's first is 2600:1f47:69bd:100::/56.
	{args: []string{"ec2", "create-vpc", "--cidr-block", "10.21.0.0/16", "--amazon-provided-ipv6-cidr-block", "--query", "Vpc.VpcId", "--output", "text"}, capture: "v6vpc"},
	{args: []string{"ec2", "describe-vpcs", "--vpc-ids", "{v6vpc}"}},
	{args: []string{"ec2", "describe-vpcs", "--vpc-ids", "{v6vpc}", "--output", "table"}},
	{args: []string{"ec2", "associate-vpc-cidr-block", "--vpc-id", "{v6vpc}", "--cidr-block", "10.22.0.0/16"}},
	{args: []string{"ec2", "associate-vpc-cidr-block", "--vpc-id", "{v6vpc}", "--cidr-block", "192.168.0.0/16"}},
	{args: []string{"ec2", "associate-vpc-cidr-block", "--vpc-id", "{v6vpc}", "--cidr-block", "10.21.128.0/17"}},
	{args: []string{"ec2", "associate-vpc-cidr-block", "--vpc-id", "{v6vpc}", "--amazon-provided-ipv6-cidr-block"}},
	{args: []string{"ec2", "describe-vpcs", "--filters", "Name=cidr-block-association.cidr-block,Values=10.22.0.0/16", "--query", "Vpcs[0].CidrBlockAssociationSet[1].AssociationId", "--output", "text"}, capture: "v4assoc"},
	{args: []string{"ec2", "describe-vpcs", "--vpc-ids", "{v6vpc}", "--query", "Vpcs[0].Ipv6CidrBlockAssociationSet[0].AssociationId", "--output", "text"}, capture: "v6assoc"},
	{args: []string{"ec2", "describe-route-tables", "--filters", "Name=vpc-id,Values={v6vpc}", "--query", "RouteTables[0].Routes"}},
	{args: []string{"ec2", "describe-security-groups", "--filters", "Name=vpc-id,Values={v6vpc}", "--query", "SecurityGroups[0].IpPermissionsEgress"}},
	{args: []string{"ec2", "create-subnet", "--vpc-id", "{v6vpc}", "--cidr-block", "10.22.1.0/24", "--ipv6-cidr-block", "2600:1f47:69bd:100::/64", "--query", "Subnet.SubnetId", "--output", "text"}, capture: "v6sub"},
	{args: []string{"ec2", "create-subnet", "--vpc-id", "{v6vpc}", "--cidr-block", "10.22.2.0/24", "--ipv6-cidr-block", "2001:db8::/64"}},
	{args: []string{"ec2", "create-subnet", "--vpc-id", "{v6vpc}", "--cidr-block", "10.21.1.0/24", "--query", "Subnet.SubnetId", "--output", "text"}, capture: "v4sub"},
	{args: []string{"ec2", "associate-subnet-cidr-block", "--subnet-id", "{v4sub}", "--ipv6-cidr-block", "2600:1f47:69bd:100::/64"}},
	{args: []string{"ec2", "associate-subnet-cidr-block", "--subnet-id", "{v4sub}", "--ipv6-cidr-block", "2600:1f47:69bd:1a0::/64", "--query", "Ipv6CidrBlockAssociation.AssociationId", "--output", "text"}, capture: "subassoc"},
	{args: []string{"ec2", "modify-subnet-attribute", "--subnet-id", "{v6sub}", "--assign-ipv6-address-on-creation"}},
	{args: []string{"ec2", "describe-subnets", "--subnet-ids", "{v6sub}", "{v4sub}"}},
	{args: []string{"ec2", "create-network-interface", "--subnet-id", "{v6sub}", "--query", "NetworkInterface.NetworkInterfaceId", "--output", "text"}, capture: "v6eni"},
	{args: []string{"ec2", "assign-ipv6-addresses", "--network-interface-id", "{v6eni}", "--ipv6-address-count", "2"}},
	{args: []string{"ec2", "assign-ipv6-addresses", "--network-interface-id", "{v6eni}", "--ipv6-addresses", "2600:1f47:69bd:100::abcd"}},
	{args: []string{"ec2", "assign-ipv6-addresses", "--network-interface-id", "{v6eni}", "--ipv6-addresses", "2600:1f47:69bd:1a0::1"}},
	{args: []string{"ec2", "describe-network-interfaces", "--network-interface-ids", "{v6eni}", "--query", "NetworkInterfaces[0].Ipv6Addresses", "--output", "text"}},
	{args: []string{"ec2", "unassign-ipv6-addresses", "--network-interface-id", "{v6eni}", "--ipv6-addresses", "2600:1f47:69bd:100::abcd"}},
	{args: []string{"ec2", "unassign-ipv6-addresses", "--network-interface-id", "{v6eni}", "--ipv6-addresses", "2600:1f47:69bd:100::abcd"}},
	{args: []string{"ec2", "create-egress-only-internet-gateway", "--vpc-id", "{v6vpc}", "--client-token", "eigw-0", "--tag-specifications", "ResourceType=egress-only-internet-gateway,Tags=[{Key=Name,Value=out}]"}},
	{args: []string{"ec2", "describe-egress-only-internet-gateways", "--filters", "Name=tag:Name,Values=out", "--query", "EgressOnlyInternetGateways[0].EgressOnlyInternetGatewayId", "--output", "text"}, capture: "eigw"},
	{args: []string{"ec2", "describe-egress-only-internet-gateways", "--output", "table"}},
	{args: []string{"ec2", "create-route-table", "--vpc-id", "{v6vpc}", "--query", "RouteTable.RouteTableId", "--output", "text"}, capture: "v6rt"},
	{args: []string{"ec2", "create-route", "--route-table-id", "{v6rt}", "--destination-ipv6-cidr-block", "::/0", "--egress-only-internet-gateway-id", "{eigw}"}},
	{args: []string{"ec2", "create-route", "--route-table-id", "{v6rt}", "--destination-cidr-block", "0.0.0.0/0", "--egress-only-internet-gateway-id", "{eigw}"}},
	{args: []string{"ec2", "describe-route-tables", "--route-table-ids", "{v6rt}", "--output", "text"}},
	{args: []string{"ec2", "delete-vpc", "--vpc-id", "{v6vpc}"}},
	{args: []string{"ec2", "disassociate-vpc-cidr-block", "--association-id", "{v6assoc}"}},
	{args: []string{"ec2", "disassociate-subnet-cidr-block", "--association-id", "{subassoc}"}},
	{args: []string{"ec2", "disassociate-subnet-cidr-block", "--association-id", "{subassoc}"}},
	{args: []string{"ec2", "delete-subnet", "--subnet-id", "{v4sub}"}},
	{args: []string{"ec2", "disassociate-vpc-cidr-block", "--association-id", "{v4assoc}"}},
	{args: []string{"ec2", "describe-vpcs", "--vpc-ids", "{v6vpc}", "--query", "Vpcs[0].CidrBlockAssociationSet[].CidrBlock", "--output", "text"}},
	{args: []string{"ec2", "delete-route", "--route-table-id", "{v6rt}", "--destination-ipv6-cidr-block", "::/0"}},
	{args: []string{"ec2", "delete-egress-only-internet-gateway", "--egress-only-internet-gateway-id", "{eigw}"}},
	{args: []string{"ec2", "delete-egress-only-internet-gateway", "--egress-only-internet-gateway-id", "{eigw}"}},

	// VPC peering.
	{args: []string{"ec2", "create-vpc", "--cidr-block", "10.40.0.0/16", "--query", "Vpc.VpcId", "--output", "text"}, capture: "pva"},
	{args: []string{"ec2", "create-vpc", "--cidr-block", "10.41.0.0/16", "--query", "Vpc.VpcId", "--output", "text"}, capture: "pvb"},
	{args: []string{"ec2", "create-vpc", "--cidr-block", "10.40.0.0/20", "--query", "Vpc.VpcId", "--output", "text"}, capture: "pvc"},
	{args: []string{"ec2", "create-vpc-peering-connection", "--vpc-id", "{pva}", "--peer-vpc-id", "{pvb}", "--tag-specifications", "ResourceType=vpc-peering-connection,Tags=[{Key=Name,Value=a-b}]"}},
	{args: []string{"ec2", "describe-vpc-peering-connections", "--filters", "Name=tag:Name,Values=a-b", "--query", "VpcPeeringConnections[0].VpcPeeringConnectionId", "--output", "text"}, capture: "pcx"},
	{args: []string{"ec2", "create-vpc-peering-connection", "--vpc-id", "{pvb}", "--peer-vpc-id", "{pva}"}},
	{args: []string{"ec2", "create-vpc-peering-connection", "--vpc-id", "{pva}", "--peer-vpc-id", "{pvc}", "--query", "VpcPeeringConnection.VpcPeeringConnectionId", "--output", "text"}, capture: "pcxfail"},
	{args: []string{"ec2", "describe-vpc-peering-connections", "--vpc-peering-connection-ids", "{pcxfail}", "--query", "VpcPeeringConnections[0].Status"}},
	{args: []string{"ec2", "accept-vpc-peering-connection", "--vpc-peering-connection-id", "{pcxfail}"}},
	{args: []string{"ec2", "create-route-table", "--vpc-id", "{pva}", "--query", "RouteTable.RouteTableId", "--output", "text"}, capture: "prt"},
	{args: []string{"ec2", "create-route", "--route-table-id", "{prt}", "--destination-cidr-block", "10.41.0.0/16", "--vpc-peering-connection-id", "{pcx}"}},
	{args: []string{"ec2", "describe-route-tables", "--route-table-ids", "{prt}", "--query", "RouteTables[0].Routes[1]"}},
	{args: []string{"ec2", "accept-vpc-peering-connection", "--vpc-peering-connection-id", "{pcx}", "--query", "VpcPeeringConnection.[Status,AccepterVpcInfo.VpcId,RequesterVpcInfo.CidrBlock]"}},
	{args: []string{"ec2", "describe-vpc-peering-connections", "--vpc-peering-connection-ids", "{pcx}", "--output", "table"}},
	{args: []string{"ec2", "describe-vpc-peering-connections", "--filters", "Name=status-code,Values=active", "--query", "VpcPeeringConnections[].VpcPeeringConnectionId", "--output", "text"}},
	{args: []string{"ec2", "describe-route-tables", "--filters", "Name=route.vpc-peering-connection-id,Values={pcx}", "--query", "RouteTables[].Routes[1].State", "--output", "text"}},
	{args: []string{"ec2", "create-vpc-peering-connection", "--vpc-id", "{pvc}", "--peer-vpc-id", "{pvb}", "--query", "VpcPeeringConnection.VpcPeeringConnectionId", "--output", "text"}, capture: "pcxrej"},
	{args: []string{"ec2", "reject-vpc-peering-connection", "--vpc-peering-connection-id", "{pcxrej}"}},
	{args: []string{"ec2", "reject-vpc-peering-connection", "--vpc-peering-connection-id", "{pcxrej}"}},
	{args: []string{"ec2", "describe-vpc-peering-connections", "--vpc-peering-connection-ids", "pcx-0123456789abcdef0"}},
	{args: []string{"ec2", "delete-vpc-peering-connection", "--vpc-peering-connection-id", "{pcx}"}},
	{args: []string{"ec2", "describe-vpc-peering-connections", "--vpc-peering-connection-ids", "{pcx}", "{pcxrej}", "--query", "VpcPeeringConnections[].Status.Code", "--output", "text"}},
	{args: []string{"ec2", "describe-route-tables", "--route-table-ids", "{prt}", "--query", "RouteTables[0].Routes[1].State", "--output", "text"}},
}

// The EC2 operations of private networking, through the AWS CLI v1, v2 and awsx.
func TestParityEC2PrivateNetworks(t *testing.T) {
	t.Parallel()
	compareSession(t, ec2NetSession, nil)
}
