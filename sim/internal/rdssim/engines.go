package rdssim

import (
	"slices"
	"strings"
)

// engine is one database engine of the catalog, with the versions the simulator offers.
// The versions are a subset of those AWS listed for the engine in 2025 (DescribeDBEngineVersions,
// and "Supported versions" in the RDS User Guide); AWS's list changes every month.
type engine struct {
	name        string
	description string
	port        int32
	license     string
	userMax     int // MasterUsername's longest
	passMax     int // MasterUserPassword's longest
	versions    []engineVersion
	reserved    []string // master user names the engine keeps for itself
}

type engineVersion struct {
	version     string
	family      string // the parameter group family
	description string
	def         bool // AWS's default version of the engine
}

var engines = []engine{
	{name: "mariadb", description: "MariaDb Community Edition", port: 3306, license: "general-public-license", userMax: 16, passMax: 41,
		reserved: []string{"rdsadmin", "rdsrepladmin"},
		versions: []engineVersion{
			{"10.6.20", "mariadb10.6", "MariaDB 10.6.20", false},
			{"10.11.10", "mariadb10.11", "MariaDB 10.11.10", false},
			{"11.4.4", "mariadb11.4", "MariaDB 11.4.4", true},
		}},
	{name: "mysql", description: "MySQL Community Edition", port: 3306, license: "general-public-license", userMax: 16, passMax: 41,
		reserved: []string{"rdsadmin", "rdsrepladmin", "mysql.sys", "mysql.session", "mysql.infoschema"},
		versions: []engineVersion{
			{"8.0.39", "mysql8.0", "MySQL 8.0.39", false},
			{"8.0.40", "mysql8.0", "MySQL 8.0.40", false},
			{"8.0.41", "mysql8.0", "MySQL 8.0.41", true},
			{"8.4.3", "mysql8.4", "MySQL 8.4.3", false},
			{"8.4.4", "mysql8.4", "MySQL 8.4.4", false},
		}},
	{name: "postgres", description: "PostgreSQL", port: 5432, license: "postgresql-license", userMax: 63, passMax: 128,
		reserved: []string{"rdsadmin", "rdsrepladmin", "rds_superuser", "rdstopmgr"},
		versions: []engineVersion{
			{"14.15", "postgres14", "PostgreSQL 14.15-R1", false},
			{"15.10", "postgres15", "PostgreSQL 15.10-R1", false},
			{"16.6", "postgres16", "PostgreSQL 16.6-R1", false},
			{"17.2", "postgres17", "PostgreSQL 17.2-R1", true},
		}},
}

// findEngine returns the engine of the name, case-insensitively, or nil.
func findEngine(name string) *engine {
	for i := range engines {
		if strings.EqualFold(engines[i].name, name) {
			return &engines[i]
		}
	}
	return nil
}

// version resolves a requested version: "" is the default, a major version ("8.0", "16")
// its newest minor, anything else must be listed.
func (e *engine) version(v string) (engineVersion, bool) {
	if v == "" {
		for _, ev := range e.versions {
			if ev.def {
				return ev, true
			}
		}
	}
	var best engineVersion
	for _, ev := range e.versions {
		if ev.version == v {
			return ev, true
		}
		if strings.HasPrefix(ev.version, v+".") {
			best = ev // versions are listed oldest first
		}
	}
	return best, best.version != ""
}

// family returns the engine version of a parameter group family, or nil.
func familyOf(family string) (*engine, bool) {
	for i := range engines {
		for _, ev := range engines[i].versions {
			if strings.EqualFold(ev.family, family) {
				return &engines[i], true
			}
		}
	}
	return nil, false
}

// families lists every parameter group family of the catalog, sorted.
func families() []string {
	var out []string
	for _, e := range engines {
		for _, ev := range e.versions {
			if !slices.Contains(out, ev.family) {
				out = append(out, ev.family)
			}
		}
	}
	slices.Sort(out)
	return out
}

// instanceClasses are the DB instance classes offered for the three engines (the RDS User
// Guide's "Supported DB engines for DB instance classes"; the simulator offers the same
// classes for each).
var instanceClasses = func() []string {
	sizes := map[string][]string{
		"t3": {"micro", "small", "medium", "large", "xlarge", "2xlarge"}, "t4g": {"micro", "small", "medium", "large", "xlarge", "2xlarge"},
		"m5": {"large", "xlarge", "2xlarge", "4xlarge", "8xlarge"}, "m6g": {"large", "xlarge", "2xlarge", "4xlarge"},
		"m6i": {"large", "xlarge", "2xlarge", "4xlarge"}, "m7g": {"large", "xlarge", "2xlarge", "4xlarge"},
		"r5": {"large", "xlarge", "2xlarge", "4xlarge"}, "r6g": {"large", "xlarge", "2xlarge", "4xlarge"},
		"r6i": {"large", "xlarge", "2xlarge", "4xlarge"}, "r7g": {"large", "xlarge", "2xlarge", "4xlarge"},
	}
	var out []string
	for fam, ss := range sizes {
		for _, s := range ss {
			out = append(out, "db."+fam+"."+s)
		}
	}
	slices.Sort(out)
	return out
}()

// storageLimits are the AllocatedStorage bounds in GiB of MySQL, MariaDB and PostgreSQL per
// storage type (the CreateDBInstance API reference, AllocatedStorage).
var storageLimits = map[string][2]int32{
	"gp2": {20, 65536}, "gp3": {20, 65536}, "io1": {100, 65536}, "io2": {100, 65536}, "standard": {5, 3072},
}
