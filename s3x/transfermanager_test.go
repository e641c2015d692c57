package s3x

import (
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// fillAll sets every exported field of the struct v points to a non-zero value.
func fillAll(t *testing.T, v reflect.Value, skip map[string]bool) {
	t.Helper()
	v = v.Elem()
	for i := range v.NumField() {
		f, sf := v.Field(i), v.Type().Field(i)
		if !sf.IsExported() || skip[sf.Name] {
			continue
		}
		switch f.Kind() {
		case reflect.Pointer:
			p := reflect.New(f.Type().Elem())
			switch p.Elem().Kind() {
			case reflect.String:
				p.Elem().SetString("x")
			case reflect.Int32, reflect.Int64:
				p.Elem().SetInt(1)
			case reflect.Bool:
				p.Elem().SetBool(true)
			}
			f.Set(p)
		case reflect.String:
			f.SetString("x")
		case reflect.Map:
			f.Set(reflect.MakeMap(f.Type()))
		case reflect.Interface:
			f.Set(reflect.ValueOf(strings.NewReader("x")))
		default:
			t.Fatalf("field %s: kind %v", sf.Name, f.Kind())
		}
	}
}

// zeroFields names the exported fields of the struct v points to that are zero.
func zeroFields(v reflect.Value) []string {
	var zero []string
	v = v.Elem()
	for i := range v.NumField() {
		if v.Type().Field(i).IsExported() && v.Field(i).IsZero() {
			zero = append(zero, v.Type().Field(i).Name)
		}
	}
	return zero
}

// TestTransferInputsCarryEveryMember: every member of the SDK's PutObjectInput and
// GetObjectInput reaches the transfer manager's input or is refused, so that a member an
// SDK upgrade adds is not dropped silently.
func TestTransferInputsCarryEveryMember(t *testing.T) {
	refusedPut := map[string]bool{"ContentMD5": true, "ChecksumMD5": true, "ChecksumXXHASH128": true, "ChecksumXXHASH3": true,
		"ChecksumXXHASH64": true, "ObjectLockEventHold": true, "ObjectLockEventHoldDurationDays": true,
		"ObjectLockEventHoldDurationYears": true, "WriteOffsetBytes": true}
	put := &s3.PutObjectInput{}
	fillAll(t, reflect.ValueOf(put), refusedPut)
	up, err := uploadInput(put)
	if err != nil {
		t.Fatal(err)
	}
	// ChecksumType (of CreateMultipartUpload) and MpuObjectSize are the manager's own.
	if z := strings.Join(zeroFields(reflect.ValueOf(up)), " "); z != "ChecksumType MpuObjectSize" {
		t.Errorf("UploadObjectInput members not set from PutObjectInput: %v", z)
	}
	if z := zeroFields(reflect.ValueOf(put)); len(z) != len(refusedPut) {
		t.Errorf("PutObjectInput members neither carried nor refused: %v (refused %v)", z, refusedPut)
	}
	for name := range refusedPut {
		in := &s3.PutObjectInput{}
		fillAll(t, reflect.ValueOf(in), nil)
		for other := range refusedPut {
			if other != name {
				f := reflect.ValueOf(in).Elem().FieldByName(other)
				f.Set(reflect.Zero(f.Type()))
			}
		}
		if _, err := uploadInput(in); err == nil || !strings.Contains(err.Error(), "PutObjectInput."+name+" ") {
			t.Errorf("%s: %v", name, err)
		}
	}

	get := &s3.GetObjectInput{}
	fillAll(t, reflect.ValueOf(get), map[string]bool{"PartNumber": true})
	down, err := downloadInput(get, nil)
	if err != nil {
		t.Fatal(err)
	}
	if z := zeroFields(reflect.ValueOf(down)); len(z) != 1 || z[0] != "WriterAt" {
		t.Errorf("DownloadObjectInput members not set from GetObjectInput: %v", z)
	}
	if z := zeroFields(reflect.ValueOf(get)); len(z) != 1 || z[0] != "PartNumber" {
		t.Errorf("GetObjectInput members neither carried nor refused: %v", z)
	}
}
