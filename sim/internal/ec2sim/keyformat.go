package ec2sim

import (
	"bytes"
	"crypto/ed25519"
	"crypto/md5"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/pem"
	"strings"

	"golang.org/x/crypto/ssh"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// parsePublicKey returns the public key of an ImportKeyPair request's material, or EC2's
// InvalidKey.Format error. EC2 takes three formats: OpenSSH's (an authorized_keys line),
// base64-encoded DER, and the SSH2 public key file of RFC 4716; and RSA keys of 1024, 2048 or
// 4096 bits, or ED25519 keys. It never panics, whatever the input (FuzzParsePublicKey).
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/create-key-pairs.html#how-to-generate-your-own-key-and-import-it-to-aws
func parsePublicKey(material []byte) (ssh.PublicKey, error) {
	text := bytes.TrimSpace(material)
	key, err := parseAnyFormat(text)
	if err != nil {
		return nil, core.Errorf(InvalidKeyFormat, "Key is not in valid OpenSSH public key format")
	}
	switch key.Type() {
	case ssh.KeyAlgoED25519:
		return key, nil
	case ssh.KeyAlgoRSA:
		n := key.(ssh.CryptoPublicKey).CryptoPublicKey().(*rsa.PublicKey).N.BitLen()
		if n != 1024 && n != 2048 && n != 4096 {
			return nil, core.Errorf(InvalidKeyFormat, "Invalid RSA key length %d; the supported lengths are 1024, 2048 and 4096", n)
		}
		return key, nil
	}
	return nil, core.Errorf(InvalidKeyFormat, "Key type %s is not supported; import an RSA or ED25519 key", key.Type())
}

func parseAnyFormat(text []byte) (ssh.PublicKey, error) {
	if bytes.HasPrefix(text, []byte(rfc4716Begin)) {
		return parseRFC4716(text)
	}
	if key, _, _, _, err := ssh.ParseAuthorizedKey(text); err == nil {
		return key, nil
	}
	der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(string(text)), ""))
	if err != nil {
		der = text // raw DER, as from fileb://
	}
	var pub any
	if pub, err = x509.ParsePKIXPublicKey(der); err != nil {
		if pub, err = x509.ParsePKCS1PublicKey(der); err != nil {
			return nil, err
		}
	}
	return ssh.NewPublicKey(pub)
}

const (
	rfc4716Begin = "---- BEGIN SSH2 PUBLIC KEY ----"
	rfc4716End   = "---- END SSH2 PUBLIC KEY ----"
)

// parseRFC4716 reads the SSH2 public key file format: a BEGIN line, headers ("Tag: value",
// continued by a trailing backslash), base64 of the key in SSH's wire format, an END line.
// https://www.rfc-editor.org/rfc/rfc4716#section-3
func parseRFC4716(text []byte) (ssh.PublicKey, error) {
	lines := strings.Split(strings.ReplaceAll(string(text), "\r\n", "\n"), "\n")
	if len(lines) < 3 || strings.TrimSpace(lines[len(lines)-1]) != rfc4716End {
		return nil, errBadKey
	}
	var body strings.Builder
	continued := false
	for _, l := range lines[1 : len(lines)-1] {
		l = strings.TrimSpace(l)
		switch {
		case continued:
			continued = strings.HasSuffix(l, `\`)
		case strings.Contains(l, ":"):
			continued = strings.HasSuffix(l, `\`)
		default:
			body.WriteString(l)
		}
	}
	wire, err := base64.StdEncoding.DecodeString(body.String())
	if err != nil {
		return nil, err
	}
	return ssh.ParsePublicKey(wire)
}

var errBadKey = core.Errorf(InvalidKeyFormat, "Key is not in valid OpenSSH public key format")

// Fingerprints, as EC2 computes them.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/verify-keys.html

// createdRSAFingerprint is the SHA-1 digest of the private key in DER-encoded PKCS#8, in hex
// pairs separated by colons (openssl pkcs8 -topk8 -outform DER | openssl sha1 -c).
func createdRSAFingerprint(key *rsa.PrivateKey) string {
	der, _ := x509.MarshalPKCS8PrivateKey(key) // an RSA key always marshals
	sum := sha1.Sum(der)
	return colonHex(sum[:])
}

// importedFingerprint is, for RSA, the MD5 digest of the public key in DER (openssl rsa
// -pubout -outform DER | openssl md5 -c); for ED25519, as for every ED25519 key, the
// base64-encoded SHA-256 digest of the key in SSH's wire format.
func importedFingerprint(key ssh.PublicKey) string {
	if key.Type() == ssh.KeyAlgoED25519 {
		return ed25519Fingerprint(key)
	}
	der, _ := x509.MarshalPKIXPublicKey(key.(ssh.CryptoPublicKey).CryptoPublicKey())
	sum := md5.Sum(der)
	return colonHex(sum[:])
}

// ed25519Fingerprint is OpenSSH's SHA256 fingerprint, with base64's padding as EC2 shows it.
func ed25519Fingerprint(key ssh.PublicKey) string {
	sum := sha256.Sum256(key.Marshal())
	return base64.StdEncoding.EncodeToString(sum[:])
}

func colonHex(b []byte) string {
	h := hex.EncodeToString(b)
	var sb strings.Builder
	for i := 0; i < len(h); i += 2 {
		if i > 0 {
			sb.WriteByte(':')
		}
		sb.WriteString(h[i : i+2])
	}
	return sb.String()
}

// rsaPEM is an RSA private key as EC2 hands it out: PKCS#1, PEM "RSA PRIVATE KEY".
func rsaPEM(key *rsa.PrivateKey) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}))
}

// openSSHPEM writes an ED25519 private key in OpenSSH's format, unencrypted. It is written
// here rather than with ssh.MarshalPrivateKey because that one draws its check number from
// crypto/rand, and the simulator's keys must come out the same for the same seed.
// https://cvsweb.openbsd.org/src/usr.bin/ssh/PROTOCOL.key?annotate=HEAD
func openSSHPEM(key ed25519.PrivateKey, check uint32) string {
	pub := key.Public().(ed25519.PublicKey)
	var pubWire []byte
	pubWire = appendSSHString(pubWire, []byte(ssh.KeyAlgoED25519))
	pubWire = appendSSHString(pubWire, pub)

	var private []byte
	private = binary.BigEndian.AppendUint32(private, check)
	private = binary.BigEndian.AppendUint32(private, check)
	private = appendSSHString(private, []byte(ssh.KeyAlgoED25519))
	private = appendSSHString(private, pub)
	private = appendSSHString(private, key)
	private = appendSSHString(private, nil) // comment
	for i := byte(1); len(private)%8 != 0; i++ {
		private = append(private, i)
	}

	b := []byte("openssh-key-v1\x00")
	b = appendSSHString(b, []byte("none")) // cipher
	b = appendSSHString(b, []byte("none")) // KDF
	b = appendSSHString(b, nil)            // KDF options
	b = binary.BigEndian.AppendUint32(b, 1)
	b = appendSSHString(b, pubWire)
	b = appendSSHString(b, private)
	return string(pem.EncodeToMemory(&pem.Block{Type: "OPENSSH PRIVATE KEY", Bytes: b}))
}

func appendSSHString(b, s []byte) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
	return append(b, s...)
}

// authorizedKey is a public key as one authorized_keys line, with comment.
func authorizedKey(key ssh.PublicKey, comment string) string {
	line := strings.TrimSuffix(string(ssh.MarshalAuthorizedKey(key)), "\n")
	if comment != "" {
		line += " " + comment
	}
	return line
}
