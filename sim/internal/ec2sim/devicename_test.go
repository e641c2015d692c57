package ec2sim

import (
	"strings"
	"testing"
)

func TestValidDevice(t *testing.T) {
	for _, tc := range []struct {
		name    string
		windows bool
		want    bool
	}{
		{"/dev/sdf", false, true}, {"/dev/xvdf", false, true}, {"/dev/xvdba", false, true}, {"/dev/sda1", false, true},
		{"/dev/sdf15", false, true}, {"/dev/sdf16", false, false}, {"/dev/sdf0", false, false}, {"/dev/sdf01", false, false},
		{"/dev/sdaa", false, false}, {"/dev/hda", false, false}, {"sdf", false, false}, {"xvdf", false, false}, {"/dev/sd", false, false},
		{"/dev/sdF", false, false}, {"", false, false},
		{"xvdf", true, true}, {"xvdba", true, true}, {"/dev/sda1", true, true}, {"/dev/sdb", true, true},
		{"/dev/xvdf", true, false}, {"xvd", true, false}, {"/dev/sdf1", true, false},
	} {
		if got := validDevice(tc.name, tc.windows); got != tc.want {
			t.Errorf("validDevice(%q, windows %v) = %v, want %v", tc.name, tc.windows, got, tc.want)
		}
	}
}

// FuzzDeviceName checks the device name parser against its grammar: a name it takes is short,
// lowercase, of the platform's prefixes; it never panics, and its error quotes the name.
func FuzzDeviceName(f *testing.F) {
	for _, s := range []string{"/dev/sdf", "/dev/xvdba", "/dev/sda1", "xvdf", "/dev/sdf15", "/dev/sd", "", "/dev/xvd\xff"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, name string, windows bool) {
		ok := validDevice(name, windows)
		err := checkDevice(name, windows)
		if ok != (err == nil) {
			t.Fatalf("validDevice and checkDevice disagree on %q", name)
		}
		if !ok {
			if !strings.Contains(err.Error(), name) {
				t.Fatalf("error %q does not quote %q", err, name)
			}
			return
		}
		if len(name) > len("/dev/xvdzz15") || strings.ToLower(name) != name {
			t.Fatalf("took %q", name)
		}
		if !windows && !strings.HasPrefix(name, "/dev/sd") && !strings.HasPrefix(name, "/dev/xvd") {
			t.Fatalf("took %q on Linux", name)
		}
		if windows && !strings.HasPrefix(name, "/dev/sd") && !strings.HasPrefix(name, "xvd") {
			t.Fatalf("took %q on Windows", name)
		}
	})
}
