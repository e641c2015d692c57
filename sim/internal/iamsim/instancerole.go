package iamsim

import (
	"strings"
	"time"

	"github.com/awsxlab/awsx/iamx/policy"
)

// InstanceRole is what an instance's metadata service knows of its instance profile's role.
type InstanceRole struct {
	Role string // the role's name; "" when the profile holds no role
	// Code is "Success", or why EC2 could not assume the role: AssumeRoleUnauthorizedAccess
	// when its trust policy does not allow ec2.amazonaws.com.
	Code    string
	Message string
	// The session's credentials, when Code is Success.
	AccessKeyID, SecretAccessKey, Token string
	Expires, LastUpdated                time.Time
}

// Instance sessions last six hours and are renewed after one, as EC2 renews the credentials
// it serves.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/iam-roles-for-amazon-ec2.html#instance-metadata-security-credentials
const (
	instanceSessionLife  = 6 * time.Hour
	instanceSessionRenew = time.Hour
)

// ec2Principal is the service that assumes an instance profile's role.
var ec2Principal = policy.Principal{Service: "ec2.amazonaws.com"}

// InstanceRole returns the credentials EC2 serves to instanceID for the role of the instance
// profile profileARN: a session of the role named after the instance, as AWS names it
// (arn:aws:sts::…:assumed-role/ROLE/i-…), reused until it is an hour old. ok is false when
// there is no such profile.
func (s *Store) InstanceRole(profileARN, instanceID string) (r InstanceRole, ok bool) {
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	var ip *instanceProfile
	for _, p := range s.st.InstanceProfiles {
		if s.arn("instance-profile", p.Path, p.Name) == profileARN {
			ip = p
		}
	}
	if ip == nil {
		return r, false
	}
	if len(ip.Roles) == 0 {
		return r, true
	}
	ro, found := s.st.Roles[key(ip.Roles[0])]
	if !found {
		return r, true
	}
	r.Role = ro.Name
	roleARN := s.arn("role", ro.Path, ro.Name)
	req := &policy.Request{Principal: ec2Principal, Action: "sts:AssumeRole", Resource: roleARN}
	d := policy.Evaluate(req, &policy.Policies{Resource: []policy.Attached{{Name: roleARN + " trust policy", Policy: ro.Trust.parsed}}})
	if !d.Allowed() || !d.ResourceAllows {
		r.Code = "AssumeRoleUnauthorizedAccess"
		r.Message = "EC2 cannot assume the role " + ro.Name + ". Please see documentation at https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2.html#troubleshoot_roles_ec2-cannot-assume-role."
		r.LastUpdated = s.now()
		return r, true
	}
	now := s.now()
	var ses *session
	for _, c := range s.st.Sessions {
		if c.Role == ro.Name && c.RoleID == ro.ID && c.Name == instanceID && now.Before(c.Expires.Add(instanceSessionRenew-instanceSessionLife)) &&
			(ses == nil || c.Expires.After(ses.Expires)) {
			ses = c
		}
	}
	if ses == nil {
		ses = s.newSession(instanceSessionLife)
		ses.Role, ses.RoleID, ses.Name = ro.Name, ro.ID, instanceID
	}
	r.Code = "Success"
	r.AccessKeyID, r.SecretAccessKey, r.Token = ses.KeyID, ses.Secret, ses.Token
	r.Expires, r.LastUpdated = ses.Expires, ses.Expires.Add(-instanceSessionLife)
	return r, true
}

// InstanceProfileRole finds an instance profile by name or by ARN, as [Store.InstanceProfile]
// does, for EC2's launches and associations: it returns the profile's ARN and ID, the ARN of
// the role in it ("" when it holds none), which the caller must be allowed to pass
// (iam:PassRole), and whether the profile exists.
func (s *Store) InstanceProfileRole(nameOrARN string) (arn, id, roleARN string, ok bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	name := nameOrARN
	if strings.HasPrefix(nameOrARN, "arn:") {
		name = nameOrARN[strings.LastIndexByte(nameOrARN, '/')+1:]
	}
	ip, found := s.st.InstanceProfiles[key(name)]
	if !found {
		return "", "", "", false
	}
	arn = s.arn("instance-profile", ip.Path, ip.Name)
	if strings.HasPrefix(nameOrARN, "arn:") && arn != nameOrARN {
		return "", "", "", false
	}
	if len(ip.Roles) > 0 {
		// IAM refuses to delete a role that is in a profile (DeleteConflict), so it is there.
		if ro, found := s.st.Roles[key(ip.Roles[0])]; found {
			roleARN = s.arn("role", ro.Path, ro.Name)
		}
	}
	return arn, ip.ID, roleARN, true
}
