package sim_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// addHeader is an SDK option that sends a header with a request.
func addHeader(name, value string) func(*middleware.Stack) error {
	return smithyhttp.AddHeaderValue(name, value)
}

// rawHeaders returns the HTTP headers of an SDK call's answer.
func rawHeaders(md middleware.Metadata) http.Header {
	if r, ok := awsmiddleware.GetRawResponse(md).(*smithyhttp.Response); ok {
		return r.Header
	}
	return http.Header{}
}

// restURL is the path-style URL of a bucket's path on c's REST endpoint.
func restURL(c *conformance.Account, bucket, path string) string {
	if u := c.URL(); u != "" {
		return u + "/" + bucket + path
	}
	return "https://s3.amazonaws.com/" + bucket + path
}

// TestS3CORS sets a bucket's CORS rules and sends a browser's requests: preflights answered
// with the matching rule's headers on the REST and the website endpoints, refused with 403
// when no rule matches, and a GET with an Origin answered with the rule's headers.
func TestS3CORS(t *testing.T) {
	t.Parallel()
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		c := b.Open(t)
		client := s3Client(t, c, "path")
		ctx := context.Background()
		mustBucket(t, client, "cors-bucket")
		mustPut(t, client, "cors-bucket", "page.json", "{}")
		_, err := client.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("cors-bucket")})
		wantS3Error(t, err, "NoSuchCORSConfiguration", 404)

		hc := c.HTTPClient()
		preflight := func(url, origin, method, headers string) (int, http.Header, string) {
			t.Helper()
			req, _ := http.NewRequest(http.MethodOptions, url, nil)
			if origin != "" {
				req.Header.Set("Origin", origin)
			}
			if method != "" {
				req.Header.Set("Access-Control-Request-Method", method)
			}
			if headers != "" {
				req.Header.Set("Access-Control-Request-Headers", headers)
			}
			resp, err := hc.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, resp.Header, string(body)
		}
		c.Diverges(t, conformance.Moto, "moto answers a preflight of a bucket without CORS with 200")
		status, _, body := preflight(restURL(c, "cors-bucket", "/page.json"), "https://app.example.com", "GET", "")
		if status != 403 || !strings.Contains(body, "<Code>AccessForbidden</Code>") || !strings.Contains(body, "CORS is not enabled for this bucket.") {
			t.Errorf("preflight without CORS = %d %s", status, body)
		}

		_, err = client.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String("cors-bucket"), CORSConfiguration: &s3types.CORSConfiguration{
			CORSRules: []s3types.CORSRule{{AllowedMethods: []string{"PATCH"}, AllowedOrigins: []string{"*"}}}}})
		wantS3Error(t, err, "InvalidRequest", 400)
		_, err = client.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String("cors-bucket"), CORSConfiguration: &s3types.CORSConfiguration{
			CORSRules: []s3types.CORSRule{{AllowedMethods: []string{"GET"}, AllowedOrigins: []string{"https://*.*.com"}}}}})
		wantS3Error(t, err, "InvalidRequest", 400)

		rules := []s3types.CORSRule{
			{ID: aws.String("app"), AllowedMethods: []string{"GET", "PUT"}, AllowedOrigins: []string{"https://*.example.com"},
				AllowedHeaders: []string{"Content-*", "x-amz-*"}, ExposeHeaders: []string{"ETag"}, MaxAgeSeconds: aws.Int32(300)},
			{AllowedMethods: []string{"GET"}, AllowedOrigins: []string{"*"}},
		}
		if _, err := client.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String("cors-bucket"),
			CORSConfiguration: &s3types.CORSConfiguration{CORSRules: rules}}); err != nil {
			t.Fatal(err)
		}
		got, err := client.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("cors-bucket")})
		if err != nil || len(got.CORSRules) != 2 || aws.ToString(got.CORSRules[0].ID) != "app" || aws.ToInt32(got.CORSRules[0].MaxAgeSeconds) != 300 ||
			len(got.CORSRules[0].AllowedHeaders) != 2 || got.CORSRules[1].AllowedOrigins[0] != "*" {
			t.Errorf("GetBucketCors = %+v, %v", got, err)
		}

		for _, url := range []string{restURL(c, "cors-bucket", "/page.json"), websiteURL(t, c, "cors-bucket", "/page.json")} {
			status, h, body := preflight(url, "https://app.example.com", "PUT", "Content-Type, X-Amz-Meta-Colour")
			if status != 200 || h.Get("Access-Control-Allow-Origin") != "https://app.example.com" || h.Get("Access-Control-Allow-Methods") != "GET, PUT" ||
				h.Get("Access-Control-Allow-Headers") != "content-type, x-amz-meta-colour" || h.Get("Access-Control-Expose-Headers") != "ETag" ||
				h.Get("Access-Control-Max-Age") != "300" || h.Get("Access-Control-Allow-Credentials") != "true" {
				t.Errorf("preflight of %s = %d %v %s", url, status, h, body)
			}
			// Another origin gets the second rule, for GET only.
			status, h, _ = preflight(url, "https://elsewhere.org", "GET", "")
			if status != 200 || h.Get("Access-Control-Allow-Origin") != "*" || h.Get("Access-Control-Allow-Methods") != "GET" {
				t.Errorf("preflight from elsewhere of %s = %d %v", url, status, h)
			}
			status, _, body = preflight(url, "https://elsewhere.org", "PUT", "")
			if status != 403 || !strings.Contains(body, "This CORS request is not allowed") {
				t.Errorf("preflight of a PUT from elsewhere of %s = %d %s", url, status, body)
			}
		}
		status, _, body = preflight(restURL(c, "cors-bucket", "/page.json"), "", "GET", "")
		if status != 400 || !strings.Contains(body, "<Code>BadRequest</Code>") {
			t.Errorf("preflight without Origin = %d %s", status, body)
		}

		// A request with an Origin gets the rule's headers with its answer.
		get, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("cors-bucket"), Key: aws.String("page.json")}, func(o *s3.Options) {
			o.APIOptions = append(o.APIOptions, addHeader("Origin", "https://www.example.com"))
		})
		if err != nil {
			t.Fatal(err)
		}
		readBody(t, get)
		raw := rawHeaders(get.ResultMetadata)
		if raw.Get("Access-Control-Allow-Origin") != "https://www.example.com" || raw.Get("Access-Control-Expose-Headers") != "ETag" {
			t.Errorf("GetObject with an Origin: %v", raw)
		}

		// So does an error, so that the page can read it.
		_, err = client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("cors-bucket"), Key: aws.String("missing.json")}, func(o *s3.Options) {
			o.APIOptions = append(o.APIOptions, addHeader("Origin", "https://www.example.com"))
		})
		wantS3Error(t, err, "NoSuchKey", 404)
		var re *awshttp.ResponseError
		if !errors.As(err, &re) || re.Response.Header.Get("Access-Control-Allow-Origin") != "https://www.example.com" {
			t.Errorf("an error's CORS headers: %v", err)
		}

		if _, err := client.DeleteBucketCors(ctx, &s3.DeleteBucketCorsInput{Bucket: aws.String("cors-bucket")}); err != nil {
			t.Fatal(err)
		}
		_, err = client.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("cors-bucket")})
		wantS3Error(t, err, "NoSuchCORSConfiguration", 404)
	})
}
