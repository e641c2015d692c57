package iamsim

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// Service-specific credentials: a user name and password for CodeCommit's Git over HTTPS and
// Amazon Keyspaces. https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_service-specific-creds.html

type serviceCred struct {
	ID, User, Service string // User: the owner's user ID
	UserName          string // the service user name, USER-at-ACCOUNT
	Password          string
	Active            bool
	Created           time.Time
}

// credServices are the services that take a user name and password; two credentials per user
// per service. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
var credServices = map[string]bool{"codecommit.amazonaws.com": true, "cassandra.amazonaws.com": true}

const maxServiceCreds = 2

func credMeta(c *serviceCred, u *user) types.ServiceSpecificCredentialMetadata {
	return types.ServiceSpecificCredentialMetadata{
		UserName: aws.String(u.Name), Status: status(c.Active), ServiceUserName: aws.String(c.UserName),
		CreateDate: aws.Time(c.Created), ServiceSpecificCredentialId: aws.String(c.ID), ServiceName: aws.String(c.Service),
	}
}

func credOut(c *serviceCred, u *user) *types.ServiceSpecificCredential {
	return &types.ServiceSpecificCredential{
		UserName: aws.String(u.Name), Status: status(c.Active), ServiceUserName: aws.String(c.UserName),
		ServicePassword: aws.String(c.Password), CreateDate: aws.Time(c.Created),
		ServiceSpecificCredentialId: aws.String(c.ID), ServiceName: aws.String(c.Service),
	}
}

func (s *Store) userCred(u *user, id string) (*serviceCred, error) {
	c, ok := s.st.Account.ServiceCreds[id]
	if !ok || c.User != u.ID {
		return nil, core.Errorf(NoSuchEntity, "No such credential %s exists", id)
	}
	return c, nil
}

func (h *IAM) CreateServiceSpecificCredential(ctx context.Context, in *iam.CreateServiceSpecificCredentialInput) (*iam.CreateServiceSpecificCredentialOutput, error) {
	svc := aws.ToString(in.ServiceName)
	if !credServices[svc] {
		return nil, errorf(NotSupportedService, "Service %s is not supported for service-specific credentials.", svc)
	}
	s := h.s
	out := &iam.CreateServiceSpecificCredentialOutput{}
	return out, s.withUser(aws.ToString(in.UserName), func(u *user) error {
		n := 0
		for _, c := range s.st.Account.ServiceCreds {
			if c.User == u.ID && c.Service == svc {
				n++
			}
		}
		if n >= maxServiceCreds {
			return core.Errorf(LimitExceeded, "Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: %d", maxServiceCreds)
		}
		c := &serviceCred{
			ID: s.ids.Unique("ACCA"), User: u.ID, Service: svc, UserName: u.Name + "-at-" + s.account,
			Password: s.ids.Token(44), Active: true, Created: s.now(),
		}
		s.st.Account.ServiceCreds[c.ID] = c
		out.ServiceSpecificCredential = credOut(c, u)
		return nil
	})
}

func (h *IAM) ListServiceSpecificCredentials(ctx context.Context, in *iam.ListServiceSpecificCredentialsInput) (*iam.ListServiceSpecificCredentialsOutput, error) {
	var v validation
	v.maxItems(in.MaxItems)
	if err := v.err(); err != nil {
		return nil, err
	}
	s := h.s
	var all []types.ServiceSpecificCredentialMetadata
	s.mu.RLock()
	var only *user
	var err error
	if !aws.ToBool(in.AllUsers) {
		var name string
		if name, err = keyOwner(ctx, in.UserName); err == nil {
			only, err = s.user(name)
		}
	}
	if err == nil {
		for _, c := range sortedValues(s.st.Account.ServiceCreds) {
			u := s.userByID(c.User)
			if u == nil || only != nil && u != only || in.ServiceName != nil && *in.ServiceName != c.Service {
				continue
			}
			all = append(all, credMeta(c, u))
		}
	}
	s.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	items, marker, truncated, err := page(all, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListServiceSpecificCredentialsOutput{ServiceSpecificCredentials: nonNil(items), Marker: marker, IsTruncated: truncated}, nil
}

func (h *IAM) ResetServiceSpecificCredential(ctx context.Context, in *iam.ResetServiceSpecificCredentialInput) (*iam.ResetServiceSpecificCredentialOutput, error) {
	name, err := keyOwner(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	s := h.s
	out := &iam.ResetServiceSpecificCredentialOutput{}
	return out, s.withUser(name, func(u *user) error {
		c, err := s.userCred(u, aws.ToString(in.ServiceSpecificCredentialId))
		if err != nil {
			return err
		}
		c.Password = s.ids.Token(44)
		out.ServiceSpecificCredential = credOut(c, u)
		return nil
	})
}

func (h *IAM) UpdateServiceSpecificCredential(ctx context.Context, in *iam.UpdateServiceSpecificCredentialInput) (*iam.UpdateServiceSpecificCredentialOutput, error) {
	if err := checkStatus(in.Status); err != nil {
		return nil, err
	}
	name, err := keyOwner(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	s := h.s
	return &iam.UpdateServiceSpecificCredentialOutput{}, s.withUser(name, func(u *user) error {
		c, err := s.userCred(u, aws.ToString(in.ServiceSpecificCredentialId))
		if err != nil {
			return err
		}
		c.Active = in.Status == types.StatusTypeActive
		return nil
	})
}

func (h *IAM) DeleteServiceSpecificCredential(ctx context.Context, in *iam.DeleteServiceSpecificCredentialInput) (*iam.DeleteServiceSpecificCredentialOutput, error) {
	name, err := keyOwner(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	s := h.s
	return &iam.DeleteServiceSpecificCredentialOutput{}, s.withUser(name, func(u *user) error {
		c, err := s.userCred(u, aws.ToString(in.ServiceSpecificCredentialId))
		if err != nil {
			return err
		}
		delete(s.st.Account.ServiceCreds, c.ID)
		return nil
	})
}
