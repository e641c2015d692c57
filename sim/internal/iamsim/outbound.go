package iamsim

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// Outbound web identity federation: the account's switch for STS to issue JSON web tokens
// that outside services trust, under an issuer URL of the account's own. The simulator keeps
// the switch and the issuer; the account keeps its issuer across a disable and enable.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_EnableOutboundWebIdentityFederation.html

func (h *IAM) EnableOutboundWebIdentityFederation(ctx context.Context, in *iam.EnableOutboundWebIdentityFederationInput) (*iam.EnableOutboundWebIdentityFederationOutput, error) {
	s := h.s
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	a := &s.st.Account
	if a.OutboundOn {
		return nil, errorf(FeatureEnabled, "Outbound web identity federation is already enabled for this account.")
	}
	if a.Outbound == "" {
		a.Outbound = "https://" + uuid(s.ids.Hex("", 32)) + ".tokens.sts.global.api.aws"
	}
	a.OutboundOn = true
	return &iam.EnableOutboundWebIdentityFederationOutput{IssuerIdentifier: aws.String(a.Outbound)}, nil
}

func (h *IAM) DisableOutboundWebIdentityFederation(ctx context.Context, in *iam.DisableOutboundWebIdentityFederationInput) (*iam.DisableOutboundWebIdentityFederationOutput, error) {
	s := h.s
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	if !s.st.Account.OutboundOn {
		return nil, errorf(FeatureDisabled, "Outbound web identity federation is not enabled for this account.")
	}
	s.st.Account.OutboundOn = false
	return &iam.DisableOutboundWebIdentityFederationOutput{}, nil
}

func (h *IAM) GetOutboundWebIdentityFederationInfo(ctx context.Context, in *iam.GetOutboundWebIdentityFederationInfoInput) (*iam.GetOutboundWebIdentityFederationInfoOutput, error) {
	s := h.s
	s.mu.RLock()
	defer s.mu.RUnlock()
	if !s.st.Account.OutboundOn {
		return nil, errorf(FeatureDisabled, "Outbound web identity federation is not enabled for this account.")
	}
	return &iam.GetOutboundWebIdentityFederationInfoOutput{IssuerIdentifier: aws.String(s.st.Account.Outbound), JwtVendingEnabled: true}, nil
}
