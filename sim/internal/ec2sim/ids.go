package ec2sim

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// kind is one kind of EC2 resource as requests name it: its ID prefix, the error codes for an
// ID that is not of its shape and for one that does not exist, and how a not-found message
// names it. https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
type kind struct {
	prefix    string
	malformed core.Code
	notFound  core.Code
	missing   string // the not-found message, with %s for the ID
	resource  types.ResourceType
}

var (
	vpcKind      = kind{"vpc", InvalidVpcIDMalformed, InvalidVpcIDNotFound, "The vpc ID '%s' does not exist", types.ResourceTypeVpc}
	subnetKind   = kind{"subnet", InvalidSubnetIDMalformed, InvalidSubnetIDNotFound, "The subnet ID '%s' does not exist", types.ResourceTypeSubnet}
	gatewayKind  = kind{"igw", InvalidInternetGatewayIDMalformed, InvalidInternetGatewayIDNotFound, "The internetGateway ID '%s' does not exist", types.ResourceTypeInternetGateway}
	routeKind    = kind{"rtb", InvalidRouteTableIDMalformed, InvalidRouteTableIDNotFound, "The routeTable ID '%s' does not exist", types.ResourceTypeRouteTable}
	aclKind      = kind{"acl", InvalidNetworkAclIDMalformed, InvalidNetworkAclIDNotFound, "The networkAcl ID '%s' does not exist", types.ResourceTypeNetworkAcl}
	groupKind    = kind{"sg", InvalidGroupIDMalformed, InvalidGroupNotFound, "The security group '%s' does not exist", types.ResourceTypeSecurityGroup}
	ruleKind     = kind{"sgr", InvalidSecurityGroupRuleIDMalformed, InvalidSecurityGroupRuleIDNotFound, "The security group rule ID '%s' does not exist", types.ResourceTypeSecurityGroupRule}
	keyKind      = kind{"key", InvalidKeyPairMalformed, InvalidKeyPairNotFound, "The key pair ID '%s' does not exist", types.ResourceTypeKeyPair}
	instanceKind = kind{"i", InvalidInstanceIDMalformed, InvalidInstanceIDNotFound, "The instance ID '%s' does not exist", types.ResourceTypeInstance}
	imageKind    = kind{"ami", InvalidAMIIDMalformed, InvalidAMIIDNotFound, "The image id '[%s]' does not exist", types.ResourceTypeImage}
	// https://github.com/NixOS/nixops/issues/514 (AWS's answer, quoted)
	spotRequestKind = kind{"sir", InvalidSpotInstanceRequestIDMalformed, InvalidSpotInstanceRequestIDNotFound,
		"The spot instance request ID '%s' does not exist", types.ResourceTypeSpotInstancesRequest}
)

// taggable lists the kinds CreateTags accepts, by prefix.
var taggable = map[string]kind{}

func init() {
	for _, k := range []kind{vpcKind, subnetKind, gatewayKind, routeKind, aclKind, groupKind, ruleKind, keyKind, instanceKind, imageKind, spotRequestKind, volumeKind, snapshotKind, addressKind, templateKind, eniKind} {
		taggable[k.prefix] = k
	}
}

// wellFormed reports whether id has the kind's shape: the prefix, a dash, and 8 (the old
// shape) or 17 lowercase hex digits; for a Spot request, 8 lowercase letters and digits.
func (k kind) wellFormed(id string) bool {
	hex, ok := strings.CutPrefix(id, k.prefix+"-")
	if ok && k.prefix == "sir" {
		return len(hex) == 8 && strings.Trim(hex, "0123456789abcdefghijklmnopqrstuvwxyz") == ""
	}
	if !ok || len(hex) != 8 && len(hex) != 17 {
		return false
	}
	return strings.Trim(hex, "0123456789abcdef") == ""
}

func (k kind) malformedError(id string) error {
	return core.Errorf(k.malformed, "Invalid id: \"%s\" (expecting \"%s-...\")", id, k.prefix)
}

func (k kind) notFoundError(id string) error {
	return core.Errorf(k.notFound, k.missing, id)
}

// find returns the record with id from m: a malformed ID and a missing one get the kind's
// errors.
func find[T any](k kind, m map[string]T, id string) (T, error) {
	var zero T
	if !k.wellFormed(id) {
		return zero, k.malformedError(id)
	}
	v, ok := m[id]
	if !ok {
		return zero, k.notFoundError(id)
	}
	return v, nil
}

// pick returns the records named by ids, or all of them in creation order when ids is empty.
// Every ID must be well formed and exist; several missing IDs are named together, as EC2 does.
func pick[T record](k kind, m map[string]T, ids []string) ([]T, error) {
	if len(ids) == 0 {
		return inOrder(m), nil
	}
	var out []T
	var missing []string
	seen := map[string]bool{}
	for _, id := range ids {
		if !k.wellFormed(id) {
			return nil, k.malformedError(id)
		}
		v, ok := m[id]
		if !ok {
			missing = append(missing, id)
			continue
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, v)
		}
	}
	if len(missing) > 1 && k.prefix == "i" {
		return nil, core.Errorf(k.notFound, "The instance IDs '%s' do not exist", strings.Join(missing, ", "))
	}
	if len(missing) > 0 {
		return nil, k.notFoundError(missing[0])
	}
	return out, nil
}

// missingParameter is EC2's answer to a request without a required member.
func missingParameter(name string) error {
	return core.Errorf(MissingParameter, "The request must contain the parameter %s", name)
}

// invalidValue is EC2's usual answer to a member whose value it cannot take.
func invalidValue(param, value, why string) error {
	return core.Errorf(InvalidParameterValue, "Value (%s) for parameter %s is invalid. %s", value, param, why)
}

// page cuts items to one page of at most max (the operation's bounds, lo to hi; nil means
// all), starting where token says; it returns the next token, or nil on the last page. Tokens
// are opaque to clients: here, the position of the page's first item.
func page[T any](items []T, max *int32, token *string, lo, hi int32) ([]T, *string, error) {
	start := 0
	if token != nil && *token != "" {
		b, err := base64.RawURLEncoding.DecodeString(*token)
		n, aerr := strconv.Atoi(strings.TrimPrefix(string(b), "at:"))
		if err != nil || aerr != nil || !strings.HasPrefix(string(b), "at:") || n < 0 || n > len(items) {
			return nil, nil, core.Errorf(InvalidPaginationToken, "Invalid pagination token: %s", *token)
		}
		start = n
	}
	if max == nil {
		return items[start:], nil, nil
	}
	if *max < lo || *max > hi {
		return nil, nil, core.Errorf(InvalidParameterValue,
			"Value ( %d ) for parameter maxResults is invalid. Expecting a value between %d and %d.", *max, lo, hi)
	}
	end := min(start+int(*max), len(items))
	if end == len(items) {
		return items[start:], nil, nil
	}
	next := base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "at:%d", end))
	return items[start:end], &next, nil
}
