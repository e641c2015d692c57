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
			return service.On(rs...), nil
		},
		Dialect: service.QueryDialect,
	}
}
