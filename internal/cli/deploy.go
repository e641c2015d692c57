package cli

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	"go.yaml.in/yaml/v3"

	"github.com/awsxlab/awsx/internal/cli/waiter"
	"github.com/awsxlab/awsx/internal/output"
	"github.com/awsxlab/awsx/sim"
)

// deployFlags are `cloudformation deploy`'s arguments, true for those that take words.
var deployFlags = map[string]bool{
	"template-file": true, "stack-name": true, "s3-bucket": true, "s3-prefix": true, "kms-key-id": true, "force-upload": false,
	"parameter-overrides": true, "capabilities": true, "no-execute-changeset": false, "disable-rollback": false,
	"no-disable-rollback": false, "role-arn": true, "notification-arns": true, "fail-on-empty-changeset": false,
	"no-fail-on-empty-changeset": false, "tags": true,
}

// runDeploy is the AWS CLI's `cloudformation deploy` (awscli/customizations/cloudformation:
// deploy.py, deployer.py): a change set of the template — CREATE when the stack does not
// exist (or is still in review), UPDATE otherwise, every template parameter not overridden
// passed as UsePreviousValue — waited for, executed, and the stack waited for. An empty
// change set is not an error, as in the AWS CLI v2 (--fail-on-empty-changeset makes it one,
// as v1 does by default). On the embedded simulator the waits pass on its clock.
func runDeploy(ctx context.Context, f *Factory, g globals, args []string) int {
	streams := f.IO
	if len(args) > 0 && (args[0] == "help" || args[0] == "--help") {
		fmt.Fprint(streams.Out, deployHelp)
		return exitOK
	}
	g, named, _, err := parseArgs(g, args)
	if err != nil {
		return fail(streams, err)
	}
	var unknown []string
	for flag, words := range named {
		takes, ok := deployFlags[flag]
		switch {
		case !ok:
			unknown = append(unknown, "--"+flag)
		case !takes && len(words) > 0:
			unknown = append(unknown, words...)
		case takes && len(words) == 0:
			return fail(streams, usageErr("argument --%s: expected one argument", flag))
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return fail(streams, unknownOptions(unknown))
	}
	var missing []string
	for _, req := range []string{"template-file", "stack-name"} {
		if _, ok := named[req]; !ok {
			missing = append(missing, "--"+req)
		}
	}
	if len(missing) > 0 {
		return fail(streams, usageErr("the following arguments are required: %s", strings.Join(missing, ", ")))
	}
	one := func(flag string) string {
		if w := named[flag]; len(w) > 0 {
			return w[len(w)-1]
		}
		return ""
	}
	_, noExecute := named["no-execute-changeset"]
	_, failEmpty := named["fail-on-empty-changeset"]
	_, disableRollback := named["disable-rollback"]
	stackName, path := one("stack-name"), one("template-file")
	body, err := os.ReadFile(f.Path(path))
	if err != nil {
		return fail(streams, &exitError{exitOther, "\nInvalid template path " + path + "\n"})
	}
	bucket := one("s3-bucket")
	if len(body) > 51200 && bucket == "" {
		return fail(streams, &exitError{exitOther, "\nTemplates with a size greater than 51,200 bytes must be deployed via an S3 Bucket. Please add the --s3-bucket parameter to your command. The local template will be copied to that S3 bucket and then deployed.\n"})
	}
	overrides, err := keyValues(named["parameter-overrides"], "parameter-overrides")
	if err != nil {
		return fail(streams, err)
	}
	tagValues, err := keyValues(named["tags"], "tags")
	if err != nil {
		return fail(streams, err)
	}
	names, err := templateParameters(body)
	if err != nil {
		return fail(streams, &exitError{exitOther, "\n" + err.Error() + "\n"})
	}
	var params []cfntypes.Parameter
	for _, n := range names {
		if v, ok := overrides.get(n); ok {
			params = append(params, cfntypes.Parameter{ParameterKey: aws.String(n), ParameterValue: aws.String(v)})
		} else {
			params = append(params, cfntypes.Parameter{ParameterKey: aws.String(n), UsePreviousValue: aws.Bool(true)})
		}
	}
	in := &cloudformation.CreateChangeSetInput{StackName: aws.String(stackName), TemplateBody: aws.String(string(body)),
		NotificationARNs: named["notification-arns"]}
	for _, c := range named["capabilities"] {
		in.Capabilities = append(in.Capabilities, cfntypes.Capability(c))
	}
	for _, kv := range tagValues {
		in.Tags = append(in.Tags, cfntypes.Tag{Key: aws.String(kv[0]), Value: aws.String(kv[1])})
	}
	if r := one("role-arn"); r != "" {
		in.RoleARN = aws.String(r)
	}
	err = withCloud(ctx, f, g, func(cfg aws.Config, backend string, cloud *sim.Cloud) error {
		client := cloudformation.NewFromConfig(cfg)
		now := time.Now().UTC()
		if cloud != nil {
			now = cloud.Now()
		}
		in.ChangeSetName = aws.String(fmt.Sprintf("awscli-cloudformation-package-deploy-%d", now.Unix()))
		in.Description = aws.String("Created by AWS CLI at " + now.Format("2006-01-02T15:04:05.000000") + " UTC")
		exists, err := hasStack(ctx, client, stackName)
		if err != nil {
			return err
		}
		in.ChangeSetType = cfntypes.ChangeSetTypeCreate
		in.Parameters = slices.DeleteFunc(slices.Clone(params), func(p cfntypes.Parameter) bool { return aws.ToBool(p.UsePreviousValue) })
		if exists {
			in.ChangeSetType = cfntypes.ChangeSetTypeUpdate
			sum, err := client.GetTemplateSummary(ctx, &cloudformation.GetTemplateSummaryInput{StackName: aws.String(stackName)})
			if err != nil {
				return callErrorOf("GetTemplateSummary", err)
			}
			var had []string
			for _, p := range sum.Parameters {
				had = append(had, aws.ToString(p.ParameterKey))
			}
			in.Parameters = slices.DeleteFunc(slices.Clone(params), func(p cfntypes.Parameter) bool {
				return aws.ToBool(p.UsePreviousValue) && !slices.Contains(had, aws.ToString(p.ParameterKey))
			})
		}
		if bucket != "" {
			// deployer.py: the template goes to S3 first, named by its MD5 (not sent again when
			// an object of that name is there), and the change set reads it from its URL.
			_, force := named["force-upload"]
			u, err := uploadTemplate(ctx, newS3Client(cfg, backend).(*s3.Client), body, bucket, one("s3-prefix"), one("kms-key-id"), force, streams)
			if err != nil {
				return err
			}
			in.TemplateBody, in.TemplateURL = nil, aws.String(fmt.Sprintf("https://s3.%s.amazonaws.com/%s/%s", cfg.Region, bucket, u))
		}
		made, err := client.CreateChangeSet(ctx, in)
		if err != nil {
			return callErrorOf("CreateChangeSet", err)
		}
		fmt.Fprint(streams.Out, "\nWaiting for changeset to be created..\n")
		var last *cloudformation.DescribeChangeSetOutput
		err = deployWait(ctx, "change-set-create-complete", 5, 0, cloud, func(ctx context.Context) (any, error) {
			out, err := client.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: made.Id, StackName: aws.String(stackName)})
			if err == nil {
				last = out
			}
			return out, err
		})
		if err != nil {
			if we, ok := err.(*waiter.Error); ok && last != nil {
				reason := aws.ToString(last.StatusReason)
				if last.Status == cfntypes.ChangeSetStatusFailed && strings.Contains(reason, "The submitted information didn't contain changes.") || strings.Contains(reason, "No updates are to be performed") {
					empty := "\nNo changes to deploy. Stack " + stackName + " is up to date\n"
					if failEmpty {
						return &exitError{exitOther, empty}
					}
					fmt.Fprint(streams.Out, empty)
					return nil
				}
				return &exitError{exitOther, fmt.Sprintf("\nFailed to create the changeset: %s Status: %s. Reason: %s\n", we.Error(), last.Status, reason)}
			}
			return err
		}
		if noExecute {
			fmt.Fprintf(streams.Out, "Changeset created successfully. Run the following command to review changes:\naws cloudformation describe-change-set --change-set-name %s\n", aws.ToString(made.Id))
			return nil
		}
		if _, err := client.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{ChangeSetName: made.Id, StackName: aws.String(stackName),
			DisableRollback: aws.Bool(disableRollback)}); err != nil {
			return callErrorOf("ExecuteChangeSet", err)
		}
		fmt.Fprint(streams.Out, "Waiting for stack create/update to complete\n")
		done := "stack-create-complete"
		if exists {
			done = "stack-update-complete"
		}
		err = deployWait(ctx, done, 30, 120, cloud, func(ctx context.Context) (any, error) {
			return client.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(stackName)})
		})
		if _, ok := err.(*waiter.Error); ok {
			return &exitError{exitOther, "\nFailed to create/update the stack. Run the following command\nto fetch the list of events leading up to the failure\naws cloudformation describe-stack-events --stack-name " + stackName + "\n"}
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(streams.Out, "Successfully created/updated stack - %s\n", stackName)
		return nil
	})
	if err != nil {
		return fail(streams, err)
	}
	return exitOK
}

// uploadTemplate puts a template in bucket as [prefix/]MD5.template, as the AWS CLI's
// S3Uploader does (server-side encrypted, with the KMS key given), unless an object of that
// name is there and force is false; it returns the key.
func uploadTemplate(ctx context.Context, client *s3.Client, body []byte, bucket, prefix, kmsKey string, force bool, streams *IO) (string, error) {
	sum := md5.Sum(body)
	key := hex.EncodeToString(sum[:]) + ".template"
	if prefix != "" {
		key = prefix + "/" + key
	}
	if !force {
		if _, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}); err == nil {
			return key, nil
		}
	}
	in := &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(body), ServerSideEncryption: s3types.ServerSideEncryptionAes256}
	if kmsKey != "" {
		in.ServerSideEncryption, in.SSEKMSKeyId = s3types.ServerSideEncryptionAwsKms, aws.String(kmsKey)
	}
	if _, err := client.PutObject(ctx, in); err != nil {
		var ae smithy.APIError
		if errors.As(err, &ae) && ae.ErrorCode() == "NoSuchBucket" {
			return "", &exitError{exitOther, "\nS3 Bucket does not exist. Execute the command to create a new bucket\naws s3 mb s3://" + bucket + "\n"}
		}
		return "", callErrorOf("PutObject", err)
	}
	fmt.Fprintf(streams.Err, "\rUploading to %s  %d / %d.0  (100.00%%)", key, len(body), len(body))
	return key, nil
}

// hasStack reports whether the stack exists and is not in review, as deployer.py's has_stack.
func hasStack(ctx context.Context, client *cloudformation.Client, name string) (bool, error) {
	out, err := client.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(name)})
	if err != nil {
		if strings.Contains(err.Error(), "Stack with id "+name+" does not exist") {
			return false, nil
		}
		return false, callErrorOf("DescribeStacks", err)
	}
	return len(out.Stacks) == 1 && out.Stacks[0].StackStatus != cfntypes.StackStatusReviewInProgress, nil
}

// deployWait waits with the cloudformation waiter named, its delay (and its attempts, when
// not 0) as deployer.py sets them; call makes one attempt.
func deployWait(ctx context.Context, name string, delay, attempts int, cloud *sim.Cloud, call func(context.Context) (any, error)) error {
	w, ok := waiter.Find("cloudformation", name)
	if !ok {
		return fmt.Errorf("awsx: no waiter %s", name)
	}
	custom := *w
	custom.Delay = delay
	if attempts > 0 {
		custom.MaxAttempts = attempts
	}
	iv := &invocation{op: &operation{name: w.Operation}}
	return custom.Wait(ctx, func(ctx context.Context) (waiter.Response, error) {
		out, err := call(ctx)
		if err != nil {
			return iv.waiterResponse(err)
		}
		return waiter.Response{Output: output.Value(out), Status: 200}, nil
	}, waitOn(cloud))
}

// callErrorOf is an operation's error as the AWS CLI prints it.
func callErrorOf(op string, err error) error {
	return (&invocation{op: &operation{name: op}}).callError(err)
}

// pairs are Key=Value arguments in their order; a key given again takes the last value.
type pairs [][2]string

func (p pairs) get(key string) (string, bool) {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i][0] == key {
			return p[i][1], true
		}
	}
	return "", false
}

// keyValues reads Key=Value words, as deploy.py's parse_key_value_arg.
func keyValues(words []string, flag string) (pairs, error) {
	var out pairs
	for _, w := range words {
		k, v, ok := strings.Cut(w, "=")
		if !ok {
			return nil, &exitError{exitOther, fmt.Sprintf("\n['%s'] value passed to --%s must be of format Key=Value\n", w, flag)}
		}
		out = append(out, [2]string{k, v})
	}
	return out, nil
}

// templateParameters are the names of a template's parameters (JSON or YAML, with
// CloudFormation's short-form tags), in its order.
func templateParameters(body []byte) ([]string, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("the template is neither JSON nor YAML: %v", err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, nil
	}
	top := doc.Content[0]
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value != "Parameters" || top.Content[i+1].Kind != yaml.MappingNode {
			continue
		}
		var names []string
		ps := top.Content[i+1]
		for j := 0; j+1 < len(ps.Content); j += 2 {
			names = append(names, ps.Content[j].Value)
		}
		return names, nil
	}
	return nil, nil
}

const deployHelp = `awsx cloudformation deploy --template-file FILE --stack-name NAME [options]

Deploys a template as the AWS CLI's cloudformation deploy does: a change set (CREATE for a new
stack, UPDATE for one that exists), waited for, executed, and the stack waited for.

  --template-file FILE               the template (JSON or YAML)
  --s3-bucket BUCKET                 upload the template to BUCKET first (needed above 51,200 bytes)
  --s3-prefix PREFIX                 the key's prefix in the bucket
  --kms-key-id KEY                   encrypt the upload with this KMS key
  --force-upload                     upload even when the bucket has the template already
  --stack-name NAME                  the stack to create or update
  --parameter-overrides K=V ...      parameter values; the others keep their previous values
  --capabilities CAP ...             CAPABILITY_IAM, CAPABILITY_NAMED_IAM
  --tags K=V ...                     the stack's tags
  --role-arn ARN                     the stack's service role
  --notification-arns ARN ...        SNS topics for the stack's events
  --no-execute-changeset             make the change set only, and say how to review it
  --disable-rollback                 keep what was made when the stack fails
  --fail-on-empty-changeset          exit 255 when nothing changes (the AWS CLI v1's default)
  --no-fail-on-empty-changeset       exit 0 when nothing changes (the default, as in the AWS CLI v2)
`
