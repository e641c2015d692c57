package s3x

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/awsxlab/awsx/iamx/policy"
)

// dashRegions are the regions whose website endpoints are s3-website-<region>, the older
// form; every other region's is s3-website.<region>. They are the regions older than
// SigV4-only S3 (botocore's endpoints.json gives their S3 the "s3" signature version too),
// and AWS GovCloud (US-West), as AWS's table of website endpoints lists them:
// https://docs.aws.amazon.com/general/latest/gr/s3.html#s3_website_region_endpoints
var dashRegions = map[string]bool{
	"us-east-1": true, "us-west-1": true, "us-west-2": true, "ap-southeast-1": true, "ap-southeast-2": true,
	"ap-northeast-1": true, "eu-west-1": true, "sa-east-1": true, "us-gov-west-1": true,
}

// WebsiteURL returns the URL of the website endpoint of a bucket in region, in AWS's form
// for the region: http://BUCKET.s3-website-us-east-1.amazonaws.com for the nine oldest
// regions, http://BUCKET.s3-website.eu-central-1.amazonaws.com for the others (and
// .amazonaws.com.cn in China). Website endpoints answer plain HTTP only: HTTPS needs
// CloudFront in front. WebsiteURL makes no request.
func WebsiteURL(bucket, region string) string {
	suffix := ".amazonaws.com"
	if strings.HasPrefix(region, "cn-") {
		suffix = ".amazonaws.com.cn"
	}
	if dashRegions[region] {
		return "http://" + bucket + ".s3-website-" + region + suffix
	}
	return "http://" + bucket + ".s3-website." + region + suffix
}

// PublicReadPolicy returns the bucket policy that lets anyone GET the bucket's objects
// (s3:GetObject on arn:aws:s3:::BUCKET/*, Principal "*"), and nothing else: not listing
// the bucket, not writing to it. It is checked with package policy as IAM would check it.
func PublicReadPolicy(bucket string) (string, error) {
	p := &policy.Policy{Version: policy.Version2012, Statements: []policy.Statement{{
		Sid: "PublicReadGetObject", Effect: "Allow", Principal: &policy.Principals{All: true},
		Action: []string{"s3:GetObject"}, Resource: []string{"arn:aws:s3:::" + bucket + "/*"},
	}}}
	doc := p.String()
	if _, err := policy.Parse(doc, policy.Resource); err != nil {
		return "", fmt.Errorf("s3x: public-read policy of %q: %w", bucket, err)
	}
	return doc, nil
}

// SiteOptions tunes [StaticSite].
type SiteOptions struct {
	// Index is the index document, served for the site's root and its "directories";
	// "index.html" when empty. The directory must hold it.
	Index string
	// Error is the error document, served with 4xx answers; none when empty.
	Error string
	// Sync tunes the upload of the directory. The site's objects mirror the directory:
	// Delete is set unless KeepDeleted is.
	Sync []func(*SyncOptions)
	// KeepDeleted keeps objects whose files are no longer in the directory.
	KeepDeleted bool
}

// A Site is a static website [StaticSite] made or updated.
type Site struct {
	Bucket, Region string
	URL            string // the website endpoint's: [WebsiteURL]
	Created        bool   // the bucket was made by this call
	Report         *Report
}

// StaticSite publishes the directory dir as a public static website from bucket in region,
// as the course's static-site lab does by hand:
//
//  1. the bucket ([CreateBucket]);
//  2. its Block Public Access settings opened to public policies (BlockPublicPolicy and
//     RestrictPublicBuckets off), while public ACLs stay blocked: the site is public by its
//     policy only;
//  3. the bucket policy [PublicReadPolicy];
//  4. the website configuration: the index document, and the error document if any;
//  5. the directory uploaded with [Sync] (content types by [ContentType], objects whose
//     files are gone deleted).
//
// It returns the site with its URL ([WebsiteURL]). Every step can be run again: re-running
// StaticSite on the same bucket updates the site and uploads only what changed. If a step
// fails on a bucket this call created, the bucket and whatever was uploaded are deleted
// ([DeleteBucket]), so nothing is left behind; an existing bucket is left as the error
// found it.
//
// On AWS, the site costs its storage (about $0.023 per GB-month in us-east-1), its
// requests (GETs at $0.0004 per 1,000) and the bytes it serves to the internet (about $0.09
// per GB beyond the free 100 GB a month). Anyone can read everything in the bucket.
func StaticSite(ctx context.Context, c API, bucket, region, dir string, optFns ...func(*SiteOptions)) (site *Site, err error) {
	var o SiteOptions
	for _, f := range optFns {
		f(&o)
	}
	if o.Index == "" {
		o.Index = "index.html"
	}
	if strings.Contains(o.Index, "/") {
		return nil, fmt.Errorf("s3x: static site %q: index document %q: want a name without a slash, such as index.html", bucket, o.Index)
	}
	if fi, err := os.Stat(filepath.Join(dir, o.Index)); err != nil || !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("s3x: static site %q: %s has no index document %s", bucket, dir, o.Index)
	}
	doc, err := PublicReadPolicy(bucket)
	if err != nil {
		return nil, err
	}
	created, err := CreateBucket(ctx, c, bucket, region)
	if err != nil {
		return nil, err
	}
	site = &Site{Bucket: bucket, Region: region, URL: WebsiteURL(bucket, region), Created: created}
	inRegion := withRegion(region)
	defer func() {
		if err != nil && created {
			// Undo on a fresh context: the caller's may be what ended the work.
			if derr := DeleteBucket(context.WithoutCancel(ctx), c, bucket, func(o *EmptyOptions) {
				o.ClientOptions = append(o.ClientOptions, inRegion)
			}); derr != nil {
				err = errors.Join(err, fmt.Errorf("s3x: static site %q: undoing: %w", bucket, derr))
			}
			site = nil
		}
	}()
	_, err = c.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: aws.String(bucket),
		PublicAccessBlockConfiguration: &types.PublicAccessBlockConfiguration{
			BlockPublicAcls: aws.Bool(true), IgnorePublicAcls: aws.Bool(true),
			BlockPublicPolicy: aws.Bool(false), RestrictPublicBuckets: aws.Bool(false),
		}}, inRegion)
	if err != nil {
		return nil, wrap(err, "static site %q: block public access settings", bucket)
	}
	if _, err = c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(bucket), Policy: aws.String(doc)}, inRegion); err != nil {
		return nil, wrap(err, "static site %q: bucket policy", bucket)
	}
	web := &types.WebsiteConfiguration{IndexDocument: &types.IndexDocument{Suffix: aws.String(o.Index)}}
	if o.Error != "" {
		web.ErrorDocument = &types.ErrorDocument{Key: aws.String(o.Error)}
	}
	if _, err = c.PutBucketWebsite(ctx, &s3.PutBucketWebsiteInput{Bucket: aws.String(bucket), WebsiteConfiguration: web}, inRegion); err != nil {
		return nil, wrap(err, "static site %q: website configuration", bucket)
	}
	syncOpts := append([]func(*SyncOptions){func(so *SyncOptions) {
		so.Delete = !o.KeepDeleted
		so.ClientOptions = append(so.ClientOptions, inRegion)
	}}, o.Sync...)
	site.Report, err = Sync(ctx, c, dir, "s3://"+bucket+"/", syncOpts...)
	if err != nil {
		return nil, fmt.Errorf("s3x: static site %q: %w", bucket, err)
	}
	return site, nil
}
