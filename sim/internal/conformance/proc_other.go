//go:build !linux

package conformance

import "os/exec"

// dieWithParent does nothing where the kernel cannot tie a child's life to its parent's:
// [Close] stops moto_server at the end of the tests.
func dieWithParent(*exec.Cmd) {}
