package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSimWhy: awsx sim why on the embedded simulator's state, for a security group that
// lets SSH in from the learner only.
func TestSimWhy(t *testing.T) {
	t.Parallel()
	home, env := embeddedEnv(t)
	simWhy(t, env, home)
}

// TestSimWhyServed: the same against awsx sim serve, through its admin API.
func TestSimWhyServed(t *testing.T) {
	t.Parallel()
	home, env := embeddedEnv(t)
	simWhy(t, append(env, "AWS_ENDPOINT_URL="+startServer(t)), home)
	if _, err := os.Stat(filepath.Join(home, ".awsx")); err == nil {
		t.Errorf("sim why on a served simulator made the embedded one's state directory")
	}
}

func simWhy(t *testing.T, env []string, home string) {
	ok := func(args ...string) string {
		t.Helper()
		r := runAwsx(t, env, home, args...)
		if r.code != 0 {
			t.Fatalf("awsx %s: %d %s %s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
		}
		return strings.TrimSpace(r.stdout)
	}
	sg := ok("ec2", "create-security-group", "--group-name", "ssh", "--description", "ssh", "--query", "GroupId", "--output", "text")
	ok("ec2", "authorize-security-group-ingress", "--group-id", sg, "--protocol", "tcp", "--port", "22", "--cidr", "203.0.113.10/32")
	id := ok("ec2", "run-instances", "--image-id", "ami-4fffc834", "--instance-type", "t2.micro", "--security-group-ids", sg,
		"--query", "Instances[0].InstanceId", "--output", "text")
	ip := ok("ec2", "describe-instances", "--instance-ids", id, "--query", "Reservations[0].Instances[0].PublicIpAddress", "--output", "text")

	if got := ok("sim", "why", "me", id, "22"); !strings.HasPrefix(got, "reachable: tcp/22 from 203.0.113.10 reaches instance "+id) {
		t.Errorf("sim why me %s 22: %s", id, got)
	}
	if got := ok("sim", "why", "me", ip, "tcp/22"); !strings.HasPrefix(got, "reachable:") {
		t.Errorf("sim why me %s tcp/22: %s", ip, got)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"me", id, "80"}, "blocked by " + sg + ": security group " + sg + " allows no inbound tcp/80 from 203.0.113.10/32"},
		{[]string{"me", id, "22", "--me", "198.51.100.7"}, "allows no inbound tcp/22 from 198.51.100.7/32"},
		{[]string{"me", id, "80"}, "from 203.0.113.10/32"}, // --me was for its question only
		{[]string{"me", id, "icmp"}, "allows no inbound icmp"},
		{[]string{"me", "172.31.99.99", "22"}, "no instance has the address 172.31.99.99"},
	} {
		r := runAwsx(t, env, home, append([]string{"sim", "why"}, tc.args...)...)
		if r.code != 1 || !strings.Contains(r.stdout, tc.want) {
			t.Errorf("sim why %s: %d %q %q, want 1 and %q", strings.Join(tc.args, " "), r.code, r.stdout, r.stderr, tc.want)
		}
	}
	for _, args := range [][]string{{"me", id, "tcp/x"}, {"me", "nonsense", "22"}, {"me", id}} {
		if r := runAwsx(t, env, home, append([]string{"sim", "why"}, args...)...); r.code == 0 || r.code == 1 {
			t.Errorf("sim why %s: exit %d, want a usage error", strings.Join(args, " "), r.code)
		}
	}
	if got := ok("sim", "why", id, "1.1.1.1", "tcp/443"); !strings.Contains(got, "reaches 1.1.1.1 on the internet") {
		t.Errorf("out to the internet: %s", got)
	}

	// An RDS DB instance, by its identifier or its endpoint: its group lets 3306 in from the
	// ssh group's instances only.
	db := ok("ec2", "create-security-group", "--group-name", "db", "--description", "db", "--query", "GroupId", "--output", "text")
	ok("ec2", "authorize-security-group-ingress", "--group-id", db, "--protocol", "tcp", "--port", "3306", "--source-group", sg)
	ok("rds", "create-db-instance", "--db-instance-identifier", "shop-db", "--engine", "mysql", "--db-instance-class", "db.t3.micro",
		"--allocated-storage", "20", "--master-username", "admin", "--master-user-password", "correct-horse-9", "--vpc-security-group-ids", db)
	if r := runAwsx(t, env, home, "sim", "why", id, "shop-db", "3306"); r.code < 2 || !strings.Contains(r.stderr, "is creating") {
		t.Errorf("while creating: %d %q %q", r.code, r.stdout, r.stderr)
	}
	ok("sim", "advance", "10m")
	host := ok("rds", "describe-db-instances", "--db-instance-identifier", "shop-db", "--query", "DBInstances[0].Endpoint.Address", "--output", "text")
	for _, to := range []string{"shop-db", host} {
		if got := ok("sim", "why", id, to, "3306"); !strings.HasPrefix(got, "reachable: tcp/3306 from instance "+id+" reaches DB instance shop-db ("+host) {
			t.Errorf("sim why %s %s 3306: %s", id, to, got)
		}
	}
	if r := runAwsx(t, env, home, "sim", "why", "me", "shop-db", "3306"); r.code != 1 || !strings.Contains(r.stdout, "no public IPv4 address") {
		t.Errorf("from the internet: %d %q %q", r.code, r.stdout, r.stderr)
	}
	other := ok("ec2", "run-instances", "--image-id", "ami-4fffc834", "--instance-type", "t2.micro", "--query", "Instances[0].InstanceId", "--output", "text")
	if r := runAwsx(t, env, home, "sim", "why", other, host, "3306"); r.code != 1 || !strings.HasPrefix(r.stdout, "blocked by "+db+": ") {
		t.Errorf("from another group: %d %q %q", r.code, r.stdout, r.stderr)
	}
	if r := runAwsx(t, env, home, "sim", "why", id, "no-such-db", "3306"); r.code < 2 || !strings.Contains(r.stderr, "no DB instance") {
		t.Errorf("no such DB instance: %d %q %q", r.code, r.stdout, r.stderr)
	}
}
