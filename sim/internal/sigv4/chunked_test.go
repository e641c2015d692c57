package sigv4

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// The example of AWS's "Signature Calculations for the Authorization Header: Transferring Payload
// in Multiple Chunks": 66560 bytes of 'a' in chunks of 65536 and 1024.
const chunkedExampleHead = "PUT /examplebucket/chunkObject.txt HTTP/1.1\n" +
	"Host: s3.amazonaws.com\nx-amz-date: 20130524T000000Z\nx-amz-storage-class: REDUCED_REDUNDANCY\n" +
	"Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9\n" +
	"x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-PAYLOAD\nContent-Encoding: aws-chunked\n" +
	"x-amz-decoded-content-length: 66560\nContent-Length: 66824\n\n"

func chunkedExampleBody() string {
	return "10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n" +
		strings.Repeat("a", 65536) + "\r\n" +
		"400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n" +
		strings.Repeat("a", 1024) + "\r\n" +
		"0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n"
}

func TestChunkedPublishedExample(t *testing.T) {
	r, body := readRequest(t, chunkedExampleHead+chunkedExampleBody())
	a, err := Parse(r)
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(r, body, a, s3Secret, mustTime(t, "20130524T000100Z")); err != nil {
		t.Fatalf("Verify (seed signature): %v", err)
	}
	cr, err := NewChunkedReader(bytes.NewReader(body), a, s3Secret)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(cr)
	if err != nil {
		t.Fatalf("ReadAll: %v", err)
	}
	if string(got) != strings.Repeat("a", 66560) || cr.DecodedLength() != 66560 {
		t.Fatalf("decoded %d bytes", len(got))
	}

	tampered := []struct{ name, from, to string }{
		{"payload byte", strings.Repeat("a", 1024) + "\r\n0;", strings.Repeat("a", 1023) + "b\r\n0;"},
		{"chunk signature", "ad80c730", "ad80c731"},
		{"final signature", "b6c6ea8a", "b6c6ea8b"},
	}
	for _, tc := range tampered {
		t.Run(tc.name, func(t *testing.T) {
			b := strings.Replace(string(body), tc.from, tc.to, 1)
			if b == string(body) {
				t.Fatal("tampering changed nothing")
			}
			cr, err := NewChunkedReader(strings.NewReader(b), a, s3Secret)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := io.ReadAll(cr); kindOf(err) != Mismatch {
				t.Fatalf("ReadAll = %v, want Mismatch", err)
			}
		})
	}
	t.Run("wrong secret", func(t *testing.T) {
		cr, _ := NewChunkedReader(bytes.NewReader(body), a, s3Secret+"x")
		if _, err := io.ReadAll(cr); kindOf(err) != Mismatch {
			t.Fatalf("ReadAll = %v, want Mismatch", err)
		}
	})
	for _, cut := range []int{0, 10, 100, 65700, len(body) - 3} {
		t.Run(fmt.Sprintf("truncated at %d", cut), func(t *testing.T) {
			cr, _ := NewChunkedReader(bytes.NewReader(body[:cut]), a, s3Secret)
			if _, err := io.ReadAll(cr); kindOf(err) != Incomplete {
				t.Fatalf("ReadAll = %v, want Incomplete", err)
			}
		})
	}
}

// chunkedBody builds an aws-chunked body; signed chunks are signed with the SDK's StreamSigner.
func chunkedBody(t *testing.T, a *Auth, secret string, chunks []string, trailers string, signTrailers bool) string {
	t.Helper()
	var b strings.Builder
	var ss *v4.StreamSigner
	prev, _ := hex.DecodeString(a.Signature)
	if a.PayloadHash != StreamingUnsignedTrailer {
		ss = v4.NewStreamSigner(aws.Credentials{AccessKeyID: a.AccessKeyID, SecretAccessKey: secret}, a.Service, a.Region, prev)
	}
	for _, c := range append(chunks, "") {
		fmt.Fprintf(&b, "%x", len(c))
		if ss != nil {
			sig, err := ss.GetSignature(context.Background(), nil, []byte(c), a.Time)
			if err != nil {
				t.Fatal(err)
			}
			prev = sig
			fmt.Fprintf(&b, ";chunk-signature=%x", sig)
		}
		b.WriteString("\r\n")
		if c != "" {
			b.WriteString(c + "\r\n")
		}
	}
	b.WriteString(trailers)
	if signTrailers {
		cr := &ChunkedReader{a: a, secret: secret, prevSig: prev}
		b.WriteString("x-amz-trailer-signature:" + cr.trailerSignature(trailers) + "\r\n")
	}
	b.WriteString("\r\n")
	return strings.ReplaceAll(b.String(), "\n\r\n", "\r\n\r\n")
}

func TestChunkedTrailers(t *testing.T) {
	base := Auth{AccessKeyID: "AKIDEXAMPLE", Date: "20260101", Region: "us-east-1", Service: "s3",
		Time: mustTime(t, "20260101T000000Z"), Signature: strings.Repeat("ab", 32)}
	chunks := []string{"hello ", "world"}
	t.Run("unsigned trailer", func(t *testing.T) {
		a := base
		a.PayloadHash = StreamingUnsignedTrailer
		body := "6\r\nhello \r\n5\r\nworld\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n"
		cr, err := NewChunkedReader(strings.NewReader(body), &a, "s")
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(cr)
		if err != nil || string(got) != "hello world" || cr.Trailer().Get("x-amz-checksum-crc32") != "DUoRhQ==" {
			t.Fatalf("ReadAll = %q, %v; trailer %v", got, err, cr.Trailer())
		}
	})
	t.Run("unsigned chunks read in pieces", func(t *testing.T) {
		a := base
		a.PayloadHash = StreamingUnsignedTrailer
		body := "6\r\nhello \r\n5\r\nworld\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n"
		for name, r := range map[string]func(io.Reader) io.Reader{
			"one byte": iotest.OneByteReader, "halves": iotest.HalfReader, "EOF with data": iotest.DataErrReader,
		} {
			cr, _ := NewChunkedReader(r(strings.NewReader(body)), &a, "s")
			got, err := io.ReadAll(iotest.OneByteReader(cr))
			if err != nil || string(got) != "hello world" || cr.DecodedLength() != 11 || cr.Trailer().Get("x-amz-checksum-crc32") != "DUoRhQ==" {
				t.Errorf("%s: ReadAll = %q, %v; decoded %d, trailer %v", name, got, err, cr.DecodedLength(), cr.Trailer())
			}
		}
	})
	t.Run("unsigned chunks broken", func(t *testing.T) {
		a := base
		a.PayloadHash = StreamingUnsignedTrailer
		for name, body := range map[string]string{
			"cut in a chunk":    "6\r\nhello \r\n5\r\nwor",
			"no CRLF after one": "6\r\nhello xx5\r\nworld\r\n0\r\n\r\n",
			"longer than said":  "6\r\nhello world\r\n0\r\n\r\n",
		} {
			cr, _ := NewChunkedReader(strings.NewReader(body), &a, "s")
			if _, err := io.ReadAll(cr); kindOf(err) != Incomplete {
				t.Errorf("%s: %v, want Incomplete", name, err)
			}
		}
	})
	t.Run("signed trailer", func(t *testing.T) {
		a := base
		a.PayloadHash = StreamingPayloadTrailer
		trailers := "x-amz-checksum-crc32:DUoRhQ==\n"
		body := chunkedBody(t, &a, "s", chunks, trailers, true)
		body = strings.Replace(body, "DUoRhQ==\n", "DUoRhQ==\r\n", 1)
		cr, _ := NewChunkedReader(strings.NewReader(body), &a, "s")
		got, err := io.ReadAll(cr)
		if err != nil || string(got) != "hello world" || cr.Trailer().Get("x-amz-checksum-crc32") != "DUoRhQ==" {
			t.Fatalf("ReadAll = %q, %v; trailer %v", got, err, cr.Trailer())
		}
		bad := strings.Replace(body, "DUoRhQ==", "AAAAAA==", 1)
		cr, _ = NewChunkedReader(strings.NewReader(bad), &a, "s")
		if _, err := io.ReadAll(cr); kindOf(err) != Mismatch {
			t.Fatalf("tampered trailer: %v, want Mismatch", err)
		}
	})
	t.Run("not chunked", func(t *testing.T) {
		a := base
		a.PayloadHash = UnsignedPayload
		if _, err := NewChunkedReader(strings.NewReader(""), &a, "s"); err == nil {
			t.Fatal("NewChunkedReader accepted UNSIGNED-PAYLOAD")
		}
	})
}
