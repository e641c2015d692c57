package elbsim

import (
	"net/http/httptest"
	"net/netip"
	"testing"
)

// Rule conditions as the ALB User Guide describes them: host names without case, paths with
// it, * and ? wildcards; every condition must match, any of a condition's values.
func TestMatchRule(t *testing.T) {
	ru := &rule{Conditions: []condition{
		{Field: "host-header", Values: []string{"*.example.com", "example.org"}},
		{Field: "path-pattern", Values: []string{"/api/*"}},
	}}
	for _, tc := range []struct {
		url  string
		want bool
	}{
		{"http://WWW.Example.com/api/users", true},
		{"http://example.org:8080/api/", true},
		{"http://example.com/api/x", false}, // *. needs a label
		{"http://www.example.com/API/x", false},
		{"http://www.example.com/ap", false},
	} {
		r := httptest.NewRequest("GET", tc.url, nil)
		if got := matchRule(ru, r, "203.0.113.9"); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.url, got, tc.want)
		}
	}
	src := &rule{Conditions: []condition{{Field: "source-ip", Values: []string{"203.0.113.0/24"}}, {Field: "http-request-method", Values: []string{"POST"}}}}
	if !matchRule(src, httptest.NewRequest("POST", "http://x/", nil), "203.0.113.9") || matchRule(src, httptest.NewRequest("GET", "http://x/", nil), "203.0.113.9") ||
		matchRule(src, httptest.NewRequest("POST", "http://x/", nil), "198.51.100.1") {
		t.Error("source-ip and method conditions")
	}
}

// A redirect fills #{protocol}, #{host}, #{port}, #{path} and #{query} from the request, and
// leaves out a port that is its protocol's default.
func TestRedirect(t *testing.T) {
	l := &listener{Protocol: "HTTP", Port: 80}
	for _, tc := range []struct {
		rd   redirect
		url  string
		code int
		loc  string
	}{
		{redirect{Protocol: "HTTPS", Port: "443", Host: "#{host}", Path: "/#{path}", Query: "#{query}", Status: "HTTP_301"}, "http://a.example.com/x/y?z=1", 301, "https://a.example.com/x/y?z=1"},
		{redirect{Protocol: "#{protocol}", Port: "#{port}", Host: "b.example.com", Path: "/new/#{path}", Query: "#{query}", Status: "HTTP_302"}, "http://a.example.com/old", 302, "http://b.example.com/new/old"},
		{redirect{Protocol: "#{protocol}", Port: "8080", Host: "#{host}", Path: "/", Query: "from=#{path}", Status: "HTTP_301"}, "http://a.example.com:80/p", 301, "http://a.example.com:8080/?from=p"},
	} {
		resp := redirectResponse(&tc.rd, l, httptest.NewRequest("GET", tc.url, nil))
		if resp.Status != tc.code || resp.Header.Get("Location") != tc.loc {
			t.Errorf("%s: %d %q, want %d %q", tc.url, resp.Status, resp.Header.Get("Location"), tc.code, tc.loc)
		}
	}
}

// learnerNet is a network that knows the learner's address.
type learnerNet struct {
	fakeNet
	me netip.Addr
}

func (n learnerNet) InternetAddress() netip.Addr { return n.me }

// A request from this machine is the learner's, from the learner's address on the internet
// when the network knows it; a request from elsewhere keeps its address.
func TestClientAddress(t *testing.T) {
	me := netip.MustParseAddr("198.51.100.7")
	known := &Store{net: learnerNet{me: me}}
	unknown := &Store{net: fakeNet{}}
	for _, tc := range []struct {
		s            *Store
		source, want string
	}{
		{known, "127.0.0.1", "198.51.100.7"},
		{known, "::1", "198.51.100.7"},
		{known, "", "198.51.100.7"},
		{known, "192.0.2.44", "192.0.2.44"},
		{unknown, "127.0.0.1", "127.0.0.1"},
		{unknown, "", "127.0.0.1"},
		{&Store{}, "", "127.0.0.1"},
	} {
		if got := tc.s.clientAddress(tc.source); got != tc.want {
			t.Errorf("clientAddress(%q): %q, want %q", tc.source, got, tc.want)
		}
	}
}
