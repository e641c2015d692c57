package params

import (
	"encoding/json"
	"maps"
	"os/exec"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/efs"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsxlab/awsx/internal/awsmodel"
)

// knownDifferences are members the SDK leaves out on purpose: it computes them itself.
var knownDifferences = map[string]bool{
	"ec2.CopySnapshot.DestinationRegion":                          true, // the SDK presigns CopySnapshot with its own region
	"rds.StartDBInstanceAutomatedBackupsReplication.SourceRegion": true, // botocore injects it for presigning; the SDK has no field
	// Required in the installed botocore's model, optional in the (newer) SDK's.
	"ec2.CreateCapacityReservationFleet.InstanceTypeSpecifications":            true,
	"ec2.UpdateInterruptibleCapacityReservationAllocation.TargetInstanceCount": true,
	// Required in the installed botocore's model; the newer SDK's takes InstanceIds instead.
	"autoscaling.TerminateInstanceInAutoScalingGroup.InstanceId": true,
}

// TestMatchesBotocore checks, for every operation of ec2, iam and sts that both the SDK and the
// installed botocore know, that the flags are the AWS CLI's option names (xform_name of the
// member names), that every botocore member is a parameter, and that Required agrees.
func TestMatchesBotocore(t *testing.T) {
	script := `
import json, sys, botocore.session
from botocore import xform_name
s = botocore.session.get_session()
out = {}
for svc in sys.argv[1:]:
    m = s.get_service_model(svc)
    ops = {}
    for op in m.operation_names:
        sh = m.operation_model(op).input_shape
        members = list(sh.members) if sh else []
        ops[op] = {"members": members, "flags": [xform_name(n, "-") for n in members],
                   # the AWS CLI fills an idempotency token itself (aws efs create-access-point
                   # needs no --client-token), as the SDK's client does
                   "required": [r for r in sh.required_members if not sh.members[r].metadata.get("idempotencyToken")] if sh else []}
    out[svc] = ops
print(json.dumps(out))
`
	if testing.Short() {
		t.Skip("runs botocore: not in -short mode")
	}
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed")
	}
	clients := map[string]any{"autoscaling": &autoscaling.Client{}, "cloudformation": &cloudformation.Client{}, "cloudwatch": &cloudwatch.Client{}, "ec2": &ec2.Client{}, "efs": &efs.Client{}, "elasticloadbalancingv2": &elb.Client{}, "iam": &iam.Client{},
		"rds": &rds.Client{}, "s3": &s3.Client{}, "sns": &sns.Client{}, "ssm": &ssm.Client{}, "sts": &sts.Client{}}
	botoName := map[string]string{} // the SDK's name → botocore's (elasticloadbalancingv2 → elbv2)
	for _, s := range awsmodel.Services() {
		if clients[s.Name] == nil {
			t.Errorf("%s: no client to compare", s.Name)
		}
		botoName[s.Name] = s.Botocore
	}
	var names []string
	for _, n := range slices.Sorted(maps.Keys(clients)) {
		names = append(names, botoName[n])
	}
	out, err := exec.Command(py, append([]string{"-c", script}, names...)...).Output()
	if err != nil {
		t.Skipf("botocore is not importable by python3: %v", err)
	}
	var boto map[string]map[string]struct {
		Members, Flags, Required []string
	}
	must(t, json.Unmarshal(out, &boto))
	compared, extra := 0, 0
	for svc, client := range clients {
		ct := reflect.TypeOf(client)
		for i := 0; i < ct.NumMethod(); i++ {
			m := ct.Method(i)
			if m.Type.NumIn() != 4 || m.Type.In(2).Kind() != reflect.Pointer || !strings.HasSuffix(m.Type.In(2).Elem().Name(), "Input") {
				continue
			}
			op, ok := boto[botoName[svc]][m.Name]
			if !ok {
				t.Logf("%s %s: not in the installed botocore (newer SDK)", svc, m.Name)
				continue
			}
			compared++
			byField := map[string]Param{}
			for _, p := range Params(m.Type.In(2)) {
				byField[p.Field] = p
			}
			for j, member := range op.Members {
				// botocore's SNS model names some members in lower camel case (phoneNumber);
				// the SDK's field is the name exported.
				member = exported(member)
				p, ok := byField[member]
				if !ok {
					if !knownDifferences[svc+"."+m.Name+"."+member] {
						t.Errorf("%s %s: botocore member %s is not a parameter", svc, m.Name, member)
					}
					continue
				}
				if p.Flag != op.Flags[j] {
					t.Errorf("%s %s: %s has flag --%s, the AWS CLI --%s", svc, m.Name, member, p.Flag, op.Flags[j])
				}
				delete(byField, member)
			}
			extra += len(byField)
			req := map[string]bool{}
			for _, r := range op.Required {
				req[exported(r)] = true
			}
			for _, p := range Params(m.Type.In(2)) {
				if _, inBoto := req[p.Field]; p.Required != req[p.Field] && (inBoto || p.Required) && !knownDifferences[svc+"."+m.Name+"."+p.Field] {
					t.Errorf("%s %s: %s Required=%v, botocore %v", svc, m.Name, p.Field, p.Required, req[p.Field])
				}
			}
		}
	}
	if compared < 700 {
		t.Errorf("compared only %d operations", compared)
	}
	t.Logf("compared %d operations; %d SDK members are newer than the installed botocore", compared, extra)
}

// TestRequiredTable checks the generated table against a few members the AWS docs mark required.
func TestRequiredTable(t *testing.T) {
	for typ, want := range map[reflect.Type][]string{
		reflect.TypeFor[ec2.RunInstancesInput]():                  {"MaxCount", "MinCount"},
		reflect.TypeFor[iam.CreateUserInput]():                    {"UserName"},
		reflect.TypeFor[sts.AssumeRoleInput]():                    {"RoleArn", "RoleSessionName"},
		reflect.TypeFor[ec2.DescribeInstancesInput]():             nil,
		reflect.TypeFor[iam.AttachGroupPolicyInput]():             {"GroupName", "PolicyArn"},
		reflect.TypeFor[ec2.CreateKeyPairInput]():                 {"KeyName"},
		reflect.TypeFor[ec2.AuthorizeSecurityGroupIngressInput](): nil,
	} {
		var got []string
		for _, p := range Params(typ) {
			if p.Required {
				got = append(got, p.Field)
			}
		}
		sort.Strings(got)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: required %v, want %v", typ, got, want)
		}
	}
}

func exported(name string) string {
	if name == "" {
		return name
	}
	return strings.ToUpper(name[:1]) + name[1:]
}
