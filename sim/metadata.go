package sim

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/ec2rolecreds"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/ec2sim"
)

// Metadata returns the instance metadata service that the instance called id reaches at
// http://169.254.169.254: IMDSv2 session tokens (PUT /latest/api/token) and IMDSv1 requests
// (refused when the instance requires tokens), /latest/meta-data/ with its categories,
// /latest/user-data, /latest/dynamic/instance-identity/document, and the credentials of the
// instance profile's role under iam/security-credentials/. The instance is looked up on
// every request: a stopped or terminated instance's service does not answer.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html
func (c *Cloud) Metadata(id string) http.Handler { return metadataService{c, id} }

// InstanceConfig returns an aws.Config as code running on the instance called id has it:
// the instance's region, and the credentials of its instance profile's role, which the
// SDK's own provider (ec2rolecreds) fetches from the instance's metadata service. Requests
// go to this simulator in memory, as [Cloud.Config]'s do.
func (c *Cloud) InstanceConfig(id string) (aws.Config, error) {
	if err := c.needs(c.compute); err != nil {
		return aws.Config{}, err
	}
	v, ok := c.compute.Instance(id)
	if !ok {
		return aws.Config{}, fmt.Errorf("sim: no instance %s", id)
	}
	metadata := imds.New(imds.Options{HTTPClient: &http.Client{Transport: handlerTransport{c.Metadata(id)}}})
	return aws.Config{
		Region:      v.Region,
		Credentials: aws.NewCredentialsCache(ec2rolecreds.New(func(o *ec2rolecreds.Options) { o.Client = metadata })),
		HTTPClient:  &http.Client{Transport: Transport(c)},
	}, nil
}

type metadataService struct {
	c  *Cloud
	id string
}

// The metadata service's token headers and limits.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html
const (
	tokenHeader    = "X-Aws-Ec2-Metadata-Token"
	tokenTTLHeader = "X-Aws-Ec2-Metadata-Token-Ttl-Seconds"
	maxTokenTTL    = 21600
)

func (m metadataService) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := m.c.needs(m.c.compute); err != nil {
		http.Error(w, "awsx sim: "+err.Error(), http.StatusInternalServerError)
		return
	}
	// Reading iam/ may start the role's session, and the Spot market may play: a change to
	// keep before the answer, as a request's is.
	defer m.c.commit(false)
	v, ok := m.c.compute.Instance(m.id)
	if !ok || v.Instance.State == nil || v.Instance.State.Name != types.InstanceStateNameRunning {
		// On AWS nothing answers: the instance is not running. Say so rather than hang.
		http.Error(w, "awsx sim: instance "+m.id+" is not running; its metadata service does not answer", http.StatusServiceUnavailable)
		return
	}
	now := m.c.clock.Now()
	if r.URL.Path == "/latest/api/token" {
		m.token(w, r, now)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		metadataError(w, http.StatusMethodNotAllowed)
		return
	}
	if t := r.Header.Get(tokenHeader); t != "" {
		if !m.c.validToken(t, m.id, now) {
			metadataError(w, http.StatusUnauthorized)
			return
		}
	} else if v.Instance.MetadataOptions != nil && v.Instance.MetadataOptions.HttpTokens == types.HttpTokensStateRequired {
		metadataError(w, http.StatusUnauthorized) // IMDSv1 is off: a token is required
		return
	}
	leaf, dir, ok := m.c.metadataTree(v).lookup(r.URL.Path)
	if !ok {
		metadataError(w, http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/plain")
	if dir != nil {
		leaf = []byte(strings.Join(dir.names(), "\n"))
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(leaf)))
	if r.Method == http.MethodGet {
		w.Write(leaf)
	}
}

// token answers PUT /latest/api/token with a session token for this instance that lasts the
// seconds asked for. A request forwarded through a proxy (X-Forwarded-For) is refused, as AWS
// refuses it.
func (m metadataService) token(w http.ResponseWriter, r *http.Request, now time.Time) {
	if r.Method != http.MethodPut {
		metadataError(w, http.StatusMethodNotAllowed)
		return
	}
	if r.Header.Get("X-Forwarded-For") != "" {
		metadataError(w, http.StatusForbidden)
		return
	}
	ttl, err := strconv.Atoi(r.Header.Get(tokenTTLHeader))
	if err != nil || ttl < 1 || ttl > maxTokenTTL {
		metadataError(w, http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "text/plain")
	w.Header().Set(tokenTTLHeader, strconv.Itoa(ttl))
	io.WriteString(w, m.c.newToken(m.id, now.Add(time.Duration(ttl)*time.Second)))
}

// tokenKey signs the account's metadata tokens: a token names its instance and expiry and
// needs no state, so that one awsx process may use a token another got, as one shell on an
// instance does. The key is the account's and the seed's, not a secret: this is a simulator.
func (c *Cloud) tokenKey() []byte {
	k := sha256.Sum256(binary.BigEndian.AppendUint64([]byte("awsx imds token "+c.opts.account), c.opts.seed))
	return k[:]
}

// tokenMAC is how many bytes of its HMAC a token carries.
const tokenMAC = 16

func (c *Cloud) newToken(instance string, expires time.Time) string {
	body := binary.BigEndian.AppendUint64(nil, uint64(expires.Unix()))
	body = append(body, instance...)
	mac := hmac.New(sha256.New, c.tokenKey())
	mac.Write(body)
	return base64.RawURLEncoding.EncodeToString(append(body, mac.Sum(nil)[:tokenMAC]...))
}

func (c *Cloud) validToken(token, instance string, now time.Time) bool {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) < 8+tokenMAC {
		return false
	}
	body, sum := b[:len(b)-tokenMAC], b[len(b)-tokenMAC:]
	mac := hmac.New(sha256.New, c.tokenKey())
	mac.Write(body)
	return hmac.Equal(sum, mac.Sum(nil)[:tokenMAC]) && string(body[8:]) == instance &&
		now.Unix() < int64(binary.BigEndian.Uint64(body[:8]))
}

// metadataError writes the HTML page the metadata service answers errors with.
func metadataError(w http.ResponseWriter, status int) {
	text := strconv.Itoa(status) + " - " + http.StatusText(status)
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(status)
	io.WriteString(w, `<?xml version="1.0" encoding="iso-8859-1"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
	"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
 <head>
  <title>`+text+`</title>
 </head>
 <body>
  <h1>`+text+`</h1>
 </body>
</html>
`)
}

// mdir is a directory of the metadata tree; a value is a []byte, an mdir or a listedAs.
type mdir map[string]any

// lazyDir is a directory made when a request goes into it: iam/, whose credentials are a
// role session that only a read of them should start.
type lazyDir func() mdir

// listedAs is a directory its parent lists under another name: public-keys/ lists "0=KEY",
// and public-keys/0/ is the key.
type listedAs struct {
	name string
	dir  mdir
}

// names lists a directory as the service does: one name a line, subdirectories with a
// trailing slash.
func (d mdir) names() []string {
	var out []string
	for k, v := range d {
		switch v := v.(type) {
		case mdir, lazyDir:
			k += "/"
		case listedAs:
			k = v.name
		}
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// lookup walks path from the root; a trailing slash is optional on directories.
func (d mdir) lookup(path string) (leaf []byte, dir mdir, ok bool) {
	dir = d
	for p := range strings.SplitSeq(strings.Trim(path, "/"), "/") {
		if p == "" {
			continue
		}
		if dir == nil {
			return nil, nil, false
		}
		switch v := dir[p].(type) {
		case mdir:
			dir = v
		case listedAs:
			dir = v.dir
		case lazyDir:
			if dir = v(); dir == nil {
				return nil, nil, false
			}
		case []byte:
			leaf, dir = v, nil
		default:
			return nil, nil, false
		}
	}
	return leaf, dir, true
}

// metadataTree builds what the instance's metadata service serves.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-categories.html
func (c *Cloud) metadataTree(v ec2sim.InstanceView) mdir {
	i := v.Instance
	s := func(p *string) []byte { return []byte(aws.ToString(p)) }
	placement := mdir{"region": []byte(v.Region)}
	if p := i.Placement; p != nil {
		placement["availability-zone"], placement["availability-zone-id"] = s(p.AvailabilityZone), s(p.AvailabilityZoneId)
	}
	var names, ids []string
	for _, g := range i.SecurityGroups {
		names, ids = append(names, aws.ToString(g.GroupName)), append(ids, aws.ToString(g.GroupId))
	}
	md := mdir{
		"ami-id": s(i.ImageId), "ami-launch-index": []byte(strconv.Itoa(int(aws.ToInt32(i.AmiLaunchIndex)))),
		"ami-manifest-path": []byte("(unknown)"), "hostname": s(i.PrivateDnsName), "instance-action": []byte("none"),
		"instance-id": s(i.InstanceId), "instance-life-cycle": []byte(lifeCycle(i)), "instance-type": []byte(i.InstanceType),
		"local-hostname": s(i.PrivateDnsName), "local-ipv4": s(i.PrivateIpAddress), "placement": placement,
		"profile": []byte("default-hvm"), "reservation-id": []byte(v.ReservationID),
		"security-groups":      []byte(strings.Join(names, "\n")),
		"services":             mdir{"domain": []byte("amazonaws.com"), "partition": []byte("aws")},
		"block-device-mapping": mdir{"ami": s(i.RootDeviceName), "root": s(i.RootDeviceName)},
		"events":               mdir{"maintenance": mdir{"history": []byte("[]"), "scheduled": []byte("[]")}},
	}
	if i.PublicIpAddress != nil {
		md["public-ipv4"], md["public-hostname"] = s(i.PublicIpAddress), s(i.PublicDnsName)
	}
	spotMetadata(md, v.Spot)
	if len(i.NetworkInterfaces) > 0 {
		eni := i.NetworkInterfaces[0]
		mac := aws.ToString(eni.MacAddress)
		md["mac"] = []byte(mac)
		nic := mdir{
			"device-number": []byte("0"), "interface-id": s(eni.NetworkInterfaceId), "local-hostname": s(i.PrivateDnsName),
			"local-ipv4s": s(i.PrivateIpAddress), "mac": []byte(mac), "owner-id": []byte(c.opts.account),
			"security-group-ids": []byte(strings.Join(ids, "\n")), "security-groups": []byte(strings.Join(names, "\n")),
			"subnet-id": s(i.SubnetId), "vpc-id": s(i.VpcId),
		}
		if i.PublicIpAddress != nil {
			nic["public-ipv4s"], nic["public-hostname"] = s(i.PublicIpAddress), s(i.PublicDnsName)
		}
		md["network"] = mdir{"interfaces": mdir{"macs": mdir{mac: nic}}}
	}
	if v.PublicKey != "" {
		key := aws.ToString(i.KeyName)
		md["public-keys"] = mdir{"0": listedAs{"0=" + key, mdir{"openssh-key": []byte(v.PublicKey + " " + key + "\n")}}}
	}
	if p := i.IamInstanceProfile; p != nil {
		md["iam"] = lazyDir(func() mdir { return c.instanceIAM(aws.ToString(p.Arn), aws.ToString(p.Id), aws.ToString(i.InstanceId)) })
	}
	identity := imdsJSON(
		"accountId", c.opts.account, "architecture", string(i.Architecture),
		"availabilityZone", aws.ToString(i.Placement.AvailabilityZone),
		"billingProducts", nil, "devpayProductCodes", nil, "marketplaceProductCodes", nil,
		"imageId", aws.ToString(i.ImageId), "instanceId", aws.ToString(i.InstanceId), "instanceType", string(i.InstanceType),
		"kernelId", nil, "pendingTime", aws.ToTime(i.LaunchTime).UTC().Format(time.RFC3339),
		"privateIp", aws.ToString(i.PrivateIpAddress), "ramdiskId", nil, "region", v.Region, "version", "2017-09-30")
	latest := mdir{
		"meta-data": md,
		"dynamic":   mdir{"instance-identity": mdir{"document": identity}},
	}
	if v.UserData != nil {
		latest["user-data"] = v.UserData
	}
	return mdir{"latest": latest}
}

// instanceIAM is the iam/ directory of an instance with an instance profile: info, and the
// role's credentials under security-credentials/ROLE (none when the profile has no role).
func (c *Cloud) instanceIAM(profileARN, profileID, instance string) mdir {
	r, ok := c.identity.InstanceRole(profileARN, instance)
	if !ok {
		return nil // the profile was deleted: AWS serves nothing under iam/
	}
	updated := r.LastUpdated.UTC().Format(time.RFC3339)
	creds := mdir{}
	info := imdsJSON("Code", "Success", "LastUpdated", updated, "InstanceProfileArn", profileARN, "InstanceProfileId", profileID)
	switch r.Code {
	case "":
		// no role in the profile
	case "Success":
		creds[r.Role] = imdsJSON("Code", r.Code, "LastUpdated", updated, "Type", "AWS-HMAC",
			"AccessKeyId", r.AccessKeyID, "SecretAccessKey", r.SecretAccessKey, "Token", r.Token,
			"Expiration", r.Expires.UTC().Format(time.RFC3339))
	default:
		info = imdsJSON("Code", r.Code, "Message", r.Message, "LastUpdated", updated)
		creds[r.Role] = info
	}
	return mdir{"info": info, "security-credentials": creds}
}

// imdsJSON writes a flat JSON object in the metadata service's layout, `"Key" : value` a
// line, in the order given; a nil value is null.
func imdsJSON(kv ...any) []byte {
	var b bytes.Buffer
	b.WriteString("{\n")
	for i := 0; i < len(kv); i += 2 {
		k, _ := json.Marshal(kv[i])
		val, _ := json.Marshal(kv[i+1])
		b.WriteString("  ")
		b.Write(k)
		b.WriteString(" : ")
		b.Write(val)
		if i+2 < len(kv) {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("}")
	return b.Bytes()
}

// handlerTransport is an http.RoundTripper that answers from a handler in memory.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	w := &memoryResponse{header: http.Header{}, status: http.StatusOK}
	if r.Body == nil {
		r.Body = http.NoBody
	}
	t.h.ServeHTTP(w, r)
	return &http.Response{
		Status: strconv.Itoa(w.status) + " " + http.StatusText(w.status), StatusCode: w.status,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Header: w.header,
		Body: io.NopCloser(&w.body), ContentLength: int64(w.body.Len()), Request: r,
	}, nil
}

type memoryResponse struct {
	header http.Header
	body   bytes.Buffer
	status int
}

func (w *memoryResponse) Header() http.Header         { return w.header }
func (w *memoryResponse) Write(p []byte) (int, error) { return w.body.Write(p) }
func (w *memoryResponse) WriteHeader(status int)      { w.status = status }
