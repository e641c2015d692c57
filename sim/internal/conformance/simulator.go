package conformance

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/awsxlab/awsx/sim"
)

// simulatorHas is what the simulator can do, in memory and over loopback: everything.
func simulatorHas(Capability) bool { return true }

// memoryBackend is the simulator through its in-memory transport.
type memoryBackend struct{}

func (memoryBackend) Name() string                   { return Memory }
func (memoryBackend) Has(c Capability) bool          { return simulatorHas(c) }
func (b memoryBackend) Shared(t testing.TB) *Account { return b.Open(t) }

func (b memoryBackend) Open(t testing.TB, opts ...sim.Option) *Account {
	c := sim.New(opts...)
	return &Account{backend: b, cloud: c, base: c.Config(), client: c.HTTPClient()}
}

// loopbackBackend is the simulator behind an httptest server, one per account: what
// `awsx sim serve` is. Requests go to localhost:port, so that S3's virtual-hosted
// bucket.localhost:port reaches it too.
type loopbackBackend struct {
	mu     sync.Mutex
	served map[testing.TB]*atomic.Int64 // requests the servers of a test's accounts answered
}

func (*loopbackBackend) Name() string                   { return Loopback }
func (*loopbackBackend) Has(c Capability) bool          { return simulatorHas(c) }
func (b *loopbackBackend) Shared(t testing.TB) *Account { return b.Open(t) }

func (b *loopbackBackend) Open(t testing.TB, opts ...sim.Option) *Account {
	t.Helper()
	c := sim.New(opts...)
	served := b.counter(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		c.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	client := dialling(srv.Listener.Addr().String())
	u, _ := url.Parse(srv.URL)
	base := c.Config()
	base.HTTPClient = client
	base.BaseEndpoint = aws.String("http://localhost:" + u.Port())
	return &Account{backend: b, cloud: c, url: *base.BaseEndpoint, base: base, client: client}
}

// counter returns the count of requests t's servers answer, and checks at t's end that
// there was one: a test on loopback that sent none tested nothing over the socket.
func (b *loopbackBackend) counter(t testing.TB) *atomic.Int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	if n, ok := b.served[t]; ok {
		return n
	}
	if b.served == nil {
		b.served = map[testing.TB]*atomic.Int64{}
	}
	n := new(atomic.Int64)
	b.served[t] = n
	t.Cleanup(func() {
		b.mu.Lock()
		delete(b.served, t)
		b.mu.Unlock()
		if n.Load() == 0 && !t.Skipped() && !t.Failed() {
			t.Errorf("the test sent no request over loopback")
		}
	})
	return n
}

// dialling returns an HTTP client that dials addr whatever the URL's host.
func dialling(addr string) *http.Client {
	return &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		},
		MaxIdleConnsPerHost: 16,
	}}
}
