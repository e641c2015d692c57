package s3select

import (
	"errors"
	"strings"
	"testing"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// FuzzSelect runs any expression over any object, as CSV and as JSON lines: Prepare
// answers a 400 with one of S3 Select's codes or a plan, and the plan's stream always
// decodes and ends in End or one error message — never a panic.
func FuzzSelect(f *testing.F) {
	for _, s := range []struct{ sql, data string }{
		{"SELECT * FROM S3Object", people},
		{"SELECT s._1, UPPER(s._2) AS u FROM S3Object s WHERE s._3 LIKE '%a_' ESCAPE '!' LIMIT 3", people},
		{"SELECT COUNT(*), SUM(CAST(_2 AS INT)), AVG(_2) FROM S3Object WHERE _2 BETWEEN 1 AND 40 OR _1 IN ('a', 'b')", "a,1\nb,2\n"},
		{"SELECT s.a.b[0], TRIM(BOTH 'x' FROM s.c) FROM S3Object[*].d[*] s WHERE s.e IS NOT MISSING", `{"d":[{"a":{"b":[1]},"c":"xyx","e":null}]}`},
		{"SELECT SUBSTRING(_1 FROM -1 FOR 3), CHAR_LENGTH(_1) || 'x', CASE _1 WHEN 'a' THEN 1 ELSE -2.5e3 END FROM S3Object", "\"a\"\"b\",c\n"},
		{`SELECT "x" FROM S3Object s WHERE NOT s."x" = COALESCE(NULLIF(1, 1), 2) % 3`, `{"x":2}`},
	} {
		f.Add(s.sql, s.data)
	}
	f.Fuzz(func(t *testing.T, sql, data string) {
		for _, req := range []*Request{csvRequest(sql, "USE"), jsonOut(jsonRequest(sql, "LINES")), jsonRequest(sql, "DOCUMENT")} {
			p, err := Prepare(req)
			if err != nil {
				var e *core.Error
				if !errors.As(err, &e) || e.Code == "" || e.Status != 400 {
					t.Fatalf("Prepare(%q): %v", sql, err)
				}
				continue
			}
			got := decodeStream(t, p.Run([]byte(data)))
			if n := len(got.events); n == 0 || got.events[n-1] != "End" && !strings.HasPrefix(got.events[n-1], "error:") {
				t.Fatalf("%q over %q: events %v", sql, data, got.events)
			}
		}
	})
}
