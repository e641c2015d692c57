package snssim

import (
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/schemas"

	"github.com/awsxlab/awsx/sim/internal/query"
	"github.com/awsxlab/awsx/sim/internal/service"
)

// protocol is SNS's awsQuery, from the SDK's own schemas, made when SNS is first used.
var protocol = sync.OnceValue(func() service.Protocol {
	return query.FromSchema(schemas.AmazonSimpleNotificationService, (*sns.Client)(nil)).Wire()
})
