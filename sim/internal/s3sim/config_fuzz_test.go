package s3sim

import (
	"bytes"
	"encoding/xml"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// The bucket configurations' parsers: a document never panics, a refusal is one of S3's
// 400 errors, and a configuration that parses, written again as S3 writes it, parses to
// the same thing. Seeds are in testdata/fuzz/<name>.

// wantConfigError fails unless err is an S3 error a client's bad document gets.
func wantConfigError(t *testing.T, what string, err error) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Status != 400 {
		t.Fatalf("%s: %v", what, err)
	}
}

func reencode(t *testing.T, v any) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := xml.NewEncoder(&b).Encode(v); err != nil {
		t.Fatalf("encode %T: %v", v, err)
	}
	return b.Bytes()
}

func FuzzLifecycleConfiguration(f *testing.F) {
	for _, s := range []string{
		`<LifecycleConfiguration><Rule><ID>logs</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>30</Days></Expiration></Rule></LifecycleConfiguration>`,
		`<LifecycleConfiguration><Rule><Filter><And><Prefix>a/</Prefix><Tag><Key>k</Key><Value>v</Value></Tag><ObjectSizeGreaterThan>10</ObjectSizeGreaterThan></And></Filter><Status>Enabled</Status><Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition><NoncurrentVersionExpiration><NoncurrentDays>3</NoncurrentDays><NewerNoncurrentVersions>2</NewerNoncurrentVersions></NoncurrentVersionExpiration></Rule></LifecycleConfiguration>`,
		`<LifecycleConfiguration><Rule><Prefix></Prefix><Status>Disabled</Status><Expiration><Date>2030-01-01T00:00:00Z</Date></Expiration><AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule></LifecycleConfiguration>`,
		`<LifecycleConfiguration><Rule><Filter/><Status>Enabled</Status><Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration></Rule></LifecycleConfiguration>`,
		`<LifecycleConfiguration><Rule><Status>Enabled</Status></Rule></LifecycleConfiguration>`,
		`<LifecycleConfiguration/>`, ``, `<`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		rules, err := parseLifecycle(body)
		if err != nil {
			wantConfigError(t, "parseLifecycle", err)
			return
		}
		again, err := parseLifecycle(reencode(t, lifecycleConfiguration{Rules: rules}))
		if err != nil || !reflect.DeepEqual(again, rules) {
			t.Fatalf("round trip: %v\n%+v\n%+v", err, rules, again)
		}
		// The rules play on a bucket without a panic or an endless loop.
		s := NewStore("123456789012", core.NewClock(func() time.Time { return time.Unix(1700000000, 0) }), core.NewIDs(1))
		b := &bucket{Name: "b", Versioning: "Enabled", Lifecycle: &lifecycle{Rules: rules}}
		for i, k := range []string{"a/x", "logs/y", "z"} {
			for v := range 3 {
				s.store(b, &object{Key: k, LastModified: time.Unix(1600000000+int64(i*v)*3600, 0), Tags: []Tag{{"k", "v"}}, payload: payload{Data: make([]byte, i*100)}})
			}
		}
		b.Uploads = map[string]*upload{"u": {ID: "u", Key: "a/u", Initiated: time.Unix(1600000000, 0), Object: &object{}}}
		var events []event
		s.playLifecycle(b, time.Unix(1900000000, 0), &events)
	})
}

func FuzzCORSConfiguration(f *testing.F) {
	for _, s := range []string{
		`<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>`,
		`<CORSConfiguration><CORSRule><ID>app</ID><AllowedOrigin>https://*.example.com</AllowedOrigin><AllowedMethod>PUT</AllowedMethod><AllowedHeader>x-amz-*</AllowedHeader><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>60</MaxAgeSeconds></CORSRule></CORSConfiguration>`,
		`<CORSConfiguration><CORSRule><AllowedOrigin>**</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>`,
		`<CORSConfiguration><CORSRule><AllowedMethod>PATCH</AllowedMethod><AllowedOrigin>*</AllowedOrigin></CORSRule></CORSConfiguration>`,
		`<CORSConfiguration/>`, ``,
	} {
		f.Add([]byte(s), "https://app.example.com", "x-amz-meta-a, Content-Type")
	}
	f.Fuzz(func(t *testing.T, body []byte, origin, headers string) {
		rules, err := parseCORS(body)
		if err != nil {
			wantConfigError(t, "parseCORS", err)
			return
		}
		again, err := parseCORS(reencode(t, corsConfiguration{Rules: rules}))
		if err != nil || !reflect.DeepEqual(again, rules) {
			t.Fatalf("round trip: %v\n%+v\n%+v", err, rules, again)
		}
		for m := range corsMethods {
			if rule := matchCORS(rules, origin, m, requestedHeaders(headers)); rule != nil && !anyMatch(rule.AllowedOrigins, origin, false) {
				t.Fatalf("rule %+v matched origin %q", rule, origin)
			}
		}
	})
}

func FuzzEncryptionConfiguration(f *testing.F) {
	for _, s := range []string{
		`<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>`,
		`<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>k</KMSMasterKeyID></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>`,
		`<ServerSideEncryptionConfiguration><Rule><BlockedEncryptionTypes><EncryptionType>SSE-C</EncryptionType></BlockedEncryptionTypes></Rule></ServerSideEncryptionConfiguration>`,
		``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		e, err := parseEncryptionConfiguration(body)
		if err != nil {
			wantConfigError(t, "parseEncryptionConfiguration", err)
			return
		}
		if e.Algorithm != "" && !e.kms() || !e.kms() && e.KMSKeyID != "" {
			t.Fatalf("parsed %+v", e)
		}
	})
}

func FuzzObjectLockConfiguration(f *testing.F) {
	for _, s := range []string{
		`<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled></ObjectLockConfiguration>`,
		`<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>GOVERNANCE</Mode><Days>1</Days></DefaultRetention></Rule></ObjectLockConfiguration>`,
		`<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>COMPLIANCE</Mode><Years>0</Years></DefaultRetention></Rule></ObjectLockConfiguration>`,
		``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		l, err := parseObjectLockConfiguration(body)
		if err != nil {
			wantConfigError(t, "parseObjectLockConfiguration", err)
			return
		}
		if l.Mode != "" && (l.Days > 0) == (l.Years > 0) {
			t.Fatalf("parsed %+v", l)
		}
	})
}

func FuzzNotificationConfiguration(f *testing.F) {
	for _, s := range []string{
		`<NotificationConfiguration><TopicConfiguration><Id>a</Id><Topic>arn:aws:sns:us-east-1:123456789012:t</Topic><Event>s3:ObjectCreated:*</Event><Filter><S3Key><FilterRule><Name>prefix</Name><Value>x/</Value></FilterRule></S3Key></Filter></TopicConfiguration></NotificationConfiguration>`,
		`<NotificationConfiguration><QueueConfiguration><Queue>arn:aws:sqs:us-east-1:123456789012:q</Queue><Event>s3:ObjectRemoved:Delete</Event></QueueConfiguration><EventBridgeConfiguration/></NotificationConfiguration>`,
		`<NotificationConfiguration><TopicConfiguration><Topic>nope</Topic><Event>s3:Nope</Event></TopicConfiguration></NotificationConfiguration>`,
		`<NotificationConfiguration/>`, ``,
	} {
		f.Add([]byte(s), "images/cat.png")
	}
	f.Fuzz(func(t *testing.T, body []byte, key string) {
		cfg, err := parseNotification(body)
		if err != nil {
			wantConfigError(t, "parseNotification", err)
			return
		}
		again, err := parseNotification(reencode(t, cfg))
		if err != nil || len(again.Topics) != len(cfg.Topics) || len(again.Queues) != len(cfg.Queues) {
			t.Fatalf("round trip: %v\n%+v\n%+v", err, cfg, again)
		}
		for _, tc := range cfg.Topics {
			tc.matches(event{name: "ObjectCreated:Put", key: key})
		}
	})
}

func FuzzRestoreRequest(f *testing.F) {
	for _, s := range []string{
		`<RestoreRequest><Days>1</Days><GlacierJobParameters><Tier>Bulk</Tier></GlacierJobParameters></RestoreRequest>`,
		`<RestoreRequest><Days>0</Days></RestoreRequest>`, `<RestoreRequest><Type>SELECT</Type></RestoreRequest>`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		days, tier, err := parseRestoreRequest(body)
		if err != nil {
			wantConfigError(t, "parseRestoreRequest", err)
			return
		}
		if days < 1 || tier != "Standard" && tier != "Bulk" && tier != "Expedited" {
			t.Fatalf("parsed %d days, tier %q", days, tier)
		}
	})
}

func FuzzIDConfiguration(f *testing.F) {
	for _, s := range []string{
		`<MetricsConfiguration><Id>m</Id><Filter><Prefix>logs/</Prefix></Filter></MetricsConfiguration>`,
		`<InventoryConfiguration><Id>m</Id><IsEnabled>true</IsEnabled><Destination><S3BucketDestination><Bucket>arn:aws:s3:::b</Bucket><Format>CSV</Format></S3BucketDestination></Destination><Schedule><Frequency>Daily</Frequency></Schedule><IncludedObjectVersions>All</IncludedObjectVersions></InventoryConfiguration>`,
		`<IntelligentTieringConfiguration><Id>m</Id><Status>Enabled</Status><Tiering><Days>90</Days><AccessTier>ARCHIVE_ACCESS</AccessTier></Tiering></IntelligentTieringConfiguration>`,
		`<AnalyticsConfiguration><Id>m</Id><StorageClassAnalysis/></AnalyticsConfiguration>`, ``,
	} {
		f.Add([]byte(s), "m")
	}
	f.Fuzz(func(t *testing.T, body []byte, id string) {
		for _, k := range []idConfig{analyticsConfigs, inventoryConfigs, metricsConfigs, tieringConfigs} {
			if err := checkIDConfig(k, id, body); err != nil {
				wantConfigError(t, "checkIDConfig", err)
			}
		}
	})
}
