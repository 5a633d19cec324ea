package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/linnworks-go/linnworks/mock"
)

// TestMain registers the programs the scripts run; testscript runs each as a subprocess
// of this test binary, so they see exactly the script's environment and directory.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		// linnworks is the command itself.
		"linnworks": main,
		// exitcode N linnworks ARGS... runs the command and succeeds only if it exits N,
		// so scripts can tell exit code 1 (API error) from 2 (usage) apart.
		"exitcode": exitcodeMain,
	})
}

func exitcodeMain() {
	args := os.Args[1:]
	if len(args) < 2 || args[1] != "linnworks" {
		fmt.Fprintln(os.Stderr, "usage: exitcode N linnworks [args...]")
		os.Exit(3)
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		fmt.Fprintf(os.Stderr, "exitcode: %q is not a number\n", args[0])
		os.Exit(3)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	got := run(ctx, args[2:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	if got != want {
		fmt.Fprintf(os.Stderr, "exitcode: linnworks exited %d, want %d\n", got, want)
		os.Exit(1)
	}
	os.Exit(0)
}

// mockKey is where Setup keeps the script's mock server for the mock* script commands.
type mockKey struct{}

// TestScripts runs testdata/script/*.txtar. Each script gets an empty LINNWORKS_*
// environment (so the command falls back to its in-process mock) and its own mock
// served over loopback HTTP, described by MOCK_URL, MOCK_ADDR and MOCK_APPLICATION_ID,
// MOCK_APPLICATION_SECRET, MOCK_TOKEN (the mock's own test credentials). A real socket
// is the point there: the command runs in another process.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			for _, k := range []string{envApplicationID, envApplicationSecret, envToken, envAuthServer} {
				env.Setenv(k, "")
			}
			// A safety net: should a regression send anything to a real host, it goes to
			// a closed port instead (Go never proxies loopback, so the mocks still answer).
			for _, k := range []string{"HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"} {
				env.Setenv(k, "http://127.0.0.1:1")
			}
			env.Setenv("NO_PROXY", "")
			env.Setenv("no_proxy", "")
			m := mock.New()
			srv := httptest.NewServer(m.Handler())
			env.Defer(srv.Close)
			env.Values[mockKey{}] = m
			creds := m.Credentials()
			env.Setenv("MOCK_URL", srv.URL)
			env.Setenv("MOCK_ADDR", strings.TrimPrefix(srv.URL, "http://"))
			env.Setenv("MOCK_APPLICATION_ID", creds.ApplicationID)
			env.Setenv("MOCK_APPLICATION_SECRET", creds.ApplicationSecret)
			env.Setenv("MOCK_TOKEN", creds.Token)
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"mockfail":  cmdMockFail,
			"mockcalls": cmdMockCalls,
			"mockecho":  cmdMockEcho,
		},
	})
}

// cmdMockFail: mockfail OPERATION_ID N STATUS makes the script's HTTP mock answer the
// next N calls of the operation with STATUS.
func cmdMockFail(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: mockfail OPERATION_ID N STATUS")
	}
	n, err1 := strconv.Atoi(args[1])
	status, err2 := strconv.Atoi(args[2])
	if err1 != nil || err2 != nil {
		ts.Fatalf("mockfail: N and STATUS must be numbers")
	}
	ts.Value(mockKey{}).(*mock.Server).FailNext(args[0], n, status)
}

// cmdMockCalls: mockcalls OPERATION_ID N checks that the script's HTTP mock received
// exactly N calls of the operation.
func cmdMockCalls(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: mockcalls OPERATION_ID N")
	}
	want, err := strconv.Atoi(args[1])
	if err != nil {
		ts.Fatalf("mockcalls: N must be a number")
	}
	got := ts.Value(mockKey{}).(*mock.Server).Calls(args[0])
	if (got == want) == neg {
		ts.Fatalf("mockcalls %s: got %d calls, want %s%d", args[0], got, map[bool]string{true: "not ", false: ""}[neg], want)
	}
}

// cmdMockEcho: mockecho OPERATION_ID makes the script's HTTP mock answer the operation
// with a 400 whose Message echoes the request's Authorization header and body, the worst
// case for secrets in error messages.
func cmdMockEcho(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: mockecho OPERATION_ID")
	}
	ts.Value(mockKey{}).(*mock.Server).Stub(args[0], func(r *http.Request) (int, any) {
		body, _ := io.ReadAll(r.Body)
		msg := "you sent " + r.Header.Get("Authorization") + " with " + string(body)
		return http.StatusBadRequest, map[string]any{"Code": nil, "Message": msg}
	})
}
