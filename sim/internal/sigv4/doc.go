// Package sigv4 checks AWS Signature Version 4 on the simulator's incoming requests, as AWS does:
// header authentication (Authorization: AWS4-HMAC-SHA256 …), presigned URLs (X-Amz-Algorithm,
// X-Amz-Credential, X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders, X-Amz-Signature), session
// tokens (X-Amz-Security-Token), X-Amz-Content-Sha256 (a body hash, UNSIGNED-PAYLOAD, or an
// aws-chunked streaming payload) and the clock limits.
//
// # Use
//
//	a, err := sigv4.Parse(r)        // no secret needed: find the access key, then its secret
//	…
//	err = sigv4.Verify(r, body, a, secret, now)
//	var e *sigv4.Error
//	if errors.As(err, &e) { code, status := e.Code(a.Service) … }
//
// For an aws-chunked S3 upload, read the body through [NewChunkedReader] after Verify.
//
// # How the signature is checked
//
// Verify computes the canonical request, the string to sign and the signature itself, as
// aws-sdk-go-v2's v4 signer would for a copy of the request holding only the headers the client
// signed, then compares the two signatures in constant time. The SDK's signer is the oracle of
// the tests (a differential test and a fuzz test over random methods, paths, queries and
// headers, and botocore's vectors): headers it would ignore by name are still signed when the
// client signed them, and content-length, x-amz-date and x-amz-security-token appear only when
// the client signed them. The path is canonicalised as S3 does (each byte outside
// A-Za-z0-9-_.~ and '/' percent-encoded once); for other services it is escaped a second time,
// as AWS requires. Derived signing keys are cached per (secret, date, region, service).
//
// The chunk signatures of STREAMING-AWS4-HMAC-SHA256-PAYLOAD bodies are checked with the SDK's
// v4.StreamSigner; the trailer signature of STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, which
// the SDK cannot compute, is the one string to sign written here.
//
// # Time
//
// Header authentication: X-Amz-Date (or Date) within [MaxSkew] (15 minutes) of now, either way.
// Presigned: valid from X-Amz-Date to X-Amz-Date + X-Amz-Expires (at most 7 days); a presigned
// request of a service other than S3 without X-Amz-Expires gets the 15-minute window.
//
// # Scope and limitations
//
//   - A header-signed request must carry X-Amz-Date and sign it: the SDK signer always adds
//     x-amz-date, so a request dated only by the Date header, or one that did not sign
//     x-amz-date, is refused as a mismatch (AWS accepts both; no SDK or CLI sends them).
//   - A client that signed "content-length:0" is refused as a mismatch (the SDK signer signs
//     content-length only when it is positive), and so is one whose signed header list holds
//     a name not in lower-case ASCII.
//   - Paths are not normalised (no removal of "." and ".." segments) for non-S3 services; the
//     simulated services' paths are "/".
//   - SigV4a (AWS4-ECDSA-P256-SHA256) and SigV2 are not accepted.
//   - The region and service of the credential scope are checked by the caller with
//     [Auth.CheckScope]; Parse only checks that they are present.
package sigv4
