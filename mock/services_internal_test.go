package mock

import (
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
	req, _ := http.NewRequest(http.MethodPost, AuthServer+"/api/Auth/AuthorizeByApplication", strings.NewReader(
		`{"ApplicationId":"`+m.creds.ApplicationID+`","ApplicationSecret":"`+m.creds.ApplicationSecret+`","Token":"`+m.creds.Token+`"}`))
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	m.mu.Lock()
	var token string
	for tok := range m.sessions {
		token = tok
	}
	m.mu.Unlock()
	var statuses []int
	for range 3 {
		req, _ := http.NewRequest(http.MethodGet, SessionRegionalHost+"/v2/picking/pickwaveidentifier", nil)
		req.Header.Set("Authorization", token)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		statuses = append(statuses, resp.StatusCode)
		if resp.StatusCode == http.StatusTooManyRequests && resp.Header.Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
	}
	if statuses[0] != 200 || statuses[1] != 200 || statuses[2] != http.StatusTooManyRequests {
		t.Errorf("statuses %v, want 200 200 429", statuses)
	}
}
