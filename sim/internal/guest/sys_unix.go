//go:build unix

package guest

import "syscall"

// sysOf is what the interpreter's -O and -G tests read of a file: its owner's IDs.
func sysOf(n *node) any {
	id := uint32(1000)
	if n.Owner == "root" {
		id = 0
	}
	return &syscall.Stat_t{Uid: id, Gid: id}
}
