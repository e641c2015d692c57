package s3sim

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/binary"
	"hash/crc64"
	"testing"
)

// crc64nvme's sums are hash/crc64's with CRC-64/NVME's reflected polynomial, at every length
// around its blocks' and digests' chunk sizes; digests gives the MD5 and the sum of one
// reading, as md5.Sum and sumOf give them.
func TestDigestsMatchReferences(t *testing.T) {
	t.Parallel()
	table := crc64.MakeTable(0x9a6c9329ac4bc9b5)
	for _, n := range []int{0, 1, 7, 8, 15, 16, 17, 63, 64, 65, 127, 128, 129, 255, 256, 257, 1000, 4096, digestChunk - 1, digestChunk, digestChunk + 1, 3*digestChunk + 17} {
		data := make([]byte, n)
		for i := range data {
			data[i] = byte(i*31 + i>>8 + 7)
		}
		var b [8]byte
		binary.BigEndian.PutUint64(b[:], crc64.Checksum(data, table))
		want := base64.StdEncoding.EncodeToString(b[:])
		if got := sumOf("CRC64NVME", data); got != want {
			t.Errorf("%d bytes: CRC64NVME %s, hash/crc64 says %s", n, got, want)
		}
		for _, alg := range append(checksumAlgorithms, "") {
			m, sum := digests(data, alg)
			if wantMD5 := md5.Sum(data); string(m) != string(wantMD5[:]) {
				t.Errorf("%d bytes, %q: MD5 %x, want %x", n, alg, m, wantMD5)
			}
			if alg != "" && sum != sumOf(alg, data) {
				t.Errorf("%d bytes: digests' %s is %s, sumOf's %s", n, alg, sum, sumOf(alg, data))
			}
		}
	}
}
