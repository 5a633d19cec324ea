package linnworks_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/linnworks-go/linnworks"
	"github.com/linnworks-go/linnworks/authn"
	"github.com/linnworks-go/linnworks/gen/ordersv2"
	"github.com/linnworks-go/linnworks/gen/pickingv2"
	"github.com/linnworks-go/linnworks/mock"
)

// The classic client and the REST services share one session: one authorization
// serves a classic call and a call of each service, each answered by the mock on
// its own host.
func TestServicesShareTheSession(t *testing.T) {
	m := mock.New()
	classic, src, err := linnworks.NewClientWithSource(m.Credentials(), linnworks.WithHTTPClient(m.Client()))
	if err != nil {
		t.Fatal(err)
	}
	svc, err := linnworks.NewServices(src, m.Client())
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if r, err := classic.InventoryGetCategoriesWithResponse(ctx); err != nil || r.StatusCode() != http.StatusOK {
		t.Fatalf("classic call: %v", err)
	}
	var ua, accept string
	m.Stub(mock.ServiceOperation("ordersv2", "Orders_GetFulfillmentStatuses"), func(r *http.Request) (int, any) {
		ua, accept = r.Header.Get("User-Agent"), r.Header.Get("Accept")
		return http.StatusOK, []any{}
	})
	statuses := []func() (int, error){
		func() (int, error) {
			r, err := svc.OrdersV2.OrdersGetFulfillmentStatusesWithResponse(ctx, &ordersv2.OrdersGetFulfillmentStatusesParams{})
			if err != nil {
				return 0, err
			}
			return r.StatusCode(), nil
		},
		func() (int, error) {
			r, err := svc.PickingV2.PickwaveIdentifierGetPickwaveidentifierWithResponse(ctx)
			if err != nil {
				return 0, err
			}
			return r.StatusCode(), nil
		},
		func() (int, error) {
			r, err := svc.WarehouseTransferV1.WarehouseTransferGetTransferCardsWithResponse(ctx)
			if err != nil {
				return 0, err
			}
			return r.StatusCode(), nil
		},
		func() (int, error) {
			r, err := svc.WarehouseTransferV2.MetadataGetFbaInboundMetadataWithResponse(ctx)
			if err != nil {
				return 0, err
			}
			return r.StatusCode(), nil
		},
	}
	for i, call := range statuses {
		if status, err := call(); err != nil || status != http.StatusOK {
			t.Errorf("service %d: %d, %v", i, status, err)
		}
	}
	if !strings.HasPrefix(ua, "linnworks-go/") {
		t.Errorf("User-Agent %q, want linnworks-go/...", ua)
	}
	if !strings.Contains(accept, "application/json") {
		t.Errorf("Accept %q, want JSON", accept)
	}
	if n := m.Calls("Auth_AuthorizeByApplication"); n != 1 {
		t.Errorf("%d authorizations, want 1 shared session", n)
	}
	if _, err := linnworks.NewServices(nil, nil); err == nil {
		t.Error("NewServices(nil) did not fail")
	}
}

const (
	fulfillmentStatuses = "ordersv2.Orders_GetFulfillmentStatuses"
	postPickwave        = "pickingv2.PickwaveIdentifier_PostPickwaveidentifier"
)

func newMockLinnworks(t *testing.T, m *mock.Server, opts ...linnworks.Option) *linnworks.Linnworks {
	t.Helper()
	lw, err := linnworks.New(m.Credentials(), append([]linnworks.Option{linnworks.WithHTTPClient(m.Client())}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return lw
}

func getFulfillmentStatuses(ctx context.Context, lw *linnworks.Linnworks) error {
	_, err := linnworks.Result(lw.OrdersV2.OrdersGetFulfillmentStatusesWithResponse(ctx, &ordersv2.OrdersGetFulfillmentStatusesParams{}))
	return err
}

// New gives the classic client and the services one session, one chain: a
// classic call and a service call take one authorization, and the service call
// carries the User-Agent and asks for JSON or problem documents.
func TestNewSharesTheSession(t *testing.T) {
	m := mock.New()
	lw := newMockLinnworks(t, m, linnworks.WithUserAgent("shop/1.0"))
	var ua, accept string
	m.Stub(fulfillmentStatuses, func(r *http.Request) (int, any) {
		ua, accept = r.Header.Get("User-Agent"), r.Header.Get("Accept")
		return http.StatusOK, []any{}
	})
	ctx := t.Context()
	if _, err := linnworks.Result(lw.Classic.InventoryGetCategoriesWithResponse(ctx)); err != nil {
		t.Fatal(err)
	}
	if err := getFulfillmentStatuses(ctx, lw); err != nil {
		t.Fatal(err)
	}
	if _, err := linnworks.Result(lw.PickingV2.PickwaveIdentifierGetPickwaveidentifierWithResponse(ctx)); err != nil {
		t.Fatal(err)
	}
	if n := m.Calls("Auth_AuthorizeByApplication"); n != 1 {
		t.Errorf("%d authorizations, want 1 shared session", n)
	}
	if ua != "shop/1.0" || accept != "application/json, application/problem+json" {
		t.Errorf("User-Agent %q, Accept %q; want shop/1.0 and JSON or problem documents", ua, accept)
	}
	if s, err := lw.Source.Session(ctx); err != nil || s.Token == "" {
		t.Errorf("Source.Session: %v", err)
	}
	if lw.Services.OrdersV2 != lw.OrdersV2 {
		t.Error("the embedded Services differ from the promoted fields")
	}
}

// A 429 on a service GET is retried after its Retry-After (the mock's injected
// 429 asks for 1s), and the attempts are logged under the service's name.
func TestServices429RetriedAfterRetryAfter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := mock.New()
		var log bytes.Buffer
		lw := newMockLinnworks(t, m, linnworks.WithLogger(slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))))
		m.FailNext(fulfillmentStatuses, 2, http.StatusTooManyRequests)
		start := time.Now()
		if err := getFulfillmentStatuses(t.Context(), lw); err != nil {
			t.Fatal(err)
		}
		if took, n := time.Since(start), m.Calls(fulfillmentStatuses); took != 2*time.Second || n != 3 {
			t.Fatalf("took %v over %d calls; want 2s (Retry-After: 1, twice) over 3", took, n)
		}
		if got := strings.Count(log.String(), "operation="+fulfillmentStatuses); got != 3 {
			t.Errorf("%d attempts logged under %s; want 3:\n%s", got, fulfillmentStatuses, &log)
		}
		if !strings.Contains(log.String(), `retry_reason="rate limited (429)"`) {
			t.Errorf("no retry reason in the log:\n%s", &log)
		}
	})
}

// A POST of a service that got a 5xx is not repeated (it may have run); a GET is.
func TestServicesPOST5xxNotRepeated(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := mock.New()
		lw := newMockLinnworks(t, m)
		ctx := t.Context()
		m.FailNext(postPickwave, 1, http.StatusServiceUnavailable)
		_, err := linnworks.Result(lw.PickingV2.PickwaveIdentifierPostPickwaveidentifierWithResponse(ctx, pickingv2.CreatePickwaveIdentifierRequest{}))
		var apiErr *linnworks.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusServiceUnavailable || apiErr.Operation != postPickwave {
			t.Fatalf("err = %v; want an *APIError 503 of %s", err, postPickwave)
		}
		if n := m.Calls(postPickwave); n != 1 {
			t.Fatalf("the POST was sent %d times; want once", n)
		}
		m.FailNext(fulfillmentStatuses, 1, http.StatusServiceUnavailable)
		if err := getFulfillmentStatuses(ctx, lw); err != nil {
			t.Fatal(err)
		}
		if n := m.Calls(fulfillmentStatuses); n != 2 {
			t.Fatalf("the GET was sent %d times; want twice (retried after the 503)", n)
		}
	})
}

// WithIdempotent accepts a service operation by its qualified name: its POST is
// then retried after a 5xx.
func TestServicesIdempotent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := mock.New()
		lw := newMockLinnworks(t, m, linnworks.WithIdempotent(postPickwave))
		m.FailNext(postPickwave, 1, http.StatusBadGateway)
		body := pickingv2.CreatePickwaveIdentifierRequest{}
		_, err := linnworks.Result(lw.PickingV2.PickwaveIdentifierPostPickwaveidentifierWithResponse(t.Context(), body))
		if n := m.Calls(postPickwave); n != 2 {
			t.Fatalf("sent %d times (last error %v); want twice", n, err)
		}
	})
}

// A service's problem document becomes an *APIError whose Message is readable
// and whose Operation names the service operation.
func TestServicesProblemDocument(t *testing.T) {
	m := mock.New()
	problem := `{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.1","title":"One or more validation errors occurred.",` +
		`"status":400,"errors":{"locationId":["The value 'nowhere' is not valid."]},"traceId":"00-1-2-00"}`
	lw := newMockLinnworks(t, m)
	m.Stub(fulfillmentStatuses, func(*http.Request) (int, any) {
		return mock.Respond(http.StatusBadRequest, mock.ProblemContentType, json.RawMessage(problem))
	})
	resp, err := linnworks.Result(lw.OrdersV2.OrdersGetFulfillmentStatusesWithResponse(t.Context(), &ordersv2.OrdersGetFulfillmentStatusesParams{}))
	var apiErr *linnworks.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %v; want an *APIError", err)
	}
	const want = "One or more validation errors occurred. locationId: The value 'nowhere' is not valid."
	if apiErr.Operation != fulfillmentStatuses || apiErr.StatusCode != http.StatusBadRequest || apiErr.Message != want {
		t.Fatalf("got %q %d %q; want %s 400 %q", apiErr.Operation, apiErr.StatusCode, apiErr.Message, fulfillmentStatuses, want)
	}
	if got := err.Error(); got != "linnworks: "+fulfillmentStatuses+": HTTP 400 Bad Request: "+want {
		t.Errorf("Error() = %q", got)
	}
	if resp.ApplicationproblemJSON400 == nil {
		t.Error("the generated parser did not decode the problem document")
	}
}

// The services have no stated rate limit: calls go out at once. A limit set
// with WithRateLimit on a service operation spaces its calls.
func TestServicesRateLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := mock.New()
		lw := newMockLinnworks(t, m)
		start := time.Now()
		for range 30 {
			if err := getFulfillmentStatuses(t.Context(), lw); err != nil {
				t.Fatal(err)
			}
		}
		if took := time.Since(start); took != 0 {
			t.Fatalf("30 unlimited calls took %v; want no wait", took)
		}

		lw = newMockLinnworks(t, m, linnworks.WithRateLimit(fulfillmentStatuses, 2)) // 2 per minute: 30s apart
		start = time.Now()
		var at []time.Duration
		for range 3 {
			if err := getFulfillmentStatuses(t.Context(), lw); err != nil {
				t.Fatal(err)
			}
			at = append(at, time.Since(start))
		}
		if want := []time.Duration{0, 30 * time.Second, time.Minute}; !slices.Equal(at, want) {
			t.Fatalf("calls at %v; want %v", at, want)
		}
	})
}

func TestServicesOptionErrors(t *testing.T) {
	m := mock.New()
	_, src, err := linnworks.NewClientWithSource(m.Credentials(), linnworks.WithHTTPClient(m.Client()))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		err  func() error
		want string
	}{
		{"nil source", func() error { _, err := linnworks.NewServices(nil, nil); return err }, "the session source is nil"},
		{"two HTTP clients", func() error {
			_, err := linnworks.NewServices(src, m.Client(), linnworks.WithHTTPClient(m.Client()))
			return err
		}, "both as doer and with WithHTTPClient"},
		{"unknown service operation", func() error {
			_, err := linnworks.NewServices(src, nil, linnworks.WithRateLimit("ordersv2.Orders_Nope", 1))
			return err
		}, `WithRateLimit("ordersv2.Orders_Nope"): the API has no such operation`},
		{"unqualified service operation", func() error {
			_, err := linnworks.New(m.Credentials(), linnworks.WithIdempotent("PickwaveIdentifier_PostPickwaveidentifier"))
			return err
		}, `WithIdempotent("PickwaveIdentifier_PostPickwaveidentifier"): the API has no such operation`},
		{"bad policy", func() error {
			_, err := linnworks.New(m.Credentials(), linnworks.WithRetryPolicy(linnworks.RetryPolicy{MaxAttempts: -1}))
			return err
		}, "MaxAttempts is -1"},
		{"bad credentials", func() error {
			_, err := linnworks.New(authn.Credentials{ApplicationID: "x"})
			return err
		}, "Credentials.ApplicationID"},
	} {
		if err := tt.err(); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v; want an error containing %q", tt.name, err, tt.want)
		}
	}
	// One list of options serves both constructors: the classic-only ones are
	// ignored by NewServices, the service operations accepted by NewClient.
	opts := []linnworks.Option{linnworks.WithHTTPClient(m.Client()), linnworks.WithAuthServer(mock.AuthServer),
		linnworks.WithRateLimit(fulfillmentStatuses, 60), linnworks.WithIdempotent(postPickwave)}
	if _, src, err = linnworks.NewClientWithSource(m.Credentials(), opts...); err != nil {
		t.Fatal(err)
	}
	if _, err := linnworks.NewServices(src, nil, opts...); err != nil {
		t.Fatal(err)
	}
}

// A service call refused with 401 is replayed once with a new session, under
// the retry policy and without multiplying with it; a cancelled context ends a
// Retry-After wait at once.
func TestServices401AndCancellation(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := mock.New()
		lw := newMockLinnworks(t, m)
		ctx := t.Context()
		if err := getFulfillmentStatuses(ctx, lw); err != nil {
			t.Fatal(err)
		}
		m.FailNext(fulfillmentStatuses, 2, http.StatusUnauthorized)
		err := getFulfillmentStatuses(ctx, lw)
		if !errors.Is(err, linnworks.ErrUnauthorized) {
			t.Fatalf("err = %v; want ErrUnauthorized after one replay", err)
		}
		if calls, auths := m.Calls(fulfillmentStatuses), m.Calls("Auth_AuthorizeByApplication"); calls != 3 || auths != 2 {
			t.Fatalf("%d calls, %d authorizations; want 3 (1 + the refused one + its replay) and 2", calls, auths)
		}

		m.FailNext(fulfillmentStatuses, 1, http.StatusTooManyRequests) // Retry-After: 1
		cctx, cancel := context.WithCancel(ctx)
		done := make(chan error)
		go func() { done <- getFulfillmentStatuses(cctx, lw) }()
		synctest.Wait() // the call waits for its retry
		start := time.Now()
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) || time.Since(start) != 0 {
			t.Fatalf("err = %v after %v; want context.Canceled at once", err, time.Since(start))
		}
	})
}

// A path parameter holding a "/" is sent escaped and still names its operation:
// in errors, and for the limiter and the retry policy.
func TestServicesEscapedPathParameterNamesItsOperation(t *testing.T) {
	m := mock.New()
	lw := newMockLinnworks(t, m, linnworks.WithoutRetry())
	const op = "warehousetransferv2.Shipments_GetFbaInboundShippingPlansByShippingPlanIdShipmentsByShipmentIdTransportDetails"
	m.FailNext(op, 1, http.StatusBadRequest)
	_, err := linnworks.Result(lw.WarehouseTransferV2.ShipmentsGetFbaInboundShippingPlansByShippingPlanIdShipmentsByShipmentIdTransportDetailsWithResponse(t.Context(), "plan/7", 3))
	var apiErr *linnworks.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %v; want an *APIError", err)
	}
	if apiErr.Operation != op {
		t.Errorf("Operation = %q, want %q", apiErr.Operation, op)
	}
	if n := m.Calls(op); n != 1 {
		t.Errorf("the mock routed %d calls to %s, want 1", n, op)
	}
}
