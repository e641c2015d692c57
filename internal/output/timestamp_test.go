package output

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

var stamp = time.Date(2024, 5, 1, 12, 30, 0, 250_000_000, time.UTC)

const stampText = "2024-05-01T12:30:00.250000+00:00"

func TestTimestamp(t *testing.T) {
	for _, c := range []struct {
		in   time.Time
		want string
	}{
		{time.Date(2024, 5, 1, 12, 30, 0, 0, time.UTC), "2024-05-01T12:30:00+00:00"},
		{stamp, stampText},
		{time.Date(2024, 5, 1, 12, 30, 0, 999, time.UTC), "2024-05-01T12:30:00+00:00"}, // below a microsecond
		{time.Date(2024, 5, 1, 14, 30, 0, 1000, time.FixedZone("CEST", 7200)), "2024-05-01T12:30:00.000001+00:00"},
	} {
		if got := Timestamp(c.in); got != c.want {
			t.Errorf("Timestamp(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

// fill sets every field of v reachable within depth: pointers allocated, one element in
// slices and maps, times to stamp; it returns how many times it set.
func fill(v reflect.Value, depth int) int {
	if depth == 0 {
		return 0
	}
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		return fill(v.Elem(), depth)
	case reflect.Struct:
		if v.Type() == timeType {
			v.Set(reflect.ValueOf(stamp))
			return 1
		}
		n := 0
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if f.IsExported() && f.Name != "ResultMetadata" {
				n += fill(v.Field(i), depth-1)
			}
		}
		return n
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			v.SetBytes([]byte("blob"))
			return 0
		}
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		return fill(v.Index(0), depth-1)
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		e := reflect.New(v.Type().Elem()).Elem()
		n := fill(e, depth-1)
		k := reflect.New(v.Type().Key()).Elem()
		if k.Kind() == reflect.String {
			k.SetString("k")
		}
		v.SetMapIndex(k, e)
		return n
	case reflect.String:
		v.SetString("s")
	case reflect.Int, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Bool:
		v.SetBool(true)
	}
	return 0
}

// countStamps counts stampText in data and checks every timestamp member of the model's shape
// holds it, recording the paths it checked. Members newer than botocore's models (the SDK is
// newer) have no shape and are only counted.
func countStamps(t *testing.T, m *serviceModel, shapeName string, v any, path string, paths map[string]bool) int {
	s, known := m.shapeOf(shapeName)
	switch x := v.(type) {
	case string:
		if known && s.Type == "timestamp" {
			paths[path] = true
			if x != stampText {
				t.Errorf("%s = %q, want %q", path, x, stampText)
			}
		} else if x == stampText && known {
			t.Errorf("%s holds a timestamp but the model's shape is %q (%s)", path, shapeName, s.Type)
		}
		if x == stampText {
			return 1
		}
	case *Map:
		n := 0
		targets := map[string]string{}
		for _, mb := range s.Members {
			targets[mb[0]] = mb[1]
		}
		for _, k := range x.Keys() {
			e, _ := x.Get(k)
			target := targets[k]
			if s.Type == "map" {
				target = s.Value
			}
			n += countStamps(t, m, target, e, path+"."+k, paths)
		}
		return n
	case []any:
		n := 0
		for _, e := range x {
			n += countStamps(t, m, s.Member, e, path+"[]", paths)
		}
		return n
	}
	return 0
}

// Every timestamp member of every operation output of IAM, STS, EC2 and SSM — the ones the SDK's
// types reach within six levels — prints as the AWS CLI v2 prints it, and nothing else does.
func TestEveryTimestampPath(t *testing.T) {
	for _, svc := range []struct {
		name   string
		client any
	}{{"iam", &iam.Client{}}, {"sts", &sts.Client{}}, {"ec2", &ec2.Client{}}, {"ssm", &ssm.Client{}}} {
		t.Run(svc.name, func(t *testing.T) {
			m := modelOf(svc.name)
			if m == nil {
				t.Fatal("no model")
			}
			paths := map[string]bool{}
			ops := 0
			ct := reflect.TypeOf(svc.client)
			for i := 0; i < ct.NumMethod(); i++ {
				mt := ct.Method(i).Type
				if mt.NumOut() != 2 || !strings.HasSuffix(mt.Out(0).String(), "Output") {
					continue
				}
				ops++
				out := reflect.New(mt.Out(0).Elem())
				set := fill(out.Elem(), 6)
				op := strings.TrimSuffix(mt.Out(0).Elem().Name(), "Output")
				got := countStamps(t, m, m.Operations[op], ValueAll(out.Interface()), op, paths)
				if got != set {
					t.Errorf("%s: %d timestamps set, %d printed", op, set, got)
				}
				// Value drops only members the AWS CLI v2 does not know; a timestamp it keeps
				// still prints the same.
				countStamps(t, m, m.Operations[op], Value(out.Interface()), op, map[string]bool{})
			}
			if ops == 0 || len(paths) == 0 {
				t.Fatalf("%d operations, %d timestamp paths checked", ops, len(paths))
			}
			t.Logf("%d operations, %d timestamp member paths", ops, len(paths))
		})
	}
}
