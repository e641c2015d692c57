package elbsim

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

var (
	albProtocols = []string{"HTTP", "HTTPS"}
	nlbProtocols = []string{"TCP", "TLS", "UDP", "TCP_UDP"}
	contentTypes = []string{"text/plain", "text/css", "text/html", "application/javascript", "application/json"}
)

// checkActions reads a listener's or rule's actions for a load balancer and checks them as
// AWS does: one terminal action (forward, redirect or fixed-response), last in order; forward
// to existing target groups of the load balancer's VPC, of a protocol its listener can
// reach, used by no other load balancer; redirect and fixed-response on Application Load
// Balancers only.
func checkActions(r *regionState, lb *loadBalancer, in []types.Action) ([]action, error) {
	if len(in) == 0 {
		return nil, errorf(ValidationError, "At least one action must be specified")
	}
	if len(in) > 5 {
		return nil, errorf(TooManyActions, "You've reached the limit on the number of actions per rule")
	}
	var out []action
	terminal := 0
	for i, a := range in {
		typ := string(a.Type)
		if err := enum(typ, "actions."+strconv.Itoa(i+1)+".member.type", "forward", "authenticate-oidc", "authenticate-cognito", "redirect", "fixed-response", "jwt-validation"); err != nil {
			return nil, err
		}
		act := action{Type: typ, Order: aws.ToInt32(a.Order)}
		if a.Order != nil && (act.Order < 1 || act.Order > 50000) {
			return nil, errorf(ValidationError, "1 validation error detected: Value '%d' at 'actions.%d.member.order' failed to satisfy constraint: Member must have value between 1 and 50000", act.Order, i+1)
		}
		switch typ {
		case "forward":
			fw, sticky, single, err := checkForward(r, lb, a)
			if err != nil {
				return nil, err
			}
			act.Forward, act.Sticky, act.Single = fw, sticky, single
		case "redirect":
			if lb.Type != "application" {
				return nil, errorf(InvalidLoadBalancerAction, "Redirect actions are only supported by Application Load Balancers")
			}
			rd, err := checkRedirect(a.RedirectConfig)
			if err != nil {
				return nil, err
			}
			act.Redirect = rd
		case "fixed-response":
			if lb.Type != "application" {
				return nil, errorf(InvalidLoadBalancerAction, "Fixed-response actions are only supported by Application Load Balancers")
			}
			fx, err := checkFixed(a.FixedResponseConfig)
			if err != nil {
				return nil, err
			}
			act.Fixed = fx
		default:
			return nil, core.Errorf(core.NotImplemented, "The simulator does not implement '%s' actions.", typ)
		}
		terminal++
		out = append(out, act)
	}
	if terminal > 1 {
		return nil, errorf(InvalidLoadBalancerAction, "You can specify only one forward, redirect or fixed-response action")
	}
	orders := map[int32]bool{}
	for i := range out {
		if out[i].Order == 0 {
			out[i].Order = int32(i + 1)
		}
		if orders[out[i].Order] {
			return nil, errorf(ValidationError, "The action order '%d' is specified more than once", out[i].Order)
		}
		orders[out[i].Order] = true
	}
	return out, nil
}

func checkForward(r *regionState, lb *loadBalancer, a types.Action) ([]weighted, *stickiness, bool, error) {
	var fw []weighted
	var sticky *stickiness
	single := false
	if a.ForwardConfig != nil {
		if n := len(a.ForwardConfig.TargetGroups); n < 1 || n > 5 {
			return nil, nil, false, errorf(ValidationError, "A forward action must specify between 1 and 5 target groups")
		}
		for _, t := range a.ForwardConfig.TargetGroups {
			w := int32(1)
			if t.Weight != nil {
				w = *t.Weight
				if w < 0 || w > 999 {
					return nil, nil, false, errorf(ValidationError, "Target group weight '%d' must be between 0 and 999", w)
				}
			}
			fw = append(fw, weighted{TG: aws.ToString(t.TargetGroupArn), Weight: w})
		}
		if c := a.ForwardConfig.TargetGroupStickinessConfig; c != nil {
			sticky = &stickiness{Enabled: aws.ToBool(c.Enabled), Duration: aws.ToInt32(c.DurationSeconds)}
		}
	}
	if arn := aws.ToString(a.TargetGroupArn); arn != "" {
		if fw != nil && (len(fw) != 1 || fw[0].TG != arn) {
			return nil, nil, false, errorf(ValidationError, "You cannot specify a target group ARN and a forward config with different target groups")
		}
		if fw == nil {
			fw, single = []weighted{{TG: arn, Weight: 1}}, true
		}
	}
	if fw == nil {
		return nil, nil, false, errorf(ValidationError, "A target group ARN must be specified")
	}
	for _, w := range fw {
		tg := r.TGs[w.TG]
		if tg == nil {
			return nil, nil, false, errorf(TargetGroupNotFound, "Target groups '%s' not found", w.TG)
		}
		protos := albProtocols
		if lb.Type == "network" {
			protos = nlbProtocols
		}
		if tg.TargetType == "lambda" {
			if lb.Type != "application" {
				return nil, nil, false, errorf(InvalidLoadBalancerAction, "Target groups of type 'lambda' are only supported by Application Load Balancers")
			}
		} else if !slices.Contains(protos, tg.Protocol) {
			return nil, nil, false, errorf(IncompatibleProtocols, "The target group '%s' has the %s protocol, which a %s load balancer's listener cannot forward to", w.TG, tg.Protocol, map[string]string{"application": "application", "network": "network"}[lb.Type])
		}
		if tg.VPC != "" && tg.VPC != lb.VPC {
			return nil, nil, false, errorf(InvalidConfigurationRequest, "The target group '%s' is in VPC '%s', and the load balancer in VPC '%s'", w.TG, tg.VPC, lb.VPC)
		}
		for _, other := range users(r, w.TG) {
			if other != lb.ARN {
				return nil, nil, false, errorf(TargetGroupAssociationLimit, "The following target groups cannot be associated with more than one load balancer: %s", w.TG)
			}
		}
	}
	return fw, sticky, single, nil
}

func checkRedirect(c *types.RedirectActionConfig) (*redirect, error) {
	if c == nil {
		return nil, errorf(ValidationError, "A redirect configuration must be specified for a redirect action")
	}
	rd := &redirect{Protocol: "#{protocol}", Port: "#{port}", Host: "#{host}", Path: "/#{path}", Query: "#{query}", Status: string(c.StatusCode)}
	if err := enum(rd.Status, "redirectConfig.statusCode", "HTTP_301", "HTTP_302"); err != nil {
		return nil, err
	}
	if c.Protocol != nil {
		rd.Protocol = *c.Protocol
		if p := strings.ToUpper(rd.Protocol); p != "HTTP" && p != "HTTPS" && rd.Protocol != "#{protocol}" {
			return nil, errorf(ValidationError, "Redirect protocol must be 'HTTP', 'HTTPS' or '#{protocol}'")
		}
	}
	if c.Port != nil {
		rd.Port = *c.Port
		if n, err := strconv.Atoi(rd.Port); rd.Port != "#{port}" && (err != nil || n < 1 || n > 65535) {
			return nil, errorf(ValidationError, "Redirect port must be a number between 1 and 65535 or '#{port}'")
		}
	}
	if c.Host != nil {
		rd.Host = *c.Host
	}
	if c.Path != nil {
		rd.Path = *c.Path
		if !strings.HasPrefix(rd.Path, "/") {
			return nil, errorf(ValidationError, "Redirect path must start with a '/' character")
		}
	}
	if c.Query != nil {
		rd.Query = *c.Query
	}
	if rd.Protocol == "#{protocol}" && rd.Port == "#{port}" && rd.Host == "#{host}" && rd.Path == "/#{path}" && rd.Query == "#{query}" {
		return nil, errorf(InvalidLoadBalancerAction, "The redirect configuration is not valid because it creates a loop.")
	}
	return rd, nil
}

func checkFixed(c *types.FixedResponseActionConfig) (*fixed, error) {
	if c == nil {
		return nil, errorf(ValidationError, "A fixed-response configuration must be specified for a fixed-response action")
	}
	fx := &fixed{Status: aws.ToString(c.StatusCode)}
	if s := fx.Status; len(s) != 3 || !strings.ContainsRune("245", rune(s[0])) || s[1] < '0' || s[1] > '9' || s[2] < '0' || s[2] > '9' {
		return nil, errorf(ValidationError, "1 validation error detected: Value '%s' at 'fixedResponseConfig.statusCode' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(2|4|5)\\d\\d$", s)
	}
	if c.ContentType != nil {
		if !slices.Contains(contentTypes, *c.ContentType) {
			return nil, errorf(InvalidLoadBalancerAction, "The ContentType must be one of:'text/html', 'application/json', 'application/javascript', 'text/css', 'text/plain'")
		}
		fx.ContentType, fx.HasType = *c.ContentType, true
	}
	if c.MessageBody != nil {
		if len(*c.MessageBody) > 1024 {
			return nil, errorf(ValidationError, "1 validation error detected: Value at 'fixedResponseConfig.messageBody' failed to satisfy constraint: Member must have length less than or equal to 1024")
		}
		fx.Body, fx.HasBody = *c.MessageBody, true
	}
	return fx, nil
}

func actionsOut(acts []action) []types.Action {
	out := make([]types.Action, 0, len(acts))
	for _, a := range acts {
		o := types.Action{Type: types.ActionTypeEnum(a.Type), Order: aws.Int32(a.Order)}
		switch {
		case a.Forward != nil:
			fc := &types.ForwardActionConfig{TargetGroupStickinessConfig: &types.TargetGroupStickinessConfig{Enabled: aws.Bool(false)}}
			for _, w := range a.Forward {
				fc.TargetGroups = append(fc.TargetGroups, types.TargetGroupTuple{TargetGroupArn: aws.String(w.TG), Weight: aws.Int32(w.Weight)})
			}
			if a.Sticky != nil {
				fc.TargetGroupStickinessConfig.Enabled = aws.Bool(a.Sticky.Enabled)
				if a.Sticky.Duration != 0 {
					fc.TargetGroupStickinessConfig.DurationSeconds = aws.Int32(a.Sticky.Duration)
				}
			}
			if len(a.Forward) == 1 {
				o.TargetGroupArn = aws.String(a.Forward[0].TG)
			}
			o.ForwardConfig = fc
		case a.Redirect != nil:
			rd := a.Redirect
			o.RedirectConfig = &types.RedirectActionConfig{Protocol: aws.String(rd.Protocol), Port: aws.String(rd.Port), Host: aws.String(rd.Host),
				Path: aws.String(rd.Path), Query: aws.String(rd.Query), StatusCode: types.RedirectActionStatusCodeEnum(rd.Status)}
		case a.Fixed != nil:
			fx := &types.FixedResponseActionConfig{StatusCode: aws.String(a.Fixed.Status)}
			if a.Fixed.HasType {
				fx.ContentType = aws.String(a.Fixed.ContentType)
			}
			if a.Fixed.HasBody {
				fx.MessageBody = aws.String(a.Fixed.Body)
			}
			o.FixedResponseConfig = fx
		}
		out = append(out, o)
	}
	return out
}

var conditionFields = []string{"http-header", "http-request-method", "host-header", "path-pattern", "query-string", "source-ip"}

// checkConditions reads a rule's conditions: path-pattern, host-header (Values or their
// configs), http-request-method and source-ip; at most five values in all.
func checkConditions(in []types.RuleCondition) ([]condition, error) {
	if len(in) == 0 {
		return nil, errorf(ValidationError, "At least one condition must be specified")
	}
	var out []condition
	total := 0
	for _, c := range in {
		field := aws.ToString(c.Field)
		if !slices.Contains(conditionFields, field) {
			return nil, errorf(ValidationError, "Condition field '%s' must be one of '[%s]'", field, strings.Join(conditionFields, ",")) // moto quotes AWS so
		}
		var vals []string
		switch field {
		case "path-pattern":
			vals = c.Values
			if c.PathPatternConfig != nil {
				if len(c.Values) > 0 {
					return nil, errorf(ValidationError, "You cannot provide both Values and 'PathPatternConfig' for a condition of type 'path-pattern'")
				}
				if len(c.PathPatternConfig.RegexValues) > 0 {
					return nil, core.Errorf(core.NotImplemented, "The simulator does not implement regular expression conditions.")
				}
				vals = c.PathPatternConfig.Values
			}
		case "host-header":
			vals = c.Values
			if c.HostHeaderConfig != nil {
				if len(c.Values) > 0 {
					return nil, errorf(ValidationError, "You cannot provide both Values and 'HostHeaderConfig' for a condition of type 'host-header'")
				}
				if len(c.HostHeaderConfig.RegexValues) > 0 {
					return nil, core.Errorf(core.NotImplemented, "The simulator does not implement regular expression conditions.")
				}
				vals = c.HostHeaderConfig.Values
			}
		case "http-request-method":
			if len(c.Values) > 0 {
				return nil, errorf(ValidationError, "The 'Values' field is not compatible with 'http-request-method'")
			}
			if c.HttpRequestMethodConfig != nil {
				vals = c.HttpRequestMethodConfig.Values
			}
			for _, v := range vals {
				for i := 0; i < len(v); i++ {
					if ch := v[i]; !(ch >= 'A' && ch <= 'Z' || ch == '-' || ch == '_') {
						return nil, errorf(ValidationError, "The 'http-request-method' value is invalid; the allowed characters are A-Z, hyphen and underscore")
					}
				}
			}
		case "source-ip":
			if len(c.Values) > 0 {
				return nil, errorf(ValidationError, "The 'Values' field is not compatible with 'source-ip'")
			}
			if c.SourceIpConfig != nil {
				vals = c.SourceIpConfig.Values
			}
			for _, v := range vals {
				if _, err := netip.ParsePrefix(v); err != nil {
					return nil, errorf(ValidationError, "The 'source-ip' value '%s' is not a valid CIDR block", v)
				}
			}
		default:
			return nil, core.Errorf(core.NotImplemented, "The simulator does not implement '%s' conditions.", field)
		}
		if len(vals) == 0 {
			return nil, errorf(ValidationError, "A condition value must be specified")
		}
		for _, v := range vals {
			if len(v) > 128 {
				return nil, errorf(ValidationError, "The '%s' value is too long; the limit is '128'", field)
			}
		}
		if slices.ContainsFunc(out, func(o condition) bool { return o.Field == field }) {
			return nil, errorf(ValidationError, "A rule can only have one '%s' condition", field)
		}
		total += len(vals)
		out = append(out, condition{Field: field, Values: slices.Clone(vals)})
	}
	if total > 5 {
		return nil, errorf(ValidationError, "A rule can only have '5' condition values")
	}
	return out, nil
}

func conditionsOut(cs []condition) []types.RuleCondition {
	out := make([]types.RuleCondition, 0, len(cs))
	for _, c := range cs {
		o := types.RuleCondition{Field: aws.String(c.Field)}
		vals := slices.Clone(c.Values)
		switch c.Field {
		case "path-pattern":
			o.Values, o.PathPatternConfig = vals, &types.PathPatternConditionConfig{Values: slices.Clone(vals)}
		case "host-header":
			o.Values, o.HostHeaderConfig = vals, &types.HostHeaderConditionConfig{Values: slices.Clone(vals)}
		case "http-request-method":
			o.HttpRequestMethodConfig = &types.HttpRequestMethodConditionConfig{Values: vals}
		case "source-ip":
			o.SourceIpConfig = &types.SourceIpConditionConfig{Values: vals}
		}
		out = append(out, o)
	}
	return out
}
