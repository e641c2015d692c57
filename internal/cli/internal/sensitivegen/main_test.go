package main

import (
	"bytes"
	"os"
	"slices"
	"testing"

	"github.com/awsxlab/awsx/internal/awsmodel"
)

// TestFresh fails when serve_log_sensitive.go is not what the generator writes from the
// botocore models on this machine for awsmodel's list: run `go generate ./internal/cli`.
func TestFresh(t *testing.T) {
	data, err := Data()
	if err != nil {
		t.Skipf("cannot check the table of sensitive parameters: %v", err)
	}
	want, err := Generate(data, awsmodel.Services())
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../serve_log_sensitive.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("serve_log_sensitive.go is stale (or made from another botocore than %s): run go generate ./internal/cli", data)
	}
}

// The keys are those the protocols put in a URL, found through sensitive shapes and members,
// down lists, maps and structures, never below a sensitive one; a recursive shape with a
// secret below is secret whole.
func TestKeys(t *testing.T) {
	m := &model{
		Operations: map[string]operation{
			"Op":    {Input: &ref{Shape: "In"}},
			"Rest":  {Input: &ref{Shape: "RestIn"}},
			"Plain": {Input: &ref{Shape: "PlainIn"}},
			"None":  {},
		},
		Shapes: map[string]*shape{
			"In": {Type: "structure", Members: map[string]ref{
				"Password": {Shape: "Secret"},
				"Named":    {Shape: "String", LocationName: "userData", Sensitive: true},
				"Tags":     {Shape: "TagList"},
				"Attrs":    {Shape: "AttrMap"},
				"Whole":    {Shape: "SecretStruct"},
				"Self":     {Shape: "In"},
				"Name":     {Shape: "String"},
			}},
			"RestIn": {Type: "structure", Members: map[string]ref{
				"Head":  {Shape: "Secret", Location: "header", LocationName: "x-amz-key"},
				"Query": {Shape: "Secret", Location: "querystring", LocationName: "key"},
				"Body":  {Shape: "Secret"},
				"Name":  {Shape: "String", Location: "querystring", LocationName: "name"},
			}},
			"PlainIn":      {Type: "structure", Members: map[string]ref{"Name": {Shape: "String"}}},
			"String":       {Type: "string"},
			"Secret":       {Type: "string", Sensitive: true},
			"TagList":      {Type: "list", Member: &ref{Shape: "Tag"}},
			"Tag":          {Type: "structure", Members: map[string]ref{"Key": {Shape: "String"}, "Value": {Shape: "Secret"}}},
			"AttrMap":      {Type: "map", Key: &ref{Shape: "String"}, Value: &ref{Shape: "Secret"}},
			"SecretStruct": {Type: "structure", Sensitive: true, Members: map[string]ref{"Inner": {Shape: "Secret"}}},
		},
	}
	tests := []struct {
		protocol awsmodel.Protocol
		op       string
		want     []string
	}{
		{awsmodel.AWSQuery, "Op", []string{"Attrs.entry.*.value", "Password", "Self", "Tags.member.*.Value", "Whole", "userData"}},
		{awsmodel.EC2Query, "Op", []string{"Attrs.entry.*.value", "Password", "Self", "Tags.*.Value", "UserData", "Whole"}},
		{awsmodel.RESTXML, "Rest", []string{"key", "x-amz-key"}},
		{awsmodel.AWSJSON11, "Op", nil},
	}
	for _, tt := range tests {
		t.Run(string(tt.protocol), func(t *testing.T) {
			got, err := keys(m, awsmodel.Service{Name: "x", Protocol: tt.protocol})
			if err != nil {
				t.Fatal(err)
			}
			plain, listed := got["Plain"]
			if len(plain) > 0 {
				t.Errorf("Plain has keys %q; it has no sensitive member", plain)
			}
			if query := tt.protocol == awsmodel.AWSQuery || tt.protocol == awsmodel.EC2Query; listed != query {
				t.Errorf("Plain listed: %v, want %v (for a query protocol, every operation is)", listed, query)
			}
			if !slices.Equal(got[tt.op], tt.want) {
				t.Errorf("%s's keys are %q, want %q", tt.op, got[tt.op], tt.want)
			}
		})
	}
}
