package s3cmd

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// An s3 path splits at its first slash into a bucket and a key that join back into it,
// unless it names an access point; it never panics.
func FuzzFindBucketKey(f *testing.F) {
	for _, s := range []string{"bucket", "bucket/key", "b//k", "/k", "", "b/dir/", "arn:aws:s3:us-west-2:123456789012:accesspoint/ep/k",
		"arn:aws:s3-outposts:us-west-2:123456789012:outpost/op-1/bucket/b", "arn:aws:s3-object-lambda:us-west-2:123456789012:accesspoint/ol"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, path string) {
		bucket, key, err := FindBucketKey(path)
		if err != nil {
			if _, ok := err.(*paramError); !ok {
				t.Fatalf("error %T, want *paramError", err)
			}
			return
		}
		if strings.HasPrefix(path, "arn:") {
			return
		}
		joined := bucket
		if strings.Contains(path, "/") {
			joined += "/" + key
		}
		if joined != path || strings.Contains(bucket, "/") {
			t.Fatalf("FindBucketKey(%q) = %q, %q", path, bucket, key)
		}
		b2, k2, _ := SplitS3Path("s3://" + path)
		if b2 != bucket || k2 != key {
			t.Fatalf("SplitS3Path(s3://%s) = %q, %q; FindBucketKey %q, %q", path, b2, k2, bucket, key)
		}
	})
}

// Decoding what Python's quote encoded gives the text back; anything decodes to valid UTF-8.
func FuzzUnquotePlus(f *testing.F) {
	for _, s := range []string{"", "a+b", "%e2%82%ac", "%e2%82", "%zz", "100%", "é/ü ~"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got := UnquotePlus(s); !utf8.ValidString(got) {
			t.Fatalf("UnquotePlus(%q) = %q: not UTF-8", s, got)
		}
		if utf8.ValidString(s) {
			if got := UnquotePlus(pyQuote(s, "")); got != s {
				t.Fatalf("UnquotePlus(pyQuote(%q)) = %q", s, got)
			}
		}
	})
}

var fuzzSpecs = append(append([]argSpec{}, transferArgs...), argMetadata, argCopyProps, argDirective, argRecursive, argExpectedSize)

// The argument reader never panics, its errors are usage errors, and what it reads holds
// only the command's options.
func FuzzParseArgs(f *testing.F) {
	for _, s := range []string{"a b", "--recursive a b", "a --exclude * --include *.json b", "--sse a b", "--acl bad a b",
		"-- -a -b", "a --grants x y b", "--exclude", "--recursive=x a b", "-1 a", "a - "} {
		f.Add(s)
	}
	known := map[string]bool{}
	for _, s := range fuzzSpecs {
		known[s.name] = true
	}
	f.Fuzz(func(t *testing.T, line string) {
		words := strings.Fields(line)
		words, err := expandAbbrev(fuzzSpecs, words)
		if err != nil {
			return
		}
		a, err := parseArgs(fuzzSpecs, positional{dest: "paths", count: 2}, words)
		if err != nil {
			switch err.(type) {
			case *UsageError, *ChoiceError:
				return
			}
			t.Fatalf("error %T", err)
		}
		if len(a.paths) != 2 {
			t.Fatalf("%q: paths %q", line, a.paths)
		}
		for name := range a.values {
			if !known[name] {
				t.Fatalf("%q: read option --%s", line, name)
			}
		}
	})
}
