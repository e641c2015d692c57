package iamsim

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsxlab/awsx/iamx/policy"
	"github.com/awsxlab/awsx/sim/internal/core"
)

// Encoded authorization messages: EC2 adds one to its UnauthorizedOperation ("Encoded
// authorization failure message: …"), and STS's DecodeAuthorizationMessage opens it for a
// caller allowed sts:DecodeAuthorizationMessage. AWS encrypts the message so that only
// such a caller reads the details; the simulator seals it with AES-GCM under a key derived
// from its seed, its nonce derived from the message, so that the same refusal reads the same
// on every run.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_DecodeAuthorizationMessage.html

// authMessage is the decoded message, in the shape AWS documents.
type authMessage struct {
	Allowed           bool       `json:"allowed"`
	ExplicitDeny      bool       `json:"explicitDeny"`
	MatchedStatements items[any] `json:"matchedStatements"`
	Failures          items[any] `json:"failures"`
	Context           struct {
		Principal  authPrincipal        `json:"principal"`
		Action     string               `json:"action"`
		Resource   string               `json:"resource"`
		Conditions items[authCondition] `json:"conditions"`
	} `json:"context"`
}

type items[T any] struct {
	Items []T `json:"items"`
}

type authPrincipal struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	ARN  string `json:"arn"`
}

type authCondition struct {
	Key    string `json:"key"`
	Values items[struct {
		Value string `json:"value"`
	}] `json:"values"`
}

type authStatement struct {
	StatementID string `json:"statementId,omitempty"`
	Effect      string `json:"effect"`
	Policy      string `json:"policy"`
	PolicyType  string `json:"policyType"`
	Index       int    `json:"index"`
}

func (s *Store) messageKey() []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], s.ids.Seed())
	m := hmac.New(sha256.New, k[:])
	m.Write([]byte("awsx authorization message"))
	return m.Sum(nil)
}

// EncodeAuthorizationMessage returns the encoded message of a refused request: who asked,
// for what, on what, with which condition keys, and the statement that denied it, if one did.
func (s *Store) EncodeAuthorizationMessage(c *core.Caller, req *policy.Request, d policy.Decision) string {
	var m authMessage
	m.Allowed, m.ExplicitDeny = d.Allowed(), d.Effect == policy.ExplicitDeny
	m.MatchedStatements.Items, m.Failures.Items = []any{}, []any{}
	if d.By != nil {
		m.MatchedStatements.Items = append(m.MatchedStatements.Items, authStatement{
			StatementID: d.By.Sid, Effect: map[bool]string{true: "DENY", false: "ALLOW"}[m.ExplicitDeny],
			Policy: d.By.Policy, PolicyType: d.By.PolicyType, Index: d.By.Index,
		})
	}
	if c != nil {
		m.Context.Principal = authPrincipal{ID: c.UserID, Name: c.UserName, ARN: c.ARN}
	}
	m.Context.Action, m.Context.Resource = req.Action, req.Resource
	m.Context.Conditions.Items = []authCondition{}
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range req.Context {
			if !yield(k) {
				return
			}
		}
	}) {
		cond := authCondition{Key: k}
		for _, v := range req.Context[k] {
			cond.Values.Items = append(cond.Values.Items, struct {
				Value string `json:"value"`
			}{v})
		}
		m.Context.Conditions.Items = append(m.Context.Conditions.Items, cond)
	}
	plain, _ := json.Marshal(&m)
	key := s.messageKey()
	block, _ := aes.NewCipher(key)
	aead, _ := cipher.NewGCM(block)
	mac := hmac.New(sha256.New, key)
	mac.Write(plain)
	nonce := mac.Sum(nil)[:aead.NonceSize()]
	return base64.RawURLEncoding.EncodeToString(aead.Seal(nonce, nonce, plain, nil))
}

// DecodeAuthorizationMessage opens a message of [Store.EncodeAuthorizationMessage]; the door
// has checked sts:DecodeAuthorizationMessage.
func (h *STS) DecodeAuthorizationMessage(ctx context.Context, in *sts.DecodeAuthorizationMessageInput) (*sts.DecodeAuthorizationMessageOutput, error) {
	msg := aws.ToString(in.EncodedMessage)
	if len(msg) < 1 || len(msg) > 10240 {
		return nil, core.Errorf(ValidationError, "1 validation error detected: Value at 'encodedMessage' failed to satisfy constraint: Member must have length %s", lengthBound(len(msg), 1, 10240))
	}
	invalid := core.Errorf(InvalidAuthorizationMessageException, "Message is not valid")
	invalid.Status = 400
	sealed, err := base64.RawURLEncoding.DecodeString(msg)
	if err != nil {
		return nil, invalid
	}
	block, _ := aes.NewCipher(h.s.messageKey())
	aead, _ := cipher.NewGCM(block)
	if len(sealed) < aead.NonceSize() {
		return nil, invalid
	}
	plain, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], nil)
	if err != nil {
		return nil, invalid
	}
	return &sts.DecodeAuthorizationMessageOutput{DecodedMessage: aws.String(string(plain))}, nil
}
