// Command linnworks authorizes against the Linnworks API, lists the operations of the
// embedded OpenAPI document, calls any of them through the same validated pipeline a Go
// service uses, and serves the spec-validated mock over HTTP.
//
// Run `linnworks help` for the commands. With no LINNWORKS_* variables set, `auth` and
// `call` talk to an in-process mock, so every command works on a fresh machine.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}
