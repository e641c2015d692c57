// Package core holds what every simulated service shares: the AWS error type and its status
// table, the caller of a request, the clock and the seeded ID generator.
//
// Service packages import core and nothing else of the simulator's front door; the front door
// (package sim) builds the caller, and services read it with [CallerFrom].
package core
