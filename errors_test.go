package linnworks

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/linnworks-go/linnworks/gen"
	"github.com/linnworks-go/linnworks/mock"
)

// httpAnswer is an answer to a request for Orders_GetOpenOrders carrying a session token.
func httpAnswer(status int, contentType, body string) *http.Response {
	req, _ := http.NewRequest(http.MethodPost, "https://eu-ext.linnworks.net/api/Orders/GetOpenOrders", nil)
	req.Header.Set("Authorization", "5e550001-0000-4000-8000-00000000abcd")
	h := http.Header{}
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	return &http.Response{StatusCode: status, Header: h, Request: req, Body: io.NopCloser(strings.NewReader(body))}
}

func TestCheckHTTPResponse(t *testing.T) {
	long := strings.Repeat("é", 400)
	for _, tt := range []struct {
		name        string
		status      int
		contentType string
		body        string
		code, msg   string
		is          []error
	}{
		{"Linnworks JSON", 400, "application/json", `{"Code":"E42","Message":"Field pageNumber is wrong"}`, "E42", "Field pageNumber is wrong", nil},
		{"JSON, null code, lower case", 400, "application/json; charset=utf-8", `{"code":null,"message":"bad"}`, "", "bad", nil},
		{"JSON without message", 500, "application/json", `{"ExceptionMessage":"boom"}`, "", `{"ExceptionMessage":"boom"}`, nil},
		{"JSON string", 400, "application/json", `"Invalid request"`, "", "Invalid request", nil},
		{"quota, 429", 429, "application/json", quotaBody, "", "API calls quota exceeded! Maximum admitted 150 per Minute.", []error{ErrRateLimited}},
		{"quota on a 400", 400, "application/json", quotaBody, "", "API calls quota exceeded! Maximum admitted 150 per Minute.", []error{ErrRateLimited}},
		{"401", 401, "application/json", `{"Code":null,"Message":"Authorization has been denied for this request."}`, "", "Authorization has been denied for this request.", []error{ErrUnauthorized}},
		{"empty 404", 404, "", "", "", "", []error{ErrNotFound}},
		{"plain text", 500, "text/plain", "  Something\n\twent   wrong \n", "", "Something went wrong", nil},
		{"HTML with title", 502, "text/html", "<html><head><title>502 Bad Gateway</title></head><body><h1>nginx</h1></body></html>", "", "502 Bad Gateway", nil},
		{"HTML without title", 503, "", "<!DOCTYPE html><html><body><p>Down for <b>maintenance</b></p></body></html>", "", "Down for maintenance", nil},
		{"XML", 400, "application/xml", `<?xml version="1.0"?><Error xmlns="urn:x"><Code>1</Code><Message>Bad XML thing</Message></Error>`, "", "Bad XML thing", nil},
		{"XML without Message", 400, "text/xml", `<Error><Reason>nope</Reason></Error>`, "", "nope", nil},
		{"long text is clipped", 500, "text/plain", long, "", strings.Repeat("é", maxMessage/2) + "…", nil},
		{"problem with detail", 404, "application/problem+json", `{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.5","title":"Not Found","status":404,"detail":"Transfer 42 does not exist","traceId":"00-ab"}`, "", "Transfer 42 does not exist", []error{ErrNotFound}},
		{"problem with title only", 500, "application/problem+json; charset=utf-8", `{"title":"An error occurred while processing your request.","status":500}`, "", "An error occurred while processing your request.", nil},
		{"validation problem", 400, "application/problem+json", `{"title":"One or more validation errors occurred.","status":400,"errors":{"locationId":["The value 'x' is not valid."],"fromDate":["Required.","Too old."]}}`, "", "One or more validation errors occurred. fromDate: Required. Too old.; locationId: The value 'x' is not valid.", nil},
		{"validation problem without title", 400, "application/problem+json", `{"errors":{"":["Body is empty"]}}`, "", "Body is empty", nil},
		{"problem of a 429 quota", 429, "application/problem+json", `{"title":"Too Many Requests","detail":"API calls quota exceeded"}`, "", "API calls quota exceeded", []error{ErrRateLimited}},
		{"problem with an odd errors member", 400, "application/problem+json", `{"title":"Bad","errors":[1,2]}`, "", "Bad", nil},
		{"echoed token is redacted", 400, "application/json", `{"Message":"token 5e550001-0000-4000-8000-00000000abcd is odd"}`, "", "token [redacted] is odd", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckHTTPResponse(httpAnswer(tt.status, tt.contentType, tt.body), []byte(tt.body))
			var e *APIError
			if !errors.As(err, &e) {
				t.Fatalf("err = %v; want an *APIError", err)
			}
			if e.Operation != "Orders_GetOpenOrders" || e.StatusCode != tt.status || e.Code != tt.code || e.Message != tt.msg {
				t.Fatalf("got %q %d code %q message %q; want code %q message %q", e.Operation, e.StatusCode, e.Code, e.Message, tt.code, tt.msg)
			}
			for _, target := range []error{ErrRateLimited, ErrUnauthorized, ErrNotFound} {
				want := false
				for _, w := range tt.is {
					want = want || w == target
				}
				if errors.Is(err, target) != want {
					t.Errorf("errors.Is(err, %v) = %v", target, !want)
				}
			}
			if strings.Contains(err.Error(), "abcd") || strings.Contains(string(e.Body), "abcd") {
				t.Errorf("the session token leaked: %v", err)
			}
			if !strings.HasPrefix(err.Error(), fmt.Sprintf("linnworks: Orders_GetOpenOrders: HTTP %d %s", tt.status, http.StatusText(tt.status))) {
				t.Errorf("Error() = %q", err)
			}
		})
	}
	for _, status := range []int{200, 201, 204, 299} {
		if err := CheckHTTPResponse(httpAnswer(status, "", ""), nil); err != nil {
			t.Errorf("status %d: %v", status, err)
		}
	}
	if err := CheckHTTPResponse(nil, nil); err == nil {
		t.Error("nil response: no error")
	}
}

func TestCheckResponseOfGeneratedTypes(t *testing.T) {
	hr := httpAnswer(429, "application/json", quotaBody)
	hr.Header.Set("Retry-After", "12")
	resp := &gen.OrdersGetOpenOrdersResponse{HTTPResponse: hr, Body: []byte(quotaBody)}
	err := CheckResponse(resp)
	var e *APIError
	if !errors.As(err, &e) || !errors.Is(err, ErrRateLimited) || e.RetryAfter != 12*time.Second || string(e.Body) != quotaBody {
		t.Fatalf("CheckResponse = %#v", err)
	}
	if err := CheckResponse(&gen.StockGetStockItemsFullResponse{HTTPResponse: httpAnswer(204, "", "")}); err != nil {
		t.Fatalf("204: %v", err)
	}
	var nilResp *gen.OrdersGetOpenOrdersResponse
	for _, r := range []Response{nil, nilResp, &gen.OrdersGetOpenOrdersResponse{}} {
		if err := CheckResponse(r); err == nil || errors.As(err, &e) {
			t.Errorf("CheckResponse(%#v) = %v; want a plain error", r, err)
		}
	}
	// Result passes the call's own error through untouched.
	callErr := errors.New("dial failed")
	if _, err := Result(resp, callErr); err != callErr {
		t.Fatalf("Result = %v", err)
	}
	if _, err := Result(resp, nil); !errors.Is(err, ErrRateLimited) {
		t.Fatalf("Result = %v", err)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		v    string
		d    time.Duration
		isOK bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{" 5 ", 5 * time.Second, true},
		{"-1", 0, false},
		{"1e3", 0, false},
		{"999999999", 24 * time.Hour, true},
		{"Thu, 03 Dec 2026 10:00:30 GMT", 30 * time.Second, true},
		{"Thursday, 03-Dec-26 10:01:00 GMT", time.Minute, true},
		{"Thu, 03 Dec 2026 09:00:00 GMT", 0, true},
		{"soon", 0, false},
	} {
		if d, ok := parseRetryAfter(tt.v, now); d != tt.d || ok != tt.isOK {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tt.v, d, ok, tt.d, tt.isOK)
		}
	}
}

// Answers the generated parser cannot read keep their status and body: they
// come back as an *APIError instead of a bare decoding error.
func TestAnswerGuard(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := mock.New()
		s := &script{path: "/api/Orders/GetOpenOrders"}
		c := newMockClient(t, m, s, WithoutRetry())
		for _, tt := range []struct {
			name        string
			status      int
			contentType string
			body        string
			wantErr     string // "" for no error of the call itself
		}{
			{"HTML 502 labelled JSON", 502, "application/json", "<html><title>Bad Gateway</title></html>", "linnworks: Orders_GetOpenOrders: HTTP 502 Bad Gateway: Bad Gateway: the application/json body is not valid JSON: invalid character '<'"},
			{"truncated 200", 200, "application/json", `{"Data":[{"Or`, "linnworks: Orders_GetOpenOrders: HTTP 200 OK: {\"Data\":[{\"Or: the application/json body is not valid JSON: unexpected end of JSON input"},
			{"empty 200", 200, "application/json", "", ""},
			{"empty 400", 400, "application/json; charset=utf-8", " ", ""},
		} {
			s.then(answer(tt.status, http.Header{"Content-Type": {tt.contentType}}, tt.body))
			resp, err := c.OrdersGetOpenOrdersWithResponse(t.Context(), openOrdersRequest())
			if tt.wantErr != "" {
				var e *APIError
				if !errors.As(err, &e) || e.StatusCode != tt.status || string(e.Body) != tt.body || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Errorf("%s: err = %v; want an *APIError %q", tt.name, err, tt.wantErr)
				}
				continue
			}
			if err != nil || resp.StatusCode() != tt.status || resp.JSON200 != nil {
				t.Errorf("%s: %v, %v; want the answer with no JSON", tt.name, resp, err)
				continue
			}
			if err := CheckResponse(resp); (err != nil) != (tt.status >= 300) {
				t.Errorf("%s: CheckResponse = %v", tt.name, err)
			}
		}
	})
}
