package s3sim

import "net/http"

// Seed stores an object with body under each of keys in the bucket called name, as an
// unconditional PutObject without headers would, but without requests: for benchmarks and
// tests of large buckets (a million keys in seconds). The bucket must exist.
func (s *Store) Seed(name string, keys []string, body []byte) error {
	md5sum, sum, err := checkDigests(&Request{Body: body, Header: http.Header{}}, false, defaultAlgorithm)
	if err != nil {
		return err
	}
	nb, err := s.keep(body)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	defer nb.release()
	b, ok := s.buckets[name]
	if !ok {
		return noSuchBucket(name)
	}
	p, now := nb.take(), s.now()
	for _, k := range keys {
		s.store(b, &object{Key: k, payload: p, ETag: etag(md5sum), LastModified: now, ContentType: "binary/octet-stream", Checksum: sum})
	}
	return nil
}
