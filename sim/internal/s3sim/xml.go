package s3sim

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"time"
)

// ns is S3's XML namespace, on the root element of every response document.
const ns = "http://s3.amazonaws.com/doc/2006-03-01/"

// timeXML is how S3 writes times in XML: ISO 8601 with milliseconds, in UTC.
func timeXML(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// timeHTTP is how S3 writes times in headers (Last-Modified).
func timeHTTP(t time.Time) string { return t.UTC().Format(http.TimeFormat) }

// xmlResponse renders v as a response document.
func xmlResponse(v any) (*Response, error) {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	if err := xml.NewEncoder(&b).Encode(v); err != nil {
		return nil, err
	}
	return &Response{Header: http.Header{"Content-Type": {"application/xml"}}, Body: b.Bytes()}, nil
}

// decodeXML reads a request document into v, answering MalformedXML for one that does not
// parse or is empty.
func decodeXML(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return malformedXML()
	}
	d := xml.NewDecoder(bytes.NewReader(body))
	if err := d.Decode(v); err != nil {
		return malformedXML()
	}
	return nil
}

// empty is a response without a body.
func empty(status int) *Response {
	return &Response{Status: status, Header: http.Header{}}
}

type owner struct {
	ID string `xml:"ID"`
}
