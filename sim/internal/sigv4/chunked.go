package sigv4

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// MaxChunkSize bounds one chunk of an aws-chunked body; each chunk is held in memory while its
// signature is checked.
const MaxChunkSize = 64 << 20

// ChunkedReader decodes an aws-chunked body (Content-Encoding: aws-chunked, as S3 uploads send
// it) and checks every chunk signature. Its Read returns the decoded payload; a chunk is returned
// only after its signature matched, and a bad signature or a malformed body is an [*Error]
// (Kind [Mismatch] or [Incomplete]). After io.EOF, [ChunkedReader.Trailer] holds the trailing
// headers (x-amz-checksum-…). A ChunkedReader is not safe for concurrent use.
//
// It handles the three forms named by X-Amz-Content-Sha256:
//   - STREAMING-AWS4-HMAC-SHA256-PAYLOAD: "size;chunk-signature=sig" chunks, each signature
//     chaining from the previous one, starting at the request's (seed) signature; checked with
//     the SDK's v4.StreamSigner.
//   - STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER: the same, then trailing headers signed by
//     x-amz-trailer-signature.
//   - STREAMING-UNSIGNED-PAYLOAD-TRAILER: "size" chunks without signatures, then trailing headers.
type ChunkedReader struct {
	r       *bufio.Reader
	a       *Auth
	secret  string
	signed  bool
	trailer bool
	stream  *v4.StreamSigner
	prevSig []byte

	buf      []byte // the current signed chunk's unread payload
	hold     []byte // the buffer signed chunks are held in, reused
	left     int64  // the bytes of the current unsigned chunk still to read from r
	size     uint64 // the current chunk's size
	done     bool
	err      error
	trailers http.Header
	decoded  int64
}

// NewChunkedReader returns a reader of the payload carried by the aws-chunked body of a request
// whose signature fields are a (already checked by [Verify]) and whose secret key is secret.
func NewChunkedReader(body io.Reader, a *Auth, secret string) (*ChunkedReader, error) {
	c := &ChunkedReader{r: bufio.NewReaderSize(body, 32<<10), a: a, secret: secret}
	switch a.PayloadHash {
	case StreamingPayload:
		c.signed = true
	case StreamingPayloadTrailer:
		c.signed, c.trailer = true, true
	case StreamingUnsignedTrailer:
		c.trailer = true
	default:
		return nil, fmt.Errorf("sigv4: X-Amz-Content-Sha256 %q is not an aws-chunked payload", a.PayloadHash)
	}
	if c.signed {
		seed, err := hex.DecodeString(a.Signature)
		if err != nil {
			return nil, mismatchError(a.Service, a.Presigned)
		}
		creds := aws.Credentials{AccessKeyID: a.AccessKeyID, SecretAccessKey: secret}
		c.stream = v4.NewStreamSigner(creds, a.Service, a.Region, seed)
		c.prevSig = seed
	}
	return c, nil
}

// Trailer returns the trailing headers read after the last chunk (nil before io.EOF).
func (c *ChunkedReader) Trailer() http.Header { return c.trailers }

// DecodedLength returns how many payload bytes have been returned so far; at io.EOF it can be
// compared with X-Amz-Decoded-Content-Length.
func (c *ChunkedReader) DecodedLength() int64 { return c.decoded }

func (c *ChunkedReader) Read(p []byte) (int, error) {
	for len(c.buf) == 0 && c.left == 0 {
		if c.err != nil {
			return 0, c.err
		}
		if c.done {
			return 0, io.EOF
		}
		c.err = c.nextChunk()
	}
	if c.left > 0 {
		return c.readUnsigned(p)
	}
	n := copy(p, c.buf)
	c.buf = c.buf[n:]
	c.decoded += int64(n)
	return n, nil
}

// readUnsigned reads the payload of an unsigned chunk straight into p: with no signature to
// check first, it need not be held.
func (c *ChunkedReader) readUnsigned(p []byte) (int, error) {
	n, err := c.r.Read(p[:min(int64(len(p)), c.left)])
	c.left -= int64(n)
	c.decoded += int64(n)
	switch {
	case c.left > 0 && err != nil:
		c.left, c.err = 0, c.malformed("unexpected end of body in a chunk of %d bytes", c.size)
	case c.left == 0:
		if crlf, err := c.line(); err != nil || crlf != "" {
			c.err = c.malformed("chunk data not followed by CRLF")
		}
	}
	if n == 0 {
		return 0, c.err
	}
	return n, nil
}

func (c *ChunkedReader) malformed(format string, args ...any) error {
	return &Error{Kind: Incomplete, Message: "aws-chunked body: " + fmt.Sprintf(format, args...)}
}

// readLine reads one CRLF-terminated line of at most 4 KiB. It returns io.EOF only when the body
// ended before the line began.
func (c *ChunkedReader) readLine() (string, error) {
	line, err := c.r.ReadSlice('\n')
	if err != nil {
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			return "", c.malformed("line too long")
		case err == io.EOF && len(line) == 0:
			return "", io.EOF
		case err == io.EOF:
			return "", c.malformed("unexpected end of body")
		}
		return "", err
	}
	if len(line) > 4096 || len(line) < 2 || line[len(line)-2] != '\r' {
		return "", c.malformed("line not terminated by CRLF")
	}
	return string(line[:len(line)-2]), nil
}

func (c *ChunkedReader) line() (string, error) {
	line, err := c.readLine()
	if err == io.EOF {
		return "", c.malformed("unexpected end of body")
	}
	return line, err
}

func (c *ChunkedReader) nextChunk() error {
	line, err := c.line()
	if err != nil {
		return err
	}
	sizeStr, ext, _ := strings.Cut(line, ";")
	size, err := strconv.ParseUint(sizeStr, 16, 63)
	if err != nil || sizeStr == "" {
		return c.malformed("bad chunk size %q", sizeStr)
	}
	if size > MaxChunkSize {
		return c.malformed("chunk of %d bytes exceeds %d", size, MaxChunkSize)
	}
	var sig string
	if c.signed {
		var ok bool
		sig, ok = strings.CutPrefix(ext, "chunk-signature=")
		if !ok {
			return c.malformed("chunk without chunk-signature")
		}
	}
	c.size = size
	if !c.signed && size > 0 {
		c.left = int64(size) // for Read to read into its caller's buffer
		return nil
	}
	// The chunk grows as its bytes arrive: a size claimed and not sent costs nothing.
	chunk := bytes.NewBuffer(c.hold[:0])
	if _, err := io.CopyN(chunk, c.r, int64(size)); err != nil {
		return c.malformed("unexpected end of body in a chunk of %d bytes", size)
	}
	data := chunk.Bytes()
	c.hold = data[:0]
	if c.signed {
		want, err := c.stream.GetSignature(context.Background(), nil, data, c.a.Time)
		if err != nil {
			return err
		}
		if subtle.ConstantTimeCompare([]byte(hex.EncodeToString(want)), []byte(sig)) != 1 {
			return mismatchError(c.a.Service, c.a.Presigned)
		}
		c.prevSig = want
	}
	if size > 0 {
		if crlf, err := c.line(); err != nil || crlf != "" {
			return c.malformed("chunk data not followed by CRLF")
		}
		c.buf = data
		return nil
	}
	// The last chunk: then the trailing headers (if any) and an empty line.
	c.done = true
	if !c.trailer {
		switch line, err := c.readLine(); {
		case err == io.EOF: // some writers end the body right after the last chunk's line
			return nil
		case err != nil:
			return err
		case line != "":
			return c.malformed("data after the last chunk")
		}
		return nil
	}
	c.trailers = http.Header{}
	var trailerSig string
	var canonical strings.Builder
	for {
		line, err := c.line()
		if err != nil {
			return err
		}
		if line == "" {
			break
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return c.malformed("bad trailing header %q", line)
		}
		name = strings.ToLower(strings.TrimSpace(name))
		value = strings.TrimSpace(value)
		if name == "x-amz-trailer-signature" {
			trailerSig = value
			continue
		}
		canonical.WriteString(name + ":" + value + "\n")
		c.trailers.Add(name, value)
	}
	if c.signed && subtle.ConstantTimeCompare([]byte(c.trailerSignature(canonical.String())), []byte(trailerSig)) != 1 {
		return mismatchError(c.a.Service, c.a.Presigned)
	}
	return nil
}

// trailerSignature signs the trailing headers. The SDK's signer has no trailer signing (its
// StreamSigner's string to sign starts with AWS4-HMAC-SHA256-PAYLOAD), so this one string to
// sign is written here, from AWS's "Signature calculation for trailing headers".
func (c *ChunkedReader) trailerSignature(canonicalTrailers string) string {
	sum := sha256.Sum256([]byte(canonicalTrailers))
	sts := "AWS4-HMAC-SHA256-TRAILER\n" + c.a.Time.UTC().Format(timeFormat) + "\n" + c.a.Scope() + "\n" +
		hex.EncodeToString(c.prevSig) + "\n" + hex.EncodeToString(sum[:])
	key := hmacSHA256([]byte("AWS4"+c.secret), c.a.Date)
	key = hmacSHA256(key, c.a.Region)
	key = hmacSHA256(key, c.a.Service)
	key = hmacSHA256(key, terminator)
	return hex.EncodeToString(hmacSHA256(key, sts))
}

func hmacSHA256(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(data))
	return h.Sum(nil)
}
