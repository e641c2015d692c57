package s3select

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream/eventstreamapi"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// Request is the SelectObjectContentRequest document.
type Request struct {
	XMLName         xml.Name `xml:"SelectObjectContentRequest"`
	Expression      *string  `xml:"Expression"`
	ExpressionType  *string  `xml:"ExpressionType"`
	RequestProgress *struct {
		Enabled bool `xml:"Enabled"`
	} `xml:"RequestProgress"`
	InputSerialization *struct {
		CompressionType *string   `xml:"CompressionType"`
		CSV             *CSVInput `xml:"CSV"`
		JSON            *struct {
			Type *string `xml:"Type"`
		} `xml:"JSON"`
		Parquet *struct{} `xml:"Parquet"`
	} `xml:"InputSerialization"`
	OutputSerialization *struct {
		CSV  *CSVOutput `xml:"CSV"`
		JSON *struct {
			RecordDelimiter *string `xml:"RecordDelimiter"`
		} `xml:"JSON"`
	} `xml:"OutputSerialization"`
	ScanRange *struct {
		Start *int64 `xml:"Start"`
		End   *int64 `xml:"End"`
	} `xml:"ScanRange"`
}

// CSVInput is the CSV element of InputSerialization.
type CSVInput struct {
	FileHeaderInfo             *string `xml:"FileHeaderInfo"`
	Comments                   *string `xml:"Comments"`
	QuoteEscapeCharacter       *string `xml:"QuoteEscapeCharacter"`
	RecordDelimiter            *string `xml:"RecordDelimiter"`
	FieldDelimiter             *string `xml:"FieldDelimiter"`
	QuoteCharacter             *string `xml:"QuoteCharacter"`
	AllowQuotedRecordDelimiter *bool   `xml:"AllowQuotedRecordDelimiter"`
}

// CSVOutput is the CSV element of OutputSerialization.
type CSVOutput struct {
	QuoteFields          *string `xml:"QuoteFields"`
	QuoteEscapeCharacter *string `xml:"QuoteEscapeCharacter"`
	RecordDelimiter      *string `xml:"RecordDelimiter"`
	FieldDelimiter       *string `xml:"FieldDelimiter"`
	QuoteCharacter       *string `xml:"QuoteCharacter"`
}

// Plan is a request checked and its query parsed, ready to run over an object.
type Plan struct {
	q           *Query
	compression string
	csv         *csvFormat
	jsonLines   bool
	out         output
	progress    bool
	scan        *[2]int64 // start, end (inclusive); end -1 for the end of the object
}

// output is how records are written.
type output struct {
	json        bool
	record      string // record delimiter
	field       string
	quote       string
	quoteEscape string
	always      bool // QuoteFields ALWAYS
}

func orDefault(p *string, def string) string {
	if p == nil || *p == "" {
		return def
	}
	return *p
}

// Prepare checks a request as S3 does before it reads the object: the parameters it must
// have, the values each takes, and the SQL expression. Its errors are the HTTP answer.
func Prepare(r *Request) (*Plan, error) {
	if r.Expression == nil || r.ExpressionType == nil || r.InputSerialization == nil || r.OutputSerialization == nil {
		return nil, fail(MissingRequiredParameter, "")
	}
	if *r.ExpressionType != "SQL" {
		return nil, fail(InvalidExpressionType, "")
	}
	p := &Plan{progress: r.RequestProgress != nil && r.RequestProgress.Enabled}
	in := r.InputSerialization
	formats := 0
	for _, set := range []bool{in.CSV != nil, in.JSON != nil, in.Parquet != nil} {
		if set {
			formats++
		}
	}
	switch {
	case formats > 1:
		return nil, fail(ObjectSerializationConflict, "")
	case formats == 0:
		return nil, fail(MissingRequiredParameter, "InputSerialization names no format.")
	case in.Parquet != nil:
		return nil, &core.Error{Code: core.NotImplemented, Message: "The simulator does not implement S3 Select over Parquet objects; CSV and JSON are supported.", Status: 501}
	}
	p.compression = orDefault(in.CompressionType, "NONE")
	switch p.compression {
	case "NONE", "GZIP", "BZIP2":
	default:
		return nil, fail(InvalidCompressionFormat, "CompressionType %q.", p.compression)
	}
	if c := in.CSV; c != nil {
		f := &csvFormat{
			header: strings.ToUpper(orDefault(c.FileHeaderInfo, "NONE")), comments: orDefault(c.Comments, ""),
			quote: orDefault(c.QuoteCharacter, `"`), record: orDefault(c.RecordDelimiter, "\n"), field: orDefault(c.FieldDelimiter, ","),
			quotedRecord: c.AllowQuotedRecordDelimiter != nil && *c.AllowQuotedRecordDelimiter,
		}
		f.quoteEscape = orDefault(c.QuoteEscapeCharacter, f.quote)
		switch f.header {
		case "NONE", "USE", "IGNORE":
		default:
			return nil, fail(InvalidFileHeaderInfo, "")
		}
		if f.field == f.record || f.field == f.quote || f.record == f.quote {
			return nil, fail(InvalidRequestParameter, "The CSV delimiters and quote character must differ.")
		}
		p.csv = f
	} else {
		switch orDefault(in.JSON.Type, "") {
		case "DOCUMENT":
		case "LINES":
			p.jsonLines = true
		default:
			return nil, fail(InvalidJSONType, "")
		}
	}
	o := r.OutputSerialization
	switch {
	case o.CSV != nil && o.JSON != nil:
		return nil, fail(ObjectSerializationConflict, "")
	case o.CSV != nil:
		p.out = output{record: orDefault(o.CSV.RecordDelimiter, "\n"), field: orDefault(o.CSV.FieldDelimiter, ","), quote: orDefault(o.CSV.QuoteCharacter, `"`)}
		p.out.quoteEscape = orDefault(o.CSV.QuoteEscapeCharacter, p.out.quote)
		switch orDefault(o.CSV.QuoteFields, "ASNEEDED") {
		case "ASNEEDED":
		case "ALWAYS":
			p.out.always = true
		default:
			return nil, fail(InvalidQuoteFields, "")
		}
	case o.JSON != nil:
		p.out = output{json: true, record: orDefault(o.JSON.RecordDelimiter, "\n")}
	default:
		return nil, fail(MissingRequiredParameter, "OutputSerialization names no format.")
	}
	if sr := r.ScanRange; sr != nil {
		start, end := int64(0), int64(-1)
		if sr.Start != nil {
			start = *sr.Start
		}
		if sr.End != nil {
			end = *sr.End
			if sr.Start == nil { // End alone: the last End bytes
				start, end = -end, -1
			}
		}
		if sr.Start != nil && start < 0 || sr.End != nil && *sr.End < 0 || sr.Start != nil && sr.End != nil && end < start {
			return nil, fail(InvalidScanRange, "")
		}
		if p.compression != "NONE" || p.csv == nil && !p.jsonLines || p.csv != nil && p.csv.quotedRecord {
			return nil, fail(UnsupportedScanRangeInput, "")
		}
		p.scan = &[2]int64{start, end}
	}
	q, err := Parse(*r.Expression)
	if err != nil {
		return nil, err
	}
	if p.csv != nil {
		for _, s := range q.From {
			if s.kind != stepStar {
				return nil, fail(UnsupportedSQLStructure, "A path after S3Object applies to JSON objects only.")
			}
		}
	}
	p.q = q
	return p, nil
}

// ContentType is the Content-Type of the response: AWS's event stream.
const ContentType = "application/vnd.amazon.eventstream"

const (
	// recordsChunk is about how many bytes of records one Records event carries.
	recordsChunk = 64 << 10
	// contEvery is how many bytes are processed without a record to send before a Cont
	// event keeps the connection open, as S3 sends one while a scan finds nothing.
	contEvery = 1 << 20
)

// stream writes the events of a response.
type stream struct {
	enc  *eventstream.Encoder
	buf  bytes.Buffer
	recs bytes.Buffer
	// the counts of Stats and Progress
	scanned, processed, returned int64
	progress                     bool
	sinceEvent                   int64
}

func (s *stream) event(kind, contentType string, payload []byte) {
	h := eventstream.Headers{
		{Name: eventstreamapi.MessageTypeHeader, Value: eventstream.StringValue(eventstreamapi.EventMessageType)},
		{Name: eventstreamapi.EventTypeHeader, Value: eventstream.StringValue(kind)},
	}
	if contentType != "" {
		h = append(h, eventstream.Header{Name: eventstreamapi.ContentTypeHeader, Value: eventstream.StringValue(contentType)})
	}
	// Writing to a bytes.Buffer does not fail; a message too large for the format cannot be
	// made here (records are flushed at recordsChunk, far below its 16 MiB).
	_ = s.enc.Encode(&s.buf, eventstream.Message{Headers: h, Payload: payload})
	s.sinceEvent = 0
}

func (s *stream) counts(root string) []byte {
	return []byte("<" + root + "><BytesScanned>" + strconv.FormatInt(s.scanned, 10) + "</BytesScanned><BytesProcessed>" +
		strconv.FormatInt(s.processed, 10) + "</BytesProcessed><BytesReturned>" + strconv.FormatInt(s.returned, 10) +
		"</BytesReturned></" + root + ">")
}

func (s *stream) flush() {
	if s.recs.Len() == 0 {
		return
	}
	s.returned += int64(s.recs.Len())
	s.event("Records", "application/octet-stream", bytes.Clone(s.recs.Bytes()))
	s.recs.Reset()
	if s.progress {
		s.event("Progress", "text/xml", s.counts("Progress"))
	}
}

// processed counts n more bytes read; a long stretch with nothing sent gets a Cont.
func (s *stream) advance(n int64) {
	s.processed += n
	s.sinceEvent += n
	if s.recs.Len() >= recordsChunk {
		s.flush()
	}
	if s.sinceEvent >= contEvery {
		s.event("Cont", "", nil)
	}
}

func (s *stream) error(e *core.Error) []byte {
	h := eventstream.Headers{
		{Name: eventstreamapi.MessageTypeHeader, Value: eventstream.StringValue(eventstreamapi.ErrorMessageType)},
		{Name: eventstreamapi.ErrorCodeHeader, Value: eventstream.StringValue(string(e.Code))},
		{Name: eventstreamapi.ErrorMessageHeader, Value: eventstream.StringValue(e.Message)},
	}
	_ = s.enc.Encode(&s.buf, eventstream.Message{Headers: h})
	return s.buf.Bytes()
}

// Run runs the plan over an object's bytes and returns the response's event stream:
// Records, Progress when asked for, Cont while a long scan finds nothing, then Stats and
// End; or, when the object cannot be read or a record cannot be evaluated, the records
// sent so far and an error message with S3 Select's code.
func (p *Plan) Run(data []byte) []byte {
	s := &stream{enc: eventstream.NewEncoder(), progress: p.progress, scanned: int64(len(data))}
	if err := p.run(s, data); err != nil {
		s.recs.Reset()
		return s.error(core.AsError(err))
	}
	s.flush()
	if p.progress {
		s.event("Progress", "text/xml", s.counts("Progress"))
	}
	s.event("Stats", "text/xml", s.counts("Stats"))
	s.event("End", "", nil)
	return s.buf.Bytes()
}

func (p *Plan) run(s *stream, raw []byte) error {
	data, err := inflate(raw, p.compression)
	if err != nil {
		return err
	}
	if !utf8.Valid(data) {
		return fail(InvalidTextEncoding, "")
	}
	text := string(data)
	lo, hi := 0, len(text)
	if p.scan != nil {
		lo, hi = p.scanBounds(text)
	}
	var aggs []*acc
	if p.q.aggregate {
		for _, it := range p.q.Items {
			collectAggregates(it.e, &aggs)
		}
	}
	emitted := int64(0)
	last := lo
	// each handles one record; it reports whether to read on.
	each := func(rec record, start, end int) (bool, error) {
		s.advance(int64(end - last))
		last = end
		if p.q.Limit >= 0 && emitted >= p.q.Limit && !p.q.aggregate {
			return false, nil
		}
		v := &env{q: p.q, rec: rec}
		if p.q.Where != nil {
			ok, err := v.eval(p.q.Where)
			if err != nil {
				return false, err
			}
			if b, known, err := truth(ok); err != nil || !known || !b {
				return err == nil, err
			}
		}
		if p.q.aggregate {
			for _, a := range aggs {
				var x value
				if !a.c.star {
					var err error
					if x, err = v.eval(a.c.args[0]); err != nil {
						return false, err
					}
				}
				if err := a.add(x); err != nil {
					return false, err
				}
			}
			return true, nil
		}
		if err := p.write(s, v); err != nil {
			return false, err
		}
		emitted++
		return p.q.Limit < 0 || emitted < p.q.Limit, nil
	}
	if p.csv != nil {
		err = p.runCSV(text, lo, hi, each)
	} else {
		err = jsonValues(text[lo:hi], p.jsonLines, func(top value, start int) (bool, error) {
			more, err := unnest(top, p.q.From, func(v value) (bool, error) { return each(jsonRecord{v}, lo+start, lo+start) })
			return more, err
		})
		s.advance(int64(hi - last))
	}
	if err != nil {
		return err
	}
	if p.q.aggregate {
		results := make([]value, len(aggs))
		for i, a := range aggs {
			r, err := a.result()
			if err != nil {
				return err
			}
			results[i] = r
		}
		if p.q.Limit != 0 {
			return p.write(s, &env{q: p.q, rec: &csvRecord{}, aggs: results})
		}
	}
	return nil
}

func (p *Plan) runCSV(text string, lo, hi int, each func(record, int, int) (bool, error)) error {
	r := &csvReader{f: *p.csv, data: text, pos: lo}
	var names []string
	first := lo == 0
	for {
		fields, start, ok, err := r.next()
		if err != nil || !ok || start > hi {
			return err
		}
		if first && p.csv.header != "NONE" {
			first = false
			if p.csv.header == "USE" {
				names = fields
			}
			continue
		}
		first = false
		more, err := each(&csvRecord{fields: fields, names: names}, start, r.pos)
		if err != nil || !more {
			return err
		}
	}
}

// scanBounds returns where records start being read and the last offset a record may start
// at: a record belongs to the range its first byte is in.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_SelectObjectContent.html (ScanRange)
func (p *Plan) scanBounds(text string) (int, int) {
	start, end := p.scan[0], p.scan[1]
	n := int64(len(text))
	if start < 0 {
		start = max(n+start, 0)
	}
	if end < 0 || end >= n {
		end = n - 1
	}
	delim := "\n"
	if p.csv != nil {
		delim = p.csv.record
	}
	lo := int(min(start, n))
	if lo > 0 && !strings.HasSuffix(text[:lo], delim) {
		i := strings.Index(text[lo:], delim)
		if i < 0 {
			lo = len(text)
		} else {
			lo += i + len(delim)
		}
	}
	hi := int(end)
	if p.csv == nil {
		// JSON lines: the lines that start by end, whole.
		i := strings.Index(text[min(hi+1, len(text)):], "\n")
		if i < 0 {
			return lo, len(text)
		}
		return lo, min(hi+1+i+1, len(text))
	}
	return lo, hi
}

// write evaluates the SELECT list for one record and writes it.
func (p *Plan) write(s *stream, v *env) error {
	var names []string
	var vals []value
	if p.q.Star {
		whole := v.rec.whole()
		if o, ok := whole.(*object); ok {
			for _, k := range o.keys {
				names, vals = append(names, k), append(vals, o.vals[k])
			}
		} else {
			names, vals = []string{"_1"}, []value{whole}
		}
	} else {
		for i, it := range p.q.Items {
			x, err := v.eval(it.e)
			if err != nil {
				return err
			}
			names, vals = append(names, columnName(it, i)), append(vals, x)
		}
	}
	start := s.recs.Len()
	if p.out.json {
		s.recs.WriteByte('{')
		n := 0
		for i, x := range vals {
			if _, ok := x.(missing); ok {
				continue
			}
			if n > 0 {
				s.recs.WriteByte(',')
			}
			n++
			writeJSON(&s.recs, names[i])
			s.recs.WriteByte(':')
			writeJSON(&s.recs, x)
		}
		s.recs.WriteByte('}')
	} else {
		for i, x := range vals {
			if i > 0 {
				s.recs.WriteString(p.out.field)
			}
			p.out.writeCSVField(&s.recs, text(x))
		}
	}
	s.recs.WriteString(p.out.record)
	if s.recs.Len()-start > maxRecord {
		return fail(OverMaxRecordSize, "A result record is %d bytes.", s.recs.Len()-start)
	}
	return nil
}

// columnName is the name of a SELECT item in JSON output: its alias, the last name of its
// path, or _N for the N-th item.
func columnName(it item, i int) string {
	if it.alias != "" {
		return it.alias
	}
	if r, ok := it.e.(*ref); ok {
		if last := r.path[len(r.path)-1]; last.kind == stepName {
			return last.name
		}
	}
	return "_" + strconv.Itoa(i+1)
}

func (o output) writeCSVField(b *bytes.Buffer, f string) {
	need := o.always || strings.Contains(f, o.field) || strings.Contains(f, o.record) || strings.Contains(f, o.quote) ||
		strings.ContainsAny(f, "\r\n")
	if !need {
		b.WriteString(f)
		return
	}
	b.WriteString(o.quote)
	b.WriteString(strings.ReplaceAll(f, o.quote, o.quoteEscape+o.quote))
	b.WriteString(o.quote)
}

type byteWriter interface {
	WriteString(string) (int, error)
	WriteByte(byte) error
}

// writeJSON writes a value as JSON, objects' keys in order.
func writeJSON(b byteWriter, x value) {
	switch v := x.(type) {
	case nil, missing:
		b.WriteString("null")
	case string:
		j, _ := json.Marshal(v) // a string always marshals
		b.WriteString(string(j))
	case int64, bool:
		b.WriteString(text(v))
	case float64:
		if math.IsInf(v, 0) || math.IsNaN(v) {
			b.WriteString("null")
			return
		}
		b.WriteString(text(v))
	case time.Time:
		writeJSON(b, text(v))
	case []any:
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSON(b, e)
		}
		b.WriteByte(']')
	case *object:
		b.WriteByte('{')
		for i, k := range v.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSON(b, k)
			b.WriteByte(':')
			writeJSON(b, v.vals[k])
		}
		b.WriteByte('}')
	}
}
