package elbsim

import (
	"sync"

	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/schemas"

	"github.com/awsxlab/awsx/sim/internal/query"
	"github.com/awsxlab/awsx/sim/internal/service"
)

// protocol is ELB's awsQuery, from the SDK's own schemas, made when ELB is first used.
var protocol = sync.OnceValue(func() service.Protocol {
	return query.FromSchema(schemas.ElasticLoadBalancing_v10, (*elb.Client)(nil)).Wire()
})

// Service returns the Elastic Load Balancing API as the door serves it: each operation
// authorized on the resources it names.
func (s *Store) Service() *service.Service {
	return &service.Service{
		Name:     "elasticloadbalancing",
		State:    s,
		Protocol: service.Lazy(protocol),
		Handler:  service.Methods(NewELB(s)),
		Resources: func(r *service.Request) ([]service.Access, error) {
			rs := Resources(s.account, r.Region, r.In)
			if len(rs) == 0 {
				rs = []string{"*"}
			}
			acc := service.On(rs...)
			// Tags given to a create need elasticloadbalancing:AddTags on the new resource too
			// (the ELB User Guides, "Tag resources on creation"), with the create's name in
			// elasticloadbalancing:CreateAction.
			if createTags(r.In) {
				acc = append(acc, service.Access{Action: "elasticloadbalancing:AddTags", Resource: rs[0],
					Context: map[string]string{"elasticloadbalancing:CreateAction": r.Op}})
			}
			return acc, nil
		},
		Dialect: service.QueryDialect,
	}
}

// createTags reports whether a create operation's input carries tags.
func createTags(in any) bool {
	switch in := in.(type) {
	case *elb.CreateLoadBalancerInput:
		return len(in.Tags) > 0
	case *elb.CreateTargetGroupInput:
		return len(in.Tags) > 0
	case *elb.CreateListenerInput:
		return len(in.Tags) > 0
	case *elb.CreateRuleInput:
		return len(in.Tags) > 0
	}
	return false
}
