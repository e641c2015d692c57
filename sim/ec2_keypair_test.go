package sim_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/md5"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"golang.org/x/crypto/ssh"

	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// colonHex writes a digest as AWS shows RSA fingerprints: hex pairs joined by colons.
func colonHex(b []byte) string {
	var parts []string
	for _, c := range b {
		parts = append(parts, fmt.Sprintf("%02x", c))
	}
	return strings.Join(parts, ":")
}

// sha256Fingerprint is OpenSSH's SHA256 fingerprint with base64's padding, as EC2 shows it.
func sha256Fingerprint(pub ssh.PublicKey) string {
	return strings.TrimPrefix(ssh.FingerprintSHA256(pub), "SHA256:") + "="
}

func TestEC2CreateKeyPair(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		client := ec2Client(t, c)

		rsaKey := must(client.CreateKeyPair(ctx, &ec2.CreateKeyPairInput{KeyName: aws.String("lab"), TagSpecifications: nameTag(types.ResourceTypeKeyPair, "lab")}))(t)
		block, _ := pem.Decode([]byte(*rsaKey.KeyMaterial))
		if block == nil || block.Type != "RSA PRIVATE KEY" || !strings.HasPrefix(*rsaKey.KeyMaterial, "-----BEGIN RSA PRIVATE KEY-----\n") {
			t.Fatalf("RSA key material:\n%s", *rsaKey.KeyMaterial)
		}
		priv := must(x509.ParsePKCS1PrivateKey(block.Bytes))(t)
		pkcs8 := must(x509.MarshalPKCS8PrivateKey(priv))(t)
		c.Diverges(t, conformance.Moto, "moto's fingerprint of a key pair it made is not the SHA-1 of its PKCS#8 private key")
		// "openssl pkcs8 -in key.pem -inform PEM -outform DER -topk8 -nocrypt | openssl sha1 -c"
		// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/verify-keys.html
		if sum := sha1.Sum(pkcs8); priv.N.BitLen() != 2048 || *rsaKey.KeyFingerprint != colonHex(sum[:]) {
			t.Errorf("RSA key of %d bits, fingerprint %s, want %s", priv.N.BitLen(), *rsaKey.KeyFingerprint, colonHex(sum[:]))
		}
		if !strings.HasPrefix(*rsaKey.KeyPairId, "key-") || len(*rsaKey.KeyPairId) != 21 || len(rsaKey.Tags) != 1 {
			t.Errorf("key pair = %+v", rsaKey)
		}

		edKey := must(client.CreateKeyPair(ctx, &ec2.CreateKeyPairInput{KeyName: aws.String("ed"), KeyType: types.KeyTypeEd25519}))(t)
		raw := must(ssh.ParseRawPrivateKey([]byte(*edKey.KeyMaterial)))(t)
		edPriv, ok := raw.(*ed25519.PrivateKey)
		if !ok || !strings.HasPrefix(*edKey.KeyMaterial, "-----BEGIN OPENSSH PRIVATE KEY-----\n") {
			t.Fatalf("ED25519 key material is a %T:\n%s", raw, *edKey.KeyMaterial)
		}
		pub := must(ssh.NewPublicKey(edPriv.Public()))(t)
		if *edKey.KeyFingerprint != sha256Fingerprint(pub) {
			t.Errorf("ED25519 fingerprint %s, want %s", *edKey.KeyFingerprint, sha256Fingerprint(pub))
		}
		// ED25519 keys come from the seed: the same calls on a new cloud make the same key.
		c.Require(t, conformance.DeterministicIDs)
		d := ec2Client(t, b.Open(t))
		must(d.CreateKeyPair(ctx, &ec2.CreateKeyPairInput{KeyName: aws.String("lab")}))(t)
		again := must(d.CreateKeyPair(ctx, &ec2.CreateKeyPairInput{KeyName: aws.String("ed"), KeyType: types.KeyTypeEd25519}))(t)
		if *again.KeyMaterial != *edKey.KeyMaterial || *again.KeyPairId != *edKey.KeyPairId {
			t.Error("the same seed made another ED25519 key")
		}

		for _, tc := range []struct {
			name string
			in   ec2.CreateKeyPairInput
			code string
		}{
			{"duplicate", ec2.CreateKeyPairInput{KeyName: aws.String("lab")}, "InvalidKeyPair.Duplicate"},
			{"not ASCII", ec2.CreateKeyPairInput{KeyName: aws.String("clé")}, "InvalidParameterValue"},
			{"too long", ec2.CreateKeyPairInput{KeyName: aws.String(strings.Repeat("k", 256))}, "InvalidParameterValue"},
			{"empty", ec2.CreateKeyPairInput{KeyName: aws.String("")}, "MissingParameter"},
			{"key type", ec2.CreateKeyPairInput{KeyName: aws.String("k"), KeyType: "dsa"}, "InvalidParameterValue"},
			{"ppk", ec2.CreateKeyPairInput{KeyName: aws.String("k"), KeyFormat: types.KeyFormatPpk}, "NotImplemented"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := client.CreateKeyPair(ctx, &tc.in)
				wantCode(t, err, tc.code)
			})
		}
	})
}

// rfc4716 writes a public key in the SSH2 public key file format.
func rfc4716(pub ssh.PublicKey) string {
	b64 := base64.StdEncoding.EncodeToString(pub.Marshal())
	var lines []string
	for len(b64) > 70 {
		lines, b64 = append(lines, b64[:70]), b64[70:]
	}
	lines = append(lines, b64)
	return "---- BEGIN SSH2 PUBLIC KEY ----\r\nComment: \"2048-bit RSA, converted by \\\r\nme@example.com\"\r\n" + strings.Join(lines, "\r\n") + "\r\n---- END SSH2 PUBLIC KEY ----\r\n"
}

func TestEC2ImportKeyPair(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		client := ec2Client(t, c)
		key := must(rsa.GenerateKey(rand.Reader, 2048))(t)
		pub := must(ssh.NewPublicKey(&key.PublicKey))(t)
		der := must(x509.MarshalPKIXPublicKey(&key.PublicKey))(t)
		// "openssl rsa -in key.pem -pubout -outform DER | openssl md5 -c"
		sum := md5.Sum(der)
		rsaFingerprint := colonHex(sum[:])
		_, edPriv, _ := ed25519.GenerateKey(rand.Reader)
		edPub := must(ssh.NewPublicKey(edPriv.Public()))(t)

		for _, tc := range []struct {
			name, material, fingerprint string
			typ                         types.KeyType
		}{
			{"OpenSSH", string(ssh.MarshalAuthorizedKey(pub)), rsaFingerprint, types.KeyTypeRsa},
			{"OpenSSH with comment", strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pub))) + " me@laptop\n", rsaFingerprint, types.KeyTypeRsa},
			{"RFC 4716", rfc4716(pub), rsaFingerprint, types.KeyTypeRsa},
			{"base64 DER", base64.StdEncoding.EncodeToString(der), rsaFingerprint, types.KeyTypeRsa},
			{"ED25519", string(ssh.MarshalAuthorizedKey(edPub)), sha256Fingerprint(edPub), types.KeyTypeEd25519},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c.Diverges(t, conformance.Moto, map[string]string{
					"base64 DER": "moto refuses a public key in base64 DER (InvalidKeyPair.Format)",
					"ED25519":    "moto writes an ED25519 key's fingerprint in hex, not OpenSSH's base64 SHA256",
				}[tc.name])
				out := must(client.ImportKeyPair(ctx, &ec2.ImportKeyPairInput{KeyName: aws.String(tc.name), PublicKeyMaterial: []byte(tc.material)}))(t)
				if *out.KeyFingerprint != tc.fingerprint || *out.KeyName != tc.name {
					t.Errorf("fingerprint %s, want %s", *out.KeyFingerprint, tc.fingerprint)
				}
				info := must(client.DescribeKeyPairs(ctx, &ec2.DescribeKeyPairsInput{KeyNames: []string{tc.name}, IncludePublicKey: aws.Bool(true)}))(t).KeyPairs[0]
				if info.KeyType != tc.typ || !strings.HasPrefix(*info.PublicKey, strings.Fields(tc.material)[0]) && tc.typ == types.KeyTypeEd25519 {
					t.Errorf("described as %+v", info)
				}
			})
		}

		ecKey := must(ecdsa.GenerateKey(elliptic.P256(), rand.Reader))(t)
		ecPub := must(ssh.NewPublicKey(&ecKey.PublicKey))(t)
		big := must(rsa.GenerateKey(rand.Reader, 3072))(t)
		bigPub := must(ssh.NewPublicKey(&big.PublicKey))(t)
		for _, tc := range []struct{ name, material string }{
			{"garbage", "not a key"},
			{"truncated", string(ssh.MarshalAuthorizedKey(pub))[:40]},
			{"ECDSA", string(ssh.MarshalAuthorizedKey(ecPub))},
			{"RSA 3072", string(ssh.MarshalAuthorizedKey(bigPub))},
			{"private key", string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}))},
			{"RFC 4716 without end", strings.Split(rfc4716(pub), "---- END")[0]},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c.Diverges(t, conformance.Moto, map[string]string{
					"garbage":              "moto answers key material that is not a key with a 500",
					"truncated":            "moto refuses bad key material with InvalidKeyPair.Format, not InvalidKey.Format",
					"ECDSA":                "moto refuses bad key material with InvalidKeyPair.Format, not InvalidKey.Format",
					"RSA 3072":             "moto takes a 3072-bit RSA key, which EC2 refuses (1024, 2048 or 4096)",
					"private key":          "moto took the RSA 3072 key as \"bad\": InvalidKeyPair.Duplicate",
					"RFC 4716 without end": "moto took the RSA 3072 key as \"bad\": InvalidKeyPair.Duplicate",
				}[tc.name])
				_, err := client.ImportKeyPair(ctx, &ec2.ImportKeyPairInput{KeyName: aws.String("bad"), PublicKeyMaterial: []byte(tc.material)})
				wantCode(t, err, "InvalidKey.Format")
			})
		}
		_, err := client.ImportKeyPair(ctx, &ec2.ImportKeyPairInput{KeyName: aws.String("OpenSSH"), PublicKeyMaterial: ssh.MarshalAuthorizedKey(edPub)})
		wantCode(t, err, "InvalidKeyPair.Duplicate")
	})
}

func TestEC2DescribeDeleteKeyPairs(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		client := ec2Client(t, c)
		var ids []string
		for _, name := range []string{"a", "b", "c"} {
			k := must(client.CreateKeyPair(ctx, &ec2.CreateKeyPairInput{KeyName: aws.String(name), KeyType: types.KeyTypeEd25519,
				TagSpecifications: nameTag(types.ResourceTypeKeyPair, "key-"+name)}))(t)
			ids = append(ids, *k.KeyPairId)
		}
		all := must(client.DescribeKeyPairs(ctx, &ec2.DescribeKeyPairsInput{}))(t).KeyPairs
		if len(all) != 3 || *all[0].KeyName != "a" || all[0].PublicKey != nil || all[0].CreateTime == nil || all[0].KeyType != types.KeyTypeEd25519 {
			t.Errorf("key pairs = %+v", all)
		}
		c.Diverges(t, conformance.Moto, "moto's public key of a key pair it made has no comment naming it")
		withKey := must(client.DescribeKeyPairs(ctx, &ec2.DescribeKeyPairsInput{KeyPairIds: []string{ids[1]}, IncludePublicKey: aws.Bool(true)}))(t).KeyPairs
		if len(withKey) != 1 || !strings.HasPrefix(*withKey[0].PublicKey, "ssh-ed25519 AAAA") || !strings.HasSuffix(*withKey[0].PublicKey, " b") {
			t.Errorf("with public key = %+v", withKey)
		}
		for _, tc := range []struct {
			name    string
			filters []types.Filter
			want    int
		}{
			{"key-name", []types.Filter{filter("key-name", "a", "c")}, 2},
			{"key-pair-id", []types.Filter{filter("key-pair-id", ids[2])}, 1},
			{"fingerprint", []types.Filter{filter("fingerprint", *all[0].KeyFingerprint)}, 1},
			{"tag", []types.Filter{filter("tag:Name", "key-*")}, 3},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if got := must(client.DescribeKeyPairs(ctx, &ec2.DescribeKeyPairsInput{Filters: tc.filters}))(t).KeyPairs; len(got) != tc.want {
					t.Errorf("%d key pairs, want %d", len(got), tc.want)
				}
			})
		}
		_, err := client.DescribeKeyPairs(ctx, &ec2.DescribeKeyPairsInput{KeyNames: []string{"nope"}})
		wantCode(t, err, "InvalidKeyPair.NotFound")
		if !strings.Contains(err.Error(), "The key pair 'nope' does not exist") {
			t.Errorf("message: %v", err)
		}

		must(client.DeleteKeyPair(ctx, &ec2.DeleteKeyPairInput{KeyName: aws.String("a")}))(t)
		deleted := must(client.DeleteKeyPair(ctx, &ec2.DeleteKeyPairInput{KeyPairId: aws.String(ids[1])}))(t)
		if *deleted.KeyPairId != ids[1] {
			t.Errorf("DeleteKeyPair = %+v", deleted)
		}
		must(client.DeleteKeyPair(ctx, &ec2.DeleteKeyPairInput{KeyName: aws.String("a")}))(t) // deleting what is gone succeeds
		if left := must(client.DescribeKeyPairs(ctx, &ec2.DescribeKeyPairsInput{}))(t).KeyPairs; len(left) != 1 || *left[0].KeyName != "c" {
			t.Errorf("left = %+v", left)
		}
	})
}
