// Command specsync imports Linnworks' public specification (the classic API's Swagger
// 2.0 files and the REST services' OpenAPI 3 files) into the project's OpenAPI
// documents and reports drift between the two.
//
// Usage:
//
//	go run ./internal/cmd/specsync import -upstream DIR [-openapi openapi]
//	go run ./internal/cmd/specsync drift  -upstream DIR [-openapi openapi]
//
// DIR is the "1.0" folder of LinnSystems/PublicApiSpecs or its parent. import
// rewrites openapi/controllers/*.yaml (applying openapi/overlays/*.yaml) and
// openapi/services/*.yaml (applying openapi/overlays/services/*.yaml); drift
// prints, per controller, what upstream added, removed or changed against the
// document and exits 1 when there is any difference, 0 when there is none.
// Run `go generate ./...` after an import.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/linnworks-go/linnworks/internal/specsync"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	cmd := args[0]
	fs := flag.NewFlagSet("specsync "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	upstream := fs.String("upstream", "", "folder of the upstream Swagger 2.0 files (the 1.0 folder or its parent)")
	openapiDir := fs.String("openapi", "openapi", "folder of the project's OpenAPI document")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if fs.NArg() != 0 {
		fmt.Fprintf(stderr, "specsync %s: unexpected arguments %q\n", cmd, fs.Args())
		return 2
	}
	if *upstream == "" {
		fmt.Fprintf(stderr, "specsync %s: -upstream is required\n", cmd)
		return 2
	}
	switch cmd {
	case "import":
		for _, step := range []struct {
			noun string
			run  func(upstreamDir, openapiDir string) (*specsync.ImportResult, error)
		}{
			{"controller", specsync.Import},
			{"REST service", specsync.ImportServices},
		} {
			res, err := step.run(*upstream, *openapiDir)
			if err != nil {
				fmt.Fprintln(stderr, err)
				return 1
			}
			printImport(stdout, step.noun, *openapiDir, res)
		}
		return 0
	case "drift":
		code := 0
		for _, drift := range []func(upstreamDir, openapiDir string) (*specsync.Report, error){specsync.Drift, specsync.DriftServices} {
			rep, err := drift(*upstream, *openapiDir)
			if err != nil {
				fmt.Fprintln(stderr, err)
				return 1
			}
			rep.Write(stdout)
			if !rep.Clean() {
				code = 1
			}
		}
		return code
	default:
		usage(stderr)
		return 2
	}
}

// printImport says what an import of the classic controllers or the REST services
// did (noun names the files: "controller", "REST service").
func printImport(w io.Writer, noun, openapiDir string, res *specsync.ImportResult) {
	fmt.Fprintf(w, "wrote %d %s files under %s\n", len(res.Written), noun, openapiDir)
	for _, s := range res.Skipped {
		fmt.Fprintf(w, "skipped %s (not Swagger 2.0: not part of the classic API)\n", s)
	}
	for _, u := range res.Unmatched {
		fmt.Fprintf(w, "kept %s (no upstream file)\n", u)
	}
	for _, n := range res.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: specsync import -upstream DIR [-openapi openapi]")
	fmt.Fprintln(w, "       specsync drift  -upstream DIR [-openapi openapi]")
}
