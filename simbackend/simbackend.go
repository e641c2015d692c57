// Package simbackend gives [awsx.Load]'s "sim" backend its simulator: importing it, even
// for its side effect alone,
//
//	import _ "github.com/awsxlab/awsx/simbackend"
//
// registers the process's embedded simulator ([Default], made on first use), as a
// database/sql driver registers itself. The simulator is a package of its own (package
// sim), some 40 MB of a program's binary; a program that talks only to AWS does not import
// this package and links none of it, and its "sim" backend is an error rather than a
// silent fake.
//
// A program that holds a simulator of its own (sim.New, sim.Open) passes it instead, with
// no import of this package: awsx.Load(ctx, func(o *awsx.Options) { o.Simulator = cloud }).
package simbackend

import (
	"fmt"
	"sync"
	"time"

	"github.com/spf13/cast"
	"github.com/spf13/viper"

	"github.com/awsxlab/awsx"
	"github.com/awsxlab/awsx/sim"
)

func init() {
	awsx.RegisterSimulator(func() awsx.Simulator { return Default() })
}

var defaultCloud = sync.OnceValue(func() *sim.Cloud { return sim.New() })

// Default returns the process's embedded simulator, an empty account in memory made on
// first use: the "sim" backend's when [awsx.Options.Simulator] is nil. It is safe for
// concurrent use.
func Default() *sim.Cloud { return defaultCloud() }

// Options returns the options for an embedded simulator that the settings
// ([awsx.NewSettings]) hold: "clock", an RFC 3339 time at which the simulator's clock stands
// still unless advanced (labs set it, so that the dates they print are the same on every
// run), and "seed", the seed of its IDs.
func Options(v *viper.Viper) ([]sim.Option, error) {
	var opts []sim.Option
	if s := v.GetString("clock"); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return nil, fmt.Errorf("awsx: setting clock: %q is not an RFC 3339 time such as 2026-01-01T09:00:00Z", s)
		}
		opts = append(opts, sim.WithClock(func() time.Time { return t }))
	}
	if v.IsSet("seed") {
		seed, err := cast.ToUint64E(v.Get("seed"))
		if err != nil {
			return nil, fmt.Errorf("awsx: setting seed: %q is not an unsigned integer", v.GetString("seed"))
		}
		opts = append(opts, sim.WithSeed(seed))
	}
	return opts, nil
}
