package authn

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/linnworks-go/linnworks/gen"
)

// Test credentials. The secrets are distinctive so that leak checks can search for them.
const (
	testAppID  = "11111111-2222-4333-8444-555555555555"
	testSecret = "5ec12e75-ec12-4e75-8ec1-2e75ec12e75a"
	testToken  = "70ce0000-70ce-4000-8000-70ce70ce70ce"
	authURL    = "https://api.linnworks.net/api/Auth/AuthorizeByApplication"
	euServer   = "https://eu-ext.linnworks.net"
)

func testCreds() Credentials {
	return Credentials{ApplicationID: testAppID, ApplicationSecret: testSecret, Token: testToken}
}

// fakeLinnworks is an in-memory Linnworks: Auth_AuthorizeByApplication on the
// auth host issues numbered session tokens; every other request must carry a
// valid token and arrive at the session server.
type fakeLinnworks struct {
	t      testing.TB
	mt     *httpmock.MockTransport
	client *http.Client

	mu         sync.Mutex
	server     string        // Server returned in sessions
	locality   string        // Locality returned in sessions (default EU)
	authGate   chan struct{} // when non-nil, authorizations wait for it to close
	authStatus int           // when non-zero, authorizations fail with this status
	authBody   string        // and this body
	authCT     string        // and this content type (default application/json)
	authCalls  int
	issued     []string        // session tokens, in order
	revoked    map[string]bool // tokens answered with 401
	always401  bool            // answer every API call with 401
	apiCalls   int
	apiBodies  [][]byte
	apiTokens  []string
	apiHosts   []string
	onAPI      func(token string) // called (unlocked) before an API answer
}

func newFake(t testing.TB) *fakeLinnworks {
	f := &fakeLinnworks{t: t, server: euServer, locality: "EU", revoked: map[string]bool{}}
	f.mt = httpmock.NewMockTransport()
	f.client = &http.Client{Transport: f.mt}
	f.mt.RegisterResponder(http.MethodPost, authURL, f.authorize)
	f.mt.RegisterNoResponder(f.api)
	return f
}

func (f *fakeLinnworks) authorize(req *http.Request) (*http.Response, error) {
	f.mu.Lock()
	f.authCalls++
	gate := f.authGate
	f.mu.Unlock()
	if gate != nil {
		<-gate
	}
	if req.Header.Get("Authorization") != "" {
		f.t.Errorf("authorization request carries an Authorization header")
	}
	var body struct{ ApplicationId, ApplicationSecret, Token string }
	if err := json.NewDecoder(req.Body).Decode(&body); err != nil {
		return httpmock.NewStringResponse(400, `{"Code":null,"Message":"bad body"}`), nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.authStatus != 0 {
		resp := httpmock.NewStringResponse(f.authStatus, f.authBody)
		ct := f.authCT
		if ct == "" {
			ct = "application/json"
		}
		resp.Header.Set("Content-Type", ct)
		return resp, nil
	}
	if body.ApplicationId != testAppID || body.ApplicationSecret != testSecret || body.Token != testToken {
		resp := httpmock.NewStringResponse(401, `{"Code":null,"Message":"Invalid application credentials"}`)
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	}
	tok := fmt.Sprintf("5e55%04d-0000-4000-8000-000000000000", len(f.issued)+1)
	f.issued = append(f.issued, tok)
	resp := httpmock.NewStringResponse(200, fmt.Sprintf(
		`{"Token":%q,"Server":%q,"Locality":%q,"UserName":"someone@example.com","DatabasePassword":"db-secret","TTL":1200,"SomethingNew":{"x":1}}`,
		tok, f.server, f.locality))
	resp.Header.Set("Content-Type", "application/json; charset=utf-8")
	return resp, nil
}

func (f *fakeLinnworks) api(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
	}
	tok := req.Header.Get("Authorization")
	f.mu.Lock()
	f.apiCalls++
	f.apiBodies = append(f.apiBodies, body)
	f.apiTokens = append(f.apiTokens, tok)
	f.apiHosts = append(f.apiHosts, req.URL.Scheme+"://"+req.URL.Host)
	onAPI := f.onAPI
	f.mu.Unlock()
	if onAPI != nil {
		onAPI(tok)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	valid := false
	for _, t := range f.issued {
		valid = valid || t == tok
	}
	if f.always401 || !valid || f.revoked[tok] || "https://"+req.URL.Host != f.server {
		resp := httpmock.NewStringResponse(401, `{"Code":"Unauthorized","Message":"Authorization has been denied for this request."}`)
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	}
	answer := `{}`
	if req.Method == http.MethodGet {
		answer = `[]`
	}
	resp := httpmock.NewStringResponse(200, answer)
	resp.Header.Set("Content-Type", "application/json")
	return resp, nil
}

// counts returns the number of authorizations and API calls so far.
func (f *fakeLinnworks) counts() (auth, api int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.authCalls, f.apiCalls
}

func (f *fakeLinnworks) revoke(tok string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.revoked[tok] = true
}

// source returns a Source that authorizes against the fake.
func (f *fakeLinnworks) source(opts ...Option) *Source {
	f.t.Helper()
	src, err := NewSource(testCreds(), append([]Option{WithHTTPClient(f.client)}, opts...)...)
	if err != nil {
		f.t.Fatalf("NewSource: %v", err)
	}
	return src
}

// genClient returns a generated client wired to src and the fake.
func (f *fakeLinnworks) genClient(src *Source) *gen.ClientWithResponses {
	f.t.Helper()
	c, err := gen.NewClientWithResponses(DefaultAuthServer,
		gen.WithRequestEditorFn(src.EditRequest), gen.WithHTTPClient(src.Doer(f.client)))
	if err != nil {
		f.t.Fatalf("NewClientWithResponses: %v", err)
	}
	return c
}

// assertNoSecret fails when s contains any credential secret or issued session token.
func (f *fakeLinnworks) assertNoSecret(what, s string) {
	f.t.Helper()
	f.mu.Lock()
	secrets := append([]string{testSecret, testToken, "db-secret"}, f.issued...)
	f.mu.Unlock()
	for _, sec := range secrets {
		if strings.Contains(strings.ToLower(s), strings.ToLower(sec)) {
			f.t.Errorf("%s leaks a secret: %s", what, s)
		}
	}
}
