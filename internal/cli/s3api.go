package cli

import (
	"errors"
	"io"
	"net/http"
	"os"
	"reflect"
	"regexp"
	"strconv"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/awsxlab/awsx/internal/cli/params"
	"github.com/awsxlab/awsx/internal/cli/s3cmd"
)

// What the AWS CLI does for s3api beyond its generic commands, with the source of each:
//
//   - An operation whose output streams (GetObject, GetObjectTorrent) takes a positional
//     outfile the body is saved to, and prints the output without it
//     (awscli/customizations/streamingoutputarg.py). An input that streams (PutObject's and
//     UploadPart's --body) is a file path (params.Stream).
//   - ListObjects, ListObjectsV2 and ListObjectVersions send encoding-type=url unless told
//     otherwise, and decode the keys of the answer (botocore/handlers.py,
//     set_list_objects_encoding_type_url and decode_list_object*).
//   - GetObject's and HeadObject's Metadata, a map of headers, is {} when there are none;
//     GetBucketLocation's LocationConstraint is null in us-east-1 (botocore's parsers).
//   - A HEAD request's error has no body: botocore names it by the HTTP status, "(404) …:
//     Not Found".
//   - Checksums: see s3cmd.NewClient.

// outfileOf reports whether the operation's output streams a body, saved to a positional
// outfile.
func outfileOf(op *operation) bool {
	t := op.method.Type.Out(0)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == reflect.TypeFor[s3.SelectObjectContentOutput]() {
		return true // its event stream's records go to the outfile
	}
	f, ok := t.FieldByName("Body")
	return ok && f.Type == reflect.TypeFor[io.ReadCloser]()
}

// splitPositional takes the positional words out of an operation's words, as argparse
// would leave them: words before any option, and words after an option that takes one
// value (or none) once it has it. List parameters take every word up to the next option.
func splitPositional(op *operation, words []string) (rest, positional []string) {
	kinds := map[string]params.Kind{}
	for _, p := range params.Params(op.in) {
		kinds[p.Flag] = p.Kind
		if p.Kind == params.Bool {
			kinds["no-"+p.Flag] = params.Bool
		}
	}
	takes := 0 // how many more words the current option takes; -1 for any number
	for _, w := range words {
		if isOption(w) {
			rest = append(rest, w)
			name, _, hasValue := cutOption(w)
			switch k, ok := kinds[name]; {
			case hasValue || flagOptions[name] || (ok && k == params.Bool):
				takes = 0
			case inputOptions[name]:
				takes = 0 // not options of these operations: their words are positional
			case valueOptions[name]:
				takes = 1
			case ok && (k == params.List || k == params.ListOfStructures || k == params.Complex):
				takes = -1
			default:
				takes = 1
			}
			continue
		}
		if takes == 0 {
			positional = append(positional, w)
			continue
		}
		rest = append(rest, w)
		if takes > 0 {
			takes--
		}
	}
	return rest, positional
}

// inputOptions are the options the AWS CLI does not give an operation whose output streams.
var inputOptions = map[string]bool{"generate-cli-skeleton": true, "cli-input-json": true, "cli-input-yaml": true}

// dropInputOptions takes inputOptions out of the words: the AWS CLI reports them as unknown.
func dropInputOptions(words []string) (rest, unknown []string) {
	for _, w := range words {
		if isOption(w) {
			if name, _, _ := cutOption(w); inputOptions[name] {
				unknown = append(unknown, w)
				continue
			}
		}
		rest = append(rest, w)
	}
	return rest, unknown
}

func cutOption(w string) (name, value string, hasValue bool) {
	name, value, hasValue = cutEq(w[2:])
	return
}

func cutEq(s string) (string, string, bool) {
	for i := range len(s) {
		if s[i] == '=' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

// s3Before adjusts an s3 input before the call, as botocore does; it reports whether it
// asked for URL-encoded keys on the caller's behalf.
func s3Before(in any) (autoEncoding bool) {
	switch in := in.(type) {
	case *s3.ListObjectsInput:
		if in.EncodingType == "" {
			in.EncodingType, autoEncoding = types.EncodingTypeUrl, true
		}
	case *s3.ListObjectsV2Input:
		if in.EncodingType == "" {
			in.EncodingType, autoEncoding = types.EncodingTypeUrl, true
		}
	case *s3.ListObjectVersionsInput:
		if in.EncodingType == "" {
			in.EncodingType, autoEncoding = types.EncodingTypeUrl, true
		}
	case *s3.CopyObjectInput:
		in.CopySource = quoteCopySource(in.CopySource)
	case *s3.UploadPartCopyInput:
		in.CopySource = quoteCopySource(in.CopySource)
	}
	return autoEncoding
}

// versionSuffix ends a copy source that names a version.
var versionSuffix = regexp.MustCompile(`\?versionId=[^\s]+$`)

// quoteCopySource URL-encodes --copy-source bucket/key[?versionId=v] as botocore does
// (handlers.py, handle_copy_source_param): the AWS CLI takes the key as it is, not encoded.
func quoteCopySource(src *string) *string {
	if src == nil {
		return nil
	}
	s, version := *src, ""
	if loc := versionSuffix.FindStringIndex(s); loc != nil {
		s, version = s[:loc[0]], s[loc[0]:]
	}
	q := s3cmd.QuoteCopySource(s) + version
	return &q
}

// s3After adjusts an s3 output as botocore's parsers and handlers leave it: keys decoded
// when the encoding was asked for on the caller's behalf, header maps present, the body
// saved to outfile (path names the file it is in the working directory) and dropped.
func s3After(out any, autoEncoding bool, outfile string, path func(string) string) error {
	switch out := out.(type) {
	case *s3.ListObjectsOutput:
		if autoEncoding && out.EncodingType == types.EncodingTypeUrl {
			unquoteAll(&out.Delimiter, &out.Marker, &out.NextMarker)
			for i := range out.Contents {
				unquoteAll(&out.Contents[i].Key)
			}
			for i := range out.CommonPrefixes {
				unquoteAll(&out.CommonPrefixes[i].Prefix)
			}
		}
	case *s3.ListObjectsV2Output:
		if autoEncoding && out.EncodingType == types.EncodingTypeUrl {
			unquoteAll(&out.Delimiter, &out.Prefix, &out.StartAfter)
			for i := range out.Contents {
				unquoteAll(&out.Contents[i].Key)
			}
			for i := range out.CommonPrefixes {
				unquoteAll(&out.CommonPrefixes[i].Prefix)
			}
		}
	case *s3.ListObjectVersionsOutput:
		if autoEncoding && out.EncodingType == types.EncodingTypeUrl {
			unquoteAll(&out.KeyMarker, &out.NextKeyMarker, &out.Prefix, &out.Delimiter)
			for i := range out.Versions {
				unquoteAll(&out.Versions[i].Key)
			}
			for i := range out.DeleteMarkers {
				unquoteAll(&out.DeleteMarkers[i].Key)
			}
			for i := range out.CommonPrefixes {
				unquoteAll(&out.CommonPrefixes[i].Prefix)
			}
		}
	case *s3.HeadObjectOutput:
		if out.Metadata == nil {
			out.Metadata = map[string]string{}
		}
	case *s3.GetObjectOutput:
		if out.Metadata == nil {
			out.Metadata = map[string]string{}
		}
		return saveBody(&out.Body, outfile, path)
	case *s3.GetObjectTorrentOutput:
		return saveBody(&out.Body, outfile, path)
	case *s3.SelectObjectContentOutput:
		return saveRecords(out, outfile, path)
	}
	return nil
}

func unquoteAll(ps ...**string) {
	for _, p := range ps {
		if *p != nil {
			s := s3cmd.UnquotePlus(**p)
			*p = &s
		}
	}
}

// saveBody copies the body to the outfile, and drops it from the output.
func saveBody(body *io.ReadCloser, outfile string, path func(string) string) error {
	if *body == nil {
		return nil
	}
	defer func() {
		(*body).Close()
		*body = nil
	}()
	if outfile == "" {
		return nil
	}
	f, err := os.Create(path(outfile))
	if err != nil {
		return &exitError{exitOther, "\n" + params.PyOSError(err, outfile) + "\n"}
	}
	if _, err := io.Copy(f, *body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// headError is botocore's error for a response without a body (HEAD's): the HTTP status as
// the code, its reason phrase as the message.
func headError(op string, err error) (code, message string, ok bool) {
	if op != "HeadObject" && op != "HeadBucket" {
		return "", "", false
	}
	var re *awshttp.ResponseError
	if !errors.As(err, &re) {
		return "", "", false
	}
	status := re.HTTPStatusCode()
	if status == 0 {
		return "", "", false // no response: the request was not sent
	}
	return strconv.Itoa(status), http.StatusText(status), true
}

// saveRecords writes the Records events of an S3 Select's stream to the outfile, as the AWS
// CLI does (it prints nothing else); an error event is the command's error.
func saveRecords(out *s3.SelectObjectContentOutput, outfile string, path func(string) string) error {
	stream := out.GetStream()
	defer stream.Close()
	f, err := os.Create(path(outfile))
	if err != nil {
		return &exitError{exitOther, "\n" + params.PyOSError(err, outfile) + "\n"}
	}
	for ev := range stream.Events() {
		if r, ok := ev.(*types.SelectObjectContentEventStreamMemberRecords); ok {
			if _, err := f.Write(r.Value.Payload); err != nil {
				f.Close()
				return err
			}
		}
	}
	if err := f.Close(); err != nil {
		return err
	}
	return stream.Err()
}
