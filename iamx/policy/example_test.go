package policy_test

import (
	"fmt"

	"github.com/awsxlab/awsx/iamx/policy"
)

// A user may do anything in EC2 except terminate instances: the explicit deny wins over the
// allow, and the decision says which statement decided.
func Example() {
	doc := `{
	  "Version": "2012-10-17",
	  "Statement": [
	    {"Sid": "AllowEC2", "Effect": "Allow", "Action": "ec2:*", "Resource": "*"},
	    {"Sid": "DenyTerminate", "Effect": "Deny", "Action": "ec2:TerminateInstances", "Resource": "*"}
	  ]
	}`
	p, err := policy.Parse(doc, policy.Identity)
	if err != nil {
		fmt.Println(err)
		return
	}
	policies := &policy.Policies{Identity: []policy.Attached{{Name: "user/alex inline EC2", Policy: p}}}
	alex := policy.Principal{ARN: "arn:aws:iam::123456789012:user/alex"}

	for _, req := range []*policy.Request{
		{Principal: alex, Action: "ec2:DescribeRegions", Resource: "*"},
		{Principal: alex, Action: "ec2:TerminateInstances", Resource: "arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0"},
		{Principal: alex, Action: "s3:ListAllMyBuckets", Resource: "*"},
	} {
		d := policy.Evaluate(req, policies)
		fmt.Println(d)
		if !d.Allowed() {
			fmt.Println(" ", d.Message(req))
		}
	}
	// Output:
	// Allow by identity-based policy "user/alex inline EC2", statement 0 (Sid "AllowEC2")
	// ExplicitDeny by identity-based policy "user/alex inline EC2", statement 1 (Sid "DenyTerminate")
	//   User: arn:aws:iam::123456789012:user/alex is not authorized to perform: ec2:TerminateInstances on resource: arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0 with an explicit deny in an identity-based policy
	// ImplicitDeny: no identity-based policy allows the request
	//   User: arn:aws:iam::123456789012:user/alex is not authorized to perform: s3:ListAllMyBuckets because no identity-based policy allows the s3:ListAllMyBuckets action
}

// A policy that IAM would reject gets IAM's message and says where the problem is.
func ExampleParse_error() {
	_, err := policy.Parse(`{"Version": "2012-10-17", "Statement": [{"Sid": "ReadLogs", "Effect": "Allow", "Action": "s3:GetObject"}]}`, policy.Identity)
	fmt.Println(err)
	// Output:
	// policy: statement 0 (Sid "ReadLogs"), Resource: Policy statement must contain resources.
}

// A bucket policy lets anyone, even an unsigned request, read the bucket's objects.
func ExampleEvaluate_bucketPolicy() {
	bucket := policy.MustParse(`{
	  "Version": "2012-10-17",
	  "Statement": [{"Sid": "PublicRead", "Effect": "Allow", "Principal": "*",
	                 "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-site/*"}]
	}`, policy.Resource)
	policies := &policy.Policies{Resource: []policy.Attached{{Name: "bucket policy of example-site", Policy: bucket}}}
	get := &policy.Request{Principal: policy.Principal{Anonymous: true}, Action: "s3:GetObject", Resource: "arn:aws:s3:::example-site/index.html"}
	put := &policy.Request{Principal: policy.Principal{Anonymous: true}, Action: "s3:PutObject", Resource: "arn:aws:s3:::example-site/index.html"}
	fmt.Println(policy.Evaluate(get, policies).Allowed())
	fmt.Println(policy.Evaluate(put, policies).Message(put))
	// Output:
	// true
	// User: anonymous is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::example-site/index.html because no resource-based policy allows the s3:PutObject action
}

func ExampleAWSManaged() {
	m, _ := policy.AWSManaged("AdministratorAccess")
	fmt.Println(m.ARN, m.PolicyID, m.DefaultVersionID)
	fmt.Println(m.Document)
	// Output:
	// arn:aws:iam::aws:policy/AdministratorAccess ANPAIWMBCKSKIEE64ZLYK v1
	// {
	//     "Version": "2012-10-17",
	//     "Statement": [
	//         {
	//             "Effect": "Allow",
	//             "Action": "*",
	//             "Resource": "*"
	//         }
	//     ]
	// }
}
