package jsonproto

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	"github.com/aws/smithy-go/prelude"
	"github.com/aws/smithy-go/traits"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/aws/smithy-go/transport/http/protocol/restjson1"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// The SDK modules in go.mod that speak restJson1 use few of its bindings: no labels, header
// lists or prefix headers, no blob or string payloads. This file is a small service written
// as smithy-go's code generator writes one (schemas with traits; Serialize, SerializeMembers
// and Deserialize methods), so that TestBindings can run every binding through smithy-go's
// own restJson1 client protocol, both ways.

var (
	thingsNS = "com.example.things"
	things   = smithy.NewServiceSchema(smithy.NewSchema(smithy.ShapeID{Namespace: thingsNS, Name: "Things"}, smithy.ShapeTypeService, 0), "2024-01-01")

	opPutThing = thingsOp("PutThing", "PUT", "/things/{Id}/files/{Path+}?versioning", 200)
	opGetBlob  = thingsOp("GetBlob", "GET", "/blobs/{Id}/v/{Version}", 200)
	opPostText = thingsOp("PostText", "POST", "/texts", 201)
	opPostBox  = thingsOp("PostBox", "POST", "/boxes", 200)

	sInner       = thingsShape("Inner", smithy.ShapeTypeStructure)
	sInner_Label = sInner.AddMember("label", prelude.String, &traits.JSONName{Name: "Label"})

	sShape        = thingsShape("Shape", smithy.ShapeTypeUnion)
	sShape_Circle = sShape.AddMember("circle", prelude.Double)
	sShape_Name   = sShape.AddMember("name", prelude.String)

	sStrings = listOf("Strings", prelude.String)
	sInts    = listOf("Ints", prelude.Integer)
	sTimes   = listOf("Times", prelude.Timestamp)
	sMap     = thingsShape("StringMap", smithy.ShapeTypeMap)
	_        = sMap.AddMember("key", prelude.String)
	_        = sMap.AddMember("value", prelude.String)

	sPutThingInput        = thingsShape("PutThingInput", smithy.ShapeTypeStructure)
	sPutThingInput_Id     = sPutThingInput.AddMember("Id", prelude.String, &traits.HTTPLabel{})
	sPutThingInput_Path   = sPutThingInput.AddMember("Path", prelude.String, &traits.HTTPLabel{})
	sPutThingInput_Count  = sPutThingInput.AddMember("Count", prelude.Integer, &traits.HTTPQuery{Name: "count"})
	sPutThingInput_Tags   = sPutThingInput.AddMember("Tags", sStrings, &traits.HTTPQuery{Name: "tag"})
	sPutThingInput_Since  = sPutThingInput.AddMember("Since", prelude.Timestamp, &traits.HTTPQuery{Name: "since"})
	sPutThingInput_Params = sPutThingInput.AddMember("Params", sMap, &traits.HTTPQueryParams{})
	sPutThingInput_Flag   = sPutThingInput.AddMember("Flag", prelude.Boolean, &traits.HTTPHeader{Name: "X-Flag"})
	sPutThingInput_Size   = sPutThingInput.AddMember("Size", prelude.Long, &traits.HTTPHeader{Name: "X-Size"})
	sPutThingInput_Ratio  = sPutThingInput.AddMember("Ratio", prelude.Double, &traits.HTTPHeader{Name: "X-Ratio"})
	sPutThingInput_When   = sPutThingInput.AddMember("When", prelude.Timestamp, &traits.HTTPHeader{Name: "X-When"})
	sPutThingInput_Epoch  = sPutThingInput.AddMember("Epoch", prelude.Timestamp, &traits.HTTPHeader{Name: "X-Epoch"}, &traits.TimestampFormat{Format: "epoch-seconds"})
	sPutThingInput_Names  = sPutThingInput.AddMember("Names", sStrings, &traits.HTTPHeader{Name: "X-Names"})
	sPutThingInput_Times  = sPutThingInput.AddMember("Times", sTimes, &traits.HTTPHeader{Name: "X-Times"})
	sPutThingInput_Doc    = sPutThingInput.AddMember("Doc", prelude.String, &traits.HTTPHeader{Name: "X-Doc"}, &traits.MediaType{Type: "application/json"})
	sPutThingInput_Key    = sPutThingInput.AddMember("Key", prelude.Blob, &traits.HTTPHeader{Name: "X-Key"})
	sPutThingInput_Meta   = sPutThingInput.AddMember("Meta", sMap, &traits.HTTPPrefixHeaders{Prefix: "X-Meta-"})
	sPutThingInput_Note   = sPutThingInput.AddMember("Note", prelude.String, &traits.JSONName{Name: "note_text"})
	sPutThingInput_Stamp  = sPutThingInput.AddMember("Stamp", prelude.Timestamp)
	sPutThingInput_Inner  = sPutThingInput.AddMember("Inner", sInner)

	sPutThingOutput          = thingsShape("PutThingOutput", smithy.ShapeTypeStructure)
	sPutThingOutput_Status   = sPutThingOutput.AddMember("Status", prelude.Integer, &traits.HTTPResponseCode{})
	sPutThingOutput_ETag     = sPutThingOutput.AddMember("ETag", prelude.String, &traits.HTTPHeader{Name: "ETag"})
	sPutThingOutput_Items    = sPutThingOutput.AddMember("Items", sInts, &traits.HTTPHeader{Name: "X-Items"})
	sPutThingOutput_Modified = sPutThingOutput.AddMember("Modified", prelude.Timestamp, &traits.HTTPHeader{Name: "Last-Modified"})
	sPutThingOutput_Meta     = sPutThingOutput.AddMember("Meta", sMap, &traits.HTTPPrefixHeaders{Prefix: "X-Meta-"})
	sPutThingOutput_Note     = sPutThingOutput.AddMember("Note", prelude.String, &traits.JSONName{Name: "note_text"})

	sGetBlobInput          = thingsShape("GetBlobInput", smithy.ShapeTypeStructure)
	sGetBlobInput_Id       = sGetBlobInput.AddMember("Id", prelude.String, &traits.HTTPLabel{})
	sGetBlobInput_Version  = sGetBlobInput.AddMember("Version", prelude.Integer, &traits.HTTPLabel{})
	sGetBlobOutput         = thingsShape("GetBlobOutput", smithy.ShapeTypeStructure)
	sGetBlobOutput_Data    = sGetBlobOutput.AddMember("Data", prelude.Blob, &traits.HTTPPayload{})
	sGetBlobOutput_ETag    = sGetBlobOutput.AddMember("ETag", prelude.String, &traits.HTTPHeader{Name: "ETag"})
	sPostTextInput         = thingsShape("PostTextInput", smithy.ShapeTypeStructure)
	sPostTextInput_Text    = sPostTextInput.AddMember("Text", prelude.String, &traits.HTTPPayload{})
	sPostTextOutput        = thingsShape("PostTextOutput", smithy.ShapeTypeStructure)
	sPostTextOutput_Text   = sPostTextOutput.AddMember("Text", prelude.String, &traits.HTTPPayload{})
	sPostBoxInput          = thingsShape("PostBoxInput", smithy.ShapeTypeStructure)
	sPostBoxInput_Shape    = sPostBoxInput.AddMember("Shape", sShape, &traits.HTTPPayload{})
	sPostBoxInput_Trace    = sPostBoxInput.AddMember("Trace", prelude.String, &traits.HTTPHeader{Name: "X-Trace"})
	sPostBoxOutput         = thingsShape("PostBoxOutput", smithy.ShapeTypeStructure)
	sPostBoxOutput_Inner   = sPostBoxOutput.AddMember("Inner", sInner, &traits.HTTPPayload{})
	sPostBoxOutput_Created = sPostBoxOutput.AddMember("Created", prelude.Timestamp, &traits.HTTPHeader{Name: "X-Created"}, &traits.TimestampFormat{Format: "date-time"})
)

func thingsOp(name, method, uri string, code int) *smithy.Schema {
	s := smithy.NewSchema(smithy.ShapeID{Namespace: thingsNS, Name: name}, smithy.ShapeTypeOperation, 0, &traits.HTTP{Method: method, URI: uri, Code: code})
	operationSchemas = append(operationSchemas, s)
	return s
}

func thingsShape(name string, t smithy.ShapeType) *smithy.Schema {
	return smithy.NewSchema(smithy.ShapeID{Namespace: thingsNS, Name: name}, t, 4)
}

func listOf(name string, member *smithy.Schema) *smithy.Schema {
	s := thingsShape(name, smithy.ShapeTypeList)
	s.AddMember("member", member)
	return s
}

func init() {
	unionMembers = append(unionMembers, reflect.TypeFor[ShapeMemberCircle](), reflect.TypeFor[ShapeMemberName]())
}

// thingsClient has the methods by which a Rest finds the service's operations; the test
// never calls them.
type thingsClient struct{}

type thingsOptions struct{}

func (*thingsClient) PutThing(context.Context, *PutThingInput, ...func(*thingsOptions)) (*PutThingOutput, error) {
	return nil, nil
}
func (*thingsClient) GetBlob(context.Context, *GetBlobInput, ...func(*thingsOptions)) (*GetBlobOutput, error) {
	return nil, nil
}
func (*thingsClient) PostText(context.Context, *PostTextInput, ...func(*thingsOptions)) (*PostTextOutput, error) {
	return nil, nil
}
func (*thingsClient) PostBox(context.Context, *PostBoxInput, ...func(*thingsOptions)) (*PostBoxOutput, error) {
	return nil, nil
}

type Inner struct{ Label *string }

func (v *Inner) Serialize(s smithy.ShapeSerializer) {
	s.WriteStruct(sInner)
	v.SerializeMembers(s)
	s.CloseStruct()
}

func (v *Inner) SerializeMembers(s smithy.ShapeSerializer) {
	if v.Label != nil {
		s.WriteString(sInner_Label, *v.Label)
	}
}

func (v *Inner) Deserialize(d smithy.ShapeDeserializer) error {
	return smithy.ReadStruct(d, sInner, func(m *smithy.Schema) error {
		if m == sInner_Label {
			v.Label = new(string)
			return d.ReadString(m, v.Label)
		}
		return nil
	})
}

type Shape interface{ isShape() }

type ShapeMemberCircle struct{ Value float64 }
type ShapeMemberName struct{ Value string }

func (*ShapeMemberCircle) isShape() {}
func (*ShapeMemberName) isShape()   {}

func serializeShape(s smithy.ShapeSerializer, schema *smithy.Schema, v Shape) {
	switch vv := v.(type) {
	case *ShapeMemberCircle:
		s.WriteUnion(schema, sShape_Circle)
		s.WriteFloat64(sShape_Circle, vv.Value)
		s.CloseUnion()
	case *ShapeMemberName:
		s.WriteUnion(schema, sShape_Name)
		s.WriteString(sShape_Name, vv.Value)
		s.CloseUnion()
	}
}

func serializeStrings(s smithy.ShapeSerializer, schema *smithy.Schema, v []string) {
	s.WriteList(schema)
	for _, x := range v {
		s.WriteString(schema.ListMember(), x)
	}
	s.CloseList()
}

func serializeMap(s smithy.ShapeSerializer, schema *smithy.Schema, v map[string]string) {
	s.WriteMap(schema)
	for k, x := range v {
		s.WriteKey(schema.MapKey(), k)
		s.WriteString(schema.MapValue(), x)
	}
	s.CloseMap()
}

func deserializeMap(d smithy.ShapeDeserializer, schema *smithy.Schema, v *map[string]string) error {
	*v = map[string]string{}
	return smithy.ReadMap(d, schema, func(k string) error {
		var x string
		if err := d.ReadString(schema.MapValue(), &x); err != nil {
			return err
		}
		(*v)[k] = x
		return nil
	})
}

type PutThingInput struct {
	Id, Path *string
	Count    *int32
	Tags     []string
	Since    *time.Time
	Params   map[string]string
	Flag     *bool
	Size     *int64
	Ratio    *float64
	When     *time.Time
	Epoch    *time.Time
	Names    []string
	Times    []time.Time
	Doc      *string
	Key      []byte
	Meta     map[string]string
	Note     *string
	Stamp    *time.Time
	Inner    *Inner
}

func (v *PutThingInput) Serialize(s smithy.ShapeSerializer) {
	s.WriteStruct(sPutThingInput)
	v.SerializeMembers(s)
	s.CloseStruct()
}

func (v *PutThingInput) SerializeMembers(s smithy.ShapeSerializer) {
	if v.Count != nil {
		s.WriteInt32(sPutThingInput_Count, *v.Count)
	}
	if v.Doc != nil {
		s.WriteString(sPutThingInput_Doc, *v.Doc)
	}
	if v.Epoch != nil {
		s.WriteTime(sPutThingInput_Epoch, *v.Epoch)
	}
	if v.Flag != nil {
		s.WriteBool(sPutThingInput_Flag, *v.Flag)
	}
	if v.Id != nil {
		s.WriteString(sPutThingInput_Id, *v.Id)
	}
	if v.Inner != nil {
		s.WriteStruct(sPutThingInput_Inner)
		v.Inner.SerializeMembers(s)
		s.CloseStruct()
	}
	if v.Key != nil {
		s.WriteBlob(sPutThingInput_Key, v.Key)
	}
	if v.Meta != nil {
		serializeMap(s, sPutThingInput_Meta, v.Meta)
	}
	if v.Names != nil {
		serializeStrings(s, sPutThingInput_Names, v.Names)
	}
	if v.Note != nil {
		s.WriteString(sPutThingInput_Note, *v.Note)
	}
	if v.Params != nil {
		serializeMap(s, sPutThingInput_Params, v.Params)
	}
	if v.Path != nil {
		s.WriteString(sPutThingInput_Path, *v.Path)
	}
	if v.Ratio != nil {
		s.WriteFloat64(sPutThingInput_Ratio, *v.Ratio)
	}
	if v.Since != nil {
		s.WriteTime(sPutThingInput_Since, *v.Since)
	}
	if v.Size != nil {
		s.WriteInt64(sPutThingInput_Size, *v.Size)
	}
	if v.Stamp != nil {
		s.WriteTime(sPutThingInput_Stamp, *v.Stamp)
	}
	if v.Tags != nil {
		serializeStrings(s, sPutThingInput_Tags, v.Tags)
	}
	if v.Times != nil {
		s.WriteList(sPutThingInput_Times)
		for _, t := range v.Times {
			s.WriteTime(sPutThingInput_Times.ListMember(), t)
		}
		s.CloseList()
	}
	if v.When != nil {
		s.WriteTime(sPutThingInput_When, *v.When)
	}
}

type PutThingOutput struct {
	Status         *int32
	ETag           *string
	Items          []int32
	Modified       *time.Time
	Meta           map[string]string
	Note           *string
	ResultMetadata middleware.Metadata
}

func (v *PutThingOutput) Serialize(s smithy.ShapeSerializer) {
	s.WriteStruct(sPutThingOutput)
	v.SerializeMembers(s)
	s.CloseStruct()
}

func (v *PutThingOutput) SerializeMembers(s smithy.ShapeSerializer) {
	if v.ETag != nil {
		s.WriteString(sPutThingOutput_ETag, *v.ETag)
	}
	if v.Items != nil {
		s.WriteList(sPutThingOutput_Items)
		for _, n := range v.Items {
			s.WriteInt32(sPutThingOutput_Items.ListMember(), n)
		}
		s.CloseList()
	}
	if v.Meta != nil {
		serializeMap(s, sPutThingOutput_Meta, v.Meta)
	}
	if v.Modified != nil {
		s.WriteTime(sPutThingOutput_Modified, *v.Modified)
	}
	if v.Note != nil {
		s.WriteString(sPutThingOutput_Note, *v.Note)
	}
	if v.Status != nil {
		s.WriteInt32(sPutThingOutput_Status, *v.Status)
	}
}

func (v *PutThingOutput) Deserialize(d smithy.ShapeDeserializer) error {
	return smithy.ReadStruct(d, sPutThingOutput, func(m *smithy.Schema) error {
		switch m {
		case sPutThingOutput_Status:
			v.Status = new(int32)
			return d.ReadInt32(m, v.Status)
		case sPutThingOutput_ETag:
			v.ETag = new(string)
			return d.ReadString(m, v.ETag)
		case sPutThingOutput_Items:
			v.Items = []int32{}
			return smithy.ReadList(d, m, func() error {
				var n int32
				if err := d.ReadInt32(m.ListMember(), &n); err != nil {
					return err
				}
				v.Items = append(v.Items, n)
				return nil
			})
		case sPutThingOutput_Modified:
			v.Modified = new(time.Time)
			return d.ReadTime(m, v.Modified)
		case sPutThingOutput_Meta:
			return deserializeMap(d, m, &v.Meta)
		case sPutThingOutput_Note:
			v.Note = new(string)
			return d.ReadString(m, v.Note)
		}
		return nil
	})
}

type GetBlobInput struct {
	Id      *string
	Version *int32
}

func (v *GetBlobInput) Serialize(s smithy.ShapeSerializer) {
	s.WriteStruct(sGetBlobInput)
	v.SerializeMembers(s)
	s.CloseStruct()
}

func (v *GetBlobInput) SerializeMembers(s smithy.ShapeSerializer) {
	if v.Id != nil {
		s.WriteString(sGetBlobInput_Id, *v.Id)
	}
	if v.Version != nil {
		s.WriteInt32(sGetBlobInput_Version, *v.Version)
	}
}

type GetBlobOutput struct {
	Data           []byte
	ETag           *string
	ResultMetadata middleware.Metadata
}

func (v *GetBlobOutput) Serialize(s smithy.ShapeSerializer) {
	s.WriteStruct(sGetBlobOutput)
	v.SerializeMembers(s)
	s.CloseStruct()
}

func (v *GetBlobOutput) SerializeMembers(s smithy.ShapeSerializer) {
	if v.Data != nil {
		s.WriteBlob(sGetBlobOutput_Data, v.Data)
	}
	if v.ETag != nil {
		s.WriteString(sGetBlobOutput_ETag, *v.ETag)
	}
}

func (v *GetBlobOutput) Deserialize(d smithy.ShapeDeserializer) error {
	return smithy.ReadStruct(d, sGetBlobOutput, func(m *smithy.Schema) error {
		switch m {
		case sGetBlobOutput_Data:
			return d.ReadBlob(m, &v.Data)
		case sGetBlobOutput_ETag:
			v.ETag = new(string)
			return d.ReadString(m, v.ETag)
		}
		return nil
	})
}

type PostTextInput struct{ Text *string }

func (v *PostTextInput) Serialize(s smithy.ShapeSerializer) {
	s.WriteStruct(sPostTextInput)
	v.SerializeMembers(s)
	s.CloseStruct()
}

func (v *PostTextInput) SerializeMembers(s smithy.ShapeSerializer) {
	if v.Text != nil {
		s.WriteString(sPostTextInput_Text, *v.Text)
	}
}

type PostTextOutput struct {
	Text           *string
	ResultMetadata middleware.Metadata
}

func (v *PostTextOutput) Serialize(s smithy.ShapeSerializer) {
	s.WriteStruct(sPostTextOutput)
	v.SerializeMembers(s)
	s.CloseStruct()
}

func (v *PostTextOutput) SerializeMembers(s smithy.ShapeSerializer) {
	if v.Text != nil {
		s.WriteString(sPostTextOutput_Text, *v.Text)
	}
}

func (v *PostTextOutput) Deserialize(d smithy.ShapeDeserializer) error {
	return smithy.ReadStruct(d, sPostTextOutput, func(m *smithy.Schema) error {
		if m == sPostTextOutput_Text {
			v.Text = new(string)
			return d.ReadString(m, v.Text)
		}
		return nil
	})
}

type PostBoxInput struct {
	Shape Shape
	Trace *string
}

func (v *PostBoxInput) Serialize(s smithy.ShapeSerializer) {
	s.WriteStruct(sPostBoxInput)
	v.SerializeMembers(s)
	s.CloseStruct()
}

func (v *PostBoxInput) SerializeMembers(s smithy.ShapeSerializer) {
	if v.Shape != nil {
		serializeShape(s, sPostBoxInput_Shape, v.Shape)
	}
	if v.Trace != nil {
		s.WriteString(sPostBoxInput_Trace, *v.Trace)
	}
}

type PostBoxOutput struct {
	Inner          *Inner
	Created        *time.Time
	ResultMetadata middleware.Metadata
}

func (v *PostBoxOutput) Serialize(s smithy.ShapeSerializer) {
	s.WriteStruct(sPostBoxOutput)
	v.SerializeMembers(s)
	s.CloseStruct()
}

func (v *PostBoxOutput) SerializeMembers(s smithy.ShapeSerializer) {
	if v.Created != nil {
		s.WriteTime(sPostBoxOutput_Created, *v.Created)
	}
	if v.Inner != nil {
		s.WriteStruct(sPostBoxOutput_Inner)
		v.Inner.SerializeMembers(s)
		s.CloseStruct()
	}
}

func (v *PostBoxOutput) Deserialize(d smithy.ShapeDeserializer) error {
	return smithy.ReadStruct(d, sPostBoxOutput, func(m *smithy.Schema) error {
		switch m {
		case sPostBoxOutput_Created:
			v.Created = new(time.Time)
			return d.ReadTime(m, v.Created)
		case sPostBoxOutput_Inner:
			v.Inner = &Inner{}
			return v.Inner.Deserialize(d)
		}
		return nil
	})
}

// TestBindings runs random values of every binding through smithy-go's restJson1 client
// protocol: its request serializer → Operation and Decode, and Encode → its response
// deserializer.
func TestBindings(t *testing.T) {
	p := NewRest(things, (*thingsClient)(nil))
	sdk := restjson1.New(things)
	schemas := map[string]*smithy.OperationSchema{
		"PutThing": smithy.NewOperationSchema(opPutThing, sPutThingInput, sPutThingOutput),
		"GetBlob":  smithy.NewOperationSchema(opGetBlob, sGetBlobInput, sGetBlobOutput),
		"PostText": smithy.NewOperationSchema(opPostText, sPostTextInput, sPostTextOutput),
		"PostBox":  smithy.NewOperationSchema(opPostBox, sPostBoxInput, sPostBoxOutput),
	}
	ops := clientOperations((*thingsClient)(nil))
	if len(ops) != len(schemas) {
		t.Fatalf("%d operations", len(ops))
	}
	for i, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(i), 7))
			for n := range 50 {
				g := &gen{r: r, maxDepth: 3, unit: time.Second, nonEmpty: true, alphabet: headerSafe}
				in := reflect.New(op.in.Elem())
				g.fill(in.Elem(), 0)
				if in, ok := in.Interface().(*PutThingInput); ok {
					in.Meta = map[string]string{g.lower(): g.string(), g.lower(): g.string()}
				}
				req := smithyhttp.NewStackRequest().(*smithyhttp.Request)
				req.URL, _ = url.Parse("http://things.test")
				if err := sdk.SerializeRequest(context.Background(), schemas[op.name], in.Interface().(smithy.Serializable), req); err != nil {
					t.Fatal(err)
				}
				hr := req.Build(context.Background())
				var body []byte
				if hr.Body != nil {
					body, _ = io.ReadAll(hr.Body)
				}
				name, err := p.Operation(hr)
				if err != nil || name != op.name {
					t.Fatalf("value %d: Operation(%s %s) = %q, %v", n, hr.Method, hr.URL, name, err)
				}
				got := reflect.New(op.in.Elem())
				if err := p.Decode(op.name, hr, body, got.Interface()); err != nil {
					t.Fatalf("value %d: Decode: %v\n%s %s\n%v\n%s", n, err, hr.Method, hr.URL, hr.Header, body)
				}
				if d := diff(in.Elem(), got.Elem(), "in"); d != "" {
					t.Fatalf("value %d: input round trip: %s\n%s %s\n%v\n%s", n, d, hr.Method, hr.URL, hr.Header, body)
				}

				out := reflect.New(op.out.Elem())
				g.fill(out.Elem(), 0)
				if out, ok := out.Interface().(*PutThingOutput); ok {
					status := int32(200 + g.r.IntN(100))
					out.Status = &status
					out.Meta = map[string]string{g.lower(): g.string()}
				}
				status, header, rbody, err := p.Encode(op.name, out.Interface())
				if err != nil {
					t.Fatal(err)
				}
				resp := &smithyhttp.Response{Response: &http.Response{StatusCode: status, Header: header, Body: io.NopCloser(bytes.NewReader(rbody))}}
				back := reflect.New(op.out.Elem())
				if err := sdk.DeserializeResponse(context.Background(), schemas[op.name], &smithy.TypeRegistry{}, resp, back.Interface().(smithy.Deserializable)); err != nil {
					t.Fatalf("value %d: the SDK cannot read Encode's response: %v\n%d %v\n%s", n, err, status, header, rbody)
				}
				if d := diff(out.Elem(), back.Elem(), "out"); d != "" {
					t.Fatalf("value %d: output round trip: %s\n%d %v\n%s", n, d, status, header, rbody)
				}
			}
		})
	}
}

// headerSafe are runes a header list element keeps: smithy-go's splitter trims white space
// around unquoted elements (commas and quotes are kept, by quoting).
var headerSafe = []rune("aZ09-_/.:\"\\,;=éß€😀<>&")

func (g *gen) lower() string {
	var b strings.Builder
	for range 1 + g.r.IntN(8) {
		b.WriteByte(byte('a' + g.r.IntN(26)))
	}
	return b.String()
}

func TestRestRoutes(t *testing.T) {
	p := NewRest(things, (*thingsClient)(nil))
	tests := []struct {
		method, target string
		want           string
	}{
		{"PUT", "/things/a/files/b/c.txt?versioning", "PutThing"},
		{"PUT", "/things/a%2Fb/files/c?versioning=", "PutThing"},
		{"PUT", "/things/a/files/b", ""}, // no ?versioning
		{"PUT", "/things/a/files?versioning", ""},
		{"PUT", "/things//files/b?versioning", ""}, // empty label
		{"GET", "/blobs/x/v/3", "GetBlob"},
		{"GET", "/blobs/x/v/3/", ""},
		{"POST", "/blobs/x/v/3", ""},
		{"POST", "/texts", "PostText"},
		{"GET", "/", ""},
	}
	for _, tt := range tests {
		r, _ := http.NewRequest(tt.method, "http://things.test"+tt.target, nil)
		got, err := p.Operation(r)
		if got != tt.want {
			t.Errorf("%s %s: %q, %v; want %q", tt.method, tt.target, got, err, tt.want)
		}
		if tt.want == "" {
			var e *core.Error
			if !errors.As(err, &e) || e.Code != UnknownOperationException || e.Status != http.StatusNotFound {
				t.Errorf("%s %s: error %v, want UnknownOperationException (404)", tt.method, tt.target, err)
			}
		}
	}
}
