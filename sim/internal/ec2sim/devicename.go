package ec2sim

import (
	"strconv"
	"strings"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// checkDevice reports whether name is a device name EC2 takes for an EBS volume on an instance
// of the platform: on Linux /dev/sd[a-z] and /dev/xvd[a-z] (and xvd[a-z][a-z]), with an
// optional partition number 1 to 15; on Windows xvd[a-z], xvd[a-z][a-z], /dev/sd[a-z] and the
// root's /dev/sda1.
// https://docs.aws.amazon.com/ebs/latest/userguide/device_naming.html
func checkDevice(name string, windows bool) error {
	if !validDevice(name, windows) {
		return core.Errorf(InvalidParameterValue, "Value (%s) for parameter device is invalid. %s is not a valid EBS device name.", name, name)
	}
	return nil
}

func validDevice(name string, windows bool) bool {
	if windows {
		if name == "/dev/sda1" {
			return true
		}
		if rest, ok := strings.CutPrefix(name, "/dev/sd"); ok {
			return len(rest) == 1 && lower(rest[0])
		}
		rest, ok := strings.CutPrefix(name, "xvd")
		return ok && (len(rest) == 1 && lower(rest[0]) || len(rest) == 2 && lower(rest[0]) && lower(rest[1]))
	}
	rest, ok := strings.CutPrefix(name, "/dev/")
	if !ok {
		return false
	}
	xvd := strings.HasPrefix(rest, "xvd")
	switch {
	case xvd:
		rest = rest[3:]
	case strings.HasPrefix(rest, "sd"):
		rest = rest[2:]
	default:
		return false
	}
	if len(rest) == 0 || !lower(rest[0]) {
		return false
	}
	rest = rest[1:]
	if xvd && len(rest) > 0 && lower(rest[0]) {
		rest = rest[1:]
	}
	if rest == "" {
		return true
	}
	n, err := strconv.Atoi(rest)
	return err == nil && rest[0] != '0' && n >= 1 && n <= 15
}

func lower(c byte) bool { return c >= 'a' && c <= 'z' }
