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
// parse, is empty, or is larger or deeper than any document of S3's schema can be (the bounds
// below), before encoding/xml decodes it: its decoder makes a few hundred bytes of garbage
// per tag, so a 5.6 MB list of 100,000 parts would cost 200 MiB (TestHostileInput, body/XML).
func decodeXML(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 || bytes.Count(body, []byte("<")) > maxXMLTags || !shallow(body) {
		return malformedXML()
	}
	d := xml.NewDecoder(bytes.NewReader(body))
	if err := d.Decode(v); err != nil {
		return malformedXML()
	}
	return nil
}

const (
	// maxXMLTags bounds the tags (start and end) of a request document: CompleteMultipartUpload's
	// 10,000 parts, each with its number, ETag and checksums, need about 160,000.
	maxXMLTags = 200_000
	// maxXMLDepth bounds how deep a request document nests; S3's nest at most six levels
	// (a lifecycle rule's filter's And's tag's key).
	maxXMLDepth = 20
)

// shallow reports whether the elements of body nest at most maxXMLDepth deep. A document
// that does not tokenize is left for the decoder to refuse.
func shallow(body []byte) bool {
	d := xml.NewDecoder(bytes.NewReader(body))
	depth := 0
	for {
		t, err := d.RawToken()
		if err != nil {
			return true
		}
		switch t.(type) {
		case xml.StartElement:
			if depth++; depth > maxXMLDepth {
				return false
			}
		case xml.EndElement:
			depth--
		}
	}
}

// empty is a response without a body.
func empty(status int) *Response {
	return &Response{Status: status, Header: http.Header{}}
}

type owner struct {
	ID string `xml:"ID"`
}
