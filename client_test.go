package linnworks

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/linnworks-go/linnworks/authn"
	"github.com/linnworks-go/linnworks/gen"
)

const (
	appID  = "11111111-2222-4333-8444-555555555555"
	secret = "5ec12e75-ec12-4e75-8ec1-2e75ec12e75a"
	token  = "70ce0000-70ce-4000-8000-70ce70ce70ce"
)

func creds() authn.Credentials {
	return authn.Credentials{ApplicationID: appID, ApplicationSecret: secret, Token: token}
}

// recorded is one request seen by the fake.
type recorded struct {
	url, auth, ua string
}

// fake is a minimal in-memory Linnworks: an auth host issuing numbered
// sessions on eu-ext.linnworks.net, which answers GetCategories for the newest
// session and 401 for any other.
type fake struct {
	authHost string
	mu       sync.Mutex
	sessions int
	seen     []recorded
	client   *http.Client
}

func newFake(authHost string) *fake {
	f := &fake{authHost: authHost}
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodPost, authHost+"/api/Auth/AuthorizeByApplication", func(r *http.Request) (*http.Response, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.record(r)
		f.sessions++
		return jsonResponse(200, fmt.Sprintf(`{"Token":"5e55%04d-0000-4000-8000-000000000000","Server":"https://eu-ext.linnworks.net","Locality":"EU"}`, f.sessions)), nil
	})
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.record(r)
		if r.Header.Get("Authorization") != fmt.Sprintf("5e55%04d-0000-4000-8000-000000000000", f.sessions) {
			return jsonResponse(401, `{"Code":null,"Message":"Authorization has been denied for this request."}`), nil
		}
		return jsonResponse(200, `[{"CategoryName":"Default"}]`), nil
	})
	f.client = &http.Client{Transport: mt}
	return f
}

func (f *fake) record(r *http.Request) {
	f.seen = append(f.seen, recorded{url: r.URL.String(), auth: r.Header.Get("Authorization"), ua: r.Header.Get("User-Agent")})
}

func jsonResponse(status int, body string) *http.Response {
	resp := httpmock.NewStringResponse(status, body)
	resp.Header.Set("Content-Type", "application/json")
	return resp
}

func TestNewClientEndToEnd(t *testing.T) {
	f := newFake("https://api.linnworks.net")
	client, src, err := NewClientWithSource(creds(), WithHTTPClient(f.client))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.InventoryGetCategoriesWithResponse(t.Context())
	if err != nil || resp.StatusCode() != 200 || len(*resp.JSON200) != 1 {
		t.Fatalf("%v %v", resp, err)
	}
	want := []recorded{
		{"https://api.linnworks.net/api/Auth/AuthorizeByApplication", "", "linnworks-go/devel"},
		{"https://eu-ext.linnworks.net/api/Inventory/GetCategories", "5e550001-0000-4000-8000-000000000000", "linnworks-go/devel"},
	}
	if fmt.Sprint(f.seen) != fmt.Sprint(want) {
		t.Fatalf("requests\n got %v\nwant %v", f.seen, want)
	}
	sess, err := src.Session(t.Context())
	if err != nil || sess.Server != "https://eu-ext.linnworks.net" {
		t.Fatalf("Session = %v, %v", sess, err)
	}
}

func TestNewClientRetriesOnceOn401(t *testing.T) {
	f := newFake("https://api.linnworks.net")
	client, src, err := NewClientWithSource(creds(), WithHTTPClient(f.client))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src.Session(t.Context()); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	f.sessions++ // Linnworks forgot session 1: only a new one will do
	f.mu.Unlock()
	resp, err := client.InventoryGetCategoriesWithResponse(t.Context())
	if err != nil || resp.StatusCode() != 200 {
		t.Fatalf("%v %v", resp, err)
	}
	if n := len(f.seen); n != 4 { // auth, call (401), auth, call
		t.Fatalf("%d requests; want 4: %v", n, f.seen)
	}
}

func TestNewClientOptions(t *testing.T) {
	f := newFake("https://auth.linnworks.net")
	var edited bool
	client, err := NewClient(creds(),
		WithHTTPClient(f.client),
		WithAuthServer("https://auth.linnworks.net"),
		WithUserAgent("my-app/1.2"),
		WithSourceOptions(authn.WithIdleTimeout(5*time.Minute)),
		WithClientOptions(gen.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
			edited = r.Header.Get("Authorization") != "" || strings.Contains(r.URL.Path, "/Auth/")
			return nil
		})))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.InventoryGetCategoriesWithResponse(t.Context()); err != nil {
		t.Fatal(err)
	}
	// The Auth operations of the client go to the chosen auth server too.
	if _, err := client.AuthGetApplicationProfileBySecretKeyWithResponse(t.Context(), gen.AuthGetApplicationProfileBySecretKeyJSONRequestBody{}); err != nil {
		t.Fatal(err)
	}
	if !edited {
		t.Error("the extra request editor did not run after the session editor")
	}
	want := []recorded{
		{"https://auth.linnworks.net/api/Auth/AuthorizeByApplication", "", "my-app/1.2"},
		{"https://eu-ext.linnworks.net/api/Inventory/GetCategories", "5e550001-0000-4000-8000-000000000000", "my-app/1.2"},
		{"https://auth.linnworks.net/api/Auth/GetApplicationProfileBySecretKey", "", "my-app/1.2"},
	}
	if fmt.Sprint(f.seen) != fmt.Sprint(want) {
		t.Fatalf("requests\n got %v\nwant %v", f.seen, want)
	}

	// An empty User-Agent sends none of ours (Go's own default then applies on a real transport).
	f2 := newFake("https://api.linnworks.net")
	client, err = NewClient(creds(), WithHTTPClient(f2.client), WithUserAgent(""))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.InventoryGetCategoriesWithResponse(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, r := range f2.seen {
		if r.ua != "" {
			t.Errorf("User-Agent %q sent to %s", r.ua, r.url)
		}
	}
}

func TestNewClientRejectsBadInputBeforeAnyRequest(t *testing.T) {
	noNetwork := doerFunc(func(r *http.Request) (*http.Response, error) {
		t.Errorf("request to %s", r.URL)
		return nil, errors.New("no network")
	})
	bad := creds()
	bad.ApplicationSecret = "not-a-uuid"
	for _, tt := range []struct {
		name string
		c    authn.Credentials
		opts []Option
		want string
	}{
		{"malformed secret", bad, nil, "Credentials.ApplicationSecret"},
		{"nil doer", creds(), []Option{WithHTTPClient(nil)}, "WithHTTPClient"},
		{"untrusted auth server", creds(), []Option{WithAuthServer("https://linnworks.net.evil.example")}, "not trusted"},
		{"bad source option", creds(), []Option{WithSourceOptions(authn.WithIdleTimeout(-1))}, "WithIdleTimeout"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			client, err := NewClient(tt.c, append([]Option{WithHTTPClient(noNetwork)}, tt.opts...)...)
			if err == nil || client != nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("NewClient = %v, %v; want an error mentioning %q", client, err, tt.want)
			}
			if strings.Contains(err.Error(), "not-a-uuid") {
				t.Errorf("error %q repeats the bad value", err)
			}
		})
	}
}

func TestDefaultHTTPClient(t *testing.T) {
	var o options
	hc, ok := o.baseDoer().(*http.Client)
	if !ok || hc.Timeout != DefaultTimeout || DefaultTimeout != time.Minute {
		t.Fatalf("default doer = %#v; want an *http.Client with a one-minute timeout", o.baseDoer())
	}
	if hc == http.DefaultClient {
		t.Fatal("the default doer must not be the shared http.DefaultClient")
	}
	if got := DefaultUserAgent(); got != "linnworks-go/devel" {
		t.Fatalf("DefaultUserAgent() = %q; want linnworks-go/devel inside the module", got)
	}
	if _, src, err := NewClientWithSource(creds()); err != nil || src == nil {
		t.Fatalf("NewClientWithSource without options: %v, %v", src, err)
	}
}

type doerFunc func(*http.Request) (*http.Response, error)

func (d doerFunc) Do(r *http.Request) (*http.Response, error) { return d(r) }

// Every request, authorizations included, asks for JSON; an Accept set by a
// request editor is kept.
func TestAcceptJSON(t *testing.T) {
	f := newFake("https://api.linnworks.net")
	var accepts []string
	spy := doerFunc(func(r *http.Request) (*http.Response, error) {
		accepts = append(accepts, r.URL.Path+" "+strings.Join(r.Header.Values("Accept"), ","))
		return f.client.Do(r)
	})
	client, err := NewClient(creds(), WithHTTPClient(spy), WithUserAgent(""))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.InventoryGetCategoriesWithResponse(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := client.InventoryGetCategoriesWithResponse(t.Context(), func(_ context.Context, r *http.Request) error {
		r.Header.Set("Accept", "text/json")
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"/api/Auth/AuthorizeByApplication application/json",
		"/api/Inventory/GetCategories application/json",
		"/api/Inventory/GetCategories text/json",
	}
	if fmt.Sprint(accepts) != fmt.Sprint(want) {
		t.Fatalf("Accept headers\n got %q\nwant %q", accepts, want)
	}
}
