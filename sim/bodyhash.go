package sim

import (
	"io"

	"github.com/awsxlab/awsx/sim/internal/service"
)

// bodyHash starts the hash svc takes of every body it reads ([service.Service.BodyHash]):
// nil for none, or when the service is not known yet.
func bodyHash(svc *service.Service) *service.Digest {
	if svc == nil || svc.BodyHash == nil {
		return nil
	}
	return service.NewDigest(svc.BodyHash())
}

// hashStep is the most a hashingReader asks of one Read: a reader in memory hands over as
// much as it is asked for, and the hash starts on a run only once it is read.
const hashStep = 1 << 20

// hashing returns r, or, given a hash, a reader of r that adds each run it reads to hash.
// It is for readAll alone: readAll never writes again where a Read put bytes, so the hash
// takes them without a copy.
func hashing(r io.Reader, hash *service.Digest) io.Reader {
	if hash == nil {
		return r
	}
	return hashingReader{r, hash}
}

type hashingReader struct {
	r    io.Reader
	hash *service.Digest
}

func (h hashingReader) Read(p []byte) (int, error) {
	n, err := h.r.Read(p[:min(len(p), hashStep)])
	h.hash.Add(p[:n])
	return n, err
}
