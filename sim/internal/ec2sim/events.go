package ec2sim

import (
	"encoding/base64"
	"time"
)

// InstanceEventKind is what happened to an instance's machine.
type InstanceEventKind string

// The kinds of [InstanceEvent].
const (
	InstanceLaunched   InstanceEventKind = "launched"   // RunInstances, or a Spot request fulfilled: its first boot
	InstanceStarted    InstanceEventKind = "started"    // StartInstances, or a Spot Instance started again: a boot
	InstanceStopped    InstanceEventKind = "stopped"    // StopInstances, or a Spot interruption that stops
	InstanceTerminated InstanceEventKind = "terminated" // TerminateInstances, or a Spot interruption that terminates
	// ImageMade: CreateImage imaged the instance's disks as Image, or CopyImage copied
	// SourceImage of SourceRegion as Image (Instance ""): the image's instances start from
	// those disks. imageown.go
	ImageMade InstanceEventKind = "imaged"
	// ImageDeregistered: DeregisterImage; the image's disks are gone with it.
	ImageDeregistered InstanceEventKind = "deregistered"
)

// An InstanceEvent tells the instances' operating systems (package guest) that a machine
// booted or shut down: what runs on it depends on the API only through these.
type InstanceEvent struct {
	Kind      InstanceEventKind
	Instance  string
	Region    string
	Image     string // the image's ID
	ImageName string // the public image's name, "" when the catalog has none by that ID
	Arch      string // x86_64, arm64
	PrivateIP string
	UserData  []byte // decoded; nil when it has none
	Time      time.Time
	// SourceImage and SourceRegion are the image an ImageMade event's image is a copy of.
	SourceImage, SourceRegion string
}

// OnInstance registers f to be called after each instance event, once the store's lock is
// released, in the goroutine of the request that caused it (so f may call the store). Call
// it before the store serves requests.
func (s *Store) OnInstance(f func(InstanceEvent)) { s.hooks = append(s.hooks, f) }

// emit queues an event of the instance i of region r, for the hooks to see once the lock is
// released. s.mu is held for writing.
func (s *Store) emit(r *regionState, i *instance, kind InstanceEventKind) {
	if len(s.hooks) == 0 {
		return
	}
	e := InstanceEvent{Kind: kind, Instance: i.ID, Region: r.Name, Image: i.Image, PrivateIP: i.PrivateIP, Time: s.now()}
	if im, ok := r.image(i.Image); ok {
		e.ImageName, e.Arch = im.osName(), string(im.Arch)
	}
	if i.UserData != "" {
		e.UserData, _ = base64.StdEncoding.DecodeString(i.UserData) // checked by RunInstances
	}
	s.pending = append(s.pending, e)
}

// unlock releases the write lock, then tells the hooks what happened under it.
func (s *Store) unlock() {
	events := s.pending
	s.pending = nil
	s.mu.Unlock()
	for _, e := range events {
		for _, f := range s.hooks {
			f(e)
		}
	}
}

// ImageName returns the name of the catalog image whose operating system image id of region
// runs: the public image's own name, or for an image of the account's that of the catalog
// image it descends from; ok is false when there is no image by that ID.
func (s *Store) ImageName(region, id string) (name string, ok bool) {
	s.peek(region, func(r *regionState) {
		if r == nil {
			r = newRegionState(region)
		}
		var im regionImage
		if im, ok = r.image(id); ok {
			name = im.osName()
		}
	})
	return name, ok
}
