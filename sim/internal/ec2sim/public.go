package ec2sim

import "time"

// PublicImage is an image of the simulator's public catalog as other services see it: what
// Systems Manager's public parameters (/aws/service/…) need to point at the right image.
// It is a copy; changing it changes nothing in EC2.
type PublicImage struct {
	ID          string
	Name        string
	Description string
	Owner       string // the owning account: 137112412989 (Amazon Linux), 099720109477 (Canonical), …
	OwnerAlias  string // "amazon" for AWS's own images, else ""
	Arch        string // x86_64 or arm64, as EC2 writes the architecture
	Windows     bool
	Created     time.Time
	Deprecated  bool // EC2 lists it only when asked by ID or with IncludeDeprecated
}

// PublicImages returns the public images EC2 has in region, in catalog order. Their IDs are
// the ones DescribeImages and RunInstances use in that region.
func PublicImages(region string) []PublicImage {
	ims := imagesOf(region)
	out := make([]PublicImage, 0, len(ims))
	for _, im := range ims {
		created, _ := time.Parse(time.RFC3339, im.Created)
		out = append(out, PublicImage{
			ID: im.ID, Name: im.Name, Description: im.Description,
			Owner: im.Owner, OwnerAlias: im.Alias, Arch: string(im.Arch), Windows: im.Windows,
			Created: created.UTC(), Deprecated: im.Deprecated != "",
		})
	}
	return out
}
