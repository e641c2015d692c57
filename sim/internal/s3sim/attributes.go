package s3sim

import (
	"context"
	"encoding/xml"
	"strconv"
	"strings"
)

// GetObjectAttributes answers the attributes x-amz-object-attributes names, of the current
// version or the one versionId names, in one document: the ETag (without its quotes, as
// this operation writes it), the checksum, the parts of an object uploaded in parts, the
// storage class and the size.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectAttributes.html

type objectAttributes struct {
	XMLName      xml.Name          `xml:"http://s3.amazonaws.com/doc/2006-03-01/ GetObjectAttributesResponse"`
	ETag         string            `xml:"ETag,omitempty"`
	Checksum     *checksumFields   `xml:"Checksum,omitempty"`
	ObjectParts  *objectPartsAttrs `xml:"ObjectParts,omitempty"`
	StorageClass string            `xml:"StorageClass,omitempty"`
	ObjectSize   *int64            `xml:"ObjectSize,omitempty"`
}

type objectPartsAttrs struct {
	TotalPartsCount      int         `xml:"PartsCount"` // the wire name of TotalPartsCount
	PartNumberMarker     int         `xml:"PartNumberMarker"`
	NextPartNumberMarker int         `xml:"NextPartNumberMarker"`
	MaxParts             int         `xml:"MaxParts"`
	IsTruncated          bool        `xml:"IsTruncated"`
	Parts                []partAttrs `xml:"Part"`
}

type partAttrs struct {
	PartNumber int   `xml:"PartNumber"`
	Size       int64 `xml:"Size"`
}

var objectAttributeNames = map[string]bool{"ETag": true, "Checksum": true, "ObjectParts": true, "StorageClass": true, "ObjectSize": true}

func getObjectAttributes(s *Store, ctx context.Context, r *Request) (*Response, error) {
	want := map[string]bool{}
	for _, v := range r.Header.Values("X-Amz-Object-Attributes") {
		for a := range strings.SplitSeq(v, ",") {
			a = strings.TrimSpace(a)
			if !objectAttributeNames[a] {
				return nil, invalidArgument("Invalid attribute name specified.", "x-amz-object-attributes", v)
			}
			want[a] = true
		}
	}
	if len(want) == 0 {
		return nil, invalidArgument("Invalid attribute name specified.", "x-amz-object-attributes", "")
	}
	maxParts, marker := 1000, 0
	if v := r.Header.Get("X-Amz-Max-Parts"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, invalidArgument("Provided max-parts not an integer or within integer range", "max-parts", v)
		}
		maxParts = min(n, 1000)
	}
	if v := r.Header.Get("X-Amz-Part-Number-Marker"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, invalidArgument("Provided part-number-marker not an integer or within integer range", "part-number-marker", v)
		}
		marker = n
	}
	s.mu.RLock()
	b, ok := s.buckets[r.Bucket]
	if !ok {
		s.mu.RUnlock()
		return nil, noSuchBucket(r.Bucket)
	}
	o, err := s.lookup(b, r)
	versioned := b.Versioning != ""
	s.mu.RUnlock()
	if err != nil {
		return nil, s.missing(r, err)
	}
	if err := o.checkCustomerKey(r.Header, sseCustomerHeader); err != nil {
		return nil, err
	}
	var out objectAttributes
	if want["ETag"] {
		out.ETag = strings.Trim(o.ETag, `"`)
	}
	if want["Checksum"] && o.Checksum.Algorithm != "" {
		f := fieldsOf(o.Checksum)
		out.Checksum = &f
	}
	if want["ObjectParts"] && o.PartsCount > 0 {
		p := &objectPartsAttrs{TotalPartsCount: o.PartsCount, PartNumberMarker: marker, MaxParts: maxParts}
		for i, size := range o.PartSizes {
			n := i + 1
			if n <= marker {
				continue
			}
			if len(p.Parts) == maxParts {
				p.IsTruncated = true
				break
			}
			p.Parts = append(p.Parts, partAttrs{PartNumber: n, Size: size})
			p.NextPartNumberMarker = n
		}
		out.ObjectParts = p
	}
	if want["StorageClass"] {
		out.StorageClass = o.storageClass()
	}
	if want["ObjectSize"] {
		out.ObjectSize = new(o.size())
	}
	resp, err := xmlResponse(out)
	if err != nil {
		return nil, err
	}
	resp.Header.Set("Last-Modified", timeHTTP(o.LastModified))
	if versioned {
		resp.Header.Set("X-Amz-Version-Id", o.VersionID)
	}
	return resp, nil
}
