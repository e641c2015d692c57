// Package ec2sim simulates EC2: for now its geography — the regions and their Availability
// Zones — which the first lessons describe.
//
// [EC2] has one method per operation with the SDK's own signature; operations it does not
// have are answered by the front door with an error that names them.
package ec2sim
