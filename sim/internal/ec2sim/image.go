package ec2sim

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// image is a public AMI of the simulator's catalog.
type image struct {
	Name, Description string
	Owner, Alias      string // the owning account, and "amazon" for AWS's own images
	Arch              types.ArchitectureValues
	Windows           bool
	Root              string // the root device's name
	Size              int32  // the root volume's size in GiB
	Volume            types.VolumeType
	Created           string
	Deprecated        string // when EC2 stopped listing it, for the historical images
	ID                string // a fixed ID, or "" for one per region made from the name
	Region            string // the only region it is in, or "" for all
	IMDSv2            bool   // requires IMDSv2 (the image's imds-support is v2.0)
	InstanceStore     bool   // its root device is instance store (an S3-backed image), not EBS
}

// AMI owners. https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/finding-an-ami.html
const (
	ownerAmazon    = "137112412989" // Amazon Linux
	ownerWindows   = "801119661308" // Windows Server, published by Amazon
	ownerCanonical = "099720109477" // Ubuntu
	ownerDebian    = "136693071363" // Debian
)

// catalog is the simulator's public images: current Amazon Linux, Ubuntu, Debian and Windows
// Server images in every region, and, in us-east-1, the two images the course notes launch
// (deprecated now, so listed only when asked for by ID or with IncludeDeprecated).
var catalog = []image{
	{Name: "al2023-ami-2023.6.20250115.0-kernel-6.1-x86_64", Description: "Amazon Linux 2023 AMI 2023.6.20250115.0 x86_64 HVM kernel-6.1",
		Owner: ownerAmazon, Alias: "amazon", Arch: types.ArchitectureValuesX8664, Root: "/dev/xvda", Size: 8, Volume: types.VolumeTypeGp3,
		Created: "2025-01-15T19:17:34.000Z", IMDSv2: true},
	{Name: "al2023-ami-2023.6.20250115.0-kernel-6.1-arm64", Description: "Amazon Linux 2023 AMI 2023.6.20250115.0 arm64 HVM kernel-6.1",
		Owner: ownerAmazon, Alias: "amazon", Arch: types.ArchitectureValuesArm64, Root: "/dev/xvda", Size: 8, Volume: types.VolumeTypeGp3,
		Created: "2025-01-15T19:17:41.000Z", IMDSv2: true},
	{Name: "amzn2-ami-kernel-5.10-hvm-2.0.20250108.0-x86_64-gp2", Description: "Amazon Linux 2 Kernel 5.10 AMI 2.0.20250108.0 x86_64 HVM gp2",
		Owner: ownerAmazon, Alias: "amazon", Arch: types.ArchitectureValuesX8664, Root: "/dev/xvda", Size: 8, Volume: types.VolumeTypeGp2,
		Created: "2025-01-09T04:11:09.000Z"},
	{Name: "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250115", Description: "Canonical, Ubuntu, 24.04, amd64 noble image",
		Owner: ownerCanonical, Arch: types.ArchitectureValuesX8664, Root: "/dev/sda1", Size: 8, Volume: types.VolumeTypeGp3,
		Created: "2025-01-15T08:10:48.000Z"},
	{Name: "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20250115", Description: "Canonical, Ubuntu, 24.04, arm64 noble image",
		Owner: ownerCanonical, Arch: types.ArchitectureValuesArm64, Root: "/dev/sda1", Size: 8, Volume: types.VolumeTypeGp3,
		Created: "2025-01-15T08:11:02.000Z"},
	{Name: "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20250112", Description: "Canonical, Ubuntu, 22.04 LTS, amd64 jammy image build on 2025-01-12",
		Owner: ownerCanonical, Arch: types.ArchitectureValuesX8664, Root: "/dev/sda1", Size: 8, Volume: types.VolumeTypeGp2,
		Created: "2025-01-13T02:44:20.000Z"},
	{Name: "debian-12-amd64-20250112-1992", Description: "Debian 12 (20250112-1992)",
		Owner: ownerDebian, Arch: types.ArchitectureValuesX8664, Root: "/dev/xvda", Size: 8, Volume: types.VolumeTypeGp2,
		Created: "2025-01-12T23:36:56.000Z"},
	{Name: "Windows_Server-2022-English-Full-Base-2025.01.15", Description: "Microsoft Windows Server 2022 Full Locale English AMI provided by Amazon",
		Owner: ownerWindows, Alias: "amazon", Arch: types.ArchitectureValuesX8664, Windows: true, Root: "/dev/sda1", Size: 30, Volume: types.VolumeTypeGp2,
		Created: "2025-01-15T21:20:06.000Z"},
	{ID: "ami-fce3c696", Region: "us-east-1", Name: "ubuntu/images/hvm-ssd/ubuntu-xenial-16.04-amd64-server-20160420.3",
		Description: "Canonical, Ubuntu, 16.04 LTS, amd64 xenial image build on 2016-04-20",
		Owner:       ownerCanonical, Arch: types.ArchitectureValuesX8664, Root: "/dev/sda1", Size: 8, Volume: types.VolumeTypeGp2,
		Created: "2016-04-20T21:09:24.000Z", Deprecated: "2021-04-30T00:00:00.000Z"},
	{ID: "ami-4fffc834", Region: "us-east-1", Name: "amzn-ami-hvm-2017.03.0.20170417-x86_64-gp2",
		Description: "Amazon Linux AMI 2017.03.0.20170417 x86_64 HVM GP2",
		Owner:       ownerAmazon, Alias: "amazon", Arch: types.ArchitectureValuesX8664, Root: "/dev/xvda", Size: 8, Volume: types.VolumeTypeGp2,
		Created: "2017-04-17T08:16:25.000Z", Deprecated: "2021-01-01T00:00:00.000Z"},
	// An instance-store-backed image, for what such an instance cannot do (stop). Amazon
	// published S3-backed Amazon Linux AMI images of this name pattern; this one is the
	// simulator's stand-in, as its description says, not a copy of a real image.
	{Name: "amzn-ami-hvm-2018.03.0.20181129-x86_64-s3", Description: "Amazon Linux AMI 2018.03 x86_64 HVM instance-store (simulator stand-in)",
		Owner: ownerAmazon, Alias: "amazon", Arch: types.ArchitectureValuesX8664, Root: "/dev/sda1", InstanceStore: true,
		Created: "2018-11-29T18:39:33.000Z", Deprecated: "2020-12-31T00:00:00.000Z"},
}

// regionImage is an image as one region has it: with its ID there. own is the account's
// image it is made of (imageown.go), nil for the catalog's; read it under the store's lock.
type regionImage struct {
	image
	ID, Snapshot string
	own          *ownImage
}

var regionImages sync.Map // region name → []regionImage

// imagesOf returns the catalog of a region. IDs are made from the region and the image's name,
// so they are the same in every run and every account, as public AMI IDs are.
func imagesOf(region string) []regionImage {
	if v, ok := regionImages.Load(region); ok {
		return v.([]regionImage)
	}
	var out []regionImage
	for _, im := range catalog {
		if im.Region != "" && im.Region != region {
			continue
		}
		sum := sha256.Sum256([]byte(region + "/" + im.Name))
		h := hex.EncodeToString(sum[:])
		ri := regionImage{image: im, ID: im.ID, Snapshot: "snap-" + h[17:34]}
		if ri.ID == "" {
			ri.ID = "ami-" + h[:17]
		}
		out = append(out, ri)
	}
	regionImages.Store(region, out)
	return out
}

func imageByID(region, id string) (regionImage, bool) {
	for _, im := range imagesOf(region) {
		if im.ID == id {
			return im, true
		}
	}
	return regionImage{}, false
}

func (im regionImage) platformDetails() string {
	if im.Windows {
		return "Windows"
	}
	return "Linux/UNIX"
}

// usageOperation is the billing code of the image's platform.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/billing-info-fields.html
func (im regionImage) usageOperation() string {
	if im.Windows {
		return "RunInstances:0002"
	}
	return "RunInstances"
}

func (im regionImage) rootDeviceType() types.DeviceType {
	if im.InstanceStore {
		return types.DeviceTypeInstanceStore
	}
	return types.DeviceTypeEbs
}

// mappings are the image's block device mappings: its root volume's snapshot, or for an
// instance-store image its first instance store volume.
func (im regionImage) mappings() []types.BlockDeviceMapping {
	if im.InstanceStore {
		return []types.BlockDeviceMapping{{DeviceName: aws.String("/dev/sdb"), VirtualName: aws.String("ephemeral0")}}
	}
	return []types.BlockDeviceMapping{{
		DeviceName: aws.String(im.Root),
		Ebs: &types.EbsBlockDevice{
			DeleteOnTermination: aws.Bool(true), SnapshotId: aws.String(im.Snapshot), VolumeSize: aws.Int32(im.Size),
			VolumeType: im.Volume, Encrypted: aws.Bool(false),
		},
	}}
}

func (im regionImage) out(t tags) types.Image {
	location := im.Owner + "/" + im.Name
	if im.Alias != "" {
		location = im.Alias + "/" + im.Name
	}
	out := types.Image{
		ImageId: aws.String(im.ID), Name: aws.String(im.Name), Description: aws.String(im.Description),
		OwnerId: aws.String(im.Owner), ImageLocation: aws.String(location), State: types.ImageStateAvailable,
		Public: aws.Bool(true), Architecture: im.Arch, ImageType: types.ImageTypeValuesMachine,
		CreationDate: aws.String(im.Created), RootDeviceType: im.rootDeviceType(), RootDeviceName: aws.String(im.Root),
		VirtualizationType: types.VirtualizationTypeHvm, Hypervisor: types.HypervisorTypeXen, EnaSupport: aws.Bool(true),
		SriovNetSupport: aws.String("simple"), PlatformDetails: aws.String(im.platformDetails()),
		UsageOperation: aws.String(im.usageOperation()), Tags: t.out(), BlockDeviceMappings: im.mappings(),
	}
	if im.Alias != "" {
		out.ImageOwnerAlias = aws.String(im.Alias)
	}
	if im.Windows {
		out.Platform = platformWindows
	}
	if im.IMDSv2 {
		out.ImdsSupport = types.ImdsSupportValuesV20
	}
	if im.Deprecated != "" {
		out.DeprecationTime = aws.String(im.Deprecated)
	}
	return out
}

var imageFields = fields[types.Image]{
	"image-id":            func(i types.Image) []string { return one(*i.ImageId) },
	"name":                func(i types.Image) []string { return one(*i.Name) },
	"description":         func(i types.Image) []string { return one(*i.Description) },
	"owner-id":            func(i types.Image) []string { return one(*i.OwnerId) },
	"owner-alias":         func(i types.Image) []string { return one(aws.ToString(i.ImageOwnerAlias)) },
	"architecture":        func(i types.Image) []string { return one(string(i.Architecture)) },
	"state":               func(i types.Image) []string { return one(string(i.State)) },
	"platform":            func(i types.Image) []string { return one(string(i.Platform)) },
	"platform-details":    func(i types.Image) []string { return one(*i.PlatformDetails) },
	"root-device-type":    func(i types.Image) []string { return one(string(i.RootDeviceType)) },
	"root-device-name":    func(i types.Image) []string { return one(*i.RootDeviceName) },
	"virtualization-type": func(i types.Image) []string { return one(string(i.VirtualizationType)) },
	"hypervisor":          func(i types.Image) []string { return one(string(i.Hypervisor)) },
	"image-type":          func(i types.Image) []string { return one(string(i.ImageType)) },
	"is-public":           func(i types.Image) []string { return boolValue(*i.Public) },
	"ena-support":         func(i types.Image) []string { return boolValue(*i.EnaSupport) },
	"creation-date":       func(i types.Image) []string { return one(*i.CreationDate) },
	"source-instance-id":  func(i types.Image) []string { return one(aws.ToString(i.SourceInstanceId)) },
	"block-device-mapping.encrypted": func(i types.Image) []string {
		return collect(i.BlockDeviceMappings, func(m types.BlockDeviceMapping) *string {
			if m.Ebs == nil {
				return nil
			}
			return aws.String(strconv.FormatBool(aws.ToBool(m.Ebs.Encrypted)))
		})
	},
	"block-device-mapping.device-name": func(i types.Image) []string {
		return collect(i.BlockDeviceMappings, func(m types.BlockDeviceMapping) *string { return m.DeviceName })
	},
	"block-device-mapping.volume-size": func(i types.Image) []string {
		return collect(i.BlockDeviceMappings, func(m types.BlockDeviceMapping) *string {
			if m.Ebs == nil {
				return nil
			}
			return aws.String(itoa(*m.Ebs.VolumeSize))
		})
	},
	"block-device-mapping.volume-type": func(i types.Image) []string {
		return collect(i.BlockDeviceMappings, func(m types.BlockDeviceMapping) *string {
			if m.Ebs == nil {
				return nil
			}
			return aws.String(string(m.Ebs.VolumeType))
		})
	},
	"block-device-mapping.snapshot-id": func(i types.Image) []string {
		return collect(i.BlockDeviceMappings, func(m types.BlockDeviceMapping) *string {
			if m.Ebs == nil {
				return nil
			}
			return m.Ebs.SnapshotId
		})
	},
}

// DescribeImages lists the public catalog and the account's own images (imageown.go). Owners
// takes account IDs and the aliases amazon and self; ExecutableUsers all (public images) and
// the accounts an image is shared with; deprecated images are listed only when named or with
// IncludeDeprecated, as on EC2.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImages.html
func (h *EC2) DescribeImages(ctx context.Context, in *ec2.DescribeImagesInput) (*ec2.DescribeImagesOutput, error) {
	for _, id := range in.ImageIds {
		if !imageKind.wellFormed(id) {
			return nil, imageKind.malformedError(id)
		}
	}
	for _, o := range in.Owners {
		if o != "self" && o != "amazon" && o != "aws-marketplace" && o != "aws-backup-vault" && !isAccountID(o) {
			return nil, core.Errorf(InvalidUserIDMalformed, "Invalid user id: \"%s\"", o)
		}
	}
	for _, u := range in.ExecutableUsers {
		if u != "self" && u != "all" && !isAccountID(u) {
			return nil, core.Errorf(InvalidUserIDMalformed, "Invalid user id: \"%s\"", u)
		}
	}
	out := &ec2.DescribeImagesOutput{}
	return out, h.s.read(ctx, func(r *regionState) error {
		var all []types.Image
		for _, im := range imagesOf(r.Name) {
			switch {
			case len(in.ImageIds) > 0 && !slices.Contains(in.ImageIds, im.ID):
				continue
			case len(in.ImageIds) == 0 && im.Deprecated != "" && !aws.ToBool(in.IncludeDeprecated):
				continue
			case len(in.Owners) > 0 && !slices.Contains(in.Owners, im.Owner) && !(im.Alias != "" && slices.Contains(in.Owners, im.Alias)):
				continue
			case len(in.ExecutableUsers) > 0 && !executableBy(in.ExecutableUsers, true, nil):
				continue
			}
			all = append(all, im.out(r.ImageTags[im.ID]))
		}
		all = append(all, h.s.ownImagesOut(r, in, h.s.now())...)
		for _, id := range in.ImageIds {
			if _, ok := imageByID(r.Name, id); !ok && (r.Images[id] == nil || r.Images[id].Deregistered) {
				return imageKind.notFoundError(id)
			}
		}
		var err error
		out.Images, out.NextToken, err = describe(all, in.Filters, imageFields, func(i types.Image) []types.Tag { return i.Tags }, in.MaxResults, in.NextToken)
		return err
	})
}

// imageFor returns the image id names in the region, with EC2's errors for a malformed or
// unknown ID.
func imageFor(region string, id *string) (regionImage, error) {
	if id == nil {
		return regionImage{}, missingParameter("ImageId")
	}
	if !imageKind.wellFormed(*id) {
		return regionImage{}, imageKind.malformedError(*id)
	}
	im, ok := imageByID(region, *id)
	if !ok {
		return regionImage{}, imageKind.notFoundError(*id)
	}
	return im, nil
}

// platformWindows is what EC2 writes in an image's and an instance's platform, in lower case
// (the SDK's enum constant is "Windows"; the wire and the platform filter say "windows").
const platformWindows = types.PlatformValues("windows")
