package sim_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// dhcpConfig flattens a set's options as "key=v1,v2; key=v".
func dhcpConfig(d types.DhcpOptions) string {
	var parts []string
	for _, c := range d.DhcpConfigurations {
		var vs []string
		for _, v := range c.Values {
			vs = append(vs, *v.Value)
		}
		parts = append(parts, *c.Key+"="+strings.Join(vs, ","))
	}
	return strings.Join(parts, "; ")
}

func vpcDHCP(t *testing.T, client *ec2.Client, vpc string) string {
	t.Helper()
	return *must(client.DescribeVpcs(context.Background(), &ec2.DescribeVpcsInput{VpcIds: []string{vpc}}))(t).Vpcs[0].DhcpOptionsId
}

// DHCP options sets: the region's default one, sets of one's own, associations, "default"
// for none, and the refusals.
func TestEC2DhcpOptions(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		t.Parallel()
		ctx := context.Background()
		c := b.Open(t)
		client := ec2Client(t, c)

		sets := must(client.DescribeDhcpOptions(ctx, &ec2.DescribeDhcpOptionsInput{}))(t).DhcpOptions
		if len(sets) != 1 || dhcpConfig(sets[0]) != "domain-name=ec2.internal; domain-name-servers=AmazonProvidedDNS" || *sets[0].OwnerId != "123456789012" {
			t.Fatalf("the default DHCP options = %+v", sets)
		}
		def := *sets[0].DhcpOptionsId
		defVPC := *must(client.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{}))(t).Vpcs[0].VpcId
		if got := vpcDHCP(t, client, defVPC); got != def {
			t.Errorf("the default VPC uses %s, want %s", got, def)
		}
		west := ec2.NewFromConfig(c.Config(), func(o *ec2.Options) { o.Region = "eu-west-1" })
		if w := must(west.DescribeDhcpOptions(ctx, &ec2.DescribeDhcpOptionsInput{}))(t).DhcpOptions; len(w) != 1 || dhcpConfig(w[0]) != "domain-name=eu-west-1.compute.internal; domain-name-servers=AmazonProvidedDNS" {
			t.Errorf("eu-west-1's default DHCP options = %+v", w)
		}

		t.Run("errors", func(t *testing.T) {
			for _, tc := range []struct {
				name, code string
				in         []types.NewDhcpConfiguration
			}{
				{"unknown key", "InvalidParameterValue", []types.NewDhcpConfiguration{{Key: aws.String("domain-search"), Values: []string{"x"}}}},
				{"five servers", "InvalidParameterValue", []types.NewDhcpConfiguration{{Key: aws.String("domain-name-servers"), Values: []string{"10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"}}}},
				{"server not an address", "InvalidParameterValue", []types.NewDhcpConfiguration{{Key: aws.String("domain-name-servers"), Values: []string{"dns.example.com"}}}},
				{"node type", "InvalidParameterValue", []types.NewDhcpConfiguration{{Key: aws.String("netbios-node-type"), Values: []string{"3"}}}},
				{"no values", "InvalidParameterValue", []types.NewDhcpConfiguration{{Key: aws.String("domain-name")}}},
				{"twice", "InvalidParameterValue", []types.NewDhcpConfiguration{{Key: aws.String("domain-name"), Values: []string{"a.example"}}, {Key: aws.String("domain-name"), Values: []string{"b.example"}}}},
				{"short lease", "InvalidParameterValue", []types.NewDhcpConfiguration{{Key: aws.String("ipv6-address-preferred-lease-time"), Values: []string{"60"}}}},
			} {
				t.Run(tc.name, func(t *testing.T) {
					_, err := client.CreateDhcpOptions(ctx, &ec2.CreateDhcpOptionsInput{DhcpConfigurations: tc.in})
					wantCode(t, err, tc.code)
				})
			}
			_, err := client.DescribeDhcpOptions(ctx, &ec2.DescribeDhcpOptionsInput{DhcpOptionsIds: []string{"dopt-0123456789abcdef0"}})
			wantCode(t, err, "InvalidDhcpOptionID.NotFound")
			_, err = client.DeleteDhcpOptions(ctx, &ec2.DeleteDhcpOptionsInput{DhcpOptionsId: aws.String("dhcp-1")})
			wantCode(t, err, "InvalidDhcpOptionsId.Malformed")
			_, err = client.AssociateDhcpOptions(ctx, &ec2.AssociateDhcpOptionsInput{DhcpOptionsId: aws.String(def), VpcId: aws.String("vpc-0123456789abcdef0")})
			wantCode(t, err, "InvalidVpcID.NotFound")
			_, err = client.AssociateDhcpOptions(ctx, &ec2.AssociateDhcpOptionsInput{DhcpOptionsId: aws.String("dopt-0123456789abcdef0"), VpcId: aws.String(defVPC)})
			wantCode(t, err, "InvalidDhcpOptionID.NotFound")
		})

		made := must(client.CreateDhcpOptions(ctx, &ec2.CreateDhcpOptionsInput{
			DhcpConfigurations: []types.NewDhcpConfiguration{
				{Key: aws.String("netbios-node-type"), Values: []string{"2"}},
				{Key: aws.String("domain-name-servers"), Values: []string{"10.0.0.2", "AmazonProvidedDNS"}},
				{Key: aws.String("domain-name"), Values: []string{"corp.example.com"}},
			},
			TagSpecifications: nameTag(types.ResourceTypeDhcpOptions, "corp"),
		}))(t).DhcpOptions
		corp := *made.DhcpOptionsId
		if dhcpConfig(*made) != "domain-name-servers=10.0.0.2,AmazonProvidedDNS; domain-name=corp.example.com; netbios-node-type=2" || len(made.Tags) != 1 {
			t.Errorf("CreateDhcpOptions = %s, tags %+v", dhcpConfig(*made), made.Tags)
		}
		vpc, _ := newVPC(t, client, "10.0.0.0/16")
		if got := vpcDHCP(t, client, vpc); got != def {
			t.Errorf("a new VPC uses %s, want the default set %s", got, def)
		}
		must(client.AssociateDhcpOptions(ctx, &ec2.AssociateDhcpOptionsInput{DhcpOptionsId: aws.String(corp), VpcId: aws.String(vpc)}))(t)
		if got := vpcDHCP(t, client, vpc); got != corp {
			t.Errorf("after AssociateDhcpOptions the VPC uses %s, want %s", got, corp)
		}
		if vs := must(client.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []types.Filter{filter("dhcp-options-id", corp)}}))(t).Vpcs; len(vs) != 1 || *vs[0].VpcId != vpc {
			t.Errorf("VPCs with dhcp-options-id %s = %+v", corp, vs)
		}
		for _, tc := range []struct {
			f    types.Filter
			want int
		}{
			{filter("key", "netbios-node-type"), 1},
			{filter("key", "domain-name"), 2},
			{filter("value", "AmazonProvidedDNS"), 2},
			{filter("value", "*.example.com"), 1},
			{filter("dhcp-options-id", def), 1},
			{filter("owner-id", "123456789012"), 2},
			{filter("tag:Name", "corp"), 1},
		} {
			if got := must(client.DescribeDhcpOptions(ctx, &ec2.DescribeDhcpOptionsInput{Filters: []types.Filter{tc.f}}))(t).DhcpOptions; len(got) != tc.want {
				t.Errorf("filter %s=%v: %d sets, want %d", *tc.f.Name, tc.f.Values, len(got), tc.want)
			}
		}
		_, err := client.DescribeDhcpOptions(ctx, &ec2.DescribeDhcpOptionsInput{Filters: []types.Filter{filter("vpc-id", vpc)}})
		wantCode(t, err, "InvalidParameterValue")
		page := must(client.DescribeDhcpOptions(ctx, &ec2.DescribeDhcpOptionsInput{MaxResults: aws.Int32(5)}))(t)
		if len(page.DhcpOptions) != 2 || page.NextToken != nil {
			t.Errorf("one page of 5 = %d sets, next %v", len(page.DhcpOptions), page.NextToken)
		}

		// Tags through CreateTags and DescribeTags.
		must(client.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{def}, Tags: []types.Tag{{Key: aws.String("tier"), Value: aws.String("default")}}}))(t)
		tags := must(client.DescribeTags(ctx, &ec2.DescribeTagsInput{Filters: []types.Filter{filter("resource-type", "dhcp-options")}}))(t).Tags
		if len(tags) != 2 {
			t.Errorf("DHCP options tags = %+v", tags)
		}

		// In use: refused; "default" sets none; then it goes.
		_, err = client.DeleteDhcpOptions(ctx, &ec2.DeleteDhcpOptionsInput{DhcpOptionsId: aws.String(corp)})
		wantCode(t, err, "DependencyViolation")
		must(client.AssociateDhcpOptions(ctx, &ec2.AssociateDhcpOptionsInput{DhcpOptionsId: aws.String("default"), VpcId: aws.String(vpc)}))(t)
		if got := vpcDHCP(t, client, vpc); got != "default" {
			t.Errorf("after associating default the VPC uses %s", got)
		}
		must(client.DeleteDhcpOptions(ctx, &ec2.DeleteDhcpOptionsInput{DhcpOptionsId: aws.String(corp)}))(t)
		_, err = client.DescribeDhcpOptions(ctx, &ec2.DescribeDhcpOptionsInput{DhcpOptionsIds: []string{corp}})
		wantCode(t, err, "InvalidDhcpOptionID.NotFound")

		// The region's default set goes once no VPC uses it; new VPCs then use none.
		_, err = client.DeleteDhcpOptions(ctx, &ec2.DeleteDhcpOptionsInput{DhcpOptionsId: aws.String(def)})
		wantCode(t, err, "DependencyViolation")
		must(client.AssociateDhcpOptions(ctx, &ec2.AssociateDhcpOptionsInput{DhcpOptionsId: aws.String("default"), VpcId: aws.String(defVPC)}))(t)
		must(client.DeleteDhcpOptions(ctx, &ec2.DeleteDhcpOptionsInput{DhcpOptionsId: aws.String(def)}))(t)
		other, _ := newVPC(t, client, "10.1.0.0/16")
		if got := vpcDHCP(t, client, other); got != "default" {
			t.Errorf("a VPC made after the default set's deletion uses %s", got)
		}
	})
}

// Who may make, associate and delete DHCP options: dhcp-options/… and vpc/… ARNs.
func TestEC2DhcpOptionsAuthorization(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		t.Parallel()
		ctx := context.Background()
		c := b.Open(t)
		root := ec2Client(t, c)
		vpc, _ := newVPC(t, root, "10.0.0.0/16")
		mine := *must(root.CreateDhcpOptions(ctx, &ec2.CreateDhcpOptionsInput{DhcpConfigurations: []types.NewDhcpConfiguration{{Key: aws.String("domain-name"), Values: []string{"mine.example"}}},
			TagSpecifications: nameTag(types.ResourceTypeDhcpOptions, "mine")}))(t).DhcpOptions.DhcpOptionsId
		theirs := *must(root.CreateDhcpOptions(ctx, &ec2.CreateDhcpOptionsInput{DhcpConfigurations: []types.NewDhcpConfiguration{{Key: aws.String("domain-name"), Values: []string{"theirs.example"}}}}))(t).DhcpOptions.DhcpOptionsId
		arn := "arn:aws:ec2:us-east-1:123456789012:"
		user := ec2.NewFromConfig(policyUser(t, c, "dana", `{"Effect":"Allow","Action":["ec2:AssociateDhcpOptions","ec2:DeleteDhcpOptions"],
			"Resource":["`+arn+`vpc/`+vpc+`","`+arn+`dhcp-options/*"],"Condition":{"StringEquals":{"aws:ResourceTag/Name":"mine"}}},
			{"Effect":"Allow","Action":"ec2:AssociateDhcpOptions","Resource":"`+arn+`vpc/`+vpc+`"}`))
		must(user.AssociateDhcpOptions(ctx, &ec2.AssociateDhcpOptionsInput{DhcpOptionsId: aws.String(mine), VpcId: aws.String(vpc)}))(t)
		must(user.AssociateDhcpOptions(ctx, &ec2.AssociateDhcpOptionsInput{DhcpOptionsId: aws.String("default"), VpcId: aws.String(vpc)}))(t)
		c.Require(t, conformance.EnforcesIAM)
		_, err := user.AssociateDhcpOptions(ctx, &ec2.AssociateDhcpOptionsInput{DhcpOptionsId: aws.String(theirs), VpcId: aws.String(vpc)})
		wantCode(t, err, "UnauthorizedOperation")
		if !strings.Contains(err.Error(), arn+"dhcp-options/"+theirs) {
			t.Errorf("the refusal does not name the set: %v", err)
		}
		_, err = user.DeleteDhcpOptions(ctx, &ec2.DeleteDhcpOptionsInput{DhcpOptionsId: aws.String(theirs)})
		wantCode(t, err, "UnauthorizedOperation")
		must(user.DeleteDhcpOptions(ctx, &ec2.DeleteDhcpOptionsInput{DhcpOptionsId: aws.String(mine)}))(t)
		_, err = user.CreateDhcpOptions(ctx, &ec2.CreateDhcpOptionsInput{DhcpConfigurations: []types.NewDhcpConfiguration{{Key: aws.String("domain-name"), Values: []string{"x.example"}}}})
		wantCode(t, err, "UnauthorizedOperation")
	})
}

// DHCP options sets and associations survive Close and Open.
func TestEC2DhcpOptionsPersist(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	c := openCloud(t, dir, false)
	client := ec2.NewFromConfig(c.Config())
	vpc, _ := newVPC(t, client, "10.0.0.0/16")
	d := *must(client.CreateDhcpOptions(ctx, &ec2.CreateDhcpOptionsInput{DhcpConfigurations: []types.NewDhcpConfiguration{{Key: aws.String("ntp-servers"), Values: []string{"169.254.169.123", "fd00:ec2::123"}}},
		TagSpecifications: nameTag(types.ResourceTypeDhcpOptions, "ntp")}))(t).DhcpOptions.DhcpOptionsId
	must(client.AssociateDhcpOptions(ctx, &ec2.AssociateDhcpOptionsInput{DhcpOptionsId: aws.String(d), VpcId: aws.String(vpc)}))(t)
	before := must(jsonOf(must(client.DescribeDhcpOptions(ctx, &ec2.DescribeDhcpOptionsInput{}))(t).DhcpOptions))(t)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c = openCloud(t, dir, false)
	defer c.Close()
	client = ec2.NewFromConfig(c.Config())
	if after := must(jsonOf(must(client.DescribeDhcpOptions(ctx, &ec2.DescribeDhcpOptionsInput{}))(t).DhcpOptions))(t); after != before {
		t.Errorf("DHCP options after Open:\n%s\nbefore:\n%s", after, before)
	}
	if got := vpcDHCP(t, client, vpc); got != d {
		t.Errorf("after Open the VPC uses %s, want %s", got, d)
	}
}

// Many goroutines making, associating and deleting DHCP options sets at once.
func TestEC2DhcpOptionsRace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	client := ec2.NewFromConfig(sim.New().Config())
	vpc, _ := newVPC(t, client, "10.0.0.0/16")
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 10 {
				d, err := client.CreateDhcpOptions(ctx, &ec2.CreateDhcpOptionsInput{DhcpConfigurations: []types.NewDhcpConfiguration{{Key: aws.String("domain-name"), Values: []string{"race.example"}}}})
				if err != nil {
					t.Error(err)
					return
				}
				id := d.DhcpOptions.DhcpOptionsId
				if _, err := client.AssociateDhcpOptions(ctx, &ec2.AssociateDhcpOptionsInput{DhcpOptionsId: id, VpcId: aws.String(vpc)}); err != nil {
					t.Error(err)
				}
				if _, err := client.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{}); err != nil {
					t.Error(err)
				}
				if _, err := client.DeleteDhcpOptions(ctx, &ec2.DeleteDhcpOptionsInput{DhcpOptionsId: id}); err != nil && apiCodeOf(err) != "DependencyViolation" {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	// The set the VPC uses is one that could not be deleted.
	in := vpcDHCP(t, client, vpc)
	if _, err := client.DescribeDhcpOptions(ctx, &ec2.DescribeDhcpOptionsInput{DhcpOptionsIds: []string{in}}); err != nil {
		t.Errorf("the VPC's set %s: %v", in, err)
	}
}
