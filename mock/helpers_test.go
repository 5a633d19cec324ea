package mock_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/linnworks-go/linnworks/mock"
)

// answer is what a test sees of one HTTP exchange with the mock.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// message decodes Linnworks' error body and fails the test unless it has that shape.
func (a answer) message(t *testing.T) string {
	t.Helper()
	var e struct {
		Code    *string
		Message string
	}
	if err := json.Unmarshal(a.body, &e); err != nil || e.Message == "" {
		t.Fatalf("answer %d is not a Linnworks error body: %s", a.status, a.body)
	}
	if e.Code != nil {
		t.Errorf("error Code = %q, want null", *e.Code)
	}
	return e.Message
}

// do sends one request through c and reads the whole answer.
func do(t *testing.T, c *http.Client, method, url, token string, body any) answer {
	t.Helper()
	return doCtx(t, context.Background(), c, method, url, token, body)
}

func doCtx(t *testing.T, ctx context.Context, c *http.Client, method, url, token string, body any) answer {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewReader([]byte(b))
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{status: resp.StatusCode, header: resp.Header, body: raw}
}

// authorizeBody is the Auth_AuthorizeByApplication body for m's credentials.
func authorizeBody(m *mock.Server) map[string]string {
	c := m.Credentials()
	return map[string]string{"ApplicationId": c.ApplicationID, "ApplicationSecret": c.ApplicationSecret, "Token": c.Token}
}

// session authorizes against base (the auth server) and returns the token and Server.
func session(t *testing.T, m *mock.Server, c *http.Client, base string) (token, server string) {
	t.Helper()
	a := do(t, c, http.MethodPost, base+"/api/Auth/AuthorizeByApplication", "", authorizeBody(m))
	if a.status != http.StatusOK {
		t.Fatalf("authorize: %d %s", a.status, a.body)
	}
	var s struct{ Token, Server string }
	if err := json.Unmarshal(a.body, &s); err != nil {
		t.Fatal(err)
	}
	return s.Token, s.Server
}

const (
	authURL      = mock.AuthServer + "/api/Auth/AuthorizeByApplication"
	stockLevel   = mock.SessionServer + "/api/Stock/GetStockLevel"
	categories   = mock.SessionServer + "/api/Inventory/GetCategories"
	openOrders   = mock.SessionServer + "/api/Orders/GetOpenOrders"
	validStockID = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"
)
