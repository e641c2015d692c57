package ec2sim

import (
	"context"
	"encoding/base64"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

type attrOut = ec2.DescribeInstanceAttributeOutput

// instanceAttributes are the attributes DescribeInstanceAttribute answers, each by filling its
// member of the output.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstanceAttribute.html
var instanceAttributes = map[types.InstanceAttributeName]func(s *Store, r *regionState, i *instance, out *attrOut){
	types.InstanceAttributeNameInstanceType: func(_ *Store, _ *regionState, i *instance, out *attrOut) {
		out.InstanceType = &types.AttributeValue{Value: aws.String(string(i.Type))}
	},
	types.InstanceAttributeNameUserData: func(_ *Store, _ *regionState, i *instance, out *attrOut) {
		out.UserData = &types.AttributeValue{}
		if i.UserData != "" {
			out.UserData.Value = aws.String(i.UserData)
		}
	},
	types.InstanceAttributeNameDisableApiTermination: func(_ *Store, _ *regionState, i *instance, out *attrOut) {
		out.DisableApiTermination = &types.AttributeBooleanValue{Value: aws.Bool(i.NoTerminate)}
	},
	types.InstanceAttributeNameDisableApiStop: func(_ *Store, _ *regionState, i *instance, out *attrOut) {
		out.DisableApiStop = &types.AttributeBooleanValue{Value: aws.Bool(i.NoStop)}
	},
	types.InstanceAttributeNameInstanceInitiatedShutdownBehavior: func(_ *Store, _ *regionState, i *instance, out *attrOut) {
		out.InstanceInitiatedShutdownBehavior = &types.AttributeValue{Value: aws.String(string(i.ShutdownBehavior))}
	},
	types.InstanceAttributeNameSourceDestCheck: func(_ *Store, _ *regionState, i *instance, out *attrOut) {
		out.SourceDestCheck = &types.AttributeBooleanValue{Value: aws.Bool(i.SourceDestCheck)}
	},
	types.InstanceAttributeNameEbsOptimized: func(_ *Store, _ *regionState, i *instance, out *attrOut) {
		out.EbsOptimized = &types.AttributeBooleanValue{Value: aws.Bool(i.EbsOptimized)}
	},
	types.InstanceAttributeNameEnaSupport: func(_ *Store, _ *regionState, i *instance, out *attrOut) {
		out.EnaSupport = &types.AttributeBooleanValue{Value: aws.Bool(true)}
	},
	types.InstanceAttributeNameGroupSet: func(_ *Store, r *regionState, i *instance, out *attrOut) {
		out.Groups = r.groupIdentifiers(i.Groups)
	},
	types.InstanceAttributeNameRootDeviceName: func(s *Store, r *regionState, i *instance, out *attrOut) {
		out.RootDeviceName = &types.AttributeValue{Value: s.instanceOut(r, i, "").RootDeviceName}
	},
	types.InstanceAttributeNameBlockDeviceMapping: func(s *Store, r *regionState, i *instance, out *attrOut) {
		out.BlockDeviceMappings = s.instanceOut(r, i, "").BlockDeviceMappings
	},
	types.InstanceAttributeNameProductCodes: func(_ *Store, _ *regionState, _ *instance, out *attrOut) {
		out.ProductCodes = []types.ProductCode{}
	},
	types.InstanceAttributeNameKernel: func(_ *Store, _ *regionState, _ *instance, out *attrOut) {
		out.KernelId = &types.AttributeValue{}
	},
	types.InstanceAttributeNameRamdisk: func(_ *Store, _ *regionState, _ *instance, out *attrOut) {
		out.RamdiskId = &types.AttributeValue{}
	},
}

// DescribeInstanceAttribute answers one attribute of an instance.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstanceAttribute.html
func (h *EC2) DescribeInstanceAttribute(ctx context.Context, in *ec2.DescribeInstanceAttributeInput) (*ec2.DescribeInstanceAttributeOutput, error) {
	if in.InstanceId == nil {
		return nil, missingParameter("InstanceId")
	}
	if in.Attribute == "" {
		return nil, missingParameter("Attribute")
	}
	fill, ok := instanceAttributes[in.Attribute]
	if !ok {
		return nil, invalidValue("attribute", string(in.Attribute), "Unknown attribute.")
	}
	s := h.s
	out := &ec2.DescribeInstanceAttributeOutput{InstanceId: in.InstanceId}
	return out, s.read(ctx, func(r *regionState) error {
		i, err := find(instanceKind, s.visible(r, *in.InstanceId), *in.InstanceId)
		if err != nil {
			return err
		}
		fill(s, r, i, out)
		return nil
	})
}

// edit is the change one ModifyInstanceAttribute request makes.
type edit struct {
	name        types.InstanceAttributeName
	stoppedOnly bool // the attribute changes only while the instance is stopped
	apply       func(r *regionState, i *instance) error
}

// boolEdit sets a boolean attribute through set.
func boolEdit(name types.InstanceAttributeName, v bool, set func(*instance, bool)) edit {
	return edit{name: name, apply: func(_ *regionState, i *instance) error { set(i, v); return nil }}
}

// editOf reads the one attribute a ModifyInstanceAttribute request changes: from its own
// member, or from Attribute and Value.
func editOf(in *ec2.ModifyInstanceAttributeInput) (edit, error) {
	var edits []edit
	boolean := func(name types.InstanceAttributeName, v *types.AttributeBooleanValue, set func(*instance, bool)) {
		if v != nil {
			edits = append(edits, boolEdit(name, aws.ToBool(v.Value), set))
		}
	}
	boolean(types.InstanceAttributeNameDisableApiTermination, in.DisableApiTermination, func(i *instance, v bool) { i.NoTerminate = v })
	boolean(types.InstanceAttributeNameDisableApiStop, in.DisableApiStop, func(i *instance, v bool) { i.NoStop = v })
	boolean(types.InstanceAttributeNameSourceDestCheck, in.SourceDestCheck, func(i *instance, v bool) { i.SourceDestCheck = v })
	boolean(types.InstanceAttributeNameEbsOptimized, in.EbsOptimized, func(i *instance, v bool) { i.EbsOptimized = v })
	if in.InstanceType != nil {
		edits = append(edits, typeEdit(aws.ToString(in.InstanceType.Value)))
	}
	if in.UserData != nil {
		edits = append(edits, userDataEdit(base64.StdEncoding.EncodeToString(in.UserData.Value)))
	}
	if in.InstanceInitiatedShutdownBehavior != nil {
		edits = append(edits, shutdownEdit(aws.ToString(in.InstanceInitiatedShutdownBehavior.Value)))
	}
	if len(in.Groups) > 0 {
		edits = append(edits, groupsEdit(in.Groups))
	}
	if in.Attribute != "" {
		e, err := valueEdit(in.Attribute, aws.ToString(in.Value))
		if err != nil {
			return edit{}, err
		}
		edits = append(edits, e)
	}
	if len(in.BlockDeviceMappings) > 0 {
		edits = append(edits, blockDeviceEdit(in.BlockDeviceMappings))
	}
	if in.Kernel != nil || in.Ramdisk != nil || in.SriovNetSupport != nil || in.EnaSupport != nil || in.EnclaveOptions != nil {
		return edit{}, core.Errorf(core.NotImplemented, "The simulator does not change that instance attribute.")
	}
	switch len(edits) {
	case 0:
		return edit{}, core.Errorf(InvalidParameterCombination, "No attributes specified.")
	case 1:
		return edits[0], nil
	}
	return edit{}, core.Errorf(InvalidParameterCombination, "Fields for multiple attribute types specified: %s, %s", edits[0].name, edits[1].name)
}

// valueEdit reads the Attribute and Value form of ModifyInstanceAttribute.
func valueEdit(name types.InstanceAttributeName, v string) (edit, error) {
	flag := func(set func(*instance, bool)) (edit, error) {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return edit{}, invalidValue("value", v, "Expected true or false.")
		}
		return boolEdit(name, b, set), nil
	}
	switch name {
	case types.InstanceAttributeNameInstanceType:
		return typeEdit(v), nil
	case types.InstanceAttributeNameUserData:
		return userDataEdit(v), nil
	case types.InstanceAttributeNameInstanceInitiatedShutdownBehavior:
		return shutdownEdit(v), nil
	case types.InstanceAttributeNameDisableApiTermination:
		return flag(func(i *instance, v bool) { i.NoTerminate = v })
	case types.InstanceAttributeNameDisableApiStop:
		return flag(func(i *instance, v bool) { i.NoStop = v })
	case types.InstanceAttributeNameSourceDestCheck:
		return flag(func(i *instance, v bool) { i.SourceDestCheck = v })
	case types.InstanceAttributeNameEbsOptimized:
		return flag(func(i *instance, v bool) { i.EbsOptimized = v })
	}
	return edit{}, invalidValue("attribute", string(name), "The simulator does not change this attribute.")
}

// typeEdit changes the instance type, which takes a stopped instance and a type of the
// image's architecture.
func typeEdit(v string) edit {
	return edit{name: types.InstanceAttributeNameInstanceType, stoppedOnly: true, apply: func(r *regionState, i *instance) error {
		it, err := runnable(types.InstanceType(v))
		if err != nil {
			return err
		}
		if im, ok := r.image(i.Image); ok {
			if err := archMismatch(it, im); err != nil {
				return err
			}
		}
		i.Type = it.Name
		return nil
	}}
}

func userDataEdit(v string) edit {
	return edit{name: types.InstanceAttributeNameUserData, stoppedOnly: true, apply: func(_ *regionState, i *instance) error {
		i.UserData = v
		return nil
	}}
}

func shutdownEdit(v string) edit {
	return edit{name: types.InstanceAttributeNameInstanceInitiatedShutdownBehavior, apply: func(_ *regionState, i *instance) error {
		switch b := types.ShutdownBehavior(v); b {
		case types.ShutdownBehaviorStop, types.ShutdownBehaviorTerminate:
			i.ShutdownBehavior = b
			return nil
		}
		return invalidValue("InstanceInitiatedShutdownBehavior", v, "Valid values are stop and terminate.")
	}}
}

// groupsEdit replaces the instance's security groups, which must be of its VPC.
func groupsEdit(ids []string) edit {
	return edit{name: types.InstanceAttributeNameGroupSet, apply: func(r *regionState, i *instance) error {
		for _, id := range ids {
			g, err := find(groupKind, r.Groups, id)
			if err != nil {
				return err
			}
			if g.VPC != i.VPC {
				return core.Errorf(InvalidGroupNotFound, "The security group '%s' does not exist in VPC '%s'", id, i.VPC)
			}
		}
		i.Groups = dedupe(ids)
		return nil
	}}
}

// ModifyInstanceAttribute changes one attribute of an instance; the instance type and user
// data change only while it is stopped.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyInstanceAttribute.html
func (h *EC2) ModifyInstanceAttribute(ctx context.Context, in *ec2.ModifyInstanceAttributeInput) (*ec2.ModifyInstanceAttributeOutput, error) {
	if in.InstanceId == nil {
		return nil, missingParameter("InstanceId")
	}
	e, err := editOf(in)
	if err != nil {
		return nil, err
	}
	return &ec2.ModifyInstanceAttributeOutput{}, h.s.write(ctx, func(r *regionState) error {
		i, err := find(instanceKind, r.Instances, *in.InstanceId)
		if err != nil {
			return err
		}
		if i.State == stateTerminated || e.stoppedOnly && i.State != stopped {
			return core.Errorf(IncorrectInstanceState, "The instance '%s' is not in the 'stopped' state.", i.ID)
		}
		return e.apply(r, i)
	})
}
