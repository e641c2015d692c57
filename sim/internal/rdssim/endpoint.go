package rdssim

import (
	"strings"
)

// A NetworkEndpoint is where a DB instance sits on the account's network, for the world's
// network to evaluate flows to it: the subnet of its subnet group in its Availability Zone
// and its VPC security groups. (On AWS, RDS puts a network interface of its own there; the
// endpoint's DNS name resolves to that interface's address.)
type NetworkEndpoint struct {
	ID             string // the DB instance identifier
	Host           string // the endpoint's DNS name
	Port           int
	Subnet         string // subnet-…: the subnet group's subnet in the instance's zone
	SecurityGroups []string
	Public         bool   // PubliclyAccessible
	Status         string // the instance's status now
}

// NetworkEndpoint finds the DB instance of region named by its identifier (any case) or by
// its endpoint's DNS name; ok is false when there is none.
func (s *Store) NetworkEndpoint(region, name string) (e NetworkEndpoint, ok bool) {
	name = strings.TrimSuffix(strings.ToLower(name), ".")
	suffix := "." + s.endpointHash(region) + "." + region + ".rds.amazonaws.com"
	id := strings.TrimSuffix(name, suffix)
	if strings.Contains(id, ".") {
		return e, false
	}
	now := s.clock.Now()
	s.read(region, func(r *regionState) error {
		if r == nil {
			return nil
		}
		in := r.Instances[id]
		if in == nil {
			return nil
		}
		status, _, gone := in.phase(now)
		if gone {
			return nil
		}
		e = NetworkEndpoint{ID: in.ID, Host: in.ID + suffix, Port: int(in.Port), Public: in.Public, Status: status,
			SecurityGroups: append([]string(nil), in.SecurityGroups...)}
		if g := r.SubnetGroups[in.SubnetGroup]; g != nil {
			for _, sn := range g.Subnets {
				if sn.AZ == in.AZ {
					e.Subnet = sn.ID
				}
			}
		}
		ok = true
		return nil
	})
	return e, ok
}
