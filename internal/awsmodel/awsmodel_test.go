package awsmodel_test

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/awsxlab/awsx/internal/awsmodel"
)

func TestServicesAreWellFormed(t *testing.T) {
	list := awsmodel.Services()
	if len(list) == 0 {
		t.Fatal("no services")
	}
	if !slices.IsSortedFunc(list, func(a, b awsmodel.Service) int { return strings.Compare(a.Name, b.Name) }) {
		t.Error("the services are not sorted by Name")
	}
	commands := map[string]bool{}
	for i, s := range list {
		if i > 0 && list[i-1].Name == s.Name {
			t.Errorf("%s is listed twice", s.Name)
		}
		if commands[s.Command] {
			t.Errorf("%s: command %q is another service's", s.Name, s.Command)
		}
		commands[s.Command] = true
		if path.Base(s.Module) != s.Name || !strings.HasPrefix(s.Module, "github.com/aws/aws-sdk-go-v2/service/") {
			t.Errorf("%s: module %q is not the SDK's package of that name", s.Name, s.Module)
		}
		if p, _ := s.Protocol.Botocore(); p == "" {
			t.Errorf("%s: unknown protocol %q", s.Name, s.Protocol)
		}
		if !regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`).MatchString(s.APIVersion) || s.Botocore == "" || s.Command == "" {
			t.Errorf("%s: incomplete: %+v", s.Name, s)
		}
		if got, ok := awsmodel.Lookup(s.Name); !ok || got != s {
			t.Errorf("Lookup(%q) = %+v, %v", s.Name, got, ok)
		}
	}
	if _, ok := awsmodel.Lookup("lambda"); ok {
		t.Error("Lookup found a service the simulator does not serve")
	}
	list[0].Name = "changed"
	if awsmodel.Services()[0].Name == "changed" {
		t.Error("Services shares its slice with the caller")
	}
}

// sdkMarkers are what the SDK's generated api_client.go or serializers.go holds for each
// protocol: the older modules have per-protocol serializers, the newer ones a protocol value.
var sdkMarkers = map[awsmodel.Protocol][]string{
	awsmodel.AWSQuery:  {"func awsAwsquery_serializeOp", "awsquery.New("},
	awsmodel.EC2Query:  {"func awsEc2query_serializeOp", "ec2query.New("},
	awsmodel.RESTXML:   {"func awsRestxml_serializeOp", "restxml.New("},
	awsmodel.AWSJSON10: {"func awsAwsjson10_serializeOp", "awsjson.New10("},
	awsmodel.AWSJSON11: {"func awsAwsjson11_serializeOp", "awsjson.New11("},
	awsmodel.RESTJSON1: {"func awsRestjson1_serializeOp", "restjson.New("},
	awsmodel.RPCV2CBOR: {"rpcv2.NewCBOR("},
}

// The list agrees with the SDK modules go.mod requires: API version and protocol.
func TestServicesMatchSDK(t *testing.T) {
	for _, s := range awsmodel.Services() {
		t.Run(s.Name, func(t *testing.T) {
			out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", s.Module).Output()
			if err != nil {
				t.Fatalf("go list -m %s: %v: is the module in go.mod?", s.Module, err)
			}
			dir := strings.TrimSpace(string(out))
			api, err := os.ReadFile(filepath.Join(dir, "api_client.go"))
			if err != nil {
				t.Fatal(err)
			}
			if want := `const ServiceAPIVersion = "` + s.APIVersion + `"`; !strings.Contains(string(api), want) {
				t.Errorf("the SDK's api_client.go lacks %s", want)
			}
			ser, _ := os.ReadFile(filepath.Join(dir, "serializers.go")) // absent in schema-serde modules
			src := string(api) + string(ser)
			if !slices.ContainsFunc(sdkMarkers[s.Protocol], func(m string) bool { return strings.Contains(src, m) }) {
				t.Errorf("the SDK's module does not speak %s (none of %q)", s.Protocol, sdkMarkers[s.Protocol])
			}
		})
	}
}

// botocoreDirs are the botocore data directories the generators read: the AWS CLI v2's (Debian's
// awscli) and python3's botocore (the AWS CLI v1's).
func botocoreDirs(t *testing.T) map[string]string {
	dirs := map[string]string{}
	if v2 := "/usr/lib/python3/dist-packages/awscli/botocore/data"; isDir(v2) {
		dirs["AWS CLI v2"] = v2
	} else {
		t.Logf("no AWS CLI v2 botocore models at %s (apt-get install awscli)", v2)
	}
	if out, err := exec.Command("python3", "-c", "import botocore, os; print(os.path.dirname(botocore.__file__))").Output(); err == nil {
		dirs["python3's botocore"] = filepath.Join(strings.TrimSpace(string(out)), "data")
	} else {
		t.Logf("python3 has no botocore: %v", err)
	}
	return dirs
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// The list agrees with botocore's models on the machine: the model of that name and version
// exists, and its metadata names the same protocol and version.
func TestServicesMatchBotocore(t *testing.T) {
	dirs := botocoreDirs(t)
	if len(dirs) == 0 {
		t.Skip("no botocore models on this machine: apt-get install awscli, or pip install botocore")
	}
	for who, dir := range dirs {
		for _, s := range awsmodel.Services() {
			t.Run(who+"/"+s.Name, func(t *testing.T) {
				var meta struct {
					Metadata struct{ Protocol, JSONVersion, APIVersion string }
				}
				readModel(t, filepath.Join(dir, s.Botocore, s.APIVersion, "service-2.json"), &meta)
				m := meta.Metadata
				p, v := s.Protocol.Botocore()
				if s.Protocol == awsmodel.RPCV2CBOR && m.Protocol != p && who == "AWS CLI v2" {
					// Debian's AWS CLI v2 carries an older botocore, whose CloudWatch is awsQuery.
					t.Skipf("the AWS CLI v2's model of %s predates its %s (protocol %q)", s.Name, p, m.Protocol)
				}
				if m.Protocol != p || m.JSONVersion != v || m.APIVersion != s.APIVersion {
					t.Errorf("botocore: protocol %q, jsonVersion %q, apiVersion %q; the list %s (%q, %q), %s",
						m.Protocol, m.JSONVersion, m.APIVersion, s.Protocol, p, v, s.APIVersion)
				}
			})
		}
	}
}

// readModel decodes a botocore JSON file, plain or gzipped (the AWS CLI v2 ships them gzipped).
func readModel(t *testing.T, name string, v any) {
	t.Helper()
	var r io.Reader
	f, err := os.Open(name)
	if err != nil {
		g, gerr := os.Open(name + ".gz")
		if gerr != nil {
			t.Fatalf("no model: %v", err)
		}
		defer g.Close()
		if r, err = gzip.NewReader(g); err != nil {
			t.Fatal(err)
		}
	} else {
		defer f.Close()
		r = f
	}
	if err := json.NewDecoder(r).Decode(v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}
