package mock_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/linnworks-go/linnworks/authn"
	"github.com/linnworks-go/linnworks/gen/pickingv2"
	"github.com/linnworks-go/linnworks/mock"
)

// Client answers the REST services on the regional host of its sessions (EU) only,
// and keeps the classic API and the REST services on their own hosts.
func TestClientServesTheRESTServicesOnTheRegionalHost(t *testing.T) {
	m := mock.New()
	c := m.Client()
	token, _ := session(t, m, c, mock.AuthServer)
	for _, tc := range []struct {
		url    string
		status int
	}{
		{mock.SessionRegionalHost + "/v2/picking/pickwaveidentifier", http.StatusOK},
		{"https://us-api.linnworks.net/v2/picking/pickwaveidentifier", http.StatusUnauthorized}, // an EU session
		{mock.SessionRegionalHost + "/v2/picking/nothing", http.StatusNotFound},
		{mock.SessionRegionalHost + "/api/Inventory/GetCategories", http.StatusNotFound}, // classic API: not here
		{mock.SessionServer + "/v2/picking/pickwaveidentifier", http.StatusNotFound},     // REST: not on the session server
	} {
		if a := do(t, c, http.MethodGet, tc.url, token, nil); a.status != tc.status {
			t.Errorf("GET %s: %d %s, want %d", tc.url, a.status, a.body, tc.status)
		}
	}
	if a := do(t, c, http.MethodGet, mock.SessionRegionalHost+"/v2/picking/pickwaveidentifier", "", nil); a.status != http.StatusUnauthorized {
		t.Errorf("without a session: %d %s, want 401", a.status, a.body)
	}
	if a := do(t, c, http.MethodDelete, mock.SessionRegionalHost+"/v2/picking/pickwaveidentifier/not-a-number", token, nil); a.status != http.StatusBadRequest {
		t.Errorf("invalid path parameter: %d %s, want 400", a.status, a.body)
	}
	if got := m.Calls(mock.ServiceOperation("pickingv2", "PickwaveIdentifier_GetPickwaveidentifier")); got != 3 {
		t.Errorf("Calls = %d, want 3", got)
	}
}

// Over real HTTP the REST services answer under /v1 and /v2 of the mock's address;
// a typed client built on that address reaches them through authn, which keeps the
// path of any non-regional host and sends it to the session's Server.
func TestHandlerServesTheRESTServicesUnderTheirPrefix(t *testing.T) {
	m := mock.New()
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	src, err := authn.NewSource(m.Credentials(), authn.WithHTTPClient(srv.Client()), authn.WithAuthServer(srv.URL),
		authn.WithTrustedServer(func(u *url.URL) bool { return u.Host == srv.Listener.Addr().String() }))
	if err != nil {
		t.Fatal(err)
	}
	client, err := pickingv2.NewClientWithResponses(srv.URL+"/v2/",
		pickingv2.WithHTTPClient(src.Doer(srv.Client())), pickingv2.WithRequestEditorFn(src.EditRequest))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.PickwaveIdentifierGetPickwaveidentifierWithResponse(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode() != http.StatusOK || resp.JSON200 == nil {
		t.Fatalf("%d %s", resp.StatusCode(), resp.Body)
	}
	if got := m.Calls(mock.ServiceOperation("pickingv2", "PickwaveIdentifier_GetPickwaveidentifier")); got != 1 {
		t.Errorf("Calls = %d, want 1", got)
	}
}
