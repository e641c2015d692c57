package s3sim

import "testing"

// FuzzAbacStatus: PutBucketAbac's document never panics, a refusal is a 400, and a status
// that parses, written again as GetBucketAbac writes it, parses to the same status.
func FuzzAbacStatus(f *testing.F) {
	for _, s := range []string{
		`<AbacStatus xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status></AbacStatus>`,
		`<AbacStatus xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Disabled</Status></AbacStatus>`,
		`<AbacStatus xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>On</Status></AbacStatus>`,
		`<AbacStatus><Status>Enabled</Status></AbacStatus>`,
		``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		st, err := parseAbac(body)
		if err != nil {
			wantConfigError(t, "parseAbac", err)
			return
		}
		again, err := parseAbac(reencode(t, abacStatus{Status: st}))
		if err != nil || again != st {
			t.Fatalf("round trip of %q: %q, %v", st, again, err)
		}
	})
}
