package authn

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/linnworks-go/linnworks/gen"
)

func TestEditRequestRoutesToTheSessionServer(t *testing.T) {
	f := newFake(t)
	src := f.source()
	req, err := gen.NewStockGetStockLevelRequest(DefaultAuthServer, &gen.StockGetStockLevelParams{})
	if err != nil {
		t.Fatal(err)
	}
	req.URL.RawQuery = "stockItemId=abc&x=1"
	req.Header.Set("Authorization", "Bearer something-else")
	if err := src.EditRequest(t.Context(), req); err != nil {
		t.Fatal(err)
	}
	sess, _ := src.Session(t.Context())
	if got := req.Header.Values("Authorization"); len(got) != 1 || got[0] != sess.Token {
		t.Errorf("Authorization = %q; want exactly the bare session token", got)
	}
	if req.URL.String() != euServer+"/api/Stock/GetStockLevel?stockItemId=abc&x=1" || req.Host != "eu-ext.linnworks.net" {
		t.Errorf("routed to %s (Host %q)", req.URL, req.Host)
	}
}

// Every operation the embedded spec marks `security: []` is left alone, every
// other one gets the session: checked for all operations of the document.
func TestEditRequestFollowsTheSpecSecurity(t *testing.T) {
	doc, err := gen.GetSpec()
	if err != nil {
		t.Fatal(err)
	}
	f := newFake(t)
	src := f.source()
	var public, secured int
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			sec := op.Security
			if sec == nil {
				sec = &doc.Security
			}
			wantUntouched := sec != nil && len(*sec) == 0
			u := DefaultAuthServer + strings.NewReplacer("{", "x", "}", "x").Replace(path)
			req, err := http.NewRequest(method, u, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := src.EditRequest(t.Context(), req); err != nil {
				t.Fatalf("%s: %v", op.OperationID, err)
			}
			touched := req.Header.Get("Authorization") != "" || req.URL.Host != "api.linnworks.net"
			if touched == wantUntouched {
				t.Errorf("%s (%s %s): touched=%v, want %v", op.OperationID, method, path, touched, !wantUntouched)
			}
			if wantUntouched {
				public++
			} else {
				secured++
			}
		}
	}
	if public < 2 || secured < 4 {
		t.Fatalf("checked %d public and %d secured operations; the document has more", public, secured)
	}
	if auth, _ := f.counts(); auth != 1 {
		t.Fatalf("%d authorizations; want 1", auth)
	}
}

func TestAuthOperationsNeedNoSession(t *testing.T) {
	f := newFake(t)
	f.authStatus = 500 // no session can be had; the Auth operations must not need one
	src := f.source()
	for _, build := range []func() (*http.Request, error){
		func() (*http.Request, error) {
			return gen.NewAuthAuthorizeByApplicationRequest(DefaultAuthServer, gen.AuthAuthorizeByApplicationJSONRequestBody{})
		},
		func() (*http.Request, error) {
			return gen.NewAuthGetApplicationProfileBySecretKeyRequest(DefaultAuthServer, gen.AuthGetApplicationProfileBySecretKeyJSONRequestBody{})
		},
	} {
		req, err := build()
		if err != nil {
			t.Fatal(err)
		}
		before := req.URL.String()
		if err := src.EditRequest(t.Context(), req); err != nil {
			t.Fatalf("%s: %v", req.URL.Path, err)
		}
		if req.URL.String() != before || req.Header.Get("Authorization") != "" {
			t.Errorf("%s was edited: %s %q", req.URL.Path, req.URL, req.Header.Get("Authorization"))
		}
	}
	if auth, _ := f.counts(); auth != 0 {
		t.Fatalf("%d authorizations; want 0", auth)
	}
}

func TestEditRequestFailsWithoutSession(t *testing.T) {
	f := newFake(t)
	f.authStatus = 401
	f.authBody = `{"Code":null,"Message":"Invalid token"}`
	client := f.genClient(f.source())
	_, err := client.InventoryGetCategoriesWithResponse(t.Context())
	var ae *AuthError
	if !errors.As(err, &ae) || ae.Message != "Invalid token" {
		t.Fatalf("got %v; want the AuthError", err)
	}
	if _, api := f.counts(); api != 0 {
		t.Fatalf("%d API calls without a session", api)
	}
}

func TestUntrustedSessionServers(t *testing.T) {
	for _, server := range []string{
		"http://eu-ext.linnworks.net",
		"https://linnworks.net.evil.example",
		"https://eu-ext.linnworks.net.evil.example",
		"https://evillinnworks.net",
		"https://evil.example/eu-ext.linnworks.net",
		"https://eu-ext.linnworks.net@evil.example",
		"https://evil.example#.linnworks.net",
		"eu-ext.linnworks.net",
		"//eu-ext.linnworks.net",
		"ftp://eu-ext.linnworks.net",
		"https://",
		"::not a url",
	} {
		t.Run(server, func(t *testing.T) {
			f := newFake(t)
			f.server = server
			client := f.genClient(f.source())
			_, err := client.InventoryGetCategoriesWithResponse(t.Context())
			if err == nil || !strings.Contains(err.Error(), "session server") {
				t.Fatalf("got %v; want an untrusted session server error", err)
			}
			if _, api := f.counts(); api != 0 {
				t.Fatalf("the token was sent (%d API calls to %v)", api, f.apiHosts)
			}
			f.assertNoSecret("error", err.Error())
		})
	}
}

func TestTrustedSessionServers(t *testing.T) {
	for _, server := range []string{"https://eu-ext.linnworks.net", "https://linnworks.net", "https://us-ext.linnworks.net:443"} {
		t.Run(server, func(t *testing.T) {
			f := newFake(t)
			f.server = server
			src := f.source()
			req, _ := gen.NewInventoryGetCategoriesRequest(DefaultAuthServer)
			if err := src.EditRequest(t.Context(), req); err != nil {
				t.Fatal(err)
			}
			if got := req.URL.Scheme + "://" + req.URL.Host; got != server {
				t.Fatalf("routed to %s; want %s", got, server)
			}
		})
	}
}

func TestIsLinnworksServer(t *testing.T) {
	for raw, want := range map[string]bool{
		"https://api.linnworks.net":          true,
		"https://EU-EXT.LinnWorks.NET":       true,
		"https://linnworks.net":              true,
		"https://a.b.linnworks.net:8443/x":   true,
		"http://api.linnworks.net":           false,
		"https://linnworks.net.evil.example": false,
		"https://notlinnworks.net":           false,
		"https://api.linnworks.net@evil.com": false,
		"https://user@api.linnworks.net":     false,
		"https://.linnworks.net":             false,
		"https://127.0.0.1":                  false,
	} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if got := IsLinnworksServer(u); got != want {
			t.Errorf("IsLinnworksServer(%s) = %v; want %v", raw, got, want)
		}
	}
	if IsLinnworksServer(nil) {
		t.Error("IsLinnworksServer(nil) = true")
	}
}

func TestWithTrustedServerAdmitsAFake(t *testing.T) {
	f := newFake(t)
	f.server = "https://mock.test"
	f.mt.RegisterResponder(http.MethodPost, "https://mock.test/api/Auth/AuthorizeByApplication", f.authorize)
	src := f.source(WithAuthServer("https://mock.test"),
		WithTrustedServer(func(u *url.URL) bool { return u.Scheme == "https" && u.Host == "mock.test" }))
	c, err := gen.NewClientWithResponses("https://mock.test", gen.WithRequestEditorFn(src.EditRequest), gen.WithHTTPClient(src.Doer(f.client)))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.InventoryGetCategoriesWithResponse(t.Context())
	if err != nil || resp.StatusCode() != 200 {
		t.Fatalf("%v %v", resp, err)
	}
	if f.apiHosts[0] != "https://mock.test" {
		t.Fatalf("sent to %s", f.apiHosts[0])
	}
}

func TestOpIndex(t *testing.T) {
	idx, err := buildOpIndex([]byte(`{
		"security": [],
		"paths": {
			"/api/Auth/Login": {"post": {}, "get": {"security": [{"SessionToken": []}]}},
			"/v2/things/{id}/parts/{part}": {"parameters": [], "get": {}, "delete": {"security": [{"SessionToken": []}]}},
			"/api/Orders/Get": {"post": {"security": [{"SessionToken": []}]}}
		}}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		method, path string
		want         bool
	}{
		{"POST", "/api/Auth/Login", true}, // inherits the document's security: []
		{"post", "/api/Auth/Login", true},
		{"GET", "/api/Auth/Login", false}, // overrides it
		{"POST", "/api/Auth/Login/", false},
		{"POST", "/api/auth/login", false},
		{"POST", "/api/Orders/Get", false},
		{"GET", "/v2/things/42/parts/7", true},
		{"", "/v2/things/42/parts/7", true}, // "" means GET
		{"DELETE", "/v2/things/42/parts/7", false},
		{"GET", "/v2/things//parts/7", false},
		{"GET", "/v2/things/42/parts/7/", false},
		{"GET", "/v2/things/42/parts", false},
		{"GET", "/v2/things/42/parts/7/more", false},
		{"GET", "/v2/other/42/parts/7", false},
	} {
		if got := idx.public(tt.method, tt.path); got != tt.want {
			t.Errorf("public(%s %s) = %v; want %v", tt.method, tt.path, got, tt.want)
		}
	}
	if _, err := buildOpIndex([]byte(`{"paths": {"/x": {"get": {"security": 3}}}}`)); err == nil || !strings.Contains(err.Error(), "GET /x") {
		t.Fatalf("bad security: got %v; want an error naming GET /x", err)
	}
}

func TestEditRequestHonoursContext(t *testing.T) {
	f := newFake(t)
	src := f.source()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	req, _ := gen.NewInventoryGetCategoriesRequest(DefaultAuthServer)
	f.authGate = make(chan struct{}) // the authorization hangs; the caller must not
	defer close(f.authGate)
	if err := src.EditRequest(ctx, req); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v; want context.Canceled", err)
	}
	if auth, _ := f.counts(); auth != 0 {
		t.Fatalf("a cancelled caller started %d authorizations", auth)
	}
}

func TestEditRequestFastPathAllocatesAtMostOnce(t *testing.T) {
	src := newFake(t).source()
	req, _ := gen.NewInventoryGetCategoriesRequest(DefaultAuthServer)
	if err := src.EditRequest(t.Context(), req); err != nil {
		t.Fatal(err)
	}
	// Each run gives the request a new header, as a new request has; the
	// allocations of making it are measured apart and subtracted.
	newHeader := func() { req.Header = http.Header{"Accept": {"application/json"}} }
	base := testing.AllocsPerRun(1000, newHeader)
	withEdit := testing.AllocsPerRun(1000, func() {
		newHeader()
		if err := src.EditRequest(t.Context(), req); err != nil {
			t.Fatal(err)
		}
	})
	if n := withEdit - base; n > 1 {
		t.Fatalf("EditRequest with a live session allocates %v times per request; want ≤ 1", n)
	}
}
