package ec2sim

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"encoding/binary"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"golang.org/x/crypto/ssh"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// keyPair is the public half of a key pair: EC2 keeps no private key.
type keyPair struct {
	meta
	Name        string
	Type        types.KeyType
	Fingerprint string
	PublicKey   string // an authorized_keys line, without comment
	Created     time.Time
}

func (r *regionState) keyByID(id string) *keyPair {
	for _, kp := range r.KeyPairs {
		if kp.ID == id {
			return kp
		}
	}
	return nil
}

// checkKeyName applies EC2's rule for key names: 1 to 255 ASCII characters.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateKeyPair.html
func checkKeyName(name *string) error {
	switch {
	case name == nil || *name == "":
		return missingParameter("KeyName")
	case len(*name) > 255:
		return invalidValue("keyName", *name, "Length exceeds maximum of 255 characters.")
	}
	for _, c := range *name {
		if c >= utf8.RuneSelf || c < ' ' {
			return invalidValue("keyName", *name, "Character sets beyond ASCII are not supported.")
		}
	}
	return nil
}

// addKey stores a new key pair, refusing a name in use.
func (s *Store) addKey(ctx context.Context, name string, typ types.KeyType, fingerprint string, pub ssh.PublicKey, specs []types.TagSpecification) (*keyPair, error) {
	t, err := tagsFor(specs, types.ResourceTypeKeyPair)
	if err != nil {
		return nil, err
	}
	var kp *keyPair
	return kp, s.write(ctx, func(r *regionState) error {
		if _, ok := r.KeyPairs[name]; ok {
			return core.Errorf(InvalidKeyPairDuplicate, "The keypair '%s' already exists.", name)
		}
		kp = &keyPair{
			meta: r.newMeta(s.id("key"), t), Name: name, Type: typ, Fingerprint: fingerprint,
			PublicKey: authorizedKey(pub, ""), Created: s.now(),
		}
		r.KeyPairs[name] = kp
		return nil
	})
}

// CreateKeyPair makes an RSA (2048 bits, PKCS#1 PEM) or ED25519 (OpenSSH format) key pair and
// hands out its private key, once. ED25519 keys come from the seeded generator, so the same
// seed makes the same key; RSA keys cannot be seeded in Go 1.26 and differ on every run.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateKeyPair.html
func (h *EC2) CreateKeyPair(ctx context.Context, in *ec2.CreateKeyPairInput) (*ec2.CreateKeyPairOutput, error) {
	if err := checkKeyName(in.KeyName); err != nil {
		return nil, err
	}
	switch in.KeyFormat {
	case "", types.KeyFormatPem:
	case types.KeyFormatPpk:
		return nil, core.Errorf(core.NotImplemented, "The simulator makes key material in the pem format only.")
	default:
		return nil, invalidValue("KeyFormat", string(in.KeyFormat), "Valid values are pem and ppk.")
	}
	var material, fingerprint string
	var pub ssh.PublicKey
	typ := in.KeyType
	switch typ {
	case "", types.KeyTypeRsa:
		typ = types.KeyTypeRsa
		key, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return nil, core.Errorf(core.InternalError, "generating an RSA key: %v", err)
		}
		material, fingerprint = rsaPEM(key), createdRSAFingerprint(key)
		pub, _ = ssh.NewPublicKey(&key.PublicKey)
	case types.KeyTypeEd25519:
		seed := h.s.ids.Bytes(ed25519.SeedSize + 4)
		key := ed25519.NewKeyFromSeed(seed[:ed25519.SeedSize])
		pub, _ = ssh.NewPublicKey(key.Public())
		material, fingerprint = openSSHPEM(key, binary.BigEndian.Uint32(seed[ed25519.SeedSize:])), ed25519Fingerprint(pub)
	default:
		return nil, invalidValue("KeyType", string(typ), "Valid values are rsa and ed25519.")
	}
	kp, err := h.s.addKey(ctx, *in.KeyName, typ, fingerprint, pub, in.TagSpecifications)
	if err != nil {
		return nil, err
	}
	return &ec2.CreateKeyPairOutput{
		KeyName: aws.String(kp.Name), KeyPairId: aws.String(kp.ID), KeyFingerprint: aws.String(kp.Fingerprint),
		KeyMaterial: aws.String(material), Tags: kp.Tags.out(),
	}, nil
}

// ImportKeyPair stores a public key made elsewhere.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ImportKeyPair.html
func (h *EC2) ImportKeyPair(ctx context.Context, in *ec2.ImportKeyPairInput) (*ec2.ImportKeyPairOutput, error) {
	if err := checkKeyName(in.KeyName); err != nil {
		return nil, err
	}
	if len(in.PublicKeyMaterial) == 0 {
		return nil, missingParameter("PublicKeyMaterial")
	}
	pub, err := parsePublicKey(in.PublicKeyMaterial)
	if err != nil {
		return nil, err
	}
	typ := types.KeyTypeRsa
	if pub.Type() == ssh.KeyAlgoED25519 {
		typ = types.KeyTypeEd25519
	}
	kp, err := h.s.addKey(ctx, *in.KeyName, typ, importedFingerprint(pub), pub, in.TagSpecifications)
	if err != nil {
		return nil, err
	}
	return &ec2.ImportKeyPairOutput{
		KeyName: aws.String(kp.Name), KeyPairId: aws.String(kp.ID), KeyFingerprint: aws.String(kp.Fingerprint), Tags: kp.Tags.out(),
	}, nil
}

func keyOut(kp *keyPair, withPublic bool) types.KeyPairInfo {
	out := types.KeyPairInfo{
		KeyName: aws.String(kp.Name), KeyPairId: aws.String(kp.ID), KeyFingerprint: aws.String(kp.Fingerprint),
		KeyType: kp.Type, CreateTime: aws.Time(kp.Created), Tags: kp.Tags.out(),
	}
	if withPublic {
		out.PublicKey = aws.String(kp.PublicKey + " " + kp.Name)
	}
	return out
}

var keyFields = fields[types.KeyPairInfo]{
	"key-name":    func(k types.KeyPairInfo) []string { return one(*k.KeyName) },
	"key-pair-id": func(k types.KeyPairInfo) []string { return one(*k.KeyPairId) },
	"fingerprint": func(k types.KeyPairInfo) []string { return one(*k.KeyFingerprint) },
	"key-type":    func(k types.KeyPairInfo) []string { return one(string(k.KeyType)) },
}

// DescribeKeyPairs lists key pairs by name, by ID, or by filter.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeKeyPairs.html
func (h *EC2) DescribeKeyPairs(ctx context.Context, in *ec2.DescribeKeyPairsInput) (*ec2.DescribeKeyPairsOutput, error) {
	out := &ec2.DescribeKeyPairsOutput{}
	return out, h.s.read(ctx, func(r *regionState) error {
		kps := inOrder(r.KeyPairs)
		if len(in.KeyNames)+len(in.KeyPairIds) > 0 {
			kps = nil
			for _, name := range in.KeyNames {
				kp, ok := r.KeyPairs[name]
				if !ok {
					return core.Errorf(InvalidKeyPairNotFound, "The key pair '%s' does not exist", name)
				}
				kps = append(kps, kp)
			}
			for _, id := range in.KeyPairIds {
				kp := r.keyByID(id)
				if kp == nil {
					return keyKind.notFoundError(id)
				}
				kps = append(kps, kp)
			}
		}
		all := make([]types.KeyPairInfo, len(kps))
		for i, kp := range kps {
			all[i] = keyOut(kp, aws.ToBool(in.IncludePublicKey))
		}
		var err error
		out.KeyPairs, _, err = describe(all, in.Filters, keyFields, func(k types.KeyPairInfo) []types.Tag { return k.Tags }, nil, nil)
		return err
	})
}

// DeleteKeyPair deletes by name or ID; deleting a key pair that does not exist succeeds, as
// on EC2.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteKeyPair.html
func (h *EC2) DeleteKeyPair(ctx context.Context, in *ec2.DeleteKeyPairInput) (*ec2.DeleteKeyPairOutput, error) {
	if in.KeyName == nil && in.KeyPairId == nil {
		return nil, missingParameter("KeyName")
	}
	out := &ec2.DeleteKeyPairOutput{Return: aws.Bool(true)}
	return out, h.s.write(ctx, func(r *regionState) error {
		kp := r.KeyPairs[aws.ToString(in.KeyName)]
		if in.KeyPairId != nil {
			kp = r.keyByID(*in.KeyPairId)
		}
		if kp != nil {
			delete(r.KeyPairs, kp.Name)
			out.KeyPairId = aws.String(kp.ID)
		}
		return nil
	})
}
