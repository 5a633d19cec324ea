package mock

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/linnworks-go/linnworks/gen"
	"github.com/linnworks-go/linnworks/gen/pickingv2"
)

// A REST operation that states x-linnworks-rate-limit gets the same per-session
// quota as a classic one (upstream states none today; an overlay or a later
// upstream version may).
func TestRESTOperationsHonourAStatedRateLimit(t *testing.T) {
	classic, err := gen.GetSpec()
	if err != nil {
		t.Fatal(err)
	}
	limited := restService{"pickingv2", func() (*openapi3.T, error) {
		doc, err := pickingv2.GetSpec()
		if err != nil {
			return nil, err
		}
		doc.Paths.Value("/picking/pickwaveidentifier").Get.Extensions = map[string]any{rateLimitExtension: float64(2)}
		return doc, nil
	}}
	doc, err := withServices(classic, []restService{limited})
	if err != nil {
		t.Fatal(err)
	}
	m := New(WithSpec(doc))
	c := m.Client()
	token := authorizeInternal(t, m, c)
	var statuses []int
	for range 3 {
		req, _ := http.NewRequest(http.MethodGet, SessionRegionalHost+"/v2/picking/pickwaveidentifier", nil)
		req.Header.Set("Authorization", token)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		statuses = append(statuses, resp.StatusCode)
		if resp.StatusCode == http.StatusTooManyRequests {
			if resp.Header.Get("Retry-After") == "" {
				t.Error("429 without Retry-After")
			}
			var p Problem
			if ct := resp.Header.Get("Content-Type"); ct != ProblemContentType || json.Unmarshal(raw, &p) != nil ||
				p.Status != http.StatusTooManyRequests || p.Detail != "API calls quota exceeded! Maximum admitted 2 per Minute." {
				t.Errorf("429 answer %q %s, want a problem document with the quota message", ct, raw)
			}
		}
	}
	if statuses[0] != 200 || statuses[1] != 200 || statuses[2] != http.StatusTooManyRequests {
		t.Errorf("statuses %v, want 200 200 429", statuses)
	}
}

// The mock's own problem documents are validated against the document where the
// operation declares the status: one the document refuses becomes a 500 stating
// the violation, itself a problem document.
func TestServiceProblemsAreValidated(t *testing.T) {
	classic, err := gen.GetSpec()
	if err != nil {
		t.Fatal(err)
	}
	strict := restService{"pickingv2", func() (*openapi3.T, error) {
		doc, err := pickingv2.GetSpec()
		if err != nil {
			return nil, err
		}
		// A 401 problem must carry a traceId, which the mock does not send.
		pd := doc.Components.Schemas["ProblemDetails"].Value
		pd.Required = append(pd.Required, "traceId")
		return doc, nil
	}}
	doc, err := withServices(classic, []restService{strict})
	if err != nil {
		t.Fatal(err)
	}
	m := New(WithSpec(doc))
	for _, tc := range []struct {
		path   string
		status int
		detail string
	}{
		// Declared 401 with ProblemDetails: checked, refused.
		{"/v2/picking/pickwaveidentifier", http.StatusInternalServerError,
			`pickingv2.PickwaveIdentifier_GetPickwaveidentifier: the mock's error answer 401 breaks the API description: response 401 body: field "/traceId": property "traceId" is missing`},
		// No operation, nothing to check against.
		{"/v2/picking/nothing", http.StatusNotFound, "No HTTP resource was found that matches the request URI '/v2/picking/nothing'."},
	} {
		resp, err := m.Client().Get(SessionRegionalHost + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var p Problem
		if resp.StatusCode != tc.status || resp.Header.Get("Content-Type") != ProblemContentType || json.Unmarshal(raw, &p) != nil || p.Detail != tc.detail {
			t.Errorf("GET %s: %d %q %s; want %d and detail %q", tc.path, resp.StatusCode, resp.Header.Get("Content-Type"), raw, tc.status, tc.detail)
		}
	}
}

// A path parameter holding an escaped "/" (%2F) is one segment: the request is
// routed to its operation, not answered 404.
func TestEscapedSlashInPathParameter(t *testing.T) {
	m := New()
	c := m.Client()
	const op = "warehousetransferv2.ShipmentPallet_GetFbaInboundShippingPlansByShippingPlanIdShipmentsByShipmentIdPallets"
	var got string
	m.Stub(op, func(r *http.Request) (int, any) {
		got = r.URL.EscapedPath()
		return http.StatusOK, []any{}
	})
	token := authorizeInternal(t, m, c)
	req, err := http.NewRequest(http.MethodGet,
		"https://eu-api.linnworks.net/v2/warehousetransfer/fba-inbound/shipping-plans/plan%2F42/shipments/7/pallets", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", token)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d %s; want 200 from the operation", resp.StatusCode, body)
	}
	if n := m.Calls(op); n != 1 {
		t.Fatalf("Calls = %d, want 1", n)
	}
	if want := "/v2/warehousetransfer/fba-inbound/shipping-plans/plan%2F42/shipments/7/pallets"; got != want {
		t.Errorf("the stub saw path %q, want %q", got, want)
	}
}

// authorizeInternal authorizes with m's credentials through c and returns the token.
func authorizeInternal(t *testing.T, m *Server, c *http.Client) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, AuthServer+"/api/Auth/AuthorizeByApplication", strings.NewReader(
		`{"ApplicationId":"`+m.creds.ApplicationID+`","ApplicationSecret":"`+m.creds.ApplicationSecret+`","Token":"`+m.creds.Token+`"}`))
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var s struct{ Token string }
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil || s.Token == "" {
		t.Fatalf("authorize: %d %v", resp.StatusCode, err)
	}
	return s.Token
}
