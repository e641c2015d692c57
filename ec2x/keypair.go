package ec2x

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// KeyPairOptions tunes [CreateKeyPair].
type KeyPairOptions struct {
	// Type is rsa (2048-bit, the default, which every image takes) or ed25519 (shorter and
	// faster; Linux images only: Windows instances take RSA keys alone).
	Type types.KeyType
}

// CreateKeyPair makes the key pair name, tagged Name=name, and writes its private key to
// path, readable only by its owner (mode 0400), as ssh requires: an RSA key in PEM, or an
// ED25519 key in OpenSSH's format. An existing file is not overwritten: the key pair is then
// not made. If the file cannot be written, the key pair is deleted again: without its
// private half, which AWS shows once, it is of no use. Key pairs are free.
func CreateKeyPair(ctx context.Context, cfg aws.Config, name, path string, optFns ...func(*KeyPairOptions)) error {
	o := KeyPairOptions{Type: types.KeyTypeRsa}
	for _, f := range optFns {
		f(&o)
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("ec2x: key pair %q: %s exists", name, path)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("ec2x: key pair %q: %w", name, err)
	}
	client := ec2.NewFromConfig(cfg)
	out, err := client.CreateKeyPair(ctx, &ec2.CreateKeyPairInput{KeyName: &name, KeyType: o.Type, KeyFormat: types.KeyFormatPem,
		TagSpecifications: nameTag(types.ResourceTypeKeyPair, name)})
	if err != nil {
		return fmt.Errorf("ec2x: key pair %q: %w", name, err)
	}
	if err := writeNew(path, []byte(aws.ToString(out.KeyMaterial)+"\n")); err != nil {
		uctx, cancel := undoContext(ctx)
		defer cancel()
		_, derr := client.DeleteKeyPair(uctx, &ec2.DeleteKeyPairInput{KeyPairId: out.KeyPairId})
		if derr != nil {
			return fmt.Errorf("ec2x: key pair %q: %w; deleting it failed too: %w", name, err, derr)
		}
		return fmt.Errorf("ec2x: key pair %q: %w (the key pair was deleted)", name, err)
	}
	return nil
}

// writeNew writes b to a new file at path, mode 0400, and removes what it wrote on failure.
func writeNew(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o400)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
	}
	return err
}

// ImportKeyPair makes the key pair name, tagged Name=name, from the public key in the file
// at publicKeyPath — the .pub that ssh-keygen wrote beside your own private key
// (~/.ssh/id_ed25519.pub), in OpenSSH's one-line format (RSA, ED25519) — and returns its ID
// ("key-…"). Your private key never leaves your machine: the way to log in with a key you
// already have. A private key given by mistake is refused before anything is sent.
func ImportKeyPair(ctx context.Context, cfg aws.Config, name, publicKeyPath string) (string, error) {
	b, err := os.ReadFile(publicKeyPath)
	if err != nil {
		return "", fmt.Errorf("ec2x: import key pair %q: %w", name, err)
	}
	if bytes.Contains(b, []byte("PRIVATE KEY-----")) {
		return "", fmt.Errorf("ec2x: import key pair %q: %s holds a private key; import its public half (%s.pub, or ssh-keygen -y -f %s)", name, publicKeyPath, publicKeyPath, publicKeyPath)
	}
	out, err := ec2.NewFromConfig(cfg).ImportKeyPair(ctx, &ec2.ImportKeyPairInput{KeyName: &name, PublicKeyMaterial: bytes.TrimSpace(b),
		TagSpecifications: nameTag(types.ResourceTypeKeyPair, name)})
	if err != nil {
		return "", fmt.Errorf("ec2x: import key pair %q from %s: %w", name, publicKeyPath, err)
	}
	return aws.ToString(out.KeyPairId), nil
}
