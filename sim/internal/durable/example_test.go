package durable_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"

	"github.com/awsxlab/awsx/sim/internal/durable"
)

func Example() {
	path, err := os.MkdirTemp("", "state")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(path)
	ctx := context.Background()

	// A command that writes: store a body, then commit the parts that reference it.
	d, err := durable.Open(ctx, path, durable.ReadWrite)
	if err != nil {
		log.Fatal(err)
	}
	ref, err := d.PutBlob([]byte("hello, world"))
	if err != nil {
		log.Fatal(err)
	}
	err = d.Commit(map[string][]byte{
		"meta":        []byte(`{"account":"123456789012"}`),
		"s3/my-notes": []byte(`{"hello.txt":"` + ref + `"}`),
	})
	if err != nil {
		log.Fatal(err)
	}
	d.Close()

	// A command that only reads: a shared lock, and only the parts it asks for are read.
	d, err = durable.Open(ctx, path, durable.ReadOnly)
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()
	meta, _ := d.Part("meta")
	fmt.Printf("%s\n", meta)
	fmt.Println(d.Parts())
	if _, err := d.Part("iam"); errors.Is(err, fs.ErrNotExist) {
		fmt.Println("no iam part yet")
	}
	body, _ := d.ReadBlob(ref)
	fmt.Printf("%s: %q\n", ref[:12], body)
	// Output:
	// {"account":"123456789012"}
	// [meta s3/my-notes]
	// no iam part yet
	// 09ca7e4eaa6e: "hello, world"
}
