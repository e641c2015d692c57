package sim

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/awsxlab/awsx/sim/internal/asgsim"
	"github.com/awsxlab/awsx/sim/internal/cfnsim"
	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/cwsim"
	"github.com/awsxlab/awsx/sim/internal/ec2sim"
	"github.com/awsxlab/awsx/sim/internal/efssim"
	"github.com/awsxlab/awsx/sim/internal/elbsim"
	"github.com/awsxlab/awsx/sim/internal/guest"
	"github.com/awsxlab/awsx/sim/internal/iamsim"
	"github.com/awsxlab/awsx/sim/internal/rdssim"
	"github.com/awsxlab/awsx/sim/internal/s3sim"
	"github.com/awsxlab/awsx/sim/internal/snssim"
	"github.com/awsxlab/awsx/sim/internal/ssmsim"
	"github.com/awsxlab/awsx/sim/internal/world"
)

// The default account and its root credentials: AWS's documented example values.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/security-creds.html
const (
	DefaultAccount         = "123456789012"
	DefaultAccessKeyID     = "AKIAIOSFODNN7EXAMPLE"
	DefaultSecretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	DefaultRegion          = "us-east-1"
)

// Cloud is one simulated AWS account. It is safe for concurrent use by any number of
// goroutines and clients; each service guards its own state.
type Cloud struct {
	opts     options
	clock    *core.Clock
	ids      *core.IDs
	identity *iamsim.Store
	compute  *ec2sim.Store
	buckets  *s3sim.Store
	params   *ssmsim.Store
	dbs      *rdssim.Store
	lbs      *elbsim.Store
	files    *efssim.Store
	watch    *cwsim.Store
	stacks   *cfnsim.Store
	topics   *snssim.Store
	guests   *guest.Store // the instances' operating systems: guest.go
	scaling  *asgsim.Store
	registry registry
	hooks    hooks
	disk     *disk // nil unless made by Open
}

type options struct {
	seed       uint64
	clock      func() time.Time
	account    string
	noEnforce  bool
	anyKey     bool
	rootKey    string
	rootSecret string
	maxObject  int64
	callLog    int
	hosts      world.Hosts   // replaces the instances' operating systems as hosts (tests)
	network    world.Network // replaces EC2's answer to Reach (tests)
}

// Option configures a Cloud.
type Option func(*options)

// WithSeed seeds the generator of IDs (access keys, user IDs, instance IDs, request IDs):
// two clouds with the same seed given the same calls hand out the same IDs. The default is 1.
func WithSeed(seed uint64) Option { return func(o *options) { o.seed = seed } }

// WithClock sets the clock that stamps resources (creation dates, session expiries). The
// default is the wall clock. [Cloud.Advance] moves either forward.
func WithClock(now func() time.Time) Option { return func(o *options) { o.clock = now } }

// WithAccount sets the account ID, "123456789012" by default.
func WithAccount(id string) Option { return func(o *options) { o.account = id } }

// WithoutEnforcement turns IAM authorization off: every authenticated request is allowed.
// Signatures are still checked.
func WithoutEnforcement() Option { return func(o *options) { o.noEnforce = true } }

// WithAnyAccessKey makes any unknown access key act as the account's root, for tools written
// against other emulators' dummy keys (test/test). Their signatures cannot be checked, since
// their secret is unknown. Off by default.
func WithAnyAccessKey() Option { return func(o *options) { o.anyKey = true } }

// WithRootCredentials replaces the root's access key pair.
func WithRootCredentials(accessKeyID, secretAccessKey string) Option {
	return func(o *options) { o.rootKey, o.rootSecret = accessKeyID, secretAccessKey }
}

// defaultMaxObjectSize is the largest request body S3 takes here by default: objects are kept
// in memory. AWS takes 5 GiB in one PUT; larger objects here go through multipart uploads,
// whose parts each fit.
const defaultMaxObjectSize = 1 << 30

// WithMaxObjectSize sets the largest body one S3 request may carry (a PutObject, an
// UploadPart), 1 GiB by default; larger ones are refused with EntityTooLarge.
func WithMaxObjectSize(bytes int64) Option { return func(o *options) { o.maxObject = bytes } }

// New returns a new account with no users, only its root.
func New(opts ...Option) *Cloud {
	o := options{seed: 1, account: DefaultAccount, rootKey: DefaultAccessKeyID, rootSecret: DefaultSecretAccessKey,
		maxObject: defaultMaxObjectSize, callLog: defaultCallLog}
	for _, f := range opts {
		f(&o)
	}
	c := &Cloud{opts: o, clock: core.NewClock(o.clock), ids: core.NewIDs(o.seed)}
	c.identity = iamsim.NewStore(o.account, c.clock, c.ids)
	c.compute = ec2sim.NewStore(o.account, c.clock, c.ids, func(nameOrARN string) (ec2sim.Profile, bool) {
		arn, id, role, ok := c.identity.InstanceProfileRole(nameOrARN)
		return ec2sim.Profile{ARN: arn, ID: id, Role: role}, ok
	})
	c.buckets = s3sim.NewStore(o.account, c.clock, c.ids)
	c.params = ssmsim.NewStore(o.account, c.clock, c.ids, publicImages)
	c.watch = cwsim.NewStore(o.account, c.clock, c.instanceUsage)
	c.compute.ResolveParameters(func(ctx context.Context, name string) (string, error) {
		out, err := c.call(ctx, "ssm", "GetParameter", &ssm.GetParameterInput{Name: aws.String(name)})
		if err != nil {
			return "", err
		}
		return aws.ToString(out.(*ssm.GetParameterOutput).Parameter.Value), nil
	})
	// RDS reads the network through EC2's operations as the account: AWS's service-linked
	// role AWSServiceRoleForRDS, not the caller, describes subnets and security groups.
	c.dbs = rdssim.NewStore(o.account, c.clock, c.ids, func(ctx context.Context, op string, in any) (any, error) {
		return c.call(core.WithCaller(ctx, c.rootCaller()), "ec2", op, in)
	})
	// ELB reads the network through EC2's operations as the account (AWS's service-linked
	// role AWSServiceRoleForElasticLoadBalancing), and checks its targets' health through the
	// world's network and hosts.
	c.lbs = elbsim.NewStore(o.account, c.clock, c.ids, func(ctx context.Context, op string, in any) (any, error) {
		return c.call(core.WithCaller(ctx, c.rootCaller()), "ec2", op, in)
	}, c.network(), c.hosts())
	// ELB reads the IAM server certificates of HTTPS listeners as the account.
	c.lbs.ResolveCertificates(func(ctx context.Context, certARN string) (bool, error) {
		name := certARN[strings.LastIndex(certARN, "/")+1:]
		out, err := c.call(core.WithCaller(ctx, c.rootCaller()), "iam", "GetServerCertificate", &iam.GetServerCertificateInput{ServerCertificateName: aws.String(name)})
		if err != nil {
			if core.AsError(err).Code == iamsim.NoSuchEntity {
				return false, nil
			}
			return false, err
		}
		m := out.(*iam.GetServerCertificateOutput).ServerCertificate.ServerCertificateMetadata
		return aws.ToString(m.Arn) == certARN, nil
	})
	// EFS reads the network through EC2's operations as the account, as RDS does (its
	// service-linked role AWSServiceRoleForAmazonElasticFileSystem), and asks the world's
	// network whether an instance reaches a mount target.
	c.files = efssim.NewStore(o.account, c.clock, c.ids, func(ctx context.Context, op string, in any) (any, error) {
		return c.call(core.WithCaller(ctx, c.rootCaller()), "ec2", op, in)
	}, c.network())
	c.topics = snssim.NewStore(o.account, c.clock, c.ids)
	// Auto Scaling acts through EC2, CloudWatch and ELBv2 as the account: AWS's service-linked
	// role AWSServiceRoleForAutoScaling, not the caller, launches and registers instances.
	asCaller := *c.rootCaller()
	asCaller.Service = "autoscaling.amazonaws.com"
	c.scaling = asgsim.NewStore(o.account, c.clock, c.ids,
		func(ctx context.Context, svc, op string, in any) (any, error) {
			return c.call(core.WithCaller(ctx, &asCaller), svc, op, in)
		},
		func(ctx context.Context, register bool, tg string, ids []string) error {
			var targets []elbtypes.TargetDescription
			for _, id := range ids {
				targets = append(targets, elbtypes.TargetDescription{Id: aws.String(id)})
			}
			ctx = core.WithCaller(ctx, &asCaller)
			if register {
				_, err := c.call(ctx, "elasticloadbalancing", "RegisterTargets", &elasticloadbalancingv2.RegisterTargetsInput{TargetGroupArn: aws.String(tg), Targets: targets})
				return err
			}
			_, err := c.call(ctx, "elasticloadbalancing", "DeregisterTargets", &elasticloadbalancingv2.DeregisterTargetsInput{TargetGroupArn: aws.String(tg), Targets: targets})
			return err
		})
	c.scaling.ResolveProfiles(func(nameOrARN string) (string, bool) {
		_, _, role, ok := c.identity.InstanceProfileRole(nameOrARN)
		return role, ok
	})
	// Groups whose health check type is ELB read their instances' health from ELBv2.
	c.scaling.ReadTargetHealth(func(ctx context.Context, tg string, ids []string) (map[string]string, error) {
		var targets []elbtypes.TargetDescription
		for _, id := range ids {
			targets = append(targets, elbtypes.TargetDescription{Id: aws.String(id)})
		}
		out, err := c.call(core.WithCaller(ctx, &asCaller), "elasticloadbalancing", "DescribeTargetHealth",
			&elasticloadbalancingv2.DescribeTargetHealthInput{TargetGroupArn: aws.String(tg), Targets: targets})
		if err != nil {
			return nil, err
		}
		states := map[string]string{}
		for _, d := range out.(*elasticloadbalancingv2.DescribeTargetHealthOutput).TargetHealthDescriptions {
			if d.Target != nil && d.TargetHealth != nil {
				states[aws.ToString(d.Target.Id)] = string(d.TargetHealth.State)
			}
		}
		return states, nil
	})
	// CloudFormation makes a stack's resources through the services' operations as the
	// caller, as AWS does for a stack without a service role.
	c.stacks = cfnsim.NewStore(o.account, c.clock, c.ids, c.call)
	c.stacks.SetDBEndpoint(func(region, id string) (string, int, bool) {
		e, ok := c.dbs.NetworkEndpoint(region, id)
		return e.Host, e.Port, ok
	})
	c.newGuests()
	// CloudWatch's alarm actions on SNS topics publish through SNS, as the account: on AWS the
	// topic's default policy lets the owner's CloudWatch publish. Those on Auto Scaling
	// policies execute them.
	c.watch.Notify(cwsim.Notifier{RegionName: ec2sim.RegionDescription,
		Scale: func(region, policy, alarm string, value, threshold float64, at time.Time) error {
			if err := c.needs(c.scaling); err != nil {
				return err
			}
			return c.scaling.AlarmAction(region, policy, alarm, value, threshold, at)
		},
		Publish: func(region, topic, subject, message string) error {
			ctx := core.WithRegion(core.WithCaller(context.Background(), c.rootCaller()), region)
			_, err := c.call(ctx, "sns", "Publish", &sns.PublishInput{TopicArn: aws.String(topic), Subject: aws.String(subject), Message: aws.String(message)})
			return err
		}})
	// CloudWatch's AWS/ApplicationELB, AWS/NetworkELB and AWS/AutoScaling metrics: what the
	// load balancers answered and their targets' health, the groups' sizes; read from ELB and
	// Auto Scaling (whose saved state is loaded when first needed), without CloudWatch's lock.
	c.watch.AddSource(func(from, to time.Time) []world.Datum {
		if c.needs(c.lbs) != nil {
			return nil
		}
		return c.lbs.Metrics(from, to)
	})
	c.watch.AddSource(func(from, to time.Time) []world.Datum {
		if c.needs(c.scaling) != nil {
			return nil
		}
		return c.scaling.Metrics(from, to)
	})
	// S3's event notifications publish through SNS, as the account (the topic's default
	// policy lets its owner's buckets publish).
	c.buckets.Notify(func(ctx context.Context, topic, subject, message string) error {
		region := "us-east-1"
		if a, err := arn.Parse(topic); err == nil {
			region = a.Region
		}
		ctx = core.WithRegion(core.WithCaller(ctx, c.rootCaller()), region)
		_, err := c.call(ctx, "sns", "Publish", &sns.PublishInput{TopicArn: aws.String(topic), Subject: aws.String(subject), Message: aws.String(message)})
		return err
	})
	// The registry: one line per service. The first is the one whose protocol answers a
	// request that looks like no service's.
	c.registry.add(
		c.identity.IAMService(),
		c.identity.STSService(),
		c.compute.Service(),
		c.compute.CheckIPService(), // checkip.amazonaws.com: the learner's address
		c.lbs.Service(),
		c.lbs.TrafficService(), // before S3's, whose .localhost hosts would claim the load balancers'
		c.buckets.Service(o.maxObject),
		c.buckets.WebsiteService(),
		c.params.Service(),
		c.dbs.Service(),
		c.files.Service(),
		c.watch.Service(),
		c.topics.Service(),
		c.scaling.Service(),
		c.stacks.Service(),
	)
	return c
}

// rootCaller is the account's root, as which the simulator's services act for themselves.
func (c *Cloud) rootCaller() *core.Caller {
	a := c.opts.account
	return &core.Caller{Kind: core.Root, Account: a, ARN: "arn:aws:iam::" + a + ":root", UserID: a}
}

// Account returns the account's ID.
func (c *Cloud) Account() string { return c.opts.account }

// Now returns the simulator's time.
func (c *Cloud) Now() time.Time { return c.clock.Now() }

// Advance moves the simulator's clock forward by d: sessions expire, and signed requests
// and presigned URLs age, without waiting; CloudWatch's alarms evaluate and act, and Auto
// Scaling's groups follow, a minute at a time while the account has groups.
func (c *Cloud) Advance(d time.Duration) {
	// What comes due as time passes happens now: CloudWatch's alarms evaluate and act, then
	// Auto Scaling's groups follow (instances replaced, scaled by what the alarms did). Auto
	// Scaling is read first, for the alarms' actions on its policies. While it has groups, time
	// passes a minute at a time, so that each minute's alarms see the instances the groups
	// launched before.
	scaling := c.needs(c.scaling) == nil
	step := d
	if scaling && c.scaling.Active() && d > time.Minute {
		step = time.Minute
	}
	for left := d; ; left -= step {
		c.clock.Advance(min(step, left))
		if c.needs(c.watch) == nil {
			c.watch.Settle()
		}
		if scaling {
			c.scaling.Settle()
		}
		if left <= step {
			break
		}
	}
	c.commit(false) // a cloud from Open keeps the clock's position; Sync reports a failure
}

// ConfigOption adjusts the aws.Config that [Cloud.Config] returns.
type ConfigOption func(*configOptions)

type configOptions struct {
	key, secret, token string
	region             string
}

// WithCredentials makes the config sign with the given credentials instead of the root's.
func WithCredentials(accessKeyID, secretAccessKey, sessionToken string) ConfigOption {
	return func(o *configOptions) { o.key, o.secret, o.token = accessKeyID, secretAccessKey, sessionToken }
}

// WithRegion sets the config's region, us-east-1 by default.
func WithRegion(region string) ConfigOption { return func(o *configOptions) { o.region = region } }

// Config returns an aws.Config for SDK clients of this cloud: the root's credentials,
// us-east-1, and an HTTP client whose transport calls the simulator in memory, with no socket.
func (c *Cloud) Config(opts ...ConfigOption) aws.Config {
	o := configOptions{key: c.opts.rootKey, secret: c.opts.rootSecret, region: DefaultRegion}
	for _, f := range opts {
		f(&o)
	}
	return aws.Config{
		Region:      o.region,
		Credentials: aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(o.key, o.secret, o.token)),
		HTTPClient:  &http.Client{Transport: Transport(c)},
	}
}

// HTTPClient returns an HTTP client whose requests, whatever their host, go to the cloud in
// memory as [Cloud.Config]'s do: for presigned URLs, and for the static website endpoints of
// buckets (see [Cloud.WebsiteURL]), without a server. Its requests are not signed; it is safe
// for concurrent use.
func (c *Cloud) HTTPClient() *http.Client { return &http.Client{Transport: Transport(c)} }

// WebsiteURL returns the URL of the static website endpoint of the bucket called bucket, in
// AWS's form for the bucket's region (http://bucket.s3-website-us-east-1.amazonaws.com), for
// [Cloud.HTTPClient] to fetch. A server started with `awsx sim serve` answers the same host
// with .localhost and its port in place of .amazonaws.com. ok is false when there is no such
// bucket.
func (c *Cloud) WebsiteURL(bucket string) (url string, ok bool) {
	if c.needs(c.buckets) != nil {
		return "", false
	}
	region, ok := c.buckets.Region(bucket)
	if !ok {
		return "", false
	}
	return s3sim.WebsiteEndpoint(bucket, region), true
}

// publicImages is EC2's public catalog as Systems Manager's public parameters point at it.
func publicImages(region string) []ssmsim.Image {
	var out []ssmsim.Image
	for _, im := range ec2sim.PublicImages(region) {
		if !im.Deprecated {
			out = append(out, ssmsim.Image{ID: im.ID, Name: im.Name, Owner: im.Owner, Arch: im.Arch, Windows: im.Windows, Created: im.Created})
		}
	}
	return out
}

// instanceUsage is EC2's instances as CloudWatch's produced metrics and cost meter read them.
func (c *Cloud) instanceUsage() []cwsim.Instance {
	if c.needs(c.compute) != nil {
		return nil
	}
	var out []cwsim.Instance
	for _, u := range c.compute.Usage() {
		out = append(out, cwsim.Instance{ID: u.ID, Region: u.Region, Type: string(u.Type), Running: u.Running,
			Launched: u.Launched, Terminated: u.Terminated, Hourly: u.Hourly, Detailed: u.Detailed, Group: u.Group})
	}
	for _, u := range c.compute.NATUsage() { // billed by the hour, without metrics
		out = append(out, cwsim.Instance{ID: u.ID, Region: u.Region, Running: u.Running, Launched: u.Launched,
			Terminated: u.Terminated, Hourly: u.Hourly, MeterOnly: true})
	}
	return out
}

// Load is what an instance is doing, as the simulator's load model has it: its CPU use
// (0 to 1), its network traffic in bytes a second each way, and whether its status check
// fails. CloudWatch's AWS/EC2 metrics (CPUUtilization, NetworkIn, NetworkOut,
// StatusCheckFailed) are made from it. An instance whose load was never set is idle.
type Load = cwsim.Load

// SetInstanceLoad sets what the instance called id does from the simulator's now on, until
// it is set again: cloud.SetInstanceLoad(id, sim.Load{CPU: 0.9}) makes its CPUUtilization
// 90% in every period that follows. The instance need not exist yet.
func (c *Cloud) SetInstanceLoad(id string, l Load) error {
	if err := c.needs(c.watch); err != nil {
		return err
	}
	if err := c.watch.SetLoad(id, l); err != nil {
		return err
	}
	c.commit(false)
	return nil
}
