package core

import (
	"math/rand/v2"
	"sync"
	"sync/atomic"
)

// IDs generates identifiers in AWS's shapes from a seeded source, so that a simulator built
// with the same seed and the same calls hands out the same IDs. It is safe for concurrent use.
type IDs struct {
	mu  sync.Mutex
	pcg *rand.PCG
	r   *rand.Rand

	// Request IDs count apart from resource IDs, so that reads, which make no resources,
	// do not change the IDs of the resources made after them.
	seed     uint64
	requests atomic.Uint64
}

// NewIDs returns a generator seeded with seed.
func NewIDs(seed uint64) *IDs {
	pcg := rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)
	return &IDs{pcg: pcg, r: rand.New(pcg), seed: seed}
}

const (
	base32Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	secretChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	hexChars    = "0123456789abcdef"
)

func (g *IDs) pick(prefix, alphabet string, n int) string {
	b := make([]byte, len(prefix)+n)
	copy(b, prefix)
	g.mu.Lock()
	for i := len(prefix); i < len(b); i++ {
		b[i] = alphabet[g.r.IntN(len(alphabet))]
	}
	g.mu.Unlock()
	return string(b)
}

// Unique returns an IAM unique ID: prefix (AIDA users, AGPA groups, AROA roles, ANPA
// policies, AIPA instance profiles) and 17 characters, 21 in all as AWS's are.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
func (g *IDs) Unique(prefix string) string { return g.pick(prefix, base32Upper, 17) }

// AccessKeyID returns a 20-character access key ID: AKIA long-term, ASIA temporary.
func (g *IDs) AccessKeyID(prefix string) string { return g.pick(prefix, base32Upper, 16) }

// Secret returns a 40-character secret access key.
func (g *IDs) Secret() string { return g.pick("", secretChars, 40) }

// Token returns an opaque token of n characters (session tokens, next tokens).
func (g *IDs) Token(n int) string { return g.pick("", secretChars, n) }

// Hex returns prefix and n lowercase hex digits, EC2's resource ID shape (i- and 17).
func (g *IDs) Hex(prefix string, n int) string { return g.pick(prefix, hexChars, n) }

// Bytes returns n bytes from the seeded source: key seeds and addresses that must come out
// the same on every run with the same seed.
func (g *IDs) Bytes(n int) []byte {
	b := make([]byte, n)
	g.mu.Lock()
	for i := range b {
		b[i] = byte(g.r.Uint32())
	}
	g.mu.Unlock()
	return b
}

// Seed returns the generator's seed: keys that must be the same in every process of one
// simulator (the identity provider's signing keys) are derived from it, not drawn.
func (g *IDs) Seed() uint64 { return g.seed }

// RequestID returns the next request ID, in the UUID shape AWS uses.
func (g *IDs) RequestID() string {
	n := g.requests.Add(1)
	hi, lo := mix(g.seed^n), mix(g.seed+n<<1)
	// %08x-%04x-%04x-%04x-%012x, written without fmt: every request draws one.
	var b [36]byte
	putHex(b[0:8], hi>>32)
	b[8] = '-'
	putHex(b[9:13], hi>>16&0xffff)
	b[13] = '-'
	putHex(b[14:18], hi&0x0fff|0x4000)
	b[18] = '-'
	putHex(b[19:23], lo>>48&0x3fff|0x8000)
	b[23] = '-'
	putHex(b[24:36], lo&0xffffffffffff)
	return string(b[:])
}

// putHex writes the low len(dst) hex digits of v into dst, zero-padded.
func putHex(dst []byte, v uint64) {
	for i := len(dst) - 1; i >= 0; i-- {
		dst[i] = hexChars[v&0xf]
		v >>= 4
	}
}

// mix is SplitMix64's finalizer: a bijection that scatters counter values.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// MarshalBinary saves the generator's position, so a loaded simulator goes on where the saved
// one stopped instead of handing out IDs again.
func (g *IDs) MarshalBinary() ([]byte, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.pcg.MarshalBinary()
}

// UnmarshalBinary restores a position saved by MarshalBinary.
func (g *IDs) UnmarshalBinary(b []byte) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.pcg.UnmarshalBinary(b)
}
