package s3sim

import (
	"bytes"
	"context"
	"encoding/xml"
	"net/http"
	"slices"
	"strings"
)

// Configurations S3 keeps and answers that the simulator does not act on: replication (no
// object is copied), and the analytics, inventory, metrics and S3 Intelligent-Tiering
// configurations, several per bucket by ID (no report is written, no object moves). Each is
// checked as S3 checks it and kept as the document it was sent, so that Get answers it
// with every element it had.

// replicationDoc is what PutBucketReplication's document is checked for.
type replicationDoc struct {
	Role  string `xml:"Role"`
	Rules []struct {
		ID          string `xml:"ID"`
		Status      string `xml:"Status"`
		Destination *struct {
			Bucket string `xml:"Bucket"`
		} `xml:"Destination"`
	} `xml:"Rule"`
}

func putBucketReplication(s *Store, ctx context.Context, r *Request) (*Response, error) {
	if _, _, err := checkDigests(r, true, ""); err != nil {
		return nil, err
	}
	var in replicationDoc
	if err := decodeXML(r.Body, &in); err != nil {
		return nil, err
	}
	if len(in.Rules) == 0 || len(in.Rules) > 1000 {
		return nil, malformedXML()
	}
	if in.Role == "" {
		return nil, invalidArgument("Role must be specified", "Role", "")
	}
	var dests []string
	for _, rule := range in.Rules {
		if rule.Status != "Enabled" && rule.Status != "Disabled" || rule.Destination == nil || len(rule.ID) > 255 {
			return nil, malformedXML()
		}
		name, ok := strings.CutPrefix(rule.Destination.Bucket, "arn:aws:s3:::")
		if !ok || name == "" {
			return nil, invalidArgument("Invalid destination bucket ARN", "Bucket", rule.Destination.Bucket)
		}
		dests = append(dests, name)
	}
	doc := string(r.Body)
	return s.withBucket(r, true, func(b *bucket) (*Response, error) {
		// https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-requirements.html
		if b.Versioning != "Enabled" {
			return nil, errorf(InvalidRequest, "Versioning must be 'Enabled' on the bucket to apply a replication configuration")
		}
		for _, d := range dests {
			db, ok := s.buckets[d]
			switch {
			case !ok:
				return nil, errorf(InvalidRequest, "Destination bucket must exist")
			case db.Versioning != "Enabled":
				return nil, errorf(InvalidRequest, "Destination bucket must have versioning enabled.")
			}
		}
		b.Replication = doc
		return empty(http.StatusOK), nil
	})
}

func getBucketReplication(s *Store, ctx context.Context, r *Request) (*Response, error) {
	return s.withBucket(r, false, func(b *bucket) (*Response, error) {
		if b.Replication == "" {
			return nil, errorf(ReplicationConfigurationNotFoundError, "The replication configuration was not found").With("BucketName", b.Name)
		}
		return &Response{Header: http.Header{"Content-Type": {"application/xml"}}, Body: []byte(b.Replication)}, nil
	})
}

func deleteBucketReplication(s *Store, ctx context.Context, r *Request) (*Response, error) {
	return s.withBucket(r, true, func(b *bucket) (*Response, error) {
		b.Replication = ""
		return empty(http.StatusNoContent), nil
	})
}

// idConfig is one kind of configuration kept by ID: its query subresource, the element of
// one configuration, and the root of the list of them.
type idConfig struct {
	query, element, list string
}

var (
	analyticsConfigs = idConfig{"analytics", "AnalyticsConfiguration", "ListBucketAnalyticsConfigurationResult"}
	inventoryConfigs = idConfig{"inventory", "InventoryConfiguration", "ListInventoryConfigurationsResult"}
	metricsConfigs   = idConfig{"metrics", "MetricsConfiguration", "ListMetricsConfigurationsResult"}
	tieringConfigs   = idConfig{"intelligent-tiering", "IntelligentTieringConfiguration", "ListBucketIntelligentTieringConfigurationsOutput"}
)

// maxIDConfigs is how many configurations of a kind a bucket takes.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketMetricsConfiguration.html
const maxIDConfigs = 1000

// idConfigDoc is what every configuration kept by ID is checked for, besides its own parts.
type idConfigDoc struct {
	XMLName   xml.Name
	ID        string    `xml:"Id"`
	IsEnabled string    `xml:"IsEnabled"`
	Format    string    `xml:"Destination>S3BucketDestination>Format"`
	Bucket    string    `xml:"Destination>S3BucketDestination>Bucket"`
	Schedule  string    `xml:"Schedule>Frequency"`
	Versions  string    `xml:"IncludedObjectVersions"`
	Status    string    `xml:"Status"`
	Tierings  []tiering `xml:"Tiering"`
}

type tiering struct {
	Days int    `xml:"Days"`
	Tier string `xml:"AccessTier"`
}

// checkIDConfig checks a configuration of kind k sent for id.
func checkIDConfig(k idConfig, id string, body []byte) error {
	if id == "" || len(id) > 64 {
		return invalidArgument("The Id is invalid", "id", id)
	}
	var in idConfigDoc
	if err := decodeXML(body, &in); err != nil {
		return err
	}
	if in.XMLName.Local != k.element {
		return malformedXML()
	}
	if in.ID != id {
		return invalidArgument("The Id in the request body does not match the id in the query string", "id", id)
	}
	switch k {
	case inventoryConfigs:
		// https://docs.aws.amazon.com/AmazonS3/latest/API/API_InventoryConfiguration.html
		if in.IsEnabled != "true" && in.IsEnabled != "false" || in.Bucket == "" ||
			!slices.Contains([]string{"CSV", "ORC", "Parquet"}, in.Format) ||
			in.Schedule != "Daily" && in.Schedule != "Weekly" || in.Versions != "All" && in.Versions != "Current" {
			return malformedXML()
		}
	case tieringConfigs:
		if in.Status != "Enabled" && in.Status != "Disabled" || len(in.Tierings) == 0 {
			return malformedXML()
		}
		for _, t := range in.Tierings {
			switch {
			case t.Tier == "ARCHIVE_ACCESS" && (t.Days < 90 || t.Days > 730),
				t.Tier == "DEEP_ARCHIVE_ACCESS" && (t.Days < 180 || t.Days > 730):
				return invalidArgument("The days for "+t.Tier+" must be within the allowed range", "Days", "")
			case t.Tier != "ARCHIVE_ACCESS" && t.Tier != "DEEP_ARCHIVE_ACCESS":
				return malformedXML()
			}
		}
	}
	return nil
}

func noSuchConfiguration() *Error {
	return errorf(NoSuchConfiguration, "The specified configuration does not exist.")
}

func putIDConfig(k idConfig) handler {
	return func(s *Store, ctx context.Context, r *Request) (*Response, error) {
		id := r.Query.Get("id")
		if err := checkIDConfig(k, id, r.Body); err != nil {
			return nil, err
		}
		doc := string(bytes.TrimSpace(r.Body))
		return s.withBucket(r, true, func(b *bucket) (*Response, error) {
			if b.Configs == nil {
				b.Configs = map[string]map[string]string{}
			}
			kind := b.Configs[k.query]
			if kind == nil {
				kind = map[string]string{}
				b.Configs[k.query] = kind
			}
			if _, ok := kind[id]; !ok && len(kind) >= maxIDConfigs {
				return nil, errorf(TooManyConfigurations, "You are attempting to create a new configuration but have already reached the %d-configuration limit.", maxIDConfigs)
			}
			kind[id] = strings.TrimPrefix(doc, strings.TrimSpace(xml.Header))
			return empty(http.StatusOK), nil
		})
	}
}

func getIDConfig(k idConfig) handler {
	return func(s *Store, ctx context.Context, r *Request) (*Response, error) {
		return s.withBucket(r, false, func(b *bucket) (*Response, error) {
			doc, ok := b.Configs[k.query][r.Query.Get("id")]
			if !ok {
				return nil, noSuchConfiguration()
			}
			return &Response{Header: http.Header{"Content-Type": {"application/xml"}}, Body: []byte(xml.Header + doc)}, nil
		})
	}
}

func deleteIDConfig(k idConfig) handler {
	return func(s *Store, ctx context.Context, r *Request) (*Response, error) {
		return s.withBucket(r, true, func(b *bucket) (*Response, error) {
			id := r.Query.Get("id")
			if _, ok := b.Configs[k.query][id]; !ok {
				return nil, noSuchConfiguration()
			}
			delete(b.Configs[k.query], id)
			return empty(http.StatusNoContent), nil
		})
	}
}

// listIDConfigs lists a bucket's configurations of kind k, 100 at a time, by ID.
func listIDConfigs(k idConfig) handler {
	return func(s *Store, ctx context.Context, r *Request) (*Response, error) {
		after := r.Query.Get("continuation-token")
		return s.withBucket(r, false, func(b *bucket) (*Response, error) {
			ids := make([]string, 0, len(b.Configs[k.query]))
			for id := range b.Configs[k.query] {
				if id > after {
					ids = append(ids, id)
				}
			}
			slices.Sort(ids)
			var out bytes.Buffer
			out.WriteString(xml.Header + "<" + k.list + ` xmlns="` + ns + `">`)
			truncated := len(ids) > 100
			if truncated {
				ids = ids[:100]
			}
			if after != "" {
				out.WriteString("<ContinuationToken>")
				xml.EscapeText(&out, []byte(after))
				out.WriteString("</ContinuationToken>")
			}
			for _, id := range ids {
				out.WriteString(b.Configs[k.query][id])
			}
			if truncated {
				out.WriteString("<IsTruncated>true</IsTruncated><NextContinuationToken>")
				xml.EscapeText(&out, []byte(ids[len(ids)-1]))
				out.WriteString("</NextContinuationToken>")
			} else {
				out.WriteString("<IsTruncated>false</IsTruncated>")
			}
			out.WriteString("</" + k.list + ">")
			return &Response{Header: http.Header{"Content-Type": {"application/xml"}}, Body: out.Bytes()}, nil
		})
	}
}

// registerStoredConfigs adds the handlers of these configurations to the table.
func registerStoredConfigs() {
	handlers["PutBucketReplication"] = putBucketReplication
	handlers["GetBucketReplication"] = getBucketReplication
	handlers["DeleteBucketReplication"] = deleteBucketReplication
	for name, k := range map[string]idConfig{"Analytics": analyticsConfigs, "Inventory": inventoryConfigs, "Metrics": metricsConfigs, "IntelligentTiering": tieringConfigs} {
		handlers["PutBucket"+name+"Configuration"] = putIDConfig(k)
		handlers["GetBucket"+name+"Configuration"] = getIDConfig(k)
		handlers["DeleteBucket"+name+"Configuration"] = deleteIDConfig(k)
		handlers["ListBucket"+name+"Configurations"] = listIDConfigs(k)
	}
}
