package elbsim

import (
	"net/http"
	"testing"
	"time"

	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/world"
)

// fakeNet lets through every flow but those to blocked ports.
type fakeNet struct{ blocked map[int]bool }

func (f fakeNet) Reach(fl world.Flow) world.Verdict {
	if fl.From.Subnet == "" {
		return world.Verdict{Reason: "not from a load balancer's node"}
	}
	return world.Verdict{OK: !f.blocked[fl.Port]}
}

// fakeHosts answers on the ports given, with the status given.
type fakeHosts map[int]int

func (f fakeHosts) Listening(_ string, port int) bool { _, ok := f[port]; return ok }

func (f fakeHosts) Handler(_ string, port int) http.Handler {
	code, ok := f[port]
	if !ok {
		return nil
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("User-Agent") != "ELB-HealthChecker/2.0" {
			code = 418
		}
		w.WriteHeader(code)
	})
}

// health, target by target: the reasons in AWS's order, and the clock of the checks.
func TestHealth(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	lb := &loadBalancer{ARN: "lb", Type: "application", Created: t0.Add(-time.Hour),
		Subnets: []subnet{{ID: "subnet-a", AZ: "us-east-1a", Node: "10.0.1.9"}}, SecurityGroups: []string{"sg-lb"}}
	group := func(mod func(*targetGroup)) *groupView {
		tg := &targetGroup{ARN: "tg", TargetType: "instance", Protocol: "HTTP", Port: 80, InUse: t0,
			Health: healthDefaults("HTTP", "instance"), Attributes: tgAttributeDefaults("HTTP", "instance")}
		if mod != nil {
			mod(tg)
		}
		return &groupView{region: "us-east-1", tg: tg, lbs: []*loadBalancer{lb}}
	}
	running := map[string]instance{
		"i-a":     {ID: "i-a", State: "running", AZ: "us-east-1a", PrivateIP: "10.0.1.20", Launched: t0.Add(-time.Hour)},
		"i-b":     {ID: "i-b", State: "running", AZ: "us-east-1b", PrivateIP: "10.0.2.20", Launched: t0.Add(-time.Hour)},
		"i-new":   {ID: "i-new", State: "running", AZ: "us-east-1a", PrivateIP: "10.0.1.21", Launched: t0.Add(2 * time.Minute)},
		"i-start": {ID: "i-start", State: "pending", AZ: "us-east-1a"},
		"i-stop":  {ID: "i-stop", State: "stopped", AZ: "us-east-1a"},
	}
	at := func(d time.Duration) time.Time { return t0.Add(d) }
	for _, tc := range []struct {
		name  string
		v     *groupView
		t     target
		hosts fakeHosts
		net   fakeNet
		now   time.Time
		want  string
	}{
		{"first check", group(nil), target{ID: "i-a", Port: 80, Registered: t0}, fakeHosts{80: 200}, fakeNet{}, at(0), "initial/Elb.InitialHealthChecking"},
		{"fifth check", group(nil), target{ID: "i-a", Port: 80, Registered: t0}, fakeHosts{80: 200}, fakeNet{}, at(2 * time.Minute), "healthy/"},
		{"second failing check", group(nil), target{ID: "i-a", Port: 80, Registered: t0}, fakeHosts{80: 500}, fakeNet{}, at(30 * time.Second), "unhealthy/Target.ResponseCodeMismatch"},
		{"nothing listens", group(nil), target{ID: "i-a", Port: 80, Registered: t0}, fakeHosts{}, fakeNet{}, at(time.Hour), "unhealthy/Target.FailedHealthChecks"},
		{"blocked", group(nil), target{ID: "i-a", Port: 80, Registered: t0}, fakeHosts{80: 200}, fakeNet{blocked: map[int]bool{80: true}}, at(time.Hour), "unhealthy/Target.Timeout"},
		{"health check port", group(func(tg *targetGroup) { tg.Health.Port = "8081" }), target{ID: "i-a", Port: 80, Registered: t0},
			fakeHosts{80: 200, 8081: 404}, fakeNet{}, at(time.Hour), "unhealthy/Target.ResponseCodeMismatch"},
		{"matcher range", group(func(tg *targetGroup) { tg.Health.Matcher = "200-399" }), target{ID: "i-a", Port: 80, Registered: t0},
			fakeHosts{80: 302}, fakeNet{}, at(time.Hour), "healthy/"},
		{"TCP check", group(func(tg *targetGroup) { tg.Health = healthDefaults("TCP", "instance") }), target{ID: "i-a", Port: 80, Registered: t0},
			fakeHosts{80: 500}, fakeNet{}, at(time.Hour), "healthy/"},
		{"checks disabled", group(func(tg *targetGroup) { tg.Health.Enabled = false }), target{ID: "i-a", Port: 80, Registered: t0},
			fakeHosts{}, fakeNet{}, at(time.Hour), "unavailable/Target.HealthCheckDisabled"},
		{"started after registration", group(nil), target{ID: "i-new", Port: 80, Registered: t0}, fakeHosts{80: 200}, fakeNet{}, at(3 * time.Minute), "initial/Elb.InitialHealthChecking"},
		{"pending", group(nil), target{ID: "i-start", Port: 80, Registered: t0}, fakeHosts{80: 200}, fakeNet{}, at(time.Hour), "initial/Elb.RegistrationInProgress"},
		{"stopped", group(nil), target{ID: "i-stop", Port: 80, Registered: t0}, fakeHosts{80: 200}, fakeNet{}, at(time.Hour), "unused/Target.InvalidState"},
		{"gone", group(nil), target{ID: "i-gone", Port: 80, Registered: t0}, fakeHosts{80: 200}, fakeNet{}, at(time.Hour), "unused/Target.InvalidState"},
		{"zone not enabled", group(nil), target{ID: "i-b", Port: 80, Registered: t0}, fakeHosts{80: 200}, fakeNet{}, at(time.Hour), "unused/Target.NotInUse"},
		{"group not in use", &groupView{tg: group(nil).tg}, target{ID: "i-a", Port: 80, Registered: t0}, fakeHosts{80: 200}, fakeNet{}, at(time.Hour), "unused/Target.NotInUse"},
		{"draining", group(nil), target{ID: "i-a", Port: 80, Registered: t0, Deregistered: at(time.Hour)}, fakeHosts{80: 200}, fakeNet{}, at(time.Hour + time.Minute), "draining/Target.DeregistrationInProgress"},
		{"load balancer provisioning", &groupView{tg: group(nil).tg, lbs: []*loadBalancer{{Subnets: lb.Subnets, Created: t0}}}, target{ID: "i-a", Port: 80, Registered: t0},
			fakeHosts{80: 200}, fakeNet{}, at(time.Minute), "initial/Elb.RegistrationInProgress"},
		{"lambda", group(func(tg *targetGroup) { tg.TargetType, tg.Health = "lambda", healthDefaults("", "lambda") }), target{ID: "arn:aws:lambda:us-east-1:1:function:f", Registered: t0},
			fakeHosts{}, fakeNet{}, at(time.Hour), "unavailable/Target.HealthCheckDisabled"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := NewStore("123456789012", core.NewClock(func() time.Time { return tc.now }), core.NewIDs(1), nil, tc.net, tc.hosts)
			got, _ := s.health(tc.v, tc.t, running, tc.now)
			if g := got.State + "/" + got.Reason; g != tc.want {
				t.Errorf("health = %s (%s), want %s", g, got.Description, tc.want)
			}
		})
	}
}
