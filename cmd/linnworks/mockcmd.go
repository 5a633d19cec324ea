package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/linnworks-go/linnworks/authn"
	"github.com/linnworks-go/linnworks/mock"
)

// shutdownGrace bounds how long the mock waits for requests in flight when stopping.
const shutdownGrace = 5 * time.Second

func mockCommand() *command {
	return &command{
		name:     "mock",
		synopsis: "serve the spec-validated Linnworks mock over HTTP",
		help: `Usage: linnworks mock [--addr HOST:PORT] [--quiet]

Serves a fake Linnworks API on HOST:PORT: every request and response is checked against
the API description, sessions come from Auth_AuthorizeByApplication with the credentials
printed at start (the mock's own, not secrets), other operations answer with examples.
Each request is logged on stderr unless --quiet. Ctrl-C (or SIGTERM) stops it cleanly.

Point auth and call at it by exporting the printed variables in another shell.

Example:
  linnworks mock --addr 127.0.0.1:8080
`,
		run: runMock,
	}
}

func runMock(ctx context.Context, s *streams, args []string) error {
	c := mockCommand()
	fs := newFlagSet(c.name)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on; port 0 picks a free one")
	quiet := fs.Bool("quiet", false, "do not log requests on stderr")
	pos, err := parseArgs(c, fs, s, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErr("takes no arguments, got: %s", strings.Join(pos, " "))
	}
	if _, _, err := net.SplitHostPort(*addr); err != nil {
		return usageErr("--addr %q: want HOST:PORT, e.g. 127.0.0.1:8080: %v", *addr, err)
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", *addr)
	if err != nil {
		return failure(fmt.Errorf("listening on %s: %w", *addr, err))
	}
	m := mock.New()
	var h http.Handler = m.Handler()
	if !*quiet {
		h = logRequests(h, s.stderr)
	}
	base := "http://" + ln.Addr().String()
	printMockBanner(s.stdout, base, m.Credentials())
	if err := serve(ctx, ln, h); err != nil {
		return failure(err)
	}
	fmt.Fprintln(s.stderr, "linnworks mock: stopped")
	return nil
}

// printMockBanner prints the base URL and the variables that point auth and call at it.
// The credentials are the mock's own, accepted nowhere else, so printing them is safe.
func printMockBanner(w io.Writer, base string, creds authn.Credentials) {
	fmt.Fprintf(w, "linnworks mock: serving on %s (Ctrl-C stops it)\n", base)
	fmt.Fprintln(w, "# the mock's own credentials (not secrets); in another shell:")
	fmt.Fprintf(w, "export %s=%s\n", envAuthServer, base)
	fmt.Fprintf(w, "export %s=%s\n", envApplicationID, creds.ApplicationID)
	fmt.Fprintf(w, "export %s=%s\n", envApplicationSecret, creds.ApplicationSecret)
	fmt.Fprintf(w, "export %s=%s\n", envToken, creds.Token)
}

// serve answers on ln until ctx ends, then shuts down gracefully: no new connections,
// requests in flight get shutdownGrace to finish. It returns nil after a clean stop.
func serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serving on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("stopping: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serving on %s: %w", ln.Addr(), err)
	}
	return nil
}

// logRequests logs one line per request on w: method, path and status. Headers (the
// session token) and bodies (credentials) are never logged.
func logRequests(next http.Handler, w io.Writer) http.Handler {
	var mu sync.Mutex // requests are served concurrently; keep lines whole
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: rw, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(w, "linnworks mock: %s %s %d\n", r.Method, r.URL.Path, rec.status)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
}

func (r *statusRecorder) WriteHeader(code int) {
	if !r.wroteHeader {
		r.status, r.wroteHeader = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
