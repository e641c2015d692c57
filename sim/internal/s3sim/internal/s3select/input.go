package s3select

import (
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxRecord is the longest record S3 Select reads or writes: 1 MB.
const maxRecord = 1 << 20

// maxInflated bounds what a compressed object inflates to in the simulator, so that a
// small object cannot make it allocate without end.
const maxInflated = 256 << 20

// inflate undoes the object's compression.
func inflate(data []byte, compression string) ([]byte, error) {
	var r io.Reader
	switch compression {
	case "", "NONE":
		return data, nil
	case "GZIP":
		z, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, fail(InvalidCompressionFormat, "The object is not GZIP data.")
		}
		r = z
	case "BZIP2":
		r = bzip2.NewReader(bytes.NewReader(data))
	}
	out, err := io.ReadAll(io.LimitReader(r, maxInflated+1))
	if err != nil {
		return nil, fail(InvalidCompressionFormat, "The object is not %s data.", compression)
	}
	if len(out) > maxInflated {
		return nil, fail(OverMaxRecordSize, "The object inflates to more than the simulator's %d MiB.", maxInflated>>20)
	}
	return out, nil
}

// csvFormat is how a CSV object is read, with its defaults filled.
type csvFormat struct {
	header       string // NONE, USE, IGNORE
	comments     string
	quoteEscape  string
	record       string
	field        string
	quote        string
	quotedRecord bool
}

// csvReader reads records from CSV text.
type csvReader struct {
	f    csvFormat
	data string
	pos  int
}

// next returns the next record's fields and the offset it starts at; ok is false at the end.
func (r *csvReader) next() (fields []string, start int, ok bool, err error) {
	for r.pos < len(r.data) {
		start = r.pos
		if r.f.comments != "" && strings.HasPrefix(r.data[r.pos:], r.f.comments) {
			r.skipLine()
			continue
		}
		if strings.HasPrefix(r.data[r.pos:], r.f.record) || r.f.record == "\n" && strings.HasPrefix(r.data[r.pos:], "\r\n") {
			r.skipLine() // a blank line is no record
			continue
		}
		fields, err = r.record()
		if err != nil {
			return nil, start, false, err
		}
		if r.pos-start > maxRecord {
			return nil, start, false, fail(OverMaxRecordSize, "The record at byte %d is %d bytes.", start, r.pos-start)
		}
		return fields, start, true, nil
	}
	return nil, r.pos, false, nil
}

func (r *csvReader) skipLine() {
	i := strings.Index(r.data[r.pos:], r.f.record)
	if i < 0 {
		r.pos = len(r.data)
		return
	}
	r.pos += i + len(r.f.record)
}

// atRecordEnd reports whether the text at pos ends a record, and how long its delimiter is
// (a "\r\n" counts as "\n" when the delimiter is "\n").
func (r *csvReader) atRecordEnd(pos int) (bool, int) {
	rest := r.data[pos:]
	if strings.HasPrefix(rest, r.f.record) {
		return true, len(r.f.record)
	}
	if r.f.record == "\n" && strings.HasPrefix(rest, "\r\n") {
		return true, 2
	}
	return false, 0
}

func (r *csvReader) record() ([]string, error) {
	var fields []string
	var b strings.Builder
	for {
		b.Reset()
		quoted := r.f.quote != "" && strings.HasPrefix(r.data[r.pos:], r.f.quote)
		if quoted {
			start := r.pos
			r.pos += len(r.f.quote)
			for {
				if r.pos >= len(r.data) {
					return nil, fail(CSVParsingError, "The quoted field at byte %d is not closed.", start)
				}
				rest := r.data[r.pos:]
				if r.f.quoteEscape != r.f.quote && strings.HasPrefix(rest, r.f.quoteEscape) && len(rest) > len(r.f.quoteEscape) {
					_, n := utf8.DecodeRuneInString(rest[len(r.f.quoteEscape):])
					b.WriteString(rest[len(r.f.quoteEscape) : len(r.f.quoteEscape)+n])
					r.pos += len(r.f.quoteEscape) + n
					continue
				}
				if strings.HasPrefix(rest, r.f.quote) {
					if r.f.quoteEscape == r.f.quote && strings.HasPrefix(rest[len(r.f.quote):], r.f.quote) {
						b.WriteString(r.f.quote)
						r.pos += 2 * len(r.f.quote)
						continue
					}
					r.pos += len(r.f.quote)
					break
				}
				if end, _ := r.atRecordEnd(r.pos); end && !r.f.quotedRecord {
					return nil, fail(CSVEscapingRecordDelimiter, "At byte %d.", r.pos)
				}
				_, n := utf8.DecodeRuneInString(rest)
				b.WriteString(rest[:n])
				r.pos += n
			}
		}
		// The rest of the field, to the next field or record delimiter: a slice of the text
		// when the field was not quoted.
		from := r.pos
		f0, r0 := r.f.field[0], r.f.record[0]
		for r.pos < len(r.data) {
			if c := r.data[r.pos]; c == f0 || c == r0 || c == '\r' {
				if strings.HasPrefix(r.data[r.pos:], r.f.field) {
					break
				}
				if end, _ := r.atRecordEnd(r.pos); end {
					break
				}
			}
			r.pos++
		}
		if quoted {
			b.WriteString(r.data[from:r.pos])
			fields = append(fields, b.String())
		} else {
			fields = append(fields, r.data[from:r.pos])
		}
		if r.pos >= len(r.data) {
			return fields, nil
		}
		if strings.HasPrefix(r.data[r.pos:], r.f.field) {
			r.pos += len(r.f.field)
			if r.pos >= len(r.data) {
				return append(fields, ""), nil
			}
			continue
		}
		_, n := r.atRecordEnd(r.pos)
		r.pos += n
		return fields, nil
	}
}

// csvRecord is a CSV record: its fields, and the header's names when FileHeaderInfo is USE.
type csvRecord struct {
	fields []string
	names  []string
}

func (c *csvRecord) column(s step) (value, error) {
	if s.kind != stepName {
		return missing{}, nil
	}
	if n, ok := position(s.name); ok {
		if n == 0 {
			return nil, fail(InvalidColumnIndex, "Column _0 does not exist: columns count from _1.")
		}
		if n > len(c.fields) {
			return missing{}, nil
		}
		return c.fields[n-1], nil
	}
	for i, name := range c.names {
		if (s.quoted && name == s.name || !s.quoted && strings.EqualFold(name, s.name)) && i < len(c.fields) {
			return c.fields[i], nil
		}
	}
	return missing{}, nil
}

// position reads a positional column name, _1, _2, …
func position(name string) (int, bool) {
	digits, ok := strings.CutPrefix(name, "_")
	if !ok || digits == "" {
		return 0, false
	}
	n, err := strconv.Atoi(digits)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

func (c *csvRecord) whole() value {
	o := &object{vals: map[string]any{}}
	for i, f := range c.fields {
		name := "_" + strconv.Itoa(i+1)
		if i < len(c.names) {
			name = c.names[i]
		}
		if _, dup := o.vals[name]; !dup {
			o.keys = append(o.keys, name)
		}
		o.vals[name] = f
	}
	return o
}

// jsonRecord is a JSON record: one value.
type jsonRecord struct{ v value }

func (j jsonRecord) column(s step) (value, error) { return walkPath(j.v, []step{s}), nil }
func (j jsonRecord) whole() value                 { return j.v }

// jsonValues reads the JSON values of a document (values one after another) or of lines
// (one value a line), each with the offset it starts at.
func jsonValues(data string, lines bool, visit func(v value, start int) (bool, error)) error {
	if lines {
		pos := 0
		for pos < len(data) {
			end := strings.IndexByte(data[pos:], '\n')
			if end < 0 {
				end = len(data) - pos
			}
			line := data[pos : pos+end]
			start := pos
			pos += end + 1
			if strings.TrimSpace(line) == "" {
				continue
			}
			if len(line) > maxRecord {
				return fail(OverMaxRecordSize, "The line at byte %d is %d bytes.", start, len(line))
			}
			d := json.NewDecoder(strings.NewReader(line))
			d.UseNumber()
			v, err := decodeValue(d, 0)
			if err != nil {
				return fail(JSONParsingError, "At byte %d: %v.", start, err)
			}
			if _, err := d.Token(); err != io.EOF {
				return fail(JSONParsingError, "The line at byte %d holds more than one value.", start)
			}
			more, err := visit(v, start)
			if err != nil || !more {
				return err
			}
		}
		return nil
	}
	d := json.NewDecoder(strings.NewReader(data))
	d.UseNumber()
	for {
		start := int(d.InputOffset())
		v, err := decodeValue(d, 0)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fail(JSONParsingError, "At byte %d: %v.", d.InputOffset(), err)
		}
		more, err := visit(v, start)
		if err != nil || !more {
			return err
		}
	}
}

// maxJSONDepth bounds how deep a JSON value nests.
const maxJSONDepth = 1000

var errDepth = errors.New("the value nests too deeply")

// decodeValue reads one JSON value, keeping objects' key order and telling integers from
// other numbers.
func decodeValue(d *json.Decoder, depth int) (value, error) {
	if depth > maxJSONDepth {
		return nil, errDepth
	}
	t, err := d.Token()
	if err != nil {
		return nil, err
	}
	switch t := t.(type) {
	case json.Delim:
		switch t {
		case '{':
			o := &object{vals: map[string]any{}}
			for d.More() {
				k, err := d.Token()
				if err != nil {
					return nil, err
				}
				key, ok := k.(string)
				if !ok {
					return nil, errors.New("an object key is not a string")
				}
				v, err := decodeValue(d, depth+1)
				if err != nil {
					return nil, err
				}
				if _, dup := o.vals[key]; !dup {
					o.keys = append(o.keys, key)
				}
				o.vals[key] = v
			}
			if _, err := d.Token(); err != nil {
				return nil, err
			}
			return o, nil
		case '[':
			a := []any{}
			for d.More() {
				v, err := decodeValue(d, depth+1)
				if err != nil {
					return nil, err
				}
				a = append(a, v)
			}
			if _, err := d.Token(); err != nil {
				return nil, err
			}
			return a, nil
		}
		return nil, errors.New("unexpected " + t.String())
	case json.Number:
		if n, err := strconv.ParseInt(string(t), 10, 64); err == nil {
			return n, nil
		}
		f, err := strconv.ParseFloat(string(t), 64)
		if err != nil {
			return nil, err
		}
		return f, nil
	case string, bool, nil:
		return t, nil
	}
	return nil, errors.New("unexpected token")
}

// unnest applies the FROM clause's path to a top-level value: the records it yields.
func unnest(v value, steps []step, visit func(value) (bool, error)) (bool, error) {
	if len(steps) == 0 {
		return visit(v)
	}
	s := steps[0]
	switch s.kind {
	case stepStar:
		if a, ok := v.([]any); ok {
			for _, e := range a {
				if more, err := unnest(e, steps[1:], visit); err != nil || !more {
					return more, err
				}
			}
			return true, nil
		}
		return unnest(v, steps[1:], visit)
	default:
		next := walkPath(v, steps[:1])
		if _, ok := next.(missing); ok {
			return true, nil
		}
		return unnest(next, steps[1:], visit)
	}
}
