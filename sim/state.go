package sim

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/awsxlab/awsx/sim/internal/asgsim"
	"github.com/awsxlab/awsx/sim/internal/cfnsim"
	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/cwsim"
	"github.com/awsxlab/awsx/sim/internal/ec2sim"
	"github.com/awsxlab/awsx/sim/internal/efssim"
	"github.com/awsxlab/awsx/sim/internal/elbsim"
	"github.com/awsxlab/awsx/sim/internal/guest"
	"github.com/awsxlab/awsx/sim/internal/rdssim"
	"github.com/awsxlab/awsx/sim/internal/s3sim"
	"github.com/awsxlab/awsx/sim/internal/snssim"
	"github.com/awsxlab/awsx/sim/internal/ssmsim"
)

// stateVersion is the format of saved state; Load refuses others.
const stateVersion = 1

type savedState struct {
	Version int             `json:"version"`
	Account string          `json:"account"`
	Offset  time.Duration   `json:"clockOffset"`
	IDs     []byte          `json:"ids"`
	IAM     json.RawMessage `json:"iam"`
	EC2     json.RawMessage `json:"ec2,omitempty"`                  // absent from states saved before EC2 kept any
	S3      json.RawMessage `json:"s3,omitempty"`                   // absent when there is no bucket
	SSM     json.RawMessage `json:"ssm,omitempty"`                  // absent from states saved before SSM
	RDS     json.RawMessage `json:"rds,omitempty"`                  // absent from states saved before RDS
	CW      json.RawMessage `json:"monitoring,omitempty"`           // absent from states saved before CloudWatch
	SNS     json.RawMessage `json:"sns,omitempty"`                  // absent from states saved before SNS
	Guest   json.RawMessage `json:"guest,omitempty"`                // absent from states saved before the instances' operating systems
	ELB     json.RawMessage `json:"elasticloadbalancing,omitempty"` // absent from states saved before ELB
	EFS     json.RawMessage `json:"efs,omitempty"`                  // absent from states saved before EFS
	ASG     json.RawMessage `json:"autoscaling,omitempty"`          // absent from states saved before Auto Scaling
	CFN     json.RawMessage `json:"cloudformation,omitempty"`       // absent from states saved before CloudFormation
}

// Save writes the whole state of the cloud to w: its identities, its EC2 resources, its
// buckets and objects, its clock's offset and its ID generator's position. Requests that run during Save are either
// wholly in each service's state or not.
func (c *Cloud) Save(w io.Writer) error {
	if err := c.loadAll(); err != nil {
		return fmt.Errorf("sim: save: %w", err)
	}
	iamState, err := c.identity.MarshalJSON()
	if err != nil {
		return fmt.Errorf("sim: save: %w", err)
	}
	ec2State, err := c.compute.MarshalJSON()
	if err != nil {
		return fmt.Errorf("sim: save: %w", err)
	}
	var s3State json.RawMessage
	if !c.buckets.Empty() {
		if s3State, err = c.buckets.MarshalInline(); err != nil {
			return fmt.Errorf("sim: save: %w", err)
		}
	}
	ssmState, err := c.params.MarshalJSON()
	if err != nil {
		return fmt.Errorf("sim: save: %w", err)
	}
	rdsState, err := c.dbs.MarshalJSON()
	if err != nil {
		return fmt.Errorf("sim: save: %w", err)
	}
	cwState, err := c.watch.MarshalJSON()
	if err != nil {
		return fmt.Errorf("sim: save: %w", err)
	}
	snsState, err := c.topics.MarshalJSON()
	if err != nil {
		return fmt.Errorf("sim: save: %w", err)
	}
	guestState, err := c.guests.MarshalJSON()
	if err != nil {
		return fmt.Errorf("sim: save: %w", err)
	}
	elbState, err := c.lbs.MarshalJSON()
	if err != nil {
		return fmt.Errorf("sim: save: %w", err)
	}
	cfnState, err := c.stacks.MarshalJSON()
	if err != nil {
		return fmt.Errorf("sim: save: %w", err)
	}
	efsState, err := c.files.MarshalJSON()
	if err != nil {
		return fmt.Errorf("sim: save: %w", err)
	}
	asgState, err := c.scaling.MarshalJSON()
	if err != nil {
		return fmt.Errorf("sim: save: %w", err)
	}
	// The generator's position is taken last: a request that runs meanwhile may leave a gap in
	// the IDs, never an ID that a loaded cloud would hand out again.
	ids, err := c.ids.MarshalBinary()
	if err != nil {
		return fmt.Errorf("sim: save: %w", err)
	}
	st := savedState{Version: stateVersion, Account: c.opts.account, Offset: c.clock.Offset(), IDs: ids, IAM: iamState, EC2: ec2State, S3: s3State, SSM: ssmState, RDS: rdsState, CW: cwState, SNS: snsState, Guest: guestState, ELB: elbState, EFS: efsState, ASG: asgState, CFN: cfnState}
	if err := json.NewEncoder(w).Encode(&st); err != nil {
		return fmt.Errorf("sim: save: %w", err)
	}
	return nil
}

// Load replaces the cloud's state with one written by [Cloud.Save]. The state must be of the
// same account.
func (c *Cloud) Load(r io.Reader) error {
	var st savedState
	if err := json.NewDecoder(r).Decode(&st); err != nil {
		return fmt.Errorf("sim: load: %w", err)
	}
	if st.Version != stateVersion {
		return fmt.Errorf("sim: load: state format %d, want %d", st.Version, stateVersion)
	}
	if st.Account != c.opts.account {
		return fmt.Errorf("sim: load: state of account %s, this cloud is %s", st.Account, c.opts.account)
	}
	ids := core.NewIDs(0)
	if err := ids.UnmarshalBinary(st.IDs); err != nil {
		return fmt.Errorf("sim: load: %w", err)
	}
	if len(st.EC2) == 0 {
		st.EC2 = json.RawMessage("{}")
	}
	// EC2's state is checked on a scratch store first, so that a bad one changes nothing.
	if err := ec2sim.NewStore(c.opts.account, c.clock, ids, nil).UnmarshalJSON(st.EC2); err != nil {
		return fmt.Errorf("sim: load: %w", err)
	}
	if len(st.S3) == 0 {
		st.S3 = json.RawMessage("{}")
	}
	if err := s3sim.NewStore(c.opts.account, c.clock, ids).UnmarshalJSON(st.S3); err != nil {
		return fmt.Errorf("sim: load: %w", err)
	}
	if len(st.SSM) == 0 {
		st.SSM = json.RawMessage("{}")
	}
	if err := ssmsim.NewStore(c.opts.account, c.clock, ids, nil).UnmarshalJSON(st.SSM); err != nil {
		return fmt.Errorf("sim: load: %w", err)
	}
	if len(st.RDS) == 0 {
		st.RDS = json.RawMessage("{}")
	}
	if err := rdssim.NewStore(c.opts.account, c.clock, ids, nil).UnmarshalJSON(st.RDS); err != nil {
		return fmt.Errorf("sim: load: %w", err)
	}
	if len(st.CW) == 0 {
		st.CW = json.RawMessage("{}")
	}
	if err := cwsim.NewStore(c.opts.account, c.clock, nil).UnmarshalJSON(st.CW); err != nil {
		return fmt.Errorf("sim: load: %w", err)
	}
	if len(st.SNS) == 0 {
		st.SNS = json.RawMessage("{}")
	}
	if err := snssim.NewStore(c.opts.account, c.clock, ids).UnmarshalJSON(st.SNS); err != nil {
		return fmt.Errorf("sim: load: %w", err)
	}
	if len(st.Guest) == 0 {
		st.Guest = json.RawMessage("{}")
	}
	if err := guest.NewStore(c.clock, guest.Env{}).UnmarshalJSON(st.Guest); err != nil {
		return fmt.Errorf("sim: load: %w", err)
	}
	if len(st.ELB) == 0 {
		st.ELB = json.RawMessage("{}")
	}
	if err := elbsim.NewStore(c.opts.account, c.clock, ids, nil, nil, nil).UnmarshalJSON(st.ELB); err != nil {
		return fmt.Errorf("sim: load: %w", err)
	}
	if len(st.EFS) == 0 {
		st.EFS = json.RawMessage("{}")
	}
	if err := efssim.NewStore(c.opts.account, c.clock, ids, nil, nil).UnmarshalJSON(st.EFS); err != nil {
		return fmt.Errorf("sim: load: %w", err)
	}
	if len(st.ASG) == 0 {
		st.ASG = json.RawMessage("{}")
	}
	if err := asgsim.NewStore(c.opts.account, c.clock, ids, nil, nil).UnmarshalJSON(st.ASG); err != nil {
		return fmt.Errorf("sim: load: %w", err)
	}
	if len(st.CFN) == 0 {
		st.CFN = json.RawMessage("{}")
	}
	if err := cfnsim.NewStore(c.opts.account, c.clock, ids, nil).UnmarshalJSON(st.CFN); err != nil {
		return fmt.Errorf("sim: load: %w", err)
	}
	if err := c.identity.UnmarshalJSON(st.IAM); err != nil {
		return fmt.Errorf("sim: load: %w", err)
	}
	c.compute.UnmarshalJSON(st.EC2)  // checked above
	c.buckets.UnmarshalJSON(st.S3)   // checked above
	c.params.UnmarshalJSON(st.SSM)   // checked above
	c.dbs.UnmarshalJSON(st.RDS)      // checked above
	c.watch.UnmarshalJSON(st.CW)     // checked above
	c.topics.UnmarshalJSON(st.SNS)   // checked above
	c.guests.UnmarshalJSON(st.Guest) // checked above
	c.lbs.UnmarshalJSON(st.ELB)      // checked above
	c.files.UnmarshalJSON(st.EFS)    // checked above
	c.scaling.UnmarshalJSON(st.ASG)  // checked above
	c.stacks.UnmarshalJSON(st.CFN)   // checked above
	b, _ := ids.MarshalBinary()
	if err := c.ids.UnmarshalBinary(b); err != nil {
		return fmt.Errorf("sim: load: %w", err)
	}
	c.clock.SetOffset(st.Offset)
	if d := c.disk; d != nil {
		for _, p := range d.parts {
			p.once.Do(func() { // replaced whole: nothing left to read from disk
				d.mu.Lock()
				p.ready = true
				d.mu.Unlock()
			})
		}
	}
	return nil
}
