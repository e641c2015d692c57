package output

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"strings"
)

// policyDocument is the IAM shape of policy documents, which IAM returns URL-encoded. The AWS
// CLI prints them decoded, as JSON objects (botocore's json_decode_policies), and so --query
// reaches into them; text it cannot decode stays as it is.
const policyDocument = "policyDocumentType"

func decodePolicy(s string) any {
	text, err := url.PathUnescape(s) // Python's unquote: %XX only, "+" stays
	if err != nil {
		return s
	}
	v, err := DecodeJSON([]byte(text))
	if err != nil {
		return s
	}
	return v
}

// DecodeJSON parses one JSON value into the data [Value] makes: objects are *Map in document
// order, numbers without a fraction or an exponent int64, other numbers float64.
func DecodeJSON(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	v, err := decodeValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("output: text after the JSON value")
	}
	return v, nil
}

func decodeValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch x := tok.(type) {
	case json.Delim:
		if x == '{' {
			m := &Map{}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				v, err := decodeValue(dec)
				if err != nil {
					return nil, err
				}
				m.Set(k.(string), v)
			}
			_, err := dec.Token()
			return m, err
		}
		l := []any{}
		for dec.More() {
			v, err := decodeValue(dec)
			if err != nil {
				return nil, err
			}
			l = append(l, v)
		}
		_, err := dec.Token()
		return l, err
	case json.Number:
		if i, err := x.Int64(); err == nil && !strings.ContainsAny(x.String(), ".eE") {
			return i, nil
		}
		return x.Float64()
	}
	return tok, nil
}
