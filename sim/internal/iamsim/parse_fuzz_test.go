package iamsim

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// wantAWSError fails unless err is an *core.Error with one of codes: a bad input is AWS's
// error, never anything else.
func wantAWSError(t *testing.T, err error, codes ...core.Code) {
	t.Helper()
	var e *core.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not an AWS error", err)
	}
	for _, c := range codes {
		if e.Code == c {
			return
		}
	}
	t.Fatalf("code %s, want one of %v", e.Code, codes)
}

// FuzzParseSSHPublicKey checks that any body is a key or AWS's error, and that a key comes
// back the same through both encodings GetSSHPublicKey gives.
func FuzzParseSSHPublicKey(f *testing.F) {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		f.Fatal(err)
	}
	pub, _ := ssh.NewPublicKey(&k.PublicKey)
	der, _ := x509.MarshalPKIXPublicKey(&k.PublicKey)
	f.Add(string(ssh.MarshalAuthorizedKey(pub)))
	f.Add(string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})))
	f.Add(string(pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&k.PublicKey)})))
	f.Add("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGiM1O0mYwGzVx1eqpJd4XkqE4bMZxv8yDC5B3x3Y6s0 a@b")
	f.Add("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, body string) {
		got, err := ParseSSHPublicKey(body)
		if err != nil {
			wantAWSError(t, err, InvalidPublicKey, UnrecognizedPublicKeyEnc)
			return
		}
		again, _, _, _, err := ssh.ParseAuthorizedKey(ssh.MarshalAuthorizedKey(got))
		if err != nil || !bytes.Equal(again.Marshal(), got.Marshal()) {
			t.Fatalf("SSH round trip: %v", err)
		}
		p, err := sshPEM(got)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseSSHPublicKey(p)
		if err != nil || sshFingerprint(back) != sshFingerprint(got) {
			t.Fatalf("PEM round trip: %v", err)
		}
	})
}

// FuzzParseCertificate checks that any body is a certificate or MalformedCertificate, and
// that a certificate parses the same once written again.
func FuzzParseCertificate(f *testing.F) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "fuzz.example.com"},
		NotBefore: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		f.Fatal(err)
	}
	good := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	f.Add(good)
	f.Add(good + good)
	f.Add("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
	f.Add("not a certificate")
	f.Fuzz(func(t *testing.T, body string) {
		c, err := ParseCertificate(body)
		if err != nil {
			wantAWSError(t, err, MalformedCertificate)
			return
		}
		again, err := ParseCertificate(string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})))
		if err != nil || !bytes.Equal(again.Raw, c.Raw) {
			t.Fatalf("round trip: %v", err)
		}
	})
}

// FuzzParsePrivateKey checks that any key body is a signer or MalformedCertificate.
func FuzzParsePrivateKey(f *testing.F) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	p8, _ := x509.MarshalPKCS8PrivateKey(key)
	ec, _ := x509.MarshalECPrivateKey(key)
	f.Add(string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: p8})))
	f.Add(string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: ec})))
	f.Add("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n")
	f.Fuzz(func(t *testing.T, body string) {
		k, err := parsePrivateKey(body)
		if err != nil {
			wantAWSError(t, err, MalformedCertificate)
			return
		}
		if k.Public() == nil {
			t.Fatal("a key without a public half")
		}
	})
}
