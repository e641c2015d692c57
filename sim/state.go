package sim

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// stateVersion is the format of saved state; Load refuses others.
const stateVersion = 1

type savedState struct {
	Version int             `json:"version"`
	Account string          `json:"account"`
	Offset  time.Duration   `json:"clockOffset"`
	IDs     []byte          `json:"ids"`
	IAM     json.RawMessage `json:"iam"`
}

// Save writes the whole state of the cloud to w: its identities, its clock's offset and its
// ID generator's position. Requests that run during Save are either wholly in it or not.
func (c *Cloud) Save(w io.Writer) error {
	ids, err := c.ids.MarshalBinary()
	if err != nil {
		return fmt.Errorf("sim: save: %w", err)
	}
	iamState, err := c.identity.MarshalJSON()
	if err != nil {
		return fmt.Errorf("sim: save: %w", err)
	}
	st := savedState{Version: stateVersion, Account: c.opts.account, Offset: c.clock.Offset(), IDs: ids, IAM: iamState}
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
	if err := c.identity.UnmarshalJSON(st.IAM); err != nil {
		return fmt.Errorf("sim: load: %w", err)
	}
	b, _ := ids.MarshalBinary()
	if err := c.ids.UnmarshalBinary(b); err != nil {
		return fmt.Errorf("sim: load: %w", err)
	}
	c.clock.SetOffset(st.Offset)
	return nil
}
