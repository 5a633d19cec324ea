package mock_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/linnworks-go/linnworks/authn"
	"github.com/linnworks-go/linnworks/gen"
	"github.com/linnworks-go/linnworks/mock"
)

func TestRouting(t *testing.T) {
	m := mock.New()
	c := m.Client()
	tests := []struct {
		name, method, url string
		status            int
		msg               string
	}{
		{"unknown path", http.MethodGet, mock.SessionServer + "/api/Stock/NoSuchMethod", http.StatusNotFound, "/api/Stock/NoSuchMethod"},
		{"unknown controller", http.MethodPost, mock.SessionServer + "/api/Nothing/Here", http.StatusNotFound, "/api/Nothing/Here"},
		{"wrong method", http.MethodPost, stockLevel, http.StatusMethodNotAllowed, "'POST'"},
		{"wrong method on a POST operation", http.MethodGet, authURL, http.StatusMethodNotAllowed, "'GET'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := do(t, c, tt.method, tt.url, "", nil)
			if a.status != tt.status {
				t.Fatalf("status = %d, want %d (%s)", a.status, tt.status, a.body)
			}
			if msg := a.message(t); !strings.Contains(msg, tt.msg) {
				t.Errorf("message %q does not name %q", msg, tt.msg)
			}
		})
	}
}

func TestClientRefusesOtherHosts(t *testing.T) {
	c := mock.New().Client()
	for _, u := range []string{"https://example.com/api/Stock/GetStockLevel", "http://eu-ext.linnworks.net/api/Stock/GetStockLevel"} {
		_, err := c.Get(u)
		if err == nil || !strings.Contains(err.Error(), "no Linnworks host") {
			t.Errorf("GET %s: err = %v, want one naming the host", u, err)
		}
	}
}

func TestInvalidRequests(t *testing.T) {
	m := mock.New()
	c := m.Client()
	token, _ := session(t, m, c, mock.AuthServer)
	tests := []struct {
		name, method, url string
		body              any
		want              []string // every string must appear in the message
	}{
		{"query parameter not a uuid", http.MethodGet, stockLevel + "?stockItemId=abc", nil,
			[]string{`parameter "stockItemId" in query`, `format "uuid"`}},
		{"body field of the wrong type", http.MethodPost, openOrders, `{"entriesPerPage":"ten","pageNumber":1}`,
			[]string{`field "/entriesPerPage"`, "integer"}},
		{"body field out of int32", http.MethodPost, openOrders, `{"entriesPerPage":4294967296}`,
			[]string{`field "/entriesPerPage"`, "int32"}},
		{"enum value unknown", http.MethodPost, openOrders, `{"sorting":[{"FieldCode":"NOPE"}]}`,
			[]string{`field "/sorting/0/FieldCode"`, "allowed values"}},
		{"required body missing", http.MethodPost, openOrders, nil,
			[]string{"request body", "required"}},
		{"body not JSON", http.MethodPost, openOrders, `{"entriesPerPage":`,
			[]string{"request body", "cannot be decoded"}},
		{"two problems at once", http.MethodPost, openOrders, `{"entriesPerPage":"x","fulfilmentCenter":"y"}`,
			[]string{`field "/entriesPerPage"`, `field "/fulfilmentCenter"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := do(t, c, tt.method, tt.url, token, tt.body)
			if a.status != http.StatusBadRequest {
				t.Fatalf("status = %d, want 400 (%s)", a.status, a.body)
			}
			msg := a.message(t)
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q does not contain %q", msg, w)
				}
			}
		})
	}
}

func TestAuthorizeIssuesCompleteSession(t *testing.T) {
	m := mock.New()
	a := do(t, m.Client(), http.MethodPost, authURL, "", authorizeBody(m))
	if a.status != http.StatusOK {
		t.Fatalf("status = %d (%s)", a.status, a.body)
	}
	var got map[string]any
	if err := json.Unmarshal(a.body, &got); err != nil {
		t.Fatal(err)
	}
	doc, err := gen.GetSpec()
	if err != nil {
		t.Fatal(err)
	}
	for name := range doc.Components.Schemas["BaseSession"].Value.Properties {
		if _, ok := got[name]; !ok {
			t.Errorf("BaseSession field %s is missing", name)
		}
	}
	if got["Server"] != mock.SessionServer || got["Locality"] != "EU" {
		t.Errorf("Server, Locality = %v, %v; want %s, EU", got["Server"], got["Locality"], mock.SessionServer)
	}
	var typed gen.BaseSession
	if err := json.Unmarshal(a.body, &typed); err != nil || typed.Token == nil {
		t.Fatalf("decoding into gen.BaseSession: %v, Token %v", err, typed.Token)
	}
	// Two authorizations give two sessions.
	b := do(t, m.Client(), http.MethodPost, authURL, "", authorizeBody(m))
	var second gen.BaseSession
	_ = json.Unmarshal(b.body, &second)
	if second.Token == nil || *second.Token == *typed.Token {
		t.Errorf("second session token %v repeats the first", second.Token)
	}
	if n := m.SessionCount(); n != 2 {
		t.Errorf("SessionCount = %d, want 2", n)
	}
}

func TestAuthorizeRefusesWrongCredentials(t *testing.T) {
	m := mock.New()
	good := m.Credentials()
	wrong := "00000000-0000-4000-8000-000000000000"
	for name, creds := range map[string]authn.Credentials{
		"application id": {ApplicationID: wrong, ApplicationSecret: good.ApplicationSecret, Token: good.Token},
		"secret":         {ApplicationID: good.ApplicationID, ApplicationSecret: wrong, Token: good.Token},
		"token":          {ApplicationID: good.ApplicationID, ApplicationSecret: good.ApplicationSecret, Token: wrong},
	} {
		t.Run(name, func(t *testing.T) {
			body := map[string]string{"ApplicationId": creds.ApplicationID, "ApplicationSecret": creds.ApplicationSecret, "Token": creds.Token}
			a := do(t, m.Client(), http.MethodPost, authURL, "", body)
			if a.status != http.StatusBadRequest || string(a.body) != `{"Code":null,"Message":"Invalid application id or application secret"}` {
				t.Errorf("got %d %s", a.status, a.body)
			}
		})
	}
	if n := m.SessionCount(); n != 0 {
		t.Errorf("SessionCount = %d after refusals, want 0", n)
	}
}

func TestValidationMessagesKeepSecretsOut(t *testing.T) {
	m := mock.New()
	const secret = "my-very-secret-application-secret"
	body := map[string]string{"ApplicationId": m.Credentials().ApplicationID, "ApplicationSecret": secret, "Token": "also-secret-token"}
	a := do(t, m.Client(), http.MethodPost, authURL, "", body)
	if a.status != http.StatusBadRequest {
		t.Fatalf("status = %d (%s)", a.status, a.body)
	}
	msg := a.message(t)
	if strings.Contains(msg, secret) || strings.Contains(msg, "also-secret-token") {
		t.Errorf("message quotes a secret: %s", msg)
	}
	if !strings.Contains(msg, `field "/ApplicationSecret"`) || !strings.Contains(msg, `field "/Token"`) {
		t.Errorf("message %q does not name the fields", msg)
	}
}

func TestSessionTokens(t *testing.T) {
	m := mock.New()
	c := m.Client()
	token, server := session(t, m, c, mock.AuthServer)
	if server != mock.SessionServer {
		t.Fatalf("Server = %q", server)
	}
	tests := []struct {
		name, url, token string
		status           int
		msg              string
	}{
		{"live session", stockLevel, token, http.StatusOK, ""},
		{"missing token", stockLevel, "", http.StatusUnauthorized, "missing"},
		{"unknown token", stockLevel, "6a1f0c8e-2b3d-4e5f-8a7b-9c0d1e2f3a4b", http.StatusUnauthorized, "unknown"},
		{"session used on another server", mock.AuthServer + "/api/Stock/GetStockLevel", token, http.StatusUnauthorized, mock.SessionServer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := do(t, c, http.MethodGet, tt.url, tt.token, nil)
			if a.status != tt.status {
				t.Fatalf("status = %d, want %d (%s)", a.status, tt.status, a.body)
			}
			if tt.msg == "" {
				return
			}
			msg := a.message(t)
			if !strings.Contains(msg, tt.msg) {
				t.Errorf("message %q does not say %q", msg, tt.msg)
			}
			if strings.Contains(msg, token) {
				t.Errorf("message quotes the session token: %s", msg)
			}
		})
	}
}

func TestSessionIdleExpiry(t *testing.T) {
	tests := []struct {
		name string
		opts []mock.Option
		idle time.Duration
	}{
		{"default 20 minutes", nil, 20 * time.Minute},
		{"WithIdleTimeout", []mock.Option{mock.WithIdleTimeout(time.Minute)}, time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				m := mock.New(tt.opts...)
				c := m.Client()
				token, _ := session(t, m, c, mock.AuthServer)
				// Calls keep the session alive: each waits just under the timeout.
				for range 3 {
					time.Sleep(tt.idle - time.Second)
					if a := do(t, c, http.MethodGet, categories, token, nil); a.status != http.StatusOK {
						t.Fatalf("after %v idle: %d %s", tt.idle-time.Second, a.status, a.body)
					}
				}
				time.Sleep(tt.idle + time.Second)
				a := do(t, c, http.MethodGet, categories, token, nil)
				if a.status != http.StatusUnauthorized || !strings.Contains(a.message(t), "expired") {
					t.Fatalf("after %v idle: %d %s, want 401 expired", tt.idle+time.Second, a.status, a.body)
				}
				// A new session works again.
				token, _ = session(t, m, c, mock.AuthServer)
				if a := do(t, c, http.MethodGet, categories, token, nil); a.status != http.StatusOK {
					t.Fatalf("new session: %d %s", a.status, a.body)
				}
			})
		})
	}
}

func TestRateLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := mock.New()
		c := m.Client()
		token, _ := session(t, m, c, mock.AuthServer)
		const limit = 250 // x-linnworks-rate-limit of Stock_GetStockLevel
		for i := range limit {
			if a := do(t, c, http.MethodGet, stockLevel, token, nil); a.status != http.StatusOK {
				t.Fatalf("call %d: %d %s", i+1, a.status, a.body)
			}
			time.Sleep(100 * time.Millisecond) // 250 calls in 25 s
		}
		a := do(t, c, http.MethodGet, stockLevel, token, nil)
		if a.status != http.StatusTooManyRequests {
			t.Fatalf("call %d: %d %s, want 429", limit+1, a.status, a.body)
		}
		if msg := a.message(t); msg != "API calls quota exceeded! Maximum admitted 250 per Minute." {
			t.Errorf("message = %q", msg)
		}
		// The first call leaves the window 60 s after it was made: 35 s from now.
		if ra := a.header.Get("Retry-After"); ra != "35" {
			t.Errorf("Retry-After = %q, want 35", ra)
		}
		// Other operations and other sessions have their own quotas.
		if a := do(t, c, http.MethodGet, categories, token, nil); a.status != http.StatusOK {
			t.Errorf("other operation: %d", a.status)
		}
		other, _ := session(t, m, c, mock.AuthServer)
		if a := do(t, c, http.MethodGet, stockLevel, other, nil); a.status != http.StatusOK {
			t.Errorf("other session: %d", a.status)
		}
		// Sliding window: after Retry-After, exactly one call (the oldest) has left it.
		time.Sleep(35 * time.Second)
		if a := do(t, c, http.MethodGet, stockLevel, token, nil); a.status != http.StatusOK {
			t.Fatalf("after Retry-After: %d %s", a.status, a.body)
		}
		if a := do(t, c, http.MethodGet, stockLevel, token, nil); a.status != http.StatusTooManyRequests {
			t.Fatalf("second call after Retry-After: %d, want 429", a.status)
		}
		if got := m.Calls("Stock_GetStockLevel"); got != limit+4 {
			t.Errorf("Calls = %d, want %d (429s count too)", got, limit+4)
		}
	})
}

func TestWithoutRateLimits(t *testing.T) {
	m := mock.New(mock.WithoutRateLimits())
	c := m.Client()
	token, _ := session(t, m, c, mock.AuthServer)
	for i := range 300 {
		if a := do(t, c, http.MethodGet, stockLevel, token, nil); a.status != http.StatusOK {
			t.Fatalf("call %d: %d %s", i+1, a.status, a.body)
		}
	}
}

func TestStub(t *testing.T) {
	m := mock.New()
	c := m.Client()
	token, _ := session(t, m, c, mock.AuthServer)
	var seen string
	m.Stub("Inventory_GetCategories", func(r *http.Request) (int, any) {
		seen = r.Header.Get("Authorization")
		return http.StatusOK, []gen.LinnworksCategory{{CategoryName: ptr("Shoes")}}
	})
	a := do(t, c, http.MethodGet, categories, token, nil)
	if a.status != http.StatusOK || string(a.body) != `[{"CategoryName":"Shoes"}]` {
		t.Fatalf("stubbed answer: %d %s", a.status, a.body)
	}
	if seen != token {
		t.Errorf("the stub did not see the request")
	}

	m.Stub("Inventory_GetCategories", nil)
	if a := do(t, c, http.MethodGet, categories, token, nil); a.status != http.StatusOK || strings.Contains(string(a.body), "Shoes") {
		t.Errorf("after removing the stub: %d %s", a.status, a.body)
	}
}

func TestStubBreakingTheSpecGives500(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   any
		want   string
	}{
		{"wrong field type", http.StatusOK, []map[string]any{{"CategoryId": 42}}, `field "/0/CategoryId"`},
		{"not a uuid", http.StatusOK, []map[string]any{{"CategoryId": "nope"}}, `format "uuid"`},
		{"object instead of array", http.StatusOK, map[string]any{}, "array"},
		{"undeclared status", http.StatusTeapot, []any{}, "status is not supported"},
		{"no body where one is declared", http.StatusOK, nil, "Content-Type"},
		{"error body without Message", http.StatusBadRequest, map[string]any{"Code": "X"}, `"Message"`},
		{"invalid JSON", http.StatusOK, []byte(`[{`), "decoded"},
		{"not an HTTP status", 0, []any{}, "not an HTTP status"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mock.New()
			c := m.Client()
			token, _ := session(t, m, c, mock.AuthServer)
			m.Stub("Inventory_GetCategories", func(*http.Request) (int, any) { return tt.status, tt.body })
			a := do(t, c, http.MethodGet, categories, token, nil)
			if a.status != http.StatusInternalServerError {
				t.Fatalf("status = %d, want 500 (%s)", a.status, a.body)
			}
			msg := a.message(t)
			if !strings.Contains(msg, tt.want) {
				t.Errorf("message %q does not state the violation %q", msg, tt.want)
			}
		})
	}
}

func TestUnknownOperationPanics(t *testing.T) {
	m := mock.New()
	for name, f := range map[string]func(){
		"Stub":      func() { m.Stub("Nope_Nothing", nil) },
		"FailNext":  func() { m.FailNext("Nope_Nothing", 1, 500) },
		"DelayNext": func() { m.DelayNext("Nope_Nothing", 1, time.Second) },
		"Calls":     func() { m.Calls("Nope_Nothing") },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), `"Nope_Nothing"`) {
					t.Errorf("recover() = %v, want a panic naming the operation", r)
				}
			}()
			f()
		})
	}
}

func TestFailNext(t *testing.T) {
	m := mock.New()
	c := m.Client()
	token, _ := session(t, m, c, mock.AuthServer)
	m.FailNext("Inventory_GetCategories", 2, http.StatusServiceUnavailable)
	m.FailNext("Inventory_GetCategories", 1, http.StatusTooManyRequests)
	m.FailNext("Inventory_GetCategories", 1, http.StatusUnauthorized)
	want := []int{503, 503, 429, 401, 200, 200}
	for i, w := range want {
		a := do(t, c, http.MethodGet, categories, token, nil)
		if a.status != w {
			t.Fatalf("call %d: status %d, want %d (%s)", i+1, a.status, w, a.body)
		}
		if w == http.StatusTooManyRequests && a.header.Get("Retry-After") != "1" {
			t.Errorf("injected 429 without Retry-After: %v", a.header)
		}
		if w != http.StatusOK && !strings.Contains(a.message(t), "injected") {
			t.Errorf("call %d: message does not say the failure is injected", i+1)
		}
	}
	if got := m.Calls("Inventory_GetCategories"); got != len(want) {
		t.Errorf("Calls = %d, want %d", got, len(want))
	}
	if got := m.Calls("Stock_GetStockLevel"); got != 0 {
		t.Errorf("Calls of an uncalled operation = %d", got)
	}
}

func TestDelayNext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := mock.New()
		c := m.Client()
		token, _ := session(t, m, c, mock.AuthServer)
		m.DelayNext("Inventory_GetCategories", 1, 3*time.Second)

		start := time.Now()
		if a := do(t, c, http.MethodGet, categories, token, nil); a.status != http.StatusOK {
			t.Fatalf("delayed call: %d %s", a.status, a.body)
		}
		if d := time.Since(start); d != 3*time.Second {
			t.Errorf("delayed call took %v, want 3s", d)
		}
		start = time.Now()
		do(t, c, http.MethodGet, categories, token, nil)
		if d := time.Since(start); d != 0 {
			t.Errorf("undelayed call took %v", d)
		}

		// The delay ends with the request's context.
		m.DelayNext("Inventory_GetCategories", 1, time.Hour)
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, categories, nil)
		req.Header.Set("Authorization", token)
		start = time.Now()
		_, err := c.Do(req)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want the context's deadline", err)
		}
		if d := time.Since(start); d != 2*time.Second {
			t.Errorf("cancelled call took %v, want 2s", d)
		}
		synctest.Wait() // the abandoned responder has returned: nothing leaks
	})
}

func TestHandlerOverHTTP(t *testing.T) {
	m := mock.New()
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	c := srv.Client()
	token, server := session(t, m, c, srv.URL)
	if server != srv.URL {
		t.Fatalf("Server = %q, want the address the mock was reached at %q", server, srv.URL)
	}
	if a := do(t, c, http.MethodGet, server+"/api/Stock/GetStockLevel?stockItemId="+validStockID, token, nil); a.status != http.StatusOK {
		t.Fatalf("call: %d %s", a.status, a.body)
	}
	if a := do(t, c, http.MethodGet, server+"/api/Stock/GetStockLevel?stockItemId=1", token, nil); a.status != http.StatusBadRequest {
		t.Fatalf("invalid call: %d %s", a.status, a.body)
	}
	if a := do(t, c, http.MethodGet, server+"/api/Nope", token, nil); a.status != http.StatusNotFound {
		t.Fatalf("unknown route: %d %s", a.status, a.body)
	}
}

func TestParallelClients(t *testing.T) {
	m := mock.New()
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	const workers, calls = 8, 20
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			c, base := m.Client(), mock.AuthServer
			if w%2 == 1 {
				c, base = srv.Client(), srv.URL
			}
			token, server := session(t, m, c, base)
			for range calls {
				a := do(t, c, http.MethodPost, server+"/api/Orders/GetOpenOrders", token, map[string]any{"entriesPerPage": 10, "pageNumber": 1})
				if a.status != http.StatusOK {
					t.Errorf("worker %d: %d %s", w, a.status, a.body)
					return
				}
			}
		})
	}
	wg.Wait()
	if got := m.Calls("Orders_GetOpenOrders"); got != workers*calls {
		t.Errorf("Calls = %d, want %d", got, workers*calls)
	}
	if got := m.SessionCount(); got != workers {
		t.Errorf("SessionCount = %d, want %d", got, workers)
	}
}

func TestNewRefusesBadOptions(t *testing.T) {
	for name, opt := range map[string]mock.Option{
		"idle timeout": mock.WithIdleTimeout(0),
		"credentials":  mock.WithCredentials(authn.Credentials{ApplicationID: "app", ApplicationSecret: "hush-secret", Token: "hush-token"}),
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if r := recover(); r == nil {
					t.Error("New did not panic")
				} else if s := fmt.Sprint(r); strings.Contains(s, "hush") {
					t.Errorf("panic quotes a secret: %s", s)
				}
			}()
			mock.New(opt)
		})
	}
}

func TestWithCredentials(t *testing.T) {
	creds := authn.Credentials{
		ApplicationID:     "11111111-2222-4333-8444-555555555555",
		ApplicationSecret: "66666666-7777-4888-8999-aaaaaaaaaaaa",
		Token:             "bbbbbbbb-cccc-4ddd-8eee-ffffffffffff",
	}
	m := mock.New(mock.WithCredentials(creds))
	if m.Credentials() != creds {
		t.Fatalf("Credentials() = %v", m.Credentials())
	}
	session(t, m, m.Client(), mock.AuthServer)
}

func ptr[T any](v T) *T { return &v }
