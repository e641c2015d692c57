package ssmsim

import (
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// publicParameter is one of AWS's public parameters that point at the latest image of a
// series: it resolves to the newest image of the region's catalog whose owner and name match.
// A parameter whose image the catalog does not have does not exist.
type publicParameter struct {
	Name     string
	Owner    string
	Prefix   string // the image's name begins so…
	Suffix   string // …and ends so
	DataType string // what AWS shows for it
}

// Image owners. https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/finding-an-ami.html
const (
	ownerAmazon    = "137112412989"
	ownerWindows   = "801119661308"
	ownerCanonical = "099720109477"
	ownerDebian    = "136693071363"
)

// publicParameters are the public parameters simulated, with the images they name.
//
//   - Amazon Linux: https://docs.aws.amazon.com/linux/al2023/ug/ec2.html and
//     https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/finding-an-ami-parameter-store.html.
//     The default kernel of AL2023 is 6.1, so kernel-default and kernel-6.1 name the same image.
//     Their DataType is text, as GetParameters answers for them today.
//   - Ubuntu: Canonical's, https://documentation.ubuntu.com/aws/en/latest/aws-how-to/instances/find-ubuntu-images/
//     (24.04 on gp3 volumes, 22.04 on gp2); their DataType is aws:ec2:image.
//   - Debian: the Debian cloud team's /aws/service/debian/release/12/latest/amd64.
//   - Windows: "Query for the latest Windows AMI using Systems Manager Parameter Store" (AWS
//     blog); DataType text, as AWS's documentation shows for /aws/service/ami-windows-latest.
var publicParameters = []publicParameter{
	{"/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64", ownerAmazon, "al2023-ami-2023.", "-kernel-6.1-arm64", "text"},
	{"/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64", ownerAmazon, "al2023-ami-2023.", "-kernel-6.1-x86_64", "text"},
	{"/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64", ownerAmazon, "al2023-ami-2023.", "-kernel-6.1-arm64", "text"},
	{"/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64", ownerAmazon, "al2023-ami-2023.", "-kernel-6.1-x86_64", "text"},
	{"/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2", ownerAmazon, "amzn2-ami-hvm-2.0.", "-x86_64-gp2", "text"},
	{"/aws/service/ami-amazon-linux-latest/amzn2-ami-kernel-5.10-hvm-x86_64-gp2", ownerAmazon, "amzn2-ami-kernel-5.10-hvm-2.0.", "-x86_64-gp2", "text"},
	{"/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id", ownerCanonical, "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-", "", "aws:ec2:image"},
	{"/aws/service/canonical/ubuntu/server/24.04/stable/current/arm64/hvm/ebs-gp3/ami-id", ownerCanonical, "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-", "", "aws:ec2:image"},
	{"/aws/service/canonical/ubuntu/server/22.04/stable/current/amd64/hvm/ebs-gp2/ami-id", ownerCanonical, "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-", "", "aws:ec2:image"},
	{"/aws/service/debian/release/12/latest/amd64", ownerDebian, "debian-12-amd64-", "", "text"},
	{"/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base", ownerWindows, "Windows_Server-2022-English-Full-Base-", "", "text"},
}

// public is a public parameter as a region has it.
type public struct {
	Name, Value, DataType string
	Modified              time.Time
}

// publicVersion is the version the public parameters show: the catalog has one image per
// series, so each has had one value.
const publicVersion = 1

// publicIn returns the public parameters of a region, in name order.
func (s *Store) publicIn(region string) []public {
	images := s.images(region)
	var out []public
	for _, pp := range publicParameters {
		var best *Image
		for i := range images {
			im := &images[i]
			if im.Owner == pp.Owner && strings.HasPrefix(im.Name, pp.Prefix) && strings.HasSuffix(im.Name, pp.Suffix) &&
				(best == nil || im.Created.After(best.Created)) {
				best = im
			}
		}
		if best != nil {
			out = append(out, public{Name: pp.Name, Value: best.ID, DataType: pp.DataType, Modified: best.Created})
		}
	}
	slices.SortFunc(out, func(a, b public) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// publicNamed returns the public parameter called name in a region.
func (s *Store) publicNamed(region, name string) (public, bool) {
	for _, p := range s.publicIn(region) {
		if p.Name == name {
			return p, true
		}
	}
	return public{}, false
}

// out returns a public parameter as GetParameter shows it: with no account in its ARN.
func (p public) out(region, selector string) types.Parameter {
	out := types.Parameter{
		Name: ptr(p.Name), Type: types.ParameterTypeString, Value: ptr(p.Value), Version: publicVersion,
		LastModifiedDate: ptr(p.Modified), ARN: ptr(parameterARN(region, "", p.Name)), DataType: ptr(p.DataType),
	}
	if selector != "" {
		out.Selector = ptr(selector)
	}
	return out
}

// history returns a public parameter as GetParameterHistory shows it.
func (p public) history() types.ParameterHistory {
	return types.ParameterHistory{
		Name: ptr(p.Name), Type: types.ParameterTypeString, Value: ptr(p.Value), Version: publicVersion,
		LastModifiedDate: ptr(p.Modified), DataType: ptr(p.DataType), Tier: types.ParameterTierStandard,
		Labels: []string{}, Policies: []types.ParameterInlinePolicy{},
	}
}

// lookupPublic finds the public parameter a reference names, with the selector applied.
func (s *Store) lookupPublic(region string, r ref) (public, error) {
	p, ok := s.publicNamed(region, r.Name)
	switch {
	case !ok, r.Label != "":
		return public{}, notFound()
	case r.Selector != "" && r.Version != publicVersion:
		return public{}, versionNotFound(r.Name, r.Version)
	}
	return p, nil
}

// Resolve returns the value of the parameter name (with an optional :version or :label, or as
// an ARN) in a region, for EC2's resolve:ssm: image IDs. It reads AWS's public parameters and
// the account's own; an account parameter must be a String whose value is an image ID (its
// DataType text or aws:ec2:image), as EC2 takes no SecureString or StringList there.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-systems-manager-parameter-to-find-AMI.html
// Errors are SSM's (ParameterNotFound, ParameterVersionNotFound, ValidationException); the
// caller answers them in EC2's words. It changes nothing.
func (s *Store) Resolve(region, name string) (string, error) {
	r, err := parseRef(name)
	if err != nil {
		return "", err
	}
	if r.ARN && r.Account == "" || !r.ARN && isPublicNamespace(r.Name) {
		if r.ARN && r.Region != region {
			return "", notFound()
		}
		p, err := s.lookupPublic(region, r)
		if err != nil {
			return "", err
		}
		return p.Value, nil
	}
	if !s.ownRef(r, region) {
		return "", notFound()
	}
	var value string
	err = s.read(region, func(reg *regionState) error {
		v, err := selectVersion(reg.get(r.Name), r)
		if err != nil {
			return err
		}
		if v.Type != string(types.ParameterTypeString) || !isImageID(v.Value) {
			return errorf(ValidationException, "Parameter %s of type %s does not hold an image ID: resolve:ssm takes String parameters whose value is an AMI ID, such as those of DataType aws:ec2:image.", r.Name, v.Type)
		}
		value = v.Value
		return nil
	})
	return value, err
}

// isImageID reports whether s has the shape of an AMI ID: ami- and 8 or 17 lowercase hex
// digits.
func isImageID(s string) bool {
	hex, ok := strings.CutPrefix(s, "ami-")
	if !ok || len(hex) != 8 && len(hex) != 17 {
		return false
	}
	for i := range len(hex) {
		if c := hex[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
