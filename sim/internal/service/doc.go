// Package service is the contract between the simulator's front door and each simulated
// service: what a service declares ([Service]), how its wire protocol plugs in ([Protocol]),
// how it runs its operations ([Handler]), what a request acts on ([Access]), and how it words
// a refused credential or signature ([Dialect]).
//
// The door (package sim) knows services only through this contract: it routes a request to
// a [Service], authenticates it once, has the service's protocol decode it, authorizes it
// once with the accesses the service names, calls the handler and has the protocol encode the
// answer. Adding a service is writing a package that fills a [Service] and adding one line to
// the simulator's registry; see sim/ADDING.md.
package service
