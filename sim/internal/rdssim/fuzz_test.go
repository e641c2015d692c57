package rdssim

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// identifierRule is AWS's rule for DB instance identifiers, written as a regular expression: a
// reference for the hand-written check.
var identifierRule = regexp.MustCompile(`^[A-Za-z]([A-Za-z0-9]|-[A-Za-z0-9])*$`)

// FuzzIdentifier checks identifier against the rule's regular expression, and that what it
// accepts is stored in lower case. The corpus is in testdata/fuzz.
func FuzzIdentifier(f *testing.F) {
	for _, s := range []string{"shop-db", "a", "1db", "db-", "a--b", "Shop-DB-2", strings.Repeat("a", 64), "é", "a\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := identifier("DBInstanceIdentifier", &s, 63)
		want := s != "" && len(s) <= 63 && identifierRule.MatchString(s)
		if (err == nil) != want {
			t.Fatalf("identifier(%q) = %q, %v; the rule says %v", s, got, err, want)
		}
		if err != nil {
			if e := core.AsError(err); e.Code != InvalidParameterValue || e.Status != 400 {
				t.Fatalf("identifier(%q): %v", s, err)
			}
			return
		}
		if got != strings.ToLower(s) {
			t.Fatalf("identifier(%q) = %q", s, got)
		}
	})
}

// FuzzResourceName feeds arbitrary ARNs to the tagging operations' lookup: it never panics, it
// finds only the resources that are there, by their ARN in any case of the identifier, and it
// refuses everything else with AWS's codes.
func FuzzResourceName(f *testing.F) {
	for _, s := range []string{"arn:aws:rds:us-east-1:123456789012:db:shop", "arn:aws:rds:us-east-1:123456789012:snapshot:Snap",
		"arn:aws:rds:us-east-1:123456789012:pg:tuned", "arn:aws:rds:us-east-1:123456789012:subgrp:data", "arn:aws:rds:eu-west-1:123456789012:db:shop",
		"arn:aws:rds:us-east-1:123456789012:db:", "arn:aws:rds", "", "arn:aws:rds:us-east-1:123456789012:cluster:c", "arn:aws:rds:us-east-1:123456789012:db:shop:extra"} {
		f.Add(s)
	}
	s := NewStore("123456789012", core.NewClock(nil), core.NewIDs(1), nil)
	r := &regionState{
		Instances:    map[string]*instance{"shop": {ID: "shop"}},
		SubnetGroups: map[string]*subnetGroup{"data": {Name: "data"}},
		ParamGroups:  map[string]*paramGroup{"tuned": {Name: "tuned"}},
		Snapshots:    map[string]*snapshot{"snap": {ID: "snap"}},
	}
	known := []string{"db:shop", "subgrp:data", "pg:tuned", "snapshot:snap"}
	f.Fuzz(func(t *testing.T, arn string) {
		ts, err := s.tagged(r, "us-east-1", arn)
		if err == nil {
			rest, ok := strings.CutPrefix(arn, "arn:aws:rds:us-east-1:123456789012:")
			if !ok || ts == nil || !slices.Contains(known, strings.ToLower(rest)) && !slices.ContainsFunc(known, func(k string) bool {
				kind, id, _ := strings.Cut(k, ":")
				return strings.HasPrefix(rest, kind+":") && strings.EqualFold(strings.TrimPrefix(rest, kind+":"), id)
			}) {
				t.Fatalf("tagged(%q) found a resource", arn)
			}
			return
		}
		switch core.AsError(err).Code {
		case InvalidParameterValue, DBInstanceNotFound, DBSubnetGroupNotFoundFault, DBParameterGroupNotFound, DBSnapshotNotFound:
		default:
			t.Fatalf("tagged(%q): %v", arn, err)
		}
	})
}

// FuzzMarker feeds arbitrary markers to the pager: a page is a tail of the sorted items, or
// the marker is refused with InvalidParameterValue.
func FuzzMarker(f *testing.F) {
	for _, s := range []string{"", "ZGItMTI", "!!", "ZGItMDA", "enp6"} {
		f.Add(s)
	}
	var items []string
	for _, c := range "abcdefghijklmnopqrstuvwxy" {
		items = append(items, "db-"+string(c))
	}
	f.Fuzz(func(t *testing.T, marker string) {
		got, next, err := page(slices.Clone(items), func(s string) string { return s }, &marker, nil)
		if err != nil {
			if core.AsError(err).Code != InvalidParameterValue {
				t.Fatalf("page(%q): %v", marker, err)
			}
			return
		}
		if next != nil || len(got) > len(items) || !slices.Equal(got, items[len(items)-len(got):]) {
			t.Fatalf("page(%q) = %v, %v", marker, got, next)
		}
	})
}
