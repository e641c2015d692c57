package sim_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"github.com/awsxlab/awsx/sim"
)

// checkip.amazonaws.com answers the learner's address on the internet, in memory and over
// loopback (as checkip.localhost), and follows SetInternetAddress.
func TestCheckIP(t *testing.T) {
	t.Parallel()
	c := sim.New()
	srv := httptest.NewServer(c)
	t.Cleanup(srv.Close)
	get := func(t *testing.T, client *http.Client, method, url, host string) (int, string) {
		t.Helper()
		req, err := http.NewRequest(method, url, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Host = host
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, tc := range []struct {
		name      string
		client    *http.Client
		url, host string
	}{
		{"in memory", c.HTTPClient(), "https://checkip.amazonaws.com/", ""},
		{"loopback", srv.Client(), srv.URL + "/", "checkip.localhost"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if status, body := get(t, tc.client, http.MethodGet, tc.url, tc.host); status != 200 || body != "203.0.113.10\n" {
				t.Errorf("GET: %d %q, want 200 %q", status, body, "203.0.113.10\n")
			}
			if status, _ := get(t, tc.client, http.MethodPost, tc.url, tc.host); status != http.StatusMethodNotAllowed {
				t.Errorf("POST: %d, want 405", status)
			}
		})
	}
	c.SetInternetAddress(netip.MustParseAddr("198.51.100.7"))
	if _, body := get(t, c.HTTPClient(), http.MethodGet, "https://checkip.amazonaws.com", ""); strings.TrimSpace(body) != "198.51.100.7" {
		t.Errorf("after SetInternetAddress: %q", body)
	}
	calls := c.Calls()
	if last := calls[len(calls)-1]; last.Service != "ec2" || last.Operation != "CheckIP" || last.Principal != "anonymous" {
		t.Errorf("the call log: %+v", last)
	}
}
