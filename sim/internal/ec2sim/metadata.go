package ec2sim

import (
	"encoding/base64"

	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// InstanceView is an instance as its metadata service shows it: what DescribeInstances
// says of it, and what only the instance sees.
type InstanceView struct {
	Region        string
	ReservationID string
	Instance      types.Instance
	UserData      []byte // decoded; nil when it has none
	// PublicKey is the key pair's public key as an authorized_keys line ("" without a key
	// pair, or when the key pair has been deleted since: the instance keeps what it was given,
	// which the simulator does not).
	PublicKey string
	// Spot is a Spot Instance's interruption notice, nil when it has none.
	Spot *SpotNotice
}

// Instance returns the instance called id, in whichever region it is; ok is false when no
// region has it, or it is no longer visible.
func (s *Store) Instance(id string) (v InstanceView, ok bool) {
	s.mu.Lock() // to play the region's Spot market up to now: a notice may have fallen due
	s.gen.Bump()
	defer s.unlock()
	now := s.now()
	for name, r := range s.regions {
		i, found := r.Instances[id]
		if !found || i.gone(now) {
			continue
		}
		s.settleSpot(r)
		v = InstanceView{Region: name, ReservationID: i.Reservation, Instance: s.instanceOut(r, i, ""), Spot: noticeOf(i)}
		if i.UserData != "" {
			v.UserData, _ = base64.StdEncoding.DecodeString(i.UserData) // checked by RunInstances
		}
		if kp, found := r.KeyPairs[i.Key]; found && i.Key != "" {
			v.PublicKey = kp.PublicKey
		}
		return v, true
	}
	return v, false
}
