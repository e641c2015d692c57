//go:build unix

package sim_test

import "syscall"

// cpuTime is the CPU time the process has used, in nanoseconds: on a machine whose cores
// other programs share, a steadier measure of a call's cost than the time it took (the
// garbage collector's work, on any thread, is in it).
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
