// Command specbundle merges openapi/root.yaml and openapi/controllers/*.yaml into one
// OpenAPI document. It is run by `go generate` (see generate.go at the module root).
//
// Usage:
//
//	go run ./internal/cmd/specbundle -o gen/openapi.yaml openapi
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/linnworks-go/linnworks/internal/specbundle"
)

func main() {
	out := flag.String("o", "", "output file (default: standard output)")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: specbundle [-o file] <openapi dir>")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	data, err := specbundle.Bundle(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if *out == "" {
		_, err = os.Stdout.Write(data)
	} else {
		err = os.WriteFile(*out, data, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
