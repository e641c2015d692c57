package ssmsim

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
)

// defaultKey is the KMS key a SecureString uses when PutParameter names none: the account's
// AWS managed key for Systems Manager.
const defaultKey = "alias/aws/ssm"

// ciphertext is what a SecureString's value reads as without WithDecryption: AWS answers the
// KMS ciphertext blob in base64 ("AQICAH…"), opaque to the caller. The simulator has no KMS;
// it makes a blob of the same shape that is a function of the parameter's account, region,
// key, name, version and value only, so that the same value reads the same on every call and
// every run, and a changed value reads differently. It decrypts with nothing: only
// WithDecryption returns the value.
func ciphertext(account, region, keyID, name string, version int64, value string) string {
	// A KMS blob starts 01 02 02 00 78 (version, and the length of the key's ARN field).
	blob := []byte{0x01, 0x02, 0x02, 0x00, 0x78}
	keySum := sha256.Sum256([]byte("kms|" + account + "|" + region + "|" + keyID))
	blob = append(blob, keySum[:]...)
	var seed [8]byte
	binary.BigEndian.PutUint64(seed[:], uint64(version))
	nonce := sha256.Sum256([]byte("iv|" + region + "|" + name + "|" + string(seed[:])))
	blob = append(blob, nonce[:12]...)
	stream := keystream(keySum[:], nonce[:], len(value))
	for i := range len(value) {
		blob = append(blob, value[i]^stream[i])
	}
	tag := sha256.Sum256(append(append([]byte{}, blob...), value...))
	blob = append(blob, tag[:16]...)
	return base64.StdEncoding.EncodeToString(blob)
}

// keystream returns n bytes of SHA-256 in counter mode over key and nonce.
func keystream(key, nonce []byte, n int) []byte {
	out := make([]byte, 0, n+sha256.Size)
	var ctr [8]byte
	for i := uint64(0); len(out) < n; i++ {
		binary.BigEndian.PutUint64(ctr[:], i)
		block := sha256.Sum256(append(append(append([]byte{}, key...), nonce...), ctr[:]...))
		out = append(out, block[:]...)
	}
	return out[:n]
}
