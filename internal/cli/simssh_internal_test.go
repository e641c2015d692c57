package cli

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/awsxlab/awsx/sim"
)

func TestParseSSH(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args     []string
		key      string
		user     string
		host     string
		port     int
		check    string
		command  string
		errStart string
	}{
		{args: []string{"-i", "key.pem", "ec2-user@1.2.3.4"}, key: "key.pem", user: "ec2-user", host: "1.2.3.4", port: 22},
		{args: []string{"-ikey.pem", "-p2222", "-tt", "ec2-user@1.2.3.4", "ls", "-l"}, key: "key.pem", user: "ec2-user", host: "1.2.3.4", port: 2222, command: "ls -l"},
		{args: []string{"-o", "StrictHostKeyChecking=no", "-o", "ConnectTimeout 5", "-l", "admin", "h"}, user: "admin", host: "h", port: 22, check: "no"},
		{args: []string{"-i", "k", "--", "u@h", "-x"}, key: "k", user: "u", host: "h", port: 22, command: "-x"},
		{args: []string{"ssh://u@h"}, user: "u", host: "h", port: 22},
		{args: []string{"-p", "0", "h"}, errStart: "Bad port '0'"},
		{args: []string{"-o", "Nonsense=1", "h"}, errStart: "command-line line 0: Bad configuration option: nonsense"},
		{args: []string{"-o", "StrictHostKeyChecking=maybe", "h"}, errStart: "command-line line 0: unsupported option"},
		{args: []string{"-Z", "h"}, errStart: "unknown option -- Z"},
		{args: []string{"-i"}, errStart: "option requires an argument -- i"},
		{args: nil, errStart: "usage: ssh"},
	} {
		o, cmd, err := parseSSH(tc.args)
		if tc.errStart != "" {
			if err == nil || !strings.HasPrefix(err.Error(), tc.errStart) {
				t.Errorf("parseSSH(%q): %v, want %q", tc.args, err, tc.errStart)
			}
			continue
		}
		if err != nil || o.key != tc.key || o.user != tc.user || o.host != tc.host || o.port != tc.port || o.hostCheck != tc.check || strings.Join(cmd, " ") != tc.command {
			t.Errorf("parseSSH(%q) = %+v %q %v", tc.args, o, cmd, err)
		}
	}
}

func TestParseSCPEnd(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]scpEnd{
		"file.txt":                {path: "file.txt"},
		"ec2-user@1.2.3.4:":       {remote: true, user: "ec2-user", host: "1.2.3.4"},
		"ec2-user@1.2.3.4:/tmp/x": {remote: true, user: "ec2-user", host: "1.2.3.4", path: "/tmp/x"},
		"host:dir/f":              {remote: true, host: "host", path: "dir/f"},
		"./a:b":                   {path: "./a:b"},
		"/abs/x:y":                {path: "/abs/x:y"},
		":nothing":                {path: ":nothing"},
	} {
		if got := parseSCPEnd(in); got != want {
			t.Errorf("parseSCPEnd(%q) = %+v, want %+v", in, got, want)
		}
	}
}

// FuzzParseSSH: ssh's and scp's command lines never panic, whatever the words.
func FuzzParseSSH(f *testing.F) {
	f.Add("-i\x00key.pem\x00ec2-user@1.2.3.4\x00whoami")
	f.Add("-ikey\x00-p\x0022\x00-o\x00StrictHostKeyChecking=no\x00u@h:path")
	f.Add("-o\x00\x00--\x00@")
	f.Fuzz(func(t *testing.T, s string) {
		args := strings.Split(s, "\x00")
		o, cmd, err := parseSSH(args)
		if err == nil && (o.port <= 0 || o.port > 65535 || len(cmd) > len(args)) {
			t.Errorf("parseSSH(%q) = %+v %q", args, o, cmd)
		}
		for _, a := range args {
			e := parseSCPEnd(a)
			if e.remote && e.host == "" && e.user == "" {
				t.Errorf("parseSCPEnd(%q) is remote without a host", a)
			}
			sim.HostAddress(a)
		}
	})
}

// TestSSHInteractive: the interactive session's prompt, banner, commands and exit.
func TestSSHInteractive(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	streams := &IO{Out: &out, Err: &errOut}
	var ran []string
	run := func(line string, _ io.Reader) int { ran = append(ran, line); return len(ran) }
	h := sim.SSHHost{Amazon: true, Hostname: "ip-10-0-1-5"}
	code := sshInteractive(streams, strings.NewReader("whoami\n\n  ls -l  \nexit\nnot run\n"), h, sshOptions{user: "ec2-user", host: "3.80.12.7"}, run, func() bool { return false })
	if strings.Join(ran, "|") != "whoami|ls -l" || code != 2 {
		t.Errorf("ran %q, exit %d", ran, code)
	}
	if !strings.HasPrefix(out.String(), al2023Banner+"[ec2-user@ip-10-0-1-5 ~]$ ") || !strings.HasSuffix(out.String(), "[ec2-user@ip-10-0-1-5 ~]$ logout\n") {
		t.Errorf("the session's output: %q", out.String())
	}
	if errOut.String() != "Connection to 3.80.12.7 closed.\n" {
		t.Errorf("stderr: %q", errOut.String())
	}
	out.Reset()
	errOut.Reset()
	ran = nil
	code = sshInteractive(streams, strings.NewReader("exit 7\n"), sim.SSHHost{Hostname: "ip-10-0-1-5"}, sshOptions{user: "ubuntu", host: "h"}, run, func() bool { return false })
	if code != 7 || out.String() != "ubuntu@ip-10-0-1-5:~$ logout\n" {
		t.Errorf("exit 7 on Ubuntu: %d %q", code, out.String())
	}
}
