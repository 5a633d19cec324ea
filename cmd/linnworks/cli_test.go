package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/linnworks-go/linnworks/internal/opindex"
)

// lockedBuffer is a bytes.Buffer safe for the server's goroutines and the test.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func noEnv(string) string { return "" }

// TestMockCommandServesUntilCancelled runs `linnworks mock` on a loopback listener, calls
// an operation through it with the credentials it printed (the same path as a user's
// second shell), then cancels the context as Ctrl-C would and checks a clean stop.
func TestMockCommandServesUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	pr, pw := io.Pipe()
	var stderr lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"mock", "--addr", "127.0.0.1:0"}, strings.NewReader(""), pw, &stderr, noEnv)
		pw.Close()
	}()

	// The banner: base URL, then the variables to export.
	env := map[string]string{}
	var banner []string
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		line := sc.Text()
		banner = append(banner, line)
		if kv, ok := strings.CutPrefix(line, "export "); ok {
			k, v, _ := strings.Cut(kv, "=")
			env[k] = v
		}
		if strings.HasPrefix(line, "export "+envToken+"=") {
			break
		}
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	if len(banner) == 0 || !strings.HasPrefix(banner[0], "linnworks mock: serving on http://127.0.0.1:") {
		t.Fatalf("banner = %q, want it to start with the base URL", banner)
	}
	for _, k := range []string{envAuthServer, envApplicationID, envApplicationSecret, envToken} {
		if env[k] == "" {
			t.Fatalf("banner lacks %s: %q", k, banner)
		}
	}

	var out, errOut bytes.Buffer
	code := run(ctx, []string{"call", "Inventory_GetCategories"}, strings.NewReader(""), &out, &errOut, func(k string) string { return env[k] })
	if code != exitOK {
		t.Fatalf("call through the served mock: exit %d, stderr %q", code, errOut.String())
	}
	if !strings.Contains(out.String(), `"CategoryId"`) {
		t.Errorf("call output = %q, want categories", out.String())
	}
	if strings.Contains(errOut.String(), "in-process mock") {
		t.Errorf("call used the in-process mock, want the served one: %q", errOut.String())
	}

	cancel()
	if code := <-done; code != exitOK {
		t.Fatalf("mock exited %d after cancel, want 0; stderr %q", code, stderr.String())
	}
	log := stderr.String()
	for _, want := range []string{
		"linnworks mock: POST /api/Auth/AuthorizeByApplication 200",
		"linnworks mock: GET /api/Inventory/GetCategories 200",
		"linnworks mock: stopped",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("mock stderr lacks %q:\n%s", want, log)
		}
	}
	if strings.Contains(log, env[envApplicationSecret]) || strings.Contains(log, env[envToken]) {
		t.Errorf("mock log shows a credential:\n%s", log)
	}

	// Stopped means stopped: the port no longer answers.
	errOut.Reset()
	code = run(t.Context(), []string{"auth"}, strings.NewReader(""), io.Discard, &errOut, func(k string) string { return env[k] })
	if code != exitFailure || !strings.Contains(errOut.String(), "authorizing at "+env[envAuthServer]) {
		t.Errorf("auth after stop: exit %d, stderr %q; want 1, failing to reach the stopped mock", code, errOut.String())
	}
}

// TestEveryOperationIsCallable loads each operation of every embedded document (the
// classic API and the REST services) on its own, as call does, fills its path
// parameters, required query parameters and request body with synthesised minimal
// values, and requires the request to build and to pass validation: call works for
// every operation, however many, with nothing but flags. It also holds the CLI to
// its flags: an operation with a header or cookie parameter would need a flag call
// does not have.
func TestEveryOperationIsCallable(t *testing.T) {
	cat, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.ops) == 0 {
		t.Fatal("the embedded documents have no operations")
	}
	withPath := 0
	for _, o := range cat.ops {
		op, err := cat.resolve(t.Context(), o)
		if err != nil {
			t.Errorf("%s: %v", o.ID, err)
			continue
		}
		var pathFlags, queryFlags []string
		for _, p := range op.parameters() {
			switch p.In {
			case openapi3.ParameterInPath:
				pathFlags = append(pathFlags, p.Name+"="+minimalParam(p)[0])
			case openapi3.ParameterInQuery:
				if p.Required {
					for _, v := range minimalParam(p) {
						queryFlags = append(queryFlags, p.Name+"="+v)
					}
				}
			default:
				t.Errorf("%s has %s parameter %q: call has no flag for it", o.ID, p.In, p.Name)
			}
		}
		if len(pathFlags) > 0 {
			withPath++
		}
		q, err := queryValues(op, queryFlags)
		if err != nil {
			t.Errorf("%s: query %q: %v", o.ID, queryFlags, err)
			continue
		}
		path, err := pathValues(op, pathFlags)
		if err != nil {
			t.Errorf("%s: path %q: %v", o.ID, pathFlags, err)
			continue
		}
		var body []byte
		if op.hasBody() {
			if body, err = json.Marshal(minimalValue(op.Op.RequestBody.Value.Content.Get("application/json").Schema, 0)); err != nil {
				t.Errorf("%s: %v", o.ID, err)
				continue
			}
		}
		base := cat.authServer
		if o.Server != "" {
			base = o.Server
		}
		req, err := buildRequest(t.Context(), base, op, body, q, path)
		if err != nil {
			t.Errorf("%s: building: %v", o.ID, err)
			continue
		}
		if strings.ContainsAny(req.URL.Path, "{}") {
			t.Errorf("%s: URL %s still has a placeholder", o.ID, req.URL)
		}
		if err := validateRequest(t.Context(), op, req, path); err != nil {
			t.Errorf("%s: validating (path %q, query %q, body %s): %v", o.ID, pathFlags, queryFlags, body, err)
		}
	}
	if withPath == 0 {
		t.Error("no operation has a path parameter; the REST services do")
	}
}

func TestRedactJSON(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
		changed        bool
	}{
		{"top level", `{"Token":"abc","Server":"https://x","TTL":1200}`, `{"Token":"[redacted]","Server":"https://x","TTL":1200}`, true},
		{"ignores case, nested, keeps order", `{"z":[{"accesstoken":"t","a":null}],"Md5Hash":"h"}`, `{"z":[{"accesstoken":"[redacted]","a":null}],"Md5Hash":"[redacted]"}`, true},
		{"null stays null", `{"Token":null}`, `{"Token":null}`, false},
		{"objects as values", `{"Token":{"x":1}}`, `{"Token":"[redacted]"}`, true},
		{"nothing to redact", `[1,2.5,"<&>",true,false,null,{}]`, `[1,2.5,"<&>",true,false,null,{}]`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, changed, err := redactJSON([]byte(tc.in), sessionSecretFields)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want || changed != tc.changed {
				t.Errorf("redactJSON(%s) = %s, %v; want %s, %v", tc.in, got, changed, tc.want, tc.changed)
			}
		})
	}
	if _, _, err := redactJSON([]byte(`{"Token":`), sessionSecretFields); err == nil {
		t.Error("redactJSON of truncated JSON: no error")
	}
}

func TestFieldPath(t *testing.T) {
	for _, tc := range []struct {
		ptr  []string
		want string
	}{
		{[]string{"entriesPerPage"}, "entriesPerPage"},
		{[]string{"sorting", "0", "Direction"}, "sorting[0].Direction"},
		{[]string{"0", "Name"}, "[0].Name"},
	} {
		if got := fieldPath(tc.ptr); got != tc.want {
			t.Errorf("fieldPath(%q) = %q, want %q", tc.ptr, got, tc.want)
		}
	}
}

func TestParseArgsInterspersed(t *testing.T) {
	c := callCommand()
	fs := newFlagSet(c.name)
	data := fs.String("data", "", "")
	var q stringsFlag
	fs.Var(&q, "query", "")
	s := &streams{stdout: io.Discard, stderr: io.Discard, getenv: noEnv}
	pos, err := parseArgs(c, fs, s, []string{"Op_One", "--data", "{}", "--query", "a=1", "--query=b=2", "--", "--not-a-flag"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(pos, " ") != "Op_One --not-a-flag" || *data != "{}" || strings.Join(q, ",") != "a=1,b=2" {
		t.Errorf("pos %q, data %q, query %q", pos, *data, q)
	}
}

func BenchmarkLoadCatalog(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := loadCatalog(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkResolveOperation(b *testing.B) {
	cat, err := loadCatalog()
	if err != nil {
		b.Fatal(err)
	}
	o, err := cat.lookup("Orders_GetOpenOrders")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := cat.resolve(b.Context(), o); err != nil {
			b.Fatal(err)
		}
	}
}

func TestReplaceFold(t *testing.T) {
	for _, tc := range []struct{ s, old, want string }{
		{"token ABC-def in abc-DEF", "abc-def", "token [redacted] in [redacted]"},
		{"nothing here", "abc", "nothing here"},
		{"empty secret", "", "empty secret"},
		{"abcabc", "abc", "[redacted][redacted]"},
	} {
		if got := replaceFold(tc.s, tc.old, redactedValue); got != tc.want {
			t.Errorf("replaceFold(%q, %q) = %q, want %q", tc.s, tc.old, got, tc.want)
		}
	}
}

// TestMockStopsOnSignal runs the real binary (the test binary, which TestMain turns into
// `linnworks` on PATH) and stops `linnworks mock` with Ctrl-C's SIGINT and with SIGTERM:
// both must end in a clean shutdown and exit code 0.
func TestMockStopsOnSignal(t *testing.T) {
	bin, err := exec.LookPath("linnworks")
	if err != nil {
		t.Fatalf("linnworks is not on PATH (TestMain puts it there): %v", err)
	}
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd := exec.CommandContext(t.Context(), bin, "mock", "--addr", "127.0.0.1:0")
			cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			var stderr lockedBuffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// The banner comes after the listener is up and the signal handler is set.
			line, err := bufio.NewReader(stdout).ReadString('\n')
			if err != nil || !strings.HasPrefix(line, "linnworks mock: serving on http://127.0.0.1:") {
				t.Fatalf("first line %q, %v; want the base URL", line, err)
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			go func() { _, _ = io.Copy(io.Discard, stdout) }()
			if err := cmd.Wait(); err != nil {
				t.Fatalf("after %v: %v; stderr %q", sig, err, stderr.String())
			}
			if !strings.Contains(stderr.String(), "linnworks mock: stopped") {
				t.Errorf("stderr %q lacks the clean stop", stderr.String())
			}
		})
	}
}

func TestAPIError(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
		want   string
	}{
		{400, `{"Code":null,"Message":"Invalid stock item id"}`, "Op_X: HTTP 400 Bad Request: Invalid stock item id"},
		{429, `{"Code":"RATE","Message":"Too many"}`, "Op_X: HTTP 429 Too Many Requests (code RATE): Too many"},
		{502, "<html>\n<body>Bad   gateway</body></html>", "Op_X: HTTP 502 Bad Gateway: <html> <body>Bad gateway</body></html>"},
		{500, "", "Op_X: HTTP 500 Internal Server Error"},
		{599, strings.Repeat("x", 300), "Op_X: HTTP 599: " + strings.Repeat("x", 200) + "…"},
	} {
		if got := apiError("Op_X", tc.status, []byte(tc.body)).Error(); got != tc.want {
			t.Errorf("apiError(%d, %q) = %q, want %q", tc.status, tc.body, got, tc.want)
		}
	}
}

// TestPathParameterEscaping fills a plain string path parameter with characters that
// mean something in a URL: the request must carry them escaped inside their one path
// segment (nothing leaks into the query or fragment, no extra segment), and the
// validator must see the value as the user typed it.
func TestPathParameterEscaping(t *testing.T) {
	cat, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	var op *resolvedOp
	var name string
	for _, o := range cat.ops {
		if !strings.Contains(o.Path, "{") {
			continue
		}
		r, err := cat.resolve(t.Context(), o)
		if err != nil {
			t.Fatal(err)
		}
		names := r.pathParameters()
		p := r.Op.Parameters.GetByInAndName(openapi3.ParameterInPath, names[0])
		if len(names) == 1 && p != nil && p.Schema.Value.Type.Is(openapi3.TypeString) && p.Schema.Value.Format == "" {
			op, name = r, names[0]
			break
		}
	}
	if op == nil {
		t.Fatal("no operation has a single plain string path parameter to test escaping with")
	}
	const value = "a/b c?d#e%f&g=h;é"
	path, err := pathValues(op, []string{strings.ToUpper(name) + "=" + value})
	if err != nil {
		t.Fatal(err)
	}
	var body []byte
	if op.hasBody() {
		body, _ = json.Marshal(minimalValue(op.Op.RequestBody.Value.Content.Get("application/json").Schema, 0))
	}
	req, err := buildRequest(t.Context(), "https://eu-api.linnworks.net/v1", op, body, nil, path)
	if err != nil {
		t.Fatal(err)
	}
	wantPath := strings.Replace(op.Path, "{"+name+"}", "a%2Fb%20c%3Fd%23e%25f&g=h%3B%C3%A9", 1)
	if got := req.URL.EscapedPath(); got != "/v1"+wantPath {
		t.Errorf("escaped path = %s, want /v1%s", got, wantPath)
	}
	if req.URL.RawQuery != "" || req.URL.Fragment != "" {
		t.Errorf("the value leaked out of the path: query %q, fragment %q", req.URL.RawQuery, req.URL.Fragment)
	}
	if err := validateRequest(t.Context(), op, req, path); err != nil {
		t.Errorf("validating: %v", err)
	}
}

// TestPathValues covers the checks on --path pairs, with the messages a user sees.
func TestPathValues(t *testing.T) {
	// A fake operation with two path parameters, so the test does not depend on the documents.
	op := &resolvedOp{
		operation: &operation{ID: "svc.Things_GetPart", Method: "GET", Path: "/things/{thingId}/parts/{partId}"},
		Item:      &openapi3.PathItem{},
		Op: &openapi3.Operation{Parameters: openapi3.Parameters{
			{Value: openapi3.NewPathParameter("thingId").WithSchema(openapi3.NewStringSchema())},
			{Value: openapi3.NewPathParameter("partId").WithSchema(openapi3.NewInt32Schema())},
		}},
	}
	for _, tc := range []struct {
		pairs []string
		want  string // error text; "" for success
	}{
		{[]string{"thingId=t1", "partId=2"}, ""},
		{[]string{"THINGID=t1", "partid=2"}, ""},
		{[]string{"thingId=t1"}, `svc.Things_GetPart needs path parameter "partId": --path partId=VALUE`},
		{nil, `svc.Things_GetPart needs path parameters "thingId", "partId": --path NAME=VALUE for each`},
		{[]string{"thingId=t1", "partId=2", "x=1"}, `unknown path parameter "x" for svc.Things_GetPart (it takes: thingId, partId)`},
		{[]string{"thingId=t1", "thingid=t2"}, `path parameter "thingId" is given twice`},
		{[]string{"thingId"}, `--path "thingId": want NAME=VALUE`},
		{[]string{"=1"}, `--path "=1": want NAME=VALUE`},
		{[]string{"thingId="}, `path parameter "thingId" is empty`},
		{[]string{"thingId=.", "partId=2"}, `path parameter "thingId": "." is not a value (it would change the path)`},
	} {
		got, err := pathValues(op, tc.pairs)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("pathValues(%q): %v", tc.pairs, err)
		case tc.want == "" && (got["thingId"] != "t1" || got["partId"] != "2"):
			t.Errorf("pathValues(%q) = %v, want thingId t1, partId 2 (the document's spelling)", tc.pairs, got)
		case tc.want != "":
			var ce *cliError
			if !errors.As(err, &ce) || ce.code != exitUsage || err.Error() != tc.want {
				t.Errorf("pathValues(%q) = %v, want usage error %q", tc.pairs, err, tc.want)
			}
		}
	}
}

// TestCatalogAgreesWithOpindex holds the CLI's catalog (which decodes the documents
// itself, with the summaries, tags and security it lists) to internal/opindex, the
// index the client's rate limiter and retrier use: the same operations under the same
// ids, methods, wire paths and rate limits, so a service added to one and not the
// other fails here.
func TestCatalogAgreesWithOpindex(t *testing.T) {
	cat, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	idx, err := opindex.All()
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.ops) != len(idx.Ops) {
		t.Errorf("the catalog has %d operations, opindex.All %d", len(cat.ops), len(idx.Ops))
	}
	for _, o := range cat.ops {
		x := idx.ByID(o.ID)
		if x == nil {
			t.Errorf("%s is not in opindex.All", o.ID)
			continue
		}
		if x.Method != o.Method || x.Path != o.fullPath() || x.RateLimit != o.RateLimit {
			t.Errorf("%s: catalog %s %s %d/min, opindex %s %s %d/min", o.ID, o.Method, o.fullPath(), o.RateLimit, x.Method, x.Path, x.RateLimit)
		}
	}
}
