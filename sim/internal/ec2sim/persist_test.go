package ec2sim

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// A state saved before volumes were records has instances naming a root volume that is not
// there: loading it makes the volume, attached since the launch.
func TestLoadOldStateMakesRootVolumes(t *testing.T) {
	ctx := core.WithRegion(context.Background(), "us-east-1")
	s := NewStore("123456789012", core.NewClock(func() time.Time { return time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC) }), core.NewIDs(1), nil)
	out, err := New(s).RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var saved map[string]map[string]any
	if err := json.Unmarshal(b, &saved); err != nil {
		t.Fatal(err)
	}
	delete(saved["us-east-1"], "Volumes") // as the state was before
	if b, err = json.Marshal(saved); err != nil {
		t.Fatal(err)
	}
	if err := s.UnmarshalJSON(b); err != nil {
		t.Fatal(err)
	}
	i := out.Instances[0]
	vs, err := New(s).DescribeVolumes(ctx, &ec2.DescribeVolumesInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(vs.Volumes) != 1 || *vs.Volumes[0].VolumeId != *i.BlockDeviceMappings[0].Ebs.VolumeId || *vs.Volumes[0].Attachments[0].InstanceId != *i.InstanceId ||
		*vs.Volumes[0].Size != 8 || *vs.Volumes[0].Attachments[0].Device != "/dev/xvda" {
		t.Errorf("volumes after loading an old state = %+v", vs.Volumes)
	}
}
