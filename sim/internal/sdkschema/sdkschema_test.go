package sdkschema_test

import (
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdsschemas "github.com/aws/aws-sdk-go-v2/service/rds/schemas"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmschemas "github.com/aws/aws-sdk-go-v2/service/ssm/schemas"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/awsxlab/awsx/sim/internal/sdkschema"
)

func TestTop(t *testing.T) {
	if s, err := sdkschema.Top(reflect.TypeFor[rds.CreateDBSubnetGroupInput]()); err != nil || s != rdsschemas.CreateDBSubnetGroupMessage {
		t.Errorf("Top(CreateDBSubnetGroupInput) = %v, %v", s, err)
	}
	if s, err := sdkschema.Top(reflect.TypeFor[rds.DeleteDBSubnetGroupOutput]()); err != nil || s != nil {
		t.Errorf("Top of a Unit output = %v, %v; want nil, nil", s, err)
	}
	if _, err := sdkschema.Top(reflect.TypeFor[struct{ A int }]()); err == nil {
		t.Error("Top of a type without Serialize: no error")
	}
}

// fieldsByName maps each field to its member's name ("" for a field the SDK never writes).
func fieldsByName(t *testing.T, typ reflect.Type, fs []sdkschema.Field) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, f := range fs {
		name := ""
		if f.Member != nil {
			name = f.Member.MemberName()
		}
		out[typ.Field(f.Index).Name] = name
	}
	return out
}

func TestFields(t *testing.T) {
	typ := reflect.TypeFor[rds.CopyDBSnapshotInput]()
	fs, err := sdkschema.Fields(typ, rdsschemas.CopyDBSnapshotMessage, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := fieldsByName(t, typ, fs)
	// SourceRegion is a member the SDK's presigning middleware reads and never sends; the
	// unexported destinationRegion is not probed.
	if got["SourceDBSnapshotIdentifier"] != "SourceDBSnapshotIdentifier" || got["Tags"] != "Tags" || got["SourceRegion"] != "" {
		t.Errorf("fields = %v", got)
	}
	if _, ok := got["destinationRegion"]; ok {
		t.Error("an unexported field was probed")
	}

	// A nested type, and a union found through the member types given.
	typ = reflect.TypeFor[rdstypes.Filter]()
	if fs, err := sdkschema.Fields(typ, rdsschemas.Filter, nil); err != nil || len(fs) != 2 {
		t.Errorf("Fields(Filter) = %v, %v", fs, err)
	}
	unions := []reflect.Type{reflect.TypeFor[ssmtypes.NodeTypeMemberInstance]()}
	typ = reflect.TypeFor[ssmtypes.Node]()
	fs, err = sdkschema.Fields(typ, ssmschemas.Node, unions)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range fs {
		if typ.Field(f.Index).Name != "NodeType" {
			continue
		}
		found = true
		pv, err := sdkschema.ProbeValue(typ.Field(f.Index).Type, unions)
		if err != nil {
			t.Fatal(err)
		}
		if v := f.Probe(pv).Variant(); v == nil || v.MemberName() != "Instance" {
			t.Errorf("the union's variant = %v", v)
		}
	}
	if !found {
		t.Error("ssm's Node has no NodeType field")
	}
	if _, err := sdkschema.ProbeValue(reflect.TypeFor[ssmtypes.NodeType](), nil); err == nil {
		t.Error("ProbeValue of a union without its member types: no error")
	}

	// The wrong schema for a type is an error, not a guess.
	if _, err := sdkschema.Fields(reflect.TypeFor[rds.CreateDBSubnetGroupInput](), rdsschemas.CopyDBSnapshotMessage, nil); err == nil {
		t.Error("Fields with another shape's schema: no error")
	}
	if _, err := sdkschema.Fields(reflect.TypeFor[ssm.GetParameterInput](), ssmschemas.GetParameterRequest, nil); err != nil {
		t.Errorf("Fields(GetParameterInput): %v", err)
	}
}
