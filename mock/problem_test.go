package mock_test

import (
	"encoding/json"
	"mime"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/linnworks-go/linnworks/authn"
	"github.com/linnworks-go/linnworks/gen/ordersv2"
	"github.com/linnworks-go/linnworks/gen/warehousetransferv1"
	"github.com/linnworks-go/linnworks/mock"
)

// URLs of REST service operations on the regional host of Client's sessions.
const (
	restOrders       = mock.SessionRegionalHost + "/v2/orders"
	restFulfillments = mock.SessionRegionalHost + "/v2/orders/fulfillment-status"
	restPickwaves    = mock.SessionRegionalHost + "/v2/picking/pickwaveidentifier"
	restAddItem      = mock.SessionRegionalHost + "/v1/warehousetransfer/transfers/AddItem"
)

// problem decodes an RFC 9457 problem document and fails the test unless the
// answer is one: Content-Type application/problem+json, status equal to the
// answer's, a title and a detail, and no Linnworks Code/Message members.
func (a answer) problem(t *testing.T) mock.Problem {
	t.Helper()
	if mt, _, err := mime.ParseMediaType(a.header.Get("Content-Type")); err != nil || mt != mock.ProblemContentType {
		t.Fatalf("answer %d has Content-Type %q, want %s: %s", a.status, a.header.Get("Content-Type"), mock.ProblemContentType, a.body)
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(a.body, &members); err != nil {
		t.Fatalf("answer %d is not a JSON object: %s", a.status, a.body)
	}
	for _, classic := range []string{"Code", "Message"} {
		if _, ok := members[classic]; ok {
			t.Errorf("problem document has Linnworks' %q member: %s", classic, a.body)
		}
	}
	var p mock.Problem
	if err := json.Unmarshal(a.body, &p); err != nil {
		t.Fatalf("answer %d: %v: %s", a.status, err, a.body)
	}
	if p.Status != a.status || p.Title == "" || p.Detail == "" {
		t.Errorf("problem %+v: want status %d, a title and a detail", p, a.status)
	}
	return p
}

// The mock's own errors on the REST services are problem documents: validation,
// sessions, routing, injected failures and answers that break the document.
func TestServiceErrorsAreProblemDocuments(t *testing.T) {
	m := mock.New()
	c := m.Client()
	token, _ := session(t, m, c, mock.AuthServer)
	m.Stub(mock.ServiceOperation("ordersv2", "Orders_GetFulfillmentStatuses"), func(*http.Request) (int, any) {
		return http.StatusOK, []map[string]any{{"OrderId": "not-a-uuid"}}
	})
	for _, tc := range []struct {
		name, method, url, token string
		body                     any
		fail                     string // operation to fail once with status first
		status                   int
		detail                   string              // in the detail
		fields                   map[string][]string // rules' substrings by field; nil: no errors member
	}{
		{"invalid query parameter", http.MethodGet, restOrders + "?locationId=nowhere&entriesPerPage=ten", token, nil, "", http.StatusBadRequest,
			`parameter "locationId" in query`, map[string][]string{"locationId": {"uuid"}, "entriesPerPage": {"integer"}}},
		{"invalid body field", http.MethodPost, restFulfillments, token, `[{"OrderId":"nope","Extra":1}]`, "", http.StatusBadRequest,
			`request body: field "/0/OrderId"`, map[string][]string{"[0].OrderId": {"uuid"}, "[0]": {"Extra"}}},
		{"missing session", http.MethodGet, restOrders, "", nil, "", http.StatusUnauthorized, "session token (header Authorization) is missing", nil},
		{"unknown session", http.MethodGet, restOrders, "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0", nil, "", http.StatusUnauthorized, "session token is unknown", nil},
		{"unknown route", http.MethodGet, restOrders + "/nothing/here", token, nil, "", http.StatusNotFound, "/v2/orders/nothing/here", nil},
		{"classic path on a regional host", http.MethodGet, mock.SessionRegionalHost + "/api/Inventory/GetCategories", token, nil, "", http.StatusNotFound, "/api/Inventory/GetCategories", nil},
		{"wrong method", http.MethodDelete, restOrders, token, nil, "", http.StatusMethodNotAllowed, "'DELETE'", nil},
		{"injected 500", http.MethodGet, restOrders, token, nil, mock.ServiceOperation("ordersv2", "Orders_GetOrders"), http.StatusInternalServerError, "ordersv2.Orders_GetOrders: injected failure (500 Internal Server Error)", nil},
		{"injected 502, undeclared", http.MethodGet, restPickwaves, token, nil, mock.ServiceOperation("pickingv2", "PickwaveIdentifier_GetPickwaveidentifier"), http.StatusBadGateway, "injected failure (502 Bad Gateway)", nil},
		{"answer breaking the document", http.MethodGet, restFulfillments, token, nil, "", http.StatusInternalServerError, `breaks the API description: response 200 body: field "/0/OrderId"`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.fail != "" {
				m.FailNext(tc.fail, 1, tc.status)
			}
			a := do(t, c, tc.method, tc.url, tc.token, tc.body)
			if a.status != tc.status {
				t.Fatalf("%d %s, want %d", a.status, a.body, tc.status)
			}
			p := a.problem(t)
			if !strings.Contains(p.Detail, tc.detail) {
				t.Errorf("detail %q does not contain %q", p.Detail, tc.detail)
			}
			if !strings.HasPrefix(p.Type, "https://tools.ietf.org/html/rfc9110#section-15.") {
				t.Errorf("type %q, want an RFC 9110 section", p.Type)
			}
			if tc.fields == nil {
				if p.Errors != nil || p.Title != http.StatusText(tc.status) {
					t.Errorf("problem %+v: want title %q and no errors", p, http.StatusText(tc.status))
				}
				return
			}
			if p.Title != "One or more validation errors occurred." {
				t.Errorf("title %q", p.Title)
			}
			if len(p.Errors) != len(tc.fields) {
				t.Errorf("errors %v, want the fields of %v", p.Errors, tc.fields)
			}
			for field, want := range tc.fields {
				rules := p.Errors[field]
				if len(rules) != len(want) {
					t.Errorf("errors[%q] = %q, want %d rules", field, rules, len(want))
					continue
				}
				for i, w := range want {
					if !strings.Contains(rules[i], w) || !strings.Contains(p.Detail, rules[i]) {
						t.Errorf("errors[%q][%d] = %q: want it to mention %q and to be in the detail %q", field, i, rules[i], w, p.Detail)
					}
				}
			}
		})
	}
}

// The generated clients decode the mock's problem documents: application/problem+json
// where the document declares it (orders v2), and the ProblemDetails the warehouse
// transfer documents declare under application/json.
func TestServiceProblemsDecodeThroughTheTypedClients(t *testing.T) {
	m := mock.New()
	src, err := authn.NewSource(m.Credentials(), authn.WithHTTPClient(m.Client()))
	if err != nil {
		t.Fatal(err)
	}
	orders, err := ordersv2.NewClientWithResponses(mock.SessionRegionalHost+"/v2/",
		ordersv2.WithHTTPClient(src.Doer(m.Client())), ordersv2.WithRequestEditorFn(src.EditRequest))
	if err != nil {
		t.Fatal(err)
	}
	m.FailNext(mock.ServiceOperation("ordersv2", "Orders_GetFulfillmentStatus"), 1, http.StatusNotFound)
	resp, err := orders.OrdersGetFulfillmentStatusWithResponse(t.Context(), openapi_types.UUID{0x0f, 0x1e, 0x2d})
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode() != http.StatusNotFound || resp.ApplicationproblemJSON404 == nil {
		t.Fatalf("%d %s: not decoded as a problem document", resp.StatusCode(), resp.Body)
	}
	pd, err := resp.ApplicationproblemJSON404.AsProblemDetails()
	if err != nil || pd.Detail == nil || !strings.Contains(*pd.Detail, "injected failure (404 Not Found)") {
		t.Errorf("ProblemDetails %+v (%v)", pd, err)
	}

	transfers, err := warehousetransferv1.NewClientWithResponses(mock.SessionRegionalHost+"/v1/",
		warehousetransferv1.WithHTTPClient(m.Client())) // no session
	if err != nil {
		t.Fatal(err)
	}
	wresp, err := transfers.WarehouseTransferAddItemWithResponse(t.Context(), warehousetransferv1.WarehouseTransferAddItemJSONRequestBody{})
	if err != nil {
		t.Fatal(err)
	}
	if ct := wresp.HTTPResponse.Header.Get("Content-Type"); wresp.StatusCode() != http.StatusUnauthorized || ct != mock.ProblemContentType {
		t.Fatalf("%d %q %s, want 401 %s", wresp.StatusCode(), ct, wresp.Body, mock.ProblemContentType)
	}
	if wresp.JSON401 == nil || wresp.JSON401.Status == nil || *wresp.JSON401.Status != http.StatusUnauthorized {
		t.Errorf("JSON401 = %+v, want the problem document", wresp.JSON401)
	}
}

// A session that idled out answers a REST call with a 401 problem document.
func TestServiceIdleSessionIsAProblem(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := mock.New()
		c := m.Client()
		token, _ := session(t, m, c, mock.AuthServer)
		time.Sleep(mock.DefaultIdleTimeout + time.Second)
		a := do(t, c, http.MethodGet, restPickwaves, token, nil)
		if a.status != http.StatusUnauthorized {
			t.Fatalf("%d %s, want 401", a.status, a.body)
		}
		if p := a.problem(t); !strings.Contains(p.Detail, "expired") {
			t.Errorf("detail %q, want the expiry", p.Detail)
		}
	})
}

// An injected 429 on a REST operation is a problem document with Retry-After.
func TestServiceInjected429IsAProblem(t *testing.T) {
	m := mock.New()
	c := m.Client()
	token, _ := session(t, m, c, mock.AuthServer)
	m.FailNext(mock.ServiceOperation("pickingv2", "PickwaveIdentifier_GetPickwaveidentifier"), 1, http.StatusTooManyRequests)
	a := do(t, c, http.MethodGet, restPickwaves, token, nil)
	if a.status != http.StatusTooManyRequests || a.header.Get("Retry-After") != "1" {
		t.Fatalf("%d Retry-After %q %s, want 429 and 1", a.status, a.header.Get("Retry-After"), a.body)
	}
	if p := a.problem(t); p.Type != "https://tools.ietf.org/html/rfc6585#section-4" {
		t.Errorf("type %q", p.Type)
	}
}

// Over real HTTP, paths under /v1 and /v2 answer problem documents, the classic
// API Linnworks' body.
func TestHandlerServiceErrorsAreProblemDocuments(t *testing.T) {
	m := mock.New()
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	c := srv.Client()
	if a := do(t, c, http.MethodGet, srv.URL+"/v2/picking/pickwaveidentifier", "", nil); a.status != http.StatusUnauthorized {
		t.Errorf("no session: %d %s, want 401", a.status, a.body)
	} else {
		a.problem(t)
	}
	if a := do(t, c, http.MethodGet, srv.URL+"/v2/nothing", "", nil); a.status != http.StatusNotFound {
		t.Errorf("unknown route: %d %s, want 404", a.status, a.body)
	} else {
		a.problem(t)
	}
	if a := do(t, c, http.MethodGet, srv.URL+"/api/Inventory/GetCategories", "", nil); a.status != http.StatusUnauthorized {
		t.Errorf("classic: %d %s, want 401", a.status, a.body)
	} else {
		a.classic(t)
	}
}

// classic checks Linnworks' error body exactly: Content-Type application/json and
// the members Code (null) and Message, nothing else.
func (a answer) classic(t *testing.T) string {
	t.Helper()
	if mt, _, _ := mime.ParseMediaType(a.header.Get("Content-Type")); mt != "application/json" {
		t.Errorf("Content-Type %q, want application/json", a.header.Get("Content-Type"))
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(a.body, &members); err != nil {
		t.Fatalf("%d: %s", a.status, a.body)
	}
	keys := make([]string, 0, len(members))
	for k := range members {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if !slices.Equal(keys, []string{"Code", "Message"}) || string(members["Code"]) != "null" {
		t.Errorf("members %v (%s), want exactly Code (null) and Message", keys, a.body)
	}
	return a.message(t)
}

// The classic API keeps Linnworks' {"Code":null,"Message":"..."} for every error
// of the mock, whatever the REST services answer.
func TestClassicErrorsKeepLinnworksShape(t *testing.T) {
	m := mock.New()
	c := m.Client()
	token, _ := session(t, m, c, mock.AuthServer)
	m.Stub("Orders_GetOpenOrders", func(*http.Request) (int, any) { return http.StatusOK, "not an object" })
	for _, tc := range []struct {
		name, method, url, token string
		body                     any
		fail                     bool // Inventory_GetCategories fails once with status first
		status                   int
		msg                      string
	}{
		{"invalid request", http.MethodGet, stockLevel + "?stockItemId=abc", token, nil, false, http.StatusBadRequest, `parameter "stockItemId" in query`},
		{"missing session", http.MethodGet, categories, "", nil, false, http.StatusUnauthorized, "missing"},
		{"unknown route", http.MethodGet, mock.SessionServer + "/api/Nothing/Here", token, nil, false, http.StatusNotFound, "No HTTP resource"},
		{"REST path on the classic host", http.MethodGet, mock.SessionServer + "/v2/orders", token, nil, false, http.StatusNotFound, "No HTTP resource"},
		{"wrong method", http.MethodDelete, categories, token, nil, false, http.StatusMethodNotAllowed, "'DELETE'"},
		{"injected failure", http.MethodGet, categories, token, nil, true, http.StatusInternalServerError, "injected failure"},
		{"answer breaking the document", http.MethodPost, openOrders, token, map[string]any{"entriesPerPage": 1, "pageNumber": 1}, false, http.StatusInternalServerError, "breaks the API description"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.fail {
				m.FailNext("Inventory_GetCategories", 1, tc.status)
			}
			a := do(t, c, tc.method, tc.url, tc.token, tc.body)
			if a.status != tc.status {
				t.Fatalf("%d %s, want %d", a.status, a.body, tc.status)
			}
			if msg := a.classic(t); !strings.Contains(msg, tc.msg) {
				t.Errorf("Message %q does not contain %q", msg, tc.msg)
			}
		})
	}
}

// A stub answers a problem document with Problem or Respond, validated like any
// answer; a plain body is still sent as application/json, which a status declared
// with application/problem+json only refuses.
func TestStubAnswersProblemDocuments(t *testing.T) {
	m := mock.New()
	c := m.Client()
	token, _ := session(t, m, c, mock.AuthServer)
	getOrders := mock.ServiceOperation("ordersv2", "Orders_GetOrders")
	pickwaves := mock.ServiceOperation("pickingv2", "PickwaveIdentifier_GetPickwaveidentifier")
	addItem := mock.ServiceOperation("warehousetransferv1", "WarehouseTransfer_AddItem")
	for _, tc := range []struct {
		name   string
		op     string
		method string
		url    string
		body   any
		stub   mock.StubFunc
		status int
		ct     string
		want   string // in the body
	}{
		{"Problem", getOrders, http.MethodGet, restOrders, nil, func(*http.Request) (int, any) {
			return http.StatusNotFound, mock.Problem{Title: "Not Found", Detail: "no such location"}
		}, http.StatusNotFound, mock.ProblemContentType, `"status":404`},
		{"*Problem with errors", getOrders, http.MethodGet, restOrders, nil, func(*http.Request) (int, any) {
			return http.StatusBadRequest, &mock.Problem{Title: "One or more validation errors occurred.", Status: 400,
				Errors: map[string][]string{"locationId": {"The value 'x' is not valid."}}}
		}, http.StatusBadRequest, mock.ProblemContentType, `"errors":{"locationId":["The value 'x' is not valid."]}`},
		{"Respond", pickwaves, http.MethodGet, restPickwaves, nil, func(*http.Request) (int, any) {
			return mock.Respond(http.StatusForbidden, mock.ProblemContentType+"; charset=utf-8", json.RawMessage(`{"title":"Forbidden","status":403,"traceId":"00-1"}`))
		}, http.StatusForbidden, mock.ProblemContentType + "; charset=utf-8", `"traceId":"00-1"`},
		{"Respond with the default Content-Type", pickwaves, http.MethodGet, restPickwaves, nil, func(*http.Request) (int, any) {
			return mock.Respond(http.StatusOK, "", []map[string]any{})
		}, http.StatusOK, "application/json; charset=utf-8", `[]`},
		{"Problem where the document says application/json", addItem, http.MethodPut, restAddItem, map[string]any{"transferId": 7}, func(*http.Request) (int, any) {
			return http.StatusBadRequest, mock.Problem{Title: "Bad Request", Detail: "no such transfer"}
		}, http.StatusBadRequest, mock.ProblemContentType, `"detail":"no such transfer"`},
		{"Problem breaking the schema", getOrders, http.MethodGet, restOrders, nil, func(*http.Request) (int, any) {
			return mock.Respond(http.StatusNotFound, mock.ProblemContentType, map[string]any{"status": "gone"})
		}, http.StatusInternalServerError, mock.ProblemContentType, `response 404 body`},
		{"Content-Type the document does not declare", getOrders, http.MethodGet, restOrders, nil, func(*http.Request) (int, any) {
			return mock.Respond(http.StatusNotFound, "text/plain", []byte("gone"))
		}, http.StatusInternalServerError, mock.ProblemContentType, `text/plain`},
		{"plain body on a problem+json status", getOrders, http.MethodGet, restOrders, nil, func(*http.Request) (int, any) {
			return http.StatusNotFound, map[string]any{"title": "Not Found"}
		}, http.StatusInternalServerError, mock.ProblemContentType, `application/json`},
		{"Problem on the classic API", "Inventory_GetCategories", http.MethodGet, categories, nil, func(*http.Request) (int, any) {
			return http.StatusBadRequest, mock.Problem{Title: "Bad Request"}
		}, http.StatusInternalServerError, "application/json; charset=utf-8", `"Message":"Inventory_GetCategories: the mock's answer breaks the API description`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m.Stub(tc.op, tc.stub)
			defer m.Stub(tc.op, nil)
			a := do(t, c, tc.method, tc.url, token, tc.body)
			if a.status != tc.status || a.header.Get("Content-Type") != tc.ct || !strings.Contains(string(a.body), tc.want) {
				t.Fatalf("%d %q %s; want %d %q and a body with %s", a.status, a.header.Get("Content-Type"), a.body, tc.status, tc.ct, tc.want)
			}
		})
	}
}
