package mock

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/linnworks-go/linnworks/gen"
)

// benchOperations is the size of the synthetic document of the benchmarks: about
// the 631 operations of the classic Linnworks API, rounded up.
const benchOperations = 700

// syntheticDoc returns the embedded document grown to at least n operations by
// cloning its operations under new controllers (/api/CloneK_Controller/Method,
// operationId CloneK_Controller_Method). The clones are appended after the
// originals, so a route of the original document is not the first one a linear
// router would try.
func syntheticDoc(tb testing.TB, n int) *openapi3.T {
	tb.Helper()
	doc, err := gen.GetSpec()
	if err != nil {
		tb.Fatal(err)
	}
	originals := doc.Paths.Map()
	count := 0
	for _, item := range originals {
		count += len(item.Operations())
	}
	paths := openapi3.NewPaths()
	for k := 1; count < n; k++ {
		for path, item := range originals {
			if count >= n {
				break
			}
			clone := *item
			clone.Get, clone.Post, clone.Put, clone.Delete, clone.Patch = nil, nil, nil, nil, nil
			for method, op := range item.Operations() {
				c := *op
				c.OperationID = fmt.Sprintf("Clone%d_%s", k, op.OperationID)
				clone.SetOperation(method, &c)
				count++
			}
			paths.Set(strings.Replace(path, "/api/", fmt.Sprintf("/api/Clone%d_", k), 1), &clone)
		}
	}
	for path, item := range originals {
		paths.Set(path, item)
	}
	doc.Paths = paths
	return doc
}

// BenchmarkServe measures the whole per-request work of the mock on a document of
// ~700 operations: routing, request validation (security, parameters, body),
// session and quota bookkeeping, the synthesised answer and its validation. The
// target is ≤ 20 µs per request (issue 4).
func BenchmarkServe(b *testing.B) {
	m := New(WithSpec(syntheticDoc(b, benchOperations)), WithoutRateLimits())
	if n := len(m.Operations()); n < benchOperations {
		b.Fatalf("synthetic document has %d operations", n)
	}
	h := m.Handler()
	token := benchSession(b, h, m)

	cases := []struct {
		name, method, target, body string
	}{
		{"GET_query", http.MethodGet, "/api/Stock/GetStockLevel?stockItemId=0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0", ""},
		{"GET_list", http.MethodGet, "/api/Inventory/GetCategories", ""},
		{"POST_body", http.MethodPost, "/api/Orders/GetOpenOrders",
			`{"entriesPerPage":50,"pageNumber":1,"fulfilmentCenter":"0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"}`},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				req := newBenchRequest(b, c.method, c.target, c.body)
				req.Header.Set("Authorization", token)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("%d %s", rec.Code, rec.Body)
				}
			}
		})
	}
}

// BenchmarkValidate measures the validation overhead alone on ~700 operations:
// route, validate the request (security through the mock's AuthenticationFunc,
// parameters, body) and validate a typical small answer, as for a stubbed call.
// The target is ≤ 20 µs per request (issue 4).
func BenchmarkValidate(b *testing.B) {
	m := New(WithSpec(syntheticDoc(b, benchOperations)), WithoutRateLimits())
	token := benchSession(b, m.Handler(), m)
	const uuid = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"
	cases := []struct {
		name, method, target, body, answer string
	}{
		{"GET_query", http.MethodGet, "/api/Stock/GetStockLevel?stockItemId=" + uuid, "",
			`[{"Available":3,"StockLevel":5,"Location":{"StockLocationId":"` + uuid + `","LocationName":"Default"}}]`},
		{"POST_body", http.MethodPost, "/api/Orders/GetOpenOrders",
			`{"entriesPerPage":50,"pageNumber":1,"fulfilmentCenter":"` + uuid + `"}`,
			`{"PageNumber":1,"EntriesPerPage":50,"TotalEntries":1,"TotalPages":1,"Data":[{"OrderId":"` + uuid + `","NumOrderId":1}]}`},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			answer := []byte(c.answer)
			b.ReportAllocs()
			for b.Loop() {
				req := newBenchRequest(b, c.method, c.target, c.body)
				req.Header.Set("Authorization", token)
				route, params, _, status, msg := m.spec.findRoute(req)
				if status != 0 {
					b.Fatal(msg)
				}
				in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
					Options: m.spec.options(m.authenticate("http://mock.test"))}
				ctx := context.WithValue(req.Context(), requestStateKey{}, &requestState{})
				if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
					b.Fatal(err)
				}
				rin := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: http.StatusOK,
					Header: http.Header{"Content-Type": {jsonContentType}}, Options: in.Options}
				rin.SetBodyBytes(answer)
				if err := openapi3filter.ValidateResponse(ctx, rin); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRoute measures the router alone on ~700 operations. The mock uses
// kin-openapi's legacy router, which matches through a path tree: 0.2–0.6 µs per
// lookup wherever the route is. Its gorillamux router, measured the same way on the
// same document in a scratch copy (it needs gorilla/mux, which this module does not
// require), tries the routes one by one: 0.8 µs for a route it meets early, 10 µs
// for /api/Stock/GetStockLevel and 160–250 µs (703 allocations) for
// /api/Auth/AuthorizeByApplication, which it meets last.
func BenchmarkRoute(b *testing.B) {
	s, err := compile(syntheticDoc(b, benchOperations))
	if err != nil {
		b.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "http://mock.test/api/Stock/GetStockLevel", nil)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, op, status, msg := s.findRoute(req); op == nil {
			b.Fatalf("%d %s", status, msg)
		}
	}
}

// newBenchRequest builds a request as a server hands it to a handler, without the
// cost of parsing one from text (httptest.NewRequest), which is not the mock's.
func newBenchRequest(b *testing.B, method, target, body string) *http.Request {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, target, rd)
	if err != nil {
		b.Fatal(err)
	}
	req.Host = "mock.test"
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return req
}

// benchSession authorizes through h and returns the session token.
func benchSession(tb testing.TB, h http.Handler, m *Server) string {
	tb.Helper()
	c := m.Credentials()
	body := fmt.Sprintf(`{"ApplicationId":%q,"ApplicationSecret":%q,"Token":%q}`, c.ApplicationID, c.ApplicationSecret, c.Token)
	req := httptest.NewRequest(http.MethodPost, "http://mock.test/api/Auth/AuthorizeByApplication", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		tb.Fatalf("authorize: %d %s", rec.Code, rec.Body)
	}
	var s struct{ Token string }
	if err := json.Unmarshal(rec.Body.Bytes(), &s); err != nil || s.Token == "" {
		tb.Fatalf("authorize: %v %s", err, rec.Body)
	}
	return s.Token
}
