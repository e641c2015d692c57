package output

import "testing"

func TestLegacyLiterals(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Regions[?RegionName==`us-east-1`].Endpoint", "Regions[?RegionName==`\"us-east-1\"`].Endpoint"},
		{"Regions[?RegionName==`\"us-east-1\"`]", "Regions[?RegionName==`\"us-east-1\"`]"},
		{"Users[?length(Tags)>`0`]", "Users[?length(Tags)>`0`]"},
		{"[?a==`true`]", "[?a==`true`]"},
		{"[?a=='`raw`']", "[?a=='`raw`']"},
		{"[?a==`foo bar`]", "[?a==`\"foo bar\"`]"},
		{"[?a==`unterminated", "[?a==`unterminated"},
	}
	for _, tt := range tests {
		if got := legacyLiterals(tt.in); got != tt.want {
			t.Errorf("legacyLiterals(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	v := NewMap("Regions", []any{NewMap("RegionName", "us-east-1", "Endpoint", "ec2.us-east-1.amazonaws.com"), NewMap("RegionName", "eu-west-1", "Endpoint", "x")})
	got, err := Query(v, "Regions[?RegionName==`us-east-1`].Endpoint")
	if err != nil {
		t.Fatal(err)
	}
	if l, ok := got.([]any); !ok || len(l) != 1 || l[0] != "ec2.us-east-1.amazonaws.com" {
		t.Errorf("Query = %#v", got)
	}
}
