package ec2sim

import (
	"bytes"
	"testing"

	"golang.org/x/crypto/ssh"
)

// FuzzParsePublicKey feeds ImportKeyPair's parser any material: it must never panic, must
// take only RSA and ED25519 keys, and a key it takes must come back the same from its own
// authorized_keys line. The seed corpus is in testdata/fuzz/FuzzParsePublicKey.
func FuzzParsePublicKey(f *testing.F) {
	f.Add([]byte("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGsc4tUEzTYpLD4D3eJ9cF1UfYGIVrMCzSaz8mK9rEZk me@laptop"))
	f.Add([]byte("---- BEGIN SSH2 PUBLIC KEY ----\nComment: \"x\"\nAAAAC3NzaC1lZDI1NTE5AAAAIGsc4tUEzTYpLD4D3eJ9cF1UfYGIVrMCzSaz8mK9rEZk\n---- END SSH2 PUBLIC KEY ----"))
	f.Add([]byte("MCowBQYDK2VwAyEAaxzi1QTNNiksPgPd4n1wXVR9gYhWswLNJrPyYr2sRmQ="))
	f.Add([]byte("not a key"))
	f.Fuzz(func(t *testing.T, material []byte) {
		key, err := parsePublicKey(material)
		if err != nil {
			return
		}
		if key.Type() != ssh.KeyAlgoRSA && key.Type() != ssh.KeyAlgoED25519 {
			t.Fatalf("took a %s key", key.Type())
		}
		again, err := parsePublicKey(ssh.MarshalAuthorizedKey(key))
		if err != nil {
			t.Fatalf("its own authorized_keys line: %v", err)
		}
		if !bytes.Equal(again.Marshal(), key.Marshal()) {
			t.Fatal("the key changed through its authorized_keys line")
		}
		_ = importedFingerprint(key)
	})
}
