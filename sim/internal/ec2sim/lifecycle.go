package ec2sim

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// change is what one of StopInstances, StartInstances and TerminateInstances does to an
// instance: from the settled states in from, it answers shown and leaves the instance in to;
// an instance already in to is answered as it is; any other is refused.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-lifecycle.html
type change struct {
	verb  string // for IncorrectInstanceState: "stopped", "started"
	event InstanceEventKind
	from  []types.InstanceStateName
	shown types.InstanceStateName
	to    types.InstanceStateName
	check func(*instance) error                 // refuses an instance whatever its state, or nil
	apply func(*Store, *regionState, *instance) // what else the change does
}

var (
	running = types.InstanceStateNameRunning
	stopped = types.InstanceStateNameStopped

	stop = change{
		verb: "stopped", event: InstanceStopped, from: []types.InstanceStateName{running}, shown: types.InstanceStateNameStopping, to: stopped,
		check: func(i *instance) error {
			// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/InstanceStorage.html: an
			// instance with an instance-store root can only be rebooted or terminated.
			if i.InstanceStore {
				return core.Errorf(UnsupportedOperation, "The instance '%s' does not have an 'ebs' root device type and cannot be stopped.", i.ID)
			}
			if i.NoStop && i.State == running {
				return core.Errorf(OperationNotPermitted, "The instance '%s' may not be stopped. Modify its 'disableApiStop' instance attribute and try again.", i.ID)
			}
			return nil
		},
		// A stopped instance lets its public address go.
		// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-instance-addressing.html#concepts-public-addresses
		apply: func(s *Store, r *regionState, i *instance) {
			i.PublicIP = ""
			i.Reason = userInitiated(s)
		},
	}
	start = change{
		verb: "started", event: InstanceStarted, from: []types.InstanceStateName{stopped}, shown: types.InstanceStateNamePending, to: running,
		apply: func(s *Store, r *regionState, i *instance) {
			i.Reason = ""
			if i.WantsPublicIP && r.eipOf(i) == nil { // an Elastic IP stays through a stop
				i.PublicIP = s.publicIP(r)
			}
		},
	}
	terminate = change{
		verb: "terminated", event: InstanceTerminated, from: []types.InstanceStateName{running, stopped}, shown: types.InstanceStateNameShuttingDown, to: stateTerminated,
		check: func(i *instance) error {
			if i.NoTerminate && i.State != stateTerminated {
				return core.Errorf(OperationNotPermitted, "The instance '%s' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.", i.ID)
			}
			return nil
		},
		apply: func(s *Store, r *regionState, i *instance) {
			if sn, ok := r.Subnets[i.Subnet]; ok {
				sn.release(i.PrivateIP)
			}
			i.PublicIP, i.PrivateIP = "", ""
			r.leaveVPC(i)
			s.releaseVolumes(r, i)
			r.releaseInterfaces(i)
			if a := r.eipOf(i); a != nil {
				a.Assoc = nil // the address stays the account's
			}
			i.Terminated = s.now()
			i.Reason = userInitiated(s)
		},
	}
)

func userInitiated(s *Store) string {
	return "User initiated (" + s.now().Format("2006-01-02 15:04:05") + " GMT)"
}

// changeState applies c to the instances ids: to all of them, or to none when one is missing
// or refuses.
func (s *Store) changeState(ctx context.Context, ids []string, c change) ([]types.InstanceStateChange, error) {
	if len(ids) == 0 {
		return nil, missingParameter("InstanceId")
	}
	var out []types.InstanceStateChange
	return out, s.write(ctx, func(r *regionState) error {
		is, err := pick(instanceKind, r.Instances, ids)
		if err != nil {
			return err
		}
		for _, i := range is {
			if c.check != nil {
				if err := c.check(i); err != nil {
					return err
				}
			}
			if err := r.spotCheck(i, c); err != nil {
				return err
			}
			if i.State != c.to && !slices.Contains(c.from, i.State) {
				return core.Errorf(IncorrectInstanceState, "The instance '%s' is not in a state from which it can be %s.", i.ID, c.verb)
			}
		}
		out = []types.InstanceStateChange{}
		for _, i := range is {
			prev, shown := i.State, i.State
			if i.State != c.to {
				shown = c.shown
				i.State = c.to
				c.apply(s, r, i)
				i.State = prev
				r.setState(i, c.to) // after apply, which sets when it ended
				s.emit(r, i, c.event)
				s.spotChanged(r, i)
			}
			out = append(out, types.InstanceStateChange{InstanceId: aws.String(i.ID), PreviousState: instanceState(prev), CurrentState: instanceState(shown)})
		}
		return nil
	})
}

// StopInstances stops running instances: they answer "stopping", and are "stopped" after.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_StopInstances.html
func (h *EC2) StopInstances(ctx context.Context, in *ec2.StopInstancesInput) (*ec2.StopInstancesOutput, error) {
	changes, err := h.s.changeState(ctx, in.InstanceIds, stop)
	if err != nil {
		return nil, err
	}
	return &ec2.StopInstancesOutput{StoppingInstances: changes}, nil
}

// StartInstances starts stopped instances: they answer "pending", and are "running" after,
// with a new public address if their subnet gave them one.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_StartInstances.html
func (h *EC2) StartInstances(ctx context.Context, in *ec2.StartInstancesInput) (*ec2.StartInstancesOutput, error) {
	changes, err := h.s.changeState(ctx, in.InstanceIds, start)
	if err != nil {
		return nil, err
	}
	return &ec2.StartInstancesOutput{StartingInstances: changes}, nil
}

// TerminateInstances terminates instances, unless their disableApiTermination attribute is
// set: they answer "shutting-down", are "terminated" after, and stay listed for an hour of
// the simulator's clock.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_TerminateInstances.html
func (h *EC2) TerminateInstances(ctx context.Context, in *ec2.TerminateInstancesInput) (*ec2.TerminateInstancesOutput, error) {
	changes, err := h.s.changeState(ctx, in.InstanceIds, terminate)
	if err != nil {
		return nil, err
	}
	return &ec2.TerminateInstancesOutput{TerminatingInstances: changes}, nil
}

// RebootInstances reboots running instances, which changes nothing the API shows.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RebootInstances.html
func (h *EC2) RebootInstances(ctx context.Context, in *ec2.RebootInstancesInput) (*ec2.RebootInstancesOutput, error) {
	if len(in.InstanceIds) == 0 {
		return nil, missingParameter("InstanceId")
	}
	return &ec2.RebootInstancesOutput{}, h.s.read(ctx, func(r *regionState) error {
		is, err := pick(instanceKind, h.s.visible(r, in.InstanceIds...), in.InstanceIds)
		if err != nil {
			return err
		}
		for _, i := range is {
			if i.State == stateTerminated {
				return core.Errorf(IncorrectInstanceState, "The instance '%s' is not in a state from which it can be rebooted.", i.ID)
			}
		}
		return nil
	})
}

// reserved is an instance with its reservation, for DescribeInstances' filters.
type reserved struct {
	types.Instance
	reservation, owner string
}

func groupValues(i reserved, get func(types.GroupIdentifier) *string) []string {
	return collect(i.SecurityGroups, get)
}

var instanceFields = fields[reserved]{
	"instance-id":         func(i reserved) []string { return one(*i.InstanceId) },
	"instance-type":       func(i reserved) []string { return one(string(i.InstanceType)) },
	"instance-state-name": func(i reserved) []string { return one(string(i.State.Name)) },
	"instance-state-code": func(i reserved) []string { return one(itoa(*i.State.Code)) },
	"image-id":            func(i reserved) []string { return one(*i.ImageId) },
	"key-name":            func(i reserved) []string { return one(aws.ToString(i.KeyName)) },
	"vpc-id":              func(i reserved) []string { return one(aws.ToString(i.VpcId)) },
	"subnet-id":           func(i reserved) []string { return one(aws.ToString(i.SubnetId)) },
	"availability-zone":   func(i reserved) []string { return one(*i.Placement.AvailabilityZone) },
	"private-ip-address":  func(i reserved) []string { return one(aws.ToString(i.PrivateIpAddress)) },
	"ip-address":          func(i reserved) []string { return one(aws.ToString(i.PublicIpAddress)) },
	"dns-name":            func(i reserved) []string { return one(aws.ToString(i.PublicDnsName)) },
	"private-dns-name":    func(i reserved) []string { return one(aws.ToString(i.PrivateDnsName)) },
	"architecture":        func(i reserved) []string { return one(string(i.Architecture)) },
	"launch-index":        func(i reserved) []string { return one(itoa(*i.AmiLaunchIndex)) },
	"reservation-id":      func(i reserved) []string { return one(i.reservation) },
	"owner-id":            func(i reserved) []string { return one(i.owner) },
	"root-device-type":    func(i reserved) []string { return one(string(i.RootDeviceType)) },
	"root-device-name":    func(i reserved) []string { return one(aws.ToString(i.RootDeviceName)) },
	"platform":            func(i reserved) []string { return one(string(i.Platform)) },
	"monitoring-state":    func(i reserved) []string { return one(string(i.Monitoring.State)) },
	"iam-instance-profile.arn": func(i reserved) []string {
		if i.IamInstanceProfile == nil {
			return nil
		}
		return one(*i.IamInstanceProfile.Arn)
	},
	"network-interface.network-interface-id": func(i reserved) []string {
		return collect(i.NetworkInterfaces, func(n types.InstanceNetworkInterface) *string { return n.NetworkInterfaceId })
	},
	"instance.group-id": func(i reserved) []string {
		return groupValues(i, func(g types.GroupIdentifier) *string { return g.GroupId })
	},
	"instance.group-name": func(i reserved) []string {
		return groupValues(i, func(g types.GroupIdentifier) *string { return g.GroupName })
	},
	"group-id": func(i reserved) []string {
		return groupValues(i, func(g types.GroupIdentifier) *string { return g.GroupId })
	},
	"group-name": func(i reserved) []string {
		return groupValues(i, func(g types.GroupIdentifier) *string { return g.GroupName })
	},
}

// instancesFor returns the instances a Describe request names, with MaxResults refused beside
// InstanceIds, as EC2 does.
func (s *Store) instancesFor(r *regionState, ids []string, max *int32) ([]*instance, error) {
	if len(ids) > 0 && max != nil {
		return nil, core.Errorf(InvalidParameterCombination, "The parameter instancesSet cannot be used with the parameter maxResults")
	}
	return pick(instanceKind, s.visible(r, ids...), ids)
}

// describedInstances returns the instances a DescribeInstances request names: as
// instancesFor, and when it names no IDs and filters on the state, the VPC or a tag, only the
// candidates the index gives (the filters still apply to them all after).
func (s *Store) describedInstances(r *regionState, in *ec2.DescribeInstancesInput) ([]*instance, error) {
	if len(in.InstanceIds) == 0 {
		if m, ok := s.candidates(r, in.Filters); ok {
			return inOrder(m), nil
		}
	}
	return s.instancesFor(r, in.InstanceIds, in.MaxResults)
}

// DescribeInstances lists instances, grouped by reservation, 5 to 1000 a page.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstances.html
func (h *EC2) DescribeInstances(ctx context.Context, in *ec2.DescribeInstancesInput) (*ec2.DescribeInstancesOutput, error) {
	s := h.s
	out := &ec2.DescribeInstancesOutput{}
	return out, s.read(ctx, func(r *regionState) error {
		is, err := s.describedInstances(r, in)
		if err != nil {
			return err
		}
		all := make([]reserved, len(is))
		for k, i := range is {
			all[k] = reserved{s.instanceOut(r, i, ""), i.Reservation, s.account}
		}
		page, next, err := describe(all, in.Filters, instanceFields, func(i reserved) []types.Tag { return i.Tags }, in.MaxResults, in.NextToken)
		if err != nil {
			return err
		}
		out.NextToken = next
		out.Reservations = []types.Reservation{}
		for _, i := range page {
			n := len(out.Reservations)
			if n == 0 || *out.Reservations[n-1].ReservationId != i.reservation {
				out.Reservations = append(out.Reservations, types.Reservation{
					ReservationId: aws.String(i.reservation), OwnerId: aws.String(s.account), Groups: []types.GroupIdentifier{},
				})
				n++
			}
			out.Reservations[n-1].Instances = append(out.Reservations[n-1].Instances, i.Instance)
		}
		return nil
	})
}

// statusSummary is a status check: passed while the instance runs, not applicable otherwise.
func statusSummary(state types.InstanceStateName) *types.InstanceStatusSummary {
	if state != running {
		return &types.InstanceStatusSummary{Status: types.SummaryStatusNotApplicable, Details: []types.InstanceStatusDetails{}}
	}
	return &types.InstanceStatusSummary{
		Status:  types.SummaryStatusOk,
		Details: []types.InstanceStatusDetails{{Name: types.StatusNameReachability, Status: types.StatusTypePassed}},
	}
}

var statusFields = fields[types.InstanceStatus]{
	"availability-zone":   func(st types.InstanceStatus) []string { return one(*st.AvailabilityZone) },
	"instance-state-name": func(st types.InstanceStatus) []string { return one(string(st.InstanceState.Name)) },
	"instance-state-code": func(st types.InstanceStatus) []string { return one(itoa(*st.InstanceState.Code)) },
	"instance-status.status": func(st types.InstanceStatus) []string {
		return one(string(st.InstanceStatus.Status))
	},
	"system-status.status": func(st types.InstanceStatus) []string { return one(string(st.SystemStatus.Status)) },
}

// DescribeInstanceStatus reports the status checks of running instances, or of all instances
// with IncludeAllInstances. Checks pass as soon as an instance runs.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstanceStatus.html
func (h *EC2) DescribeInstanceStatus(ctx context.Context, in *ec2.DescribeInstanceStatusInput) (*ec2.DescribeInstanceStatusOutput, error) {
	s := h.s
	out := &ec2.DescribeInstanceStatusOutput{}
	return out, s.read(ctx, func(r *regionState) error {
		is, err := s.instancesFor(r, in.InstanceIds, in.MaxResults)
		if err != nil {
			return err
		}
		var all []types.InstanceStatus
		for _, i := range is {
			if i.State != running && !aws.ToBool(in.IncludeAllInstances) {
				continue
			}
			all = append(all, types.InstanceStatus{
				InstanceId: aws.String(i.ID), AvailabilityZone: aws.String(i.Zone.Name), AvailabilityZoneId: aws.String(i.Zone.ID),
				InstanceState: instanceState(i.State), InstanceStatus: statusSummary(i.State), SystemStatus: statusSummary(i.State),
				Events: []types.InstanceStatusEvent{},
			})
		}
		out.InstanceStatuses, out.NextToken, err = describe(all, in.Filters, statusFields, nil, in.MaxResults, in.NextToken)
		return err
	})
}
