package s3select

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// result is what a response's event stream said.
type result struct {
	records string
	events  []string // the event types, in order; "error:Code" for an error message
	stats   string
}

func decodeStream(t testing.TB, b []byte) result {
	t.Helper()
	var r result
	d := eventstream.NewDecoder()
	rd := bytes.NewReader(b)
	for rd.Len() > 0 {
		m, err := d.Decode(rd, nil)
		if err != nil {
			t.Fatalf("decoding the event stream: %v", err)
		}
		if mt := m.Headers.Get(":message-type"); mt != nil && mt.String() == "error" {
			r.events = append(r.events, "error:"+m.Headers.Get(":error-code").String())
			continue
		}
		kind := m.Headers.Get(":event-type").String()
		r.events = append(r.events, kind)
		switch kind {
		case "Records":
			r.records += string(m.Payload)
		case "Stats":
			r.stats = string(m.Payload)
		}
	}
	return r
}

func str(s string) *string { return &s }

func csvRequest(sql, header string) *Request {
	r := &Request{Expression: str(sql), ExpressionType: str("SQL")}
	r.InputSerialization = &struct {
		CompressionType *string   `xml:"CompressionType"`
		CSV             *CSVInput `xml:"CSV"`
		JSON            *struct {
			Type *string `xml:"Type"`
		} `xml:"JSON"`
		Parquet *struct{} `xml:"Parquet"`
	}{CSV: &CSVInput{FileHeaderInfo: str(header)}}
	r.OutputSerialization = &struct {
		CSV  *CSVOutput `xml:"CSV"`
		JSON *struct {
			RecordDelimiter *string `xml:"RecordDelimiter"`
		} `xml:"JSON"`
	}{CSV: &CSVOutput{}}
	return r
}

func jsonOut(r *Request) *Request {
	r.OutputSerialization.CSV = nil
	r.OutputSerialization.JSON = &struct {
		RecordDelimiter *string `xml:"RecordDelimiter"`
	}{}
	return r
}

func jsonRequest(sql, typ string) *Request {
	r := csvRequest(sql, "NONE")
	r.InputSerialization.CSV = nil
	r.InputSerialization.JSON = &struct {
		Type *string `xml:"Type"`
	}{Type: str(typ)}
	return r
}

func run(t *testing.T, r *Request, data string) result {
	t.Helper()
	p, err := Prepare(r)
	if err != nil {
		t.Fatalf("Prepare(%q): %v", *r.Expression, err)
	}
	return decodeStream(t, p.Run([]byte(data)))
}

const people = "name,age,city\nAlice,30,Paris\nbob,25,\"New York, NY\"\nCarol,41,Berlin\nDan,,Paris\n"

func TestSelectCSV(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, sql, header, want string
	}{
		{"star", "SELECT * FROM S3Object", "IGNORE", "Alice,30,Paris\nbob,25,\"New York, NY\"\nCarol,41,Berlin\nDan,,Paris\n"},
		{"positions", "SELECT s._1, s._3 FROM S3Object s WHERE s._2 = '30'", "IGNORE", "Alice,Paris\n"},
		{"names", "SELECT name FROM S3Object WHERE city = 'Paris'", "USE", "Alice\nDan\n"},
		{"case-insensitive names", "SELECT NAME FROM S3Object s WHERE s.CITY = 'Berlin'", "USE", "Carol\n"},
		{"quoted names are exact", `SELECT "name" FROM S3Object WHERE "NAME" IS MISSING LIMIT 1`, "USE", "Alice\n"},
		{"header as a record", "SELECT _1 FROM S3Object LIMIT 2", "NONE", "name\nAlice\n"},
		{"numbers from text", "SELECT name FROM S3Object WHERE age <> '' AND CAST(age AS INT) > 28", "USE", "Alice\nCarol\n"},
		{"implicit number", "SELECT name FROM S3Object WHERE age >= 30", "USE", "Alice\nCarol\n"},
		{"and or not", "SELECT name FROM S3Object WHERE NOT (city = 'Paris') AND (age < 30 OR name = 'Carol')", "USE", "bob\nCarol\n"},
		{"like", "SELECT name FROM S3Object WHERE name LIKE '_a%'", "USE", "Carol\nDan\n"},
		{"not like with escape", "SELECT name FROM S3Object WHERE city NOT LIKE 'New!_%' ESCAPE '!' AND city LIKE '%s'", "USE", "Alice\nDan\n"},
		{"in", "SELECT name FROM S3Object WHERE city IN ('Berlin', 'Rome')", "USE", "Carol\n"},
		{"between", "SELECT name FROM S3Object WHERE age <> '' AND CAST(age AS INT) BETWEEN 25 AND 30", "USE", "Alice\nbob\n"},
		{"empty field is not null", "SELECT name FROM S3Object WHERE age = ''", "USE", "Dan\n"},
		{"arithmetic", "SELECT name, CAST(age AS INT) * 2 + 1, CAST(age AS FLOAT) / 4 FROM S3Object WHERE name = 'Alice'", "USE", "Alice,61,7.5\n"},
		{"string functions", "SELECT UPPER(name), LOWER(city), CHAR_LENGTH(city), SUBSTRING(city FROM 2 FOR 3), SUBSTRING(city, 3), TRIM(LEADING 'P' FROM city) FROM S3Object LIMIT 1", "USE", "ALICE,paris,5,ari,ris,aris\n"},
		{"trim", "SELECT TRIM('  x  '), TRIM(TRAILING FROM '  y  '), TRIM(BOTH 'ab' FROM 'abzba') FROM S3Object LIMIT 1", "USE", "x,  y,z\n"},
		{"concat and case", "SELECT name || '@' || city, CASE WHEN age = '' THEN 'unknown' ELSE 'known' END FROM S3Object WHERE name = 'Dan'", "USE", "Dan@Paris,unknown\n"},
		{"count", "SELECT COUNT(*) FROM S3Object", "USE", "4\n"},
		{"aggregates", "SELECT COUNT(age), SUM(CAST(age AS INT)), AVG(CAST(age AS INT)), MIN(CAST(age AS INT)), MAX(name) FROM S3Object WHERE age <> ''", "USE", "3,96,32.0,25,bob\n"},
		{"aggregate over nothing", "SELECT COUNT(*), SUM(CAST(age AS INT)) FROM S3Object WHERE city = 'Nowhere'", "USE", "0,\n"},
		{"limit", "SELECT name FROM S3Object LIMIT 2", "USE", "Alice\nbob\n"},
		{"limit 0", "SELECT name FROM S3Object LIMIT 0", "USE", ""},
		{"missing column", "SELECT _9 FROM S3Object LIMIT 1", "USE", "\n"},
		{"quoting on output", "SELECT city FROM S3Object WHERE name = 'bob'", "USE", "\"New York, NY\"\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := run(t, csvRequest(c.sql, c.header), people)
			if r.records != c.want {
				t.Errorf("%s\n got %q\nwant %q", c.sql, r.records, c.want)
			}
			if n := len(r.events); n < 2 || r.events[n-2] != "Stats" || r.events[n-1] != "End" {
				t.Errorf("events %v, want Stats and End last", r.events)
			}
		})
	}
}

func TestSelectCSVFormats(t *testing.T) {
	t.Parallel()
	r := csvRequest("SELECT s._2, s._1 FROM S3Object s", "NONE")
	in := r.InputSerialization.CSV
	in.FieldDelimiter, in.RecordDelimiter, in.QuoteCharacter, in.QuoteEscapeCharacter, in.Comments = str("|"), str(";"), str("'"), str(`\`), str("#")
	out := r.OutputSerialization.CSV
	out.QuoteFields, out.FieldDelimiter, out.RecordDelimiter = str("ALWAYS"), str("\t"), str("\r\n")
	got := run(t, r, `#comment;a|'b\'c';'x|y'|z;`)
	if want := "\"b'c\"\t\"a\"\r\n\"z\"\t\"x|y\"\r\n"; got.records != want {
		t.Errorf("got %q, want %q", got.records, want)
	}

	quoted := csvRequest("SELECT _2 FROM S3Object", "NONE")
	if got := run(t, quoted, "1,\"two\nlines\"\n"); got.events[len(got.events)-1] != "error:CSVEscapingRecordDelimiter" {
		t.Errorf("a quoted newline without AllowQuotedRecordDelimiter: %v", got.events)
	}
	quoted.InputSerialization.CSV.AllowQuotedRecordDelimiter = new(true)
	if got := run(t, quoted, "1,\"two\nlines\"\r\n3,\"say \"\"hi\"\"\"\n"); got.records != "\"two\nlines\"\n\"say \"\"hi\"\"\"\n" {
		t.Errorf("quoted newline allowed: %q", got.records)
	}

	// GZIP and BZIP2-less garbage.
	var z bytes.Buffer
	w := gzip.NewWriter(&z)
	io.WriteString(w, people)
	w.Close()
	gz := csvRequest("SELECT COUNT(*) FROM S3Object", "USE")
	gz.InputSerialization.CompressionType = str("GZIP")
	if got := run(t, gz, z.String()); got.records != "4\n" || !strings.Contains(got.stats, "<BytesScanned>"+strconv.Itoa(z.Len())+"</BytesScanned><BytesProcessed>"+strconv.Itoa(len(people))+"</BytesProcessed>") {
		t.Errorf("gzip: %q %s", got.records, got.stats)
	}
	if got := run(t, gz, people); got.events[0] != "error:InvalidCompressionFormat" {
		t.Errorf("plain text as gzip: %v", got.events)
	}
	bz := csvRequest("SELECT COUNT(*) FROM S3Object", "USE")
	bz.InputSerialization.CompressionType = str("BZIP2")
	if got := run(t, bz, people); got.events[0] != "error:InvalidCompressionFormat" {
		t.Errorf("plain text as bzip2: %v", got.events)
	}
	if got := run(t, csvRequest("SELECT * FROM S3Object", "NONE"), "a,\xff\n"); got.events[0] != "error:InvalidTextEncoding" {
		t.Errorf("latin-1: %v", got.events)
	}
}

func TestSelectJSON(t *testing.T) {
	t.Parallel()
	lines := `{"name":"Alice","age":30,"tags":["a","b"],"address":{"city":"Paris"}}
{"name":"Bob","age":25.5,"active":true}

{"name":"Carol","age":null,"address":{"city":"Berlin"}}
`
	doc := `{"people":[{"name":"Alice","n":1},{"name":"Bob","n":2}]}`
	for _, c := range []struct {
		name, sql, typ, data string
		jsonOut              bool
		want                 string
	}{
		{"star to json", "SELECT * FROM S3Object s WHERE s.name = 'Bob'", "LINES", lines, true, `{"name":"Bob","age":25.5,"active":true}` + "\n"},
		{"nested paths", "SELECT s.name, s.address.city AS town, s.tags[1] FROM S3Object[*] s", "LINES", lines, true,
			`{"name":"Alice","town":"Paris","_3":"b"}` + "\n" + `{"name":"Bob"}` + "\n" + `{"name":"Carol","town":"Berlin"}` + "\n"},
		{"is null and is missing", "SELECT s.name FROM S3Object s WHERE s.age IS NULL OR s.active IS NOT MISSING", "LINES", lines, false, "Bob\nCarol\n"},
		{"numbers", "SELECT s.name FROM S3Object s WHERE s.age > 26", "LINES", lines, false, "Alice\n"},
		{"to csv", "SELECT s.name, s.tags, s.address FROM S3Object s LIMIT 1", "LINES", lines, false, `Alice,"[""a"",""b""]","{""city"":""Paris""}"` + "\n"},
		{"aggregates", "SELECT COUNT(*), SUM(s.age), MAX(s.age) FROM S3Object s", "LINES", lines, true, `{"_1":3,"_2":55.5,"_3":30}` + "\n"},
		{"document path", "SELECT p.name FROM S3Object[*].people[*] p WHERE p.n > 1", "DOCUMENT", doc, true, `{"name":"Bob"}` + "\n"},
		{"document of several values", "SELECT s.a FROM S3Object s", "DOCUMENT", `{"a":1} {"a":2}` + "\n" + `{"a":3}`, false, "1\n2\n3\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := jsonRequest(c.sql, c.typ)
			if c.jsonOut {
				jsonOut(r)
			}
			got := run(t, r, c.data)
			if got.records != c.want {
				t.Errorf("%s\n got %q\nwant %q (%v)", c.sql, got.records, c.want, got.events)
			}
		})
	}
	if got := run(t, jsonRequest("SELECT * FROM S3Object", "LINES"), "{\"a\":1}\n{\"a\":\n"); got.events[len(got.events)-1] != "error:JSONParsingError" || got.records != "" {
		t.Errorf("bad JSON: %v %q", got.events, got.records)
	}
	r := jsonOut(csvRequest("SELECT * FROM S3Object", "USE"))
	if got := run(t, r, people); !strings.HasPrefix(got.records, `{"name":"Alice","age":"30","city":"Paris"}`+"\n") {
		t.Errorf("CSV to JSON: %q", got.records)
	}
	r = jsonOut(csvRequest("SELECT _1, _3 AS c FROM S3Object LIMIT 1", "IGNORE"))
	if got := run(t, r, people); got.records != `{"_1":"Alice","c":"Paris"}`+"\n" {
		t.Errorf("CSV positions to JSON: %q", got.records)
	}
}

// TestSelectErrors pins the errors S3 answers before it streams (HTTP errors) and those it
// sends in the stream.
func TestSelectErrors(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		sql  string
		want core.Code
	}{
		{"SELECT", ParseEmptySelect},
		{"SELECT * FROM", InvalidDataSource},
		{"SELECT name", ParseSelectMissingFrom},
		{"SELECT * FROM S3Object WHERE", ParseExpectedExpression},
		{"SELECT * FROM S3Object WHERE name = 'x", LexerInvalidLiteral},
		{"SELECT * FROM S3Object WHERE name ^ 2", LexerInvalidChar},
		{"SELECT *, name FROM S3Object", ParseAsteriskIsNotAloneInSelect},
		{"SELECT a b c FROM S3Object", ParseUnexpectedToken},
		{"SELECT FOO(name) FROM S3Object", UnsupportedFunction},
		{"SELECT SUM(*) FROM S3Object", ParseUnsupportedCallWithStar},
		{"SELECT COUNT(a, b) FROM S3Object", ParseNonUnaryAggregateCall},
		{"SELECT name, COUNT(*) FROM S3Object", UnsupportedSQLStructure},
		{"SELECT CAST(a AS WIDGET) FROM S3Object", ParseExpectedTypeName},
		{"SELECT UPPER(a, b) FROM S3Object", EvaluatorInvalidArguments},
		{"SELECT * FROM S3Object LIMIT -1", ParseExpectedNumber},
		{"SELECT * FROM S3Object ORDER BY a", UnsupportedSQLOperation},
		{"SELECT x.* FROM S3Object s", InvalidTableAlias},
		{"SELECT * FROM S3Object WHERE " + strings.Repeat("(", 500) + "1" + strings.Repeat(")", 500), UnsupportedSQLStructure},
	} {
		_, err := Prepare(csvRequest(c.sql, "USE"))
		var e *core.Error
		if !errors.As(err, &e) || e.Code != c.want || e.Status != 400 {
			t.Errorf("%q: %v, want %s", c.sql, err, c.want)
		}
	}
	req := csvRequest("SELECT * FROM S3Object", "MAYBE")
	if _, err := Prepare(req); !hasCode(err, InvalidFileHeaderInfo) {
		t.Errorf("FileHeaderInfo MAYBE: %v", err)
	}
	req = csvRequest("SELECT * FROM S3Object", "USE")
	req.ExpressionType = str("XPATH")
	if _, err := Prepare(req); !hasCode(err, InvalidExpressionType) {
		t.Errorf("XPATH: %v", err)
	}
	req.ExpressionType = nil
	if _, err := Prepare(req); !hasCode(err, MissingRequiredParameter) {
		t.Errorf("no ExpressionType: %v", err)
	}
	if _, err := Prepare(jsonRequest("SELECT * FROM S3Object", "TREE")); !hasCode(err, InvalidJSONType) {
		t.Errorf("JSON TREE: %v", err)
	}
	req = csvRequest("SELECT * FROM S3Object", "USE")
	req.OutputSerialization.CSV.QuoteFields = str("SOMETIMES")
	if _, err := Prepare(req); !hasCode(err, InvalidQuoteFields) {
		t.Errorf("QuoteFields SOMETIMES: %v", err)
	}
	// Errors while records are read: the records before it are not sent.
	for _, c := range []struct {
		sql  string
		want string
	}{
		{"SELECT CAST(name AS INT) FROM S3Object", "error:CastFailed"},
		{"SELECT CAST(age AS INT) / 0 FROM S3Object", "error:ExternalEvalException"},
		{"SELECT name FROM S3Object WHERE name", "error:IncorrectSqlFunctionArgumentType"},
		{"SELECT _0 FROM S3Object", "error:InvalidColumnIndex"},
	} {
		got := run(t, csvRequest(c.sql, "USE"), people)
		if len(got.events) != 1 || got.events[0] != c.want {
			t.Errorf("%s: events %v, want [%s]", c.sql, got.events, c.want)
		}
	}
}

func hasCode(err error, code core.Code) bool {
	var e *core.Error
	return errors.As(err, &e) && e.Code == code
}

func TestSelectEvents(t *testing.T) {
	t.Parallel()
	var big strings.Builder
	for i := 0; big.Len() < 7<<19; i++ {
		big.WriteString("row,")
		big.WriteString(strconv.Itoa(i))
		big.WriteString(",padding padding padding padding\n")
	}
	r := csvRequest("SELECT _2 FROM S3Object WHERE _1 = 'nothing'", "NONE")
	r.RequestProgress = &struct {
		Enabled bool `xml:"Enabled"`
	}{true}
	got := run(t, r, big.String())
	conts := strings.Count(strings.Join(got.events, " "), "Cont")
	if conts != 3 || got.records != "" || got.events[len(got.events)-3] != "Progress" {
		t.Errorf("a 3.5 MiB scan finding nothing: %v, want three Cont events, then Progress, Stats, End", got.events)
	}
	all := run(t, csvRequest("SELECT * FROM S3Object", "NONE"), big.String())
	if all.records != big.String() || strings.Count(strings.Join(all.events, " "), "Records") < 40 {
		t.Errorf("all records back: %d bytes of %d, in %d events", len(all.records), big.Len(), len(all.events))
	}
	if !strings.Contains(all.stats, "<BytesReturned>"+strconv.Itoa(big.Len())+"</BytesReturned>") {
		t.Errorf("stats %s", all.stats)
	}
}

func TestSelectScanRange(t *testing.T) {
	t.Parallel()
	data := "a,1\nb,2\nc,3\nd,4\n" // records start at 0, 4, 8, 12
	for _, c := range []struct {
		start, end *int64
		want       string
	}{
		{new(int64(0)), new(int64(3)), "a\n"},
		{new(int64(1)), new(int64(8)), "b\nc\n"},
		{new(int64(4)), nil, "b\nc\nd\n"},
		{nil, new(int64(5)), "d\n"}, // the last five bytes: the record starting at 12
	} {
		r := csvRequest("SELECT _1 FROM S3Object", "NONE")
		r.ScanRange = &struct {
			Start *int64 `xml:"Start"`
			End   *int64 `xml:"End"`
		}{c.start, c.end}
		if got := run(t, r, data); got.records != c.want {
			t.Errorf("scan %v-%v: %q, want %q", c.start, c.end, got.records, c.want)
		}
	}
	r := csvRequest("SELECT _1 FROM S3Object", "NONE")
	r.ScanRange = &struct {
		Start *int64 `xml:"Start"`
		End   *int64 `xml:"End"`
	}{new(int64(5)), new(int64(2))}
	if _, err := Prepare(r); !hasCode(err, InvalidScanRange) {
		t.Errorf("a backwards range: %v", err)
	}
}
