package linnworks

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/linnworks-go/linnworks/gen"
	"github.com/linnworks-go/linnworks/internal/opindex"
	"github.com/linnworks-go/linnworks/mock"
)

// script sits between the client and the mock: requests for path are answered
// by the queued answers first (in order), then passed to the mock. It records
// when each request for path was sent.
type script struct {
	next gen.HttpRequestDoer
	path string

	mu      sync.Mutex
	answers []func(*http.Request) (*http.Response, error)
	sent    []time.Time
	auths   []string
}

func (s *script) Do(r *http.Request) (*http.Response, error) {
	if r.URL.Path != s.path {
		return s.next.Do(r)
	}
	s.mu.Lock()
	s.sent = append(s.sent, time.Now())
	s.auths = append(s.auths, r.Header.Get("Authorization"))
	var answer func(*http.Request) (*http.Response, error)
	if len(s.answers) > 0 {
		answer, s.answers = s.answers[0], s.answers[1:]
	}
	s.mu.Unlock()
	if answer != nil {
		if r.Body != nil {
			_, _ = io.Copy(io.Discard, r.Body)
			_ = r.Body.Close()
		}
		return answer(r)
	}
	return s.next.Do(r)
}

func (s *script) then(answers ...func(*http.Request) (*http.Response, error)) *script {
	s.answers = append(s.answers, answers...)
	return s
}

func (s *script) times() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Time(nil), s.sent...)
}

// answer builds a scripted answer.
func answer(status int, header http.Header, body string) func(*http.Request) (*http.Response, error) {
	return func(r *http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(status, body)
		for k, v := range header {
			resp.Header[k] = v
		}
		resp.Request = r
		return resp, nil
	}
}

func failure(err error) func(*http.Request) (*http.Response, error) {
	return func(*http.Request) (*http.Response, error) { return nil, err }
}

var jsonHeader = http.Header{"Content-Type": {"application/json"}}

const quotaBody = `{"Code":null,"Message":"API calls quota exceeded! Maximum admitted 150 per Minute."}`

// newMockClient returns a client of m; with a non-nil s, s sits in front of the mock.
func newMockClient(t testing.TB, m *mock.Server, s *script, opts ...Option) *gen.ClientWithResponses {
	t.Helper()
	var doer gen.HttpRequestDoer = m.Client()
	if s != nil {
		s.next = doer
		doer = s
	}
	c, err := NewClient(m.Credentials(), append([]Option{WithHTTPClient(doer)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func openOrdersRequest() gen.OrdersGetOpenOrdersRequest {
	n := int32(10)
	return gen.OrdersGetOpenOrdersRequest{EntriesPerPage: &n, PageNumber: &n}
}

// A storm of 429s from Linnworks (no client-side limiter, 200 concurrent callers
// against a quota of 150 per minute) is absorbed: every call succeeds, the
// rejected ones after waiting their Retry-After.
func TestRetry429StormAbsorbed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := mock.New()
		c := newMockClient(t, m, nil, WithoutRateLimit())
		start := time.Now()
		var wg sync.WaitGroup
		errs := make(chan error, 200)
		for range 200 {
			wg.Go(func() {
				_, err := Result(c.InventoryGetCategoriesWithResponse(t.Context()))
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if n := m.Calls("Inventory_GetCategories"); n <= 200 {
			t.Fatalf("%d calls reached the mock; want more than 200 (some were refused with 429 and retried)", n)
		}
		if took := time.Since(start); took < time.Minute || took > 2*time.Minute {
			t.Fatalf("the storm took %v; want the rejected calls to wait for the next minute's quota", took)
		}
	})
}

// With the client-side limiter, a busy caller stays under Linnworks' quota:
// no 429 at all (retries are off, so one would fail the call), and the calls
// are spread at the operation's rate.
func TestRateLimiterStaysUnderTheQuota(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := mock.New()
		c := newMockClient(t, m, nil, WithoutRetry())
		start := time.Now()
		var wg sync.WaitGroup
		errs := make(chan error, 400)
		for range 4 {
			wg.Go(func() {
				for range 100 {
					_, err := Result(c.InventoryGetCategoriesWithResponse(t.Context()))
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if n := m.Calls("Inventory_GetCategories"); n != 400 {
			t.Fatalf("%d calls; want 400", n)
		}
		// 150 per minute: a burst of 10, then 140 per minute.
		want := (400 - 10) * time.Minute / 140
		if took := time.Since(start); took < want-time.Second || took > want+time.Second {
			t.Fatalf("400 calls took %v; want about %v", took, want)
		}
	})
}

func TestRateLimiterOverrideAndOptOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := mock.New(mock.WithoutRateLimits())
		for _, tt := range []struct {
			name string
			opts []Option
			want time.Duration
		}{
			{"default 150/min: 10 at once", nil, 0},
			{"override 6/min: 10s apart", []Option{WithRateLimit("Inventory_GetCategories", 6)}, 9 * 10 * time.Second},
			{"override 0: unlimited", []Option{WithRateLimit("Inventory_GetCategories", 0)}, 0},
			{"opt-out", []Option{WithRateLimit("Inventory_GetCategories", 6), WithoutRateLimit()}, 0},
		} {
			c := newMockClient(t, m, nil, tt.opts...)
			start := time.Now()
			for range 10 {
				if _, err := Result(c.InventoryGetCategoriesWithResponse(t.Context())); err != nil {
					t.Fatal(err)
				}
			}
			if took := time.Since(start); took != tt.want {
				t.Errorf("%s: 10 calls took %v; want %v", tt.name, took, tt.want)
			}
		}
	})
}

func TestLimiterBurst(t *testing.T) {
	for _, tt := range []struct {
		perMinute, burst int
		refill           float64 // per minute
	}{
		{1, 1, 1}, {10, 1, 10}, {100, 6, 94}, {150, 10, 140}, {250, 10, 240},
	} {
		l := limiterFor(tt.perMinute)
		if l.Burst() != tt.burst || float64(l.Limit())*60 < tt.refill-1e-9 || float64(l.Limit())*60 > tt.refill+1e-9 {
			t.Errorf("limiterFor(%d) = burst %d, %v/min; want %d, %v/min", tt.perMinute, l.Burst(), float64(l.Limit())*60, tt.burst, tt.refill)
		}
	}
}

// Retry-After is honoured in both of its forms, and backoff applies without it.
func TestRetryAfterHonoured(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		for _, tt := range []struct {
			name   string
			header func() http.Header
			want   time.Duration
		}{
			{"seconds", func() http.Header { return http.Header{"Retry-After": {"7"}} }, 7 * time.Second},
			{"HTTP date", func() http.Header {
				return http.Header{"Retry-After": {time.Now().Add(9 * time.Second).UTC().Format(http.TimeFormat)}}
			}, 9 * time.Second},
			{"date in the past", func() http.Header {
				return http.Header{"Retry-After": {time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat)}}
			}, 0},
		} {
			m := mock.New()
			s := &script{path: "/api/Orders/GetOpenOrders"}
			s.then(func(r *http.Request) (*http.Response, error) {
				return answer(429, tt.header(), quotaBody)(r)
			})
			c := newMockClient(t, m, s)
			resp, err := Result(c.OrdersGetOpenOrdersWithResponse(t.Context(), openOrdersRequest()))
			if err != nil || resp.JSON200 == nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			sent := s.times()
			if len(sent) != 2 || sent[1].Sub(sent[0]) != tt.want {
				t.Fatalf("%s: sends at %v; want two, %v apart", tt.name, sent, tt.want)
			}
		}
	})
}

func TestRetryBackoffWithoutRetryAfter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := mock.New()
		s := &script{path: "/api/Inventory/GetCategories"}
		for range 4 {
			s.then(answer(503, nil, "Service Unavailable"))
		}
		p := RetryPolicy{BaseDelay: time.Second, MaxDelay: 3 * time.Second}
		c := newMockClient(t, m, s, WithRetryPolicy(p))
		if _, err := Result(c.InventoryGetCategoriesWithResponse(t.Context())); err != nil {
			t.Fatal(err)
		}
		sent := s.times()
		if len(sent) != 5 {
			t.Fatalf("%d sends; want 5", len(sent))
		}
		for i, ceiling := range []time.Duration{time.Second, 2 * time.Second, 3 * time.Second, 3 * time.Second} {
			if d := sent[i+1].Sub(sent[i]); d < 0 || d >= ceiling {
				t.Errorf("wait before retry %d = %v; want in [0, %v)", i+1, d, ceiling)
			}
		}

		// A 429 without Retry-After backs off from RateLimitDelay. Over many
		// calls, the random waits must use their whole range.
		s = &script{path: "/api/Orders/GetOpenOrders"}
		c = newMockClient(t, m, s, WithRetryPolicy(RetryPolicy{MaxAttempts: 2}))
		var longest time.Duration
		for range 50 {
			s.then(answer(429, jsonHeader, quotaBody))
			s.mu.Lock()
			s.sent = nil
			s.mu.Unlock()
			if _, err := Result(c.OrdersGetOpenOrdersWithResponse(t.Context(), openOrdersRequest())); err != nil {
				t.Fatal(err)
			}
			sent := s.times()
			d := sent[1].Sub(sent[0])
			if d < 0 || d >= DefaultRetryPolicy().RateLimitDelay {
				t.Fatalf("wait after a 429 = %v; want in [0, %v)", d, DefaultRetryPolicy().RateLimitDelay)
			}
			longest = max(longest, d)
		}
		if longest < time.Second {
			t.Fatalf("the longest of 50 waits after a 429 was %v; want the backoff to start from RateLimitDelay", longest)
		}
	})
}

// A POST that got a 5xx may have run: it is not sent again unless declared idempotent.
func TestRetryPOST5xxNotRepeated(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := mock.New()
		m.FailNext("Orders_GetOpenOrders", 1, 503)
		c := newMockClient(t, m, nil)
		_, err := Result(c.OrdersGetOpenOrdersWithResponse(t.Context(), openOrdersRequest()))
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 || apiErr.Operation != "Orders_GetOpenOrders" {
			t.Fatalf("err = %v; want the 503 as an *APIError", err)
		}
		if n := m.Calls("Orders_GetOpenOrders"); n != 1 {
			t.Fatalf("%d calls; want 1", n)
		}

		// Declared idempotent: retried.
		m.FailNext("Orders_GetOpenOrders", 2, 502)
		c = newMockClient(t, m, nil, WithIdempotent("Orders_GetOpenOrders"))
		if _, err := Result(c.OrdersGetOpenOrdersWithResponse(t.Context(), openOrdersRequest())); err != nil {
			t.Fatal(err)
		}
		if n := m.Calls("Orders_GetOpenOrders"); n != 4 {
			t.Fatalf("%d calls; want 4 (1 + 2 failures + success)", n)
		}

		// A GET is retried; 501 is not.
		m.FailNext("Inventory_GetCategories", 1, 500)
		if _, err := Result(c.InventoryGetCategoriesWithResponse(t.Context())); err != nil {
			t.Fatal(err)
		}
		m.FailNext("Inventory_GetCategories", 1, 501)
		if _, err := Result(c.InventoryGetCategoriesWithResponse(t.Context())); err == nil {
			t.Fatal("501 was retried")
		}
		if n := m.Calls("Inventory_GetCategories"); n != 3 {
			t.Fatalf("%d calls; want 3", n)
		}
	})
}

func TestRetryConnectionErrors(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := mock.New()
		get := &script{path: "/api/Inventory/GetCategories"}
		get.then(failure(io.ErrUnexpectedEOF), failure(&url.Error{Op: "Get", URL: "https://eu-ext.linnworks.net/api/Inventory/GetCategories", Err: syscall.ECONNRESET}))
		c := newMockClient(t, m, get)
		if _, err := Result(c.InventoryGetCategoriesWithResponse(t.Context())); err != nil {
			t.Fatal(err)
		}
		if n := len(get.times()); n != 3 {
			t.Fatalf("GET: %d sends; want 3", n)
		}

		post := &script{path: "/api/Orders/GetOpenOrders"}
		post.then(failure(io.ErrUnexpectedEOF))
		c = newMockClient(t, m, post)
		if _, err := c.OrdersGetOpenOrdersWithResponse(t.Context(), openOrdersRequest()); !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("POST: err = %v; want the connection error", err)
		}
		if n := len(post.times()); n != 1 {
			t.Fatalf("POST: %d sends; want 1", n)
		}
	})
}

// Linnworks' quota message is a rate limit whatever the status, even on a POST.
func TestRetryQuotaMessageOnOtherStatus(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := mock.New()
		s := &script{path: "/api/Orders/GetOpenOrders"}
		s.then(answer(400, jsonHeader, quotaBody), answer(500, jsonHeader, quotaBody))
		c := newMockClient(t, m, s)
		if _, err := Result(c.OrdersGetOpenOrdersWithResponse(t.Context(), openOrdersRequest())); err != nil {
			t.Fatal(err)
		}
		if n := len(s.times()); n != 3 {
			t.Fatalf("%d sends; want 3", n)
		}

		// Without retries the caller sees it as ErrRateLimited.
		s.then(answer(400, jsonHeader, quotaBody))
		c = newMockClient(t, m, s, WithoutRetry())
		_, err := Result(c.OrdersGetOpenOrdersWithResponse(t.Context(), openOrdersRequest()))
		if !errors.Is(err, ErrRateLimited) {
			t.Fatalf("err = %v; want ErrRateLimited", err)
		}
	})
}

func TestRetryBounds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := mock.New()
		m.FailNext("Orders_GetOpenOrders", 10, 429)
		c := newMockClient(t, m, nil)
		_, err := Result(c.OrdersGetOpenOrdersWithResponse(t.Context(), openOrdersRequest()))
		if !errors.Is(err, ErrRateLimited) {
			t.Fatalf("err = %v; want ErrRateLimited after the attempts ran out", err)
		}
		if n := m.Calls("Orders_GetOpenOrders"); n != 5 {
			t.Fatalf("%d calls; want 5 (DefaultRetryPolicy().MaxAttempts)", n)
		}

		// A Retry-After past MaxElapsed is not waited for.
		s := &script{path: "/api/Orders/GetOpenOrders"}
		long := http.Header{"Retry-After": {"100"}}
		s.then(answer(429, long, quotaBody), answer(429, long, quotaBody))
		c = newMockClient(t, mock.New(), s)
		start := time.Now()
		_, err = Result(c.OrdersGetOpenOrdersWithResponse(t.Context(), openOrdersRequest()))
		if !errors.Is(err, ErrRateLimited) || time.Since(start) != 100*time.Second || len(s.times()) != 2 {
			t.Fatalf("err = %v after %v and %d sends; want the second 429 after one 100s wait", err, time.Since(start), len(s.times()))
		}

		// Nor one past the context's deadline: the 429 comes back at once.
		s.then(answer(429, long, quotaBody))
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		start = time.Now()
		_, err = Result(c.OrdersGetOpenOrdersWithResponse(ctx, openOrdersRequest()))
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.RetryAfter != 100*time.Second || time.Since(start) != 0 {
			t.Fatalf("err = %v after %v; want the 429 (Retry-After 100s) at once", err, time.Since(start))
		}
	})
}

// Cancellation ends every wait at once: the retry policy's and the limiter's.
func TestCancellationEndsWaits(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := mock.New()
		s := &script{path: "/api/Orders/GetOpenOrders"}
		s.then(answer(429, http.Header{"Retry-After": {"60"}}, quotaBody))
		c := newMockClient(t, m, s, WithRateLimit("Inventory_GetCategories", 1))

		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(time.Second, cancel)
		start := time.Now()
		_, err := c.OrdersGetOpenOrdersWithResponse(ctx, openOrdersRequest())
		if !errors.Is(err, context.Canceled) || time.Since(start) != time.Second {
			t.Fatalf("retry wait: err = %v after %v; want context.Canceled after 1s", err, time.Since(start))
		}

		if _, err := Result(c.InventoryGetCategoriesWithResponse(t.Context())); err != nil {
			t.Fatal(err)
		}
		ctx, cancel = context.WithCancel(t.Context())
		time.AfterFunc(2*time.Second, cancel)
		start = time.Now()
		_, err = c.InventoryGetCategoriesWithResponse(ctx)
		if !errors.Is(err, context.Canceled) || time.Since(start) != 2*time.Second {
			t.Fatalf("limiter wait: err = %v after %v; want context.Canceled after 2s", err, time.Since(start))
		}
		// The cancelled wait gave its token back... and a deadline too close fails at once.
		ctx, cancel = context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()
		start = time.Now()
		_, err = c.InventoryGetCategoriesWithResponse(ctx)
		if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) != 0 || !strings.Contains(err.Error(), "Inventory_GetCategories") {
			t.Fatalf("limiter wait past the deadline: err = %v after %v; want DeadlineExceeded at once", err, time.Since(start))
		}
		if n := m.Calls("Inventory_GetCategories"); n != 1 {
			t.Fatalf("%d calls; want 1", n)
		}
	})
}

// The session's 401 replay and the retry policy do not multiply: a 401 is
// replayed once by authn and never by the retry policy.
func TestRetryAnd401DoNotMultiply(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := mock.New()
		s := &script{path: "/api/Inventory/GetCategories"}
		unauthorized := answer(401, jsonHeader, `{"Code":null,"Message":"Authorization has been denied for this request."}`)
		s.then(unauthorized, unauthorized, unauthorized)
		c := newMockClient(t, m, s)
		_, err := Result(c.InventoryGetCategoriesWithResponse(t.Context()))
		if !errors.Is(err, ErrUnauthorized) {
			t.Fatalf("err = %v; want ErrUnauthorized", err)
		}
		if n := len(s.times()); n != 2 {
			t.Fatalf("%d sends; want 2 (the call and authn's one replay)", n)
		}
		if m.SessionCount() != 2 {
			t.Fatalf("%d sessions; want 2", m.SessionCount())
		}

		// A 429 then a 401: the retry goes through authn again and succeeds.
		s.mu.Lock()
		s.answers = nil
		s.mu.Unlock()
		s.then(answer(429, http.Header{"Retry-After": {"1"}}, quotaBody), unauthorized)
		if _, err := Result(c.InventoryGetCategoriesWithResponse(t.Context())); err != nil {
			t.Fatal(err)
		}
		s.mu.Lock()
		auths := s.auths[2:]
		s.mu.Unlock()
		if len(auths) != 3 || auths[0] != auths[1] || auths[1] == auths[2] {
			t.Fatalf("tokens of the sends: %d, want 3: old, old, new", len(auths))
		}
	})
}

// A body that cannot be replayed is sent once.
func TestRetryBodyNotReplayable(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var sends int
		next := doerFunc(func(r *http.Request) (*http.Response, error) {
			sends++
			return answer(429, http.Header{"Retry-After": {"1"}}, quotaBody)(r)
		})
		r, err := newRetrier(next, nil, mustIndex(t), RetryPolicy{}, nil, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, "https://eu-ext.linnworks.net/api/Orders/GetOpenOrders",
			io.NopCloser(strings.NewReader("{}")))
		resp, err := r.Do(req)
		if err != nil || resp.StatusCode != 429 || sends != 1 {
			t.Fatalf("Do = %v, %v after %d sends; want the 429 after one", resp, err, sends)
		}
		// With GetBody it is replayed, body included.
		var bodies []string
		next = doerFunc(func(r *http.Request) (*http.Response, error) {
			b, _ := io.ReadAll(r.Body)
			bodies = append(bodies, string(b))
			if len(bodies) == 1 {
				return answer(429, nil, quotaBody)(r)
			}
			return answer(200, jsonHeader, "{}")(r)
		})
		r.next = next
		req, _ = http.NewRequestWithContext(t.Context(), http.MethodPost, "https://eu-ext.linnworks.net/api/Orders/GetOpenOrders",
			bytes.NewReader([]byte(`{"a":1}`)))
		if resp, err := r.Do(req); err != nil || resp.StatusCode != 200 || strings.Join(bodies, " ") != `{"a":1} {"a":1}` {
			t.Fatalf("Do = %v, %v with bodies %q", resp, err, bodies)
		}
	})
}

func TestRetryOptionErrors(t *testing.T) {
	for _, tt := range []struct {
		opt  Option
		want string
	}{
		{WithRetryPolicy(RetryPolicy{MaxAttempts: -1}), "RetryPolicy.MaxAttempts"},
		{WithRetryPolicy(RetryPolicy{MaxElapsed: -time.Second}), "RetryPolicy.MaxElapsed"},
		{WithRetryPolicy(RetryPolicy{BaseDelay: -1}), "RetryPolicy.BaseDelay"},
		{WithRetryPolicy(RetryPolicy{MaxDelay: -1}), "RetryPolicy.MaxDelay"},
		{WithRetryPolicy(RetryPolicy{RateLimitDelay: -1}), "RetryPolicy.RateLimitDelay"},
		{WithIdempotent("Orders_NoSuchThing"), `WithIdempotent("Orders_NoSuchThing")`},
		{WithRateLimit("Orders_NoSuchThing", 5), `WithRateLimit("Orders_NoSuchThing")`},
		{WithRateLimit("Orders_GetOpenOrders", -5), "negative"},
		{func(o *options) { WithoutRateLimit()(o); WithRateLimit("Orders_NoSuchThing", 5)(o) }, `WithRateLimit("Orders_NoSuchThing")`},
	} {
		c, err := NewClient(creds(), WithHTTPClient(doerFunc(func(r *http.Request) (*http.Response, error) {
			t.Errorf("request to %s", r.URL)
			return nil, errors.New("no network")
		})), tt.opt)
		if err == nil || c != nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("NewClient = %v; want an error mentioning %q", err, tt.want)
		}
	}
	// Defaults fill the zero fields.
	p, err := RetryPolicy{MaxAttempts: 2}.withDefaults()
	if d := DefaultRetryPolicy(); err != nil || p.MaxAttempts != 2 || p.MaxElapsed != d.MaxElapsed || p.BaseDelay != d.BaseDelay || p.MaxDelay != d.MaxDelay || p.RateLimitDelay != d.RateLimitDelay {
		t.Fatalf("withDefaults = %+v, %v", p, err)
	}
}

// Every attempt is logged with its operation, status, duration and retry
// decision, and no secret reaches the log.
func TestAttemptLogging(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var buf bytes.Buffer
		log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
		m := mock.New()
		m.FailNext("Inventory_GetCategories", 1, 503)
		c, src, err := NewClientWithSource(m.Credentials(), WithHTTPClient(m.Client()), WithLogger(log))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Result(c.InventoryGetCategoriesWithResponse(t.Context())); err != nil {
			t.Fatal(err)
		}
		get := &script{path: "/api/Stock/GetStockItems"}
		get.then(failure(&url.Error{Op: "Get", URL: "https://eu-ext.linnworks.net/api/Stock/GetStockItems?keyWord=private", Err: syscall.ECONNRESET}))
		c2, err := NewClient(m.Credentials(), WithHTTPClient(get), WithLogger(log), WithoutRetry())
		if err != nil {
			t.Fatal(err)
		}
		get.next = m.Client()
		if _, err := c2.StockGetStockItemsWithResponse(t.Context(), &gen.StockGetStockItemsParams{}); err == nil {
			t.Fatal("the connection error was not returned")
		}
		m.FailNext("Orders_GetOpenOrders", 1, 500)
		if _, err := Result(c.OrdersGetOpenOrdersWithResponse(t.Context(), openOrdersRequest())); err == nil {
			t.Fatal("the 500 of a POST was not returned")
		}
		sess, err := src.Session(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		for _, want := range []string{
			`"level":"INFO","msg":"linnworks: call failed, retrying","operation":"Inventory_GetCategories","attempt":1,"status":503,"duration":`,
			`"retry_reason":"server error (503)","retry_in":`,
			`"level":"DEBUG","msg":"linnworks: call","operation":"Inventory_GetCategories","attempt":2,"status":200`,
			`"level":"WARN","msg":"linnworks: call","operation":"Orders_GetOpenOrders","attempt":1,"status":500`,
			`"level":"WARN","msg":"linnworks: call failed, not retrying","operation":"Stock_GetStockItems","attempt":1,"error":"Get \"https://eu-ext.linnworks.net/api/Stock/GetStockItems\": connection reset by peer"`,
		} {
			if !strings.Contains(out, want) {
				t.Errorf("log lacks %s\n%s", want, out)
			}
		}
		cr := m.Credentials()
		for name, secret := range map[string]string{"session token": sess.Token, "secret": cr.ApplicationSecret, "token": cr.Token, "query": "private"} {
			if strings.Contains(out, secret) {
				t.Errorf("the log holds the %s", name)
			}
		}
	})
}

func mustIndex(t testing.TB) *opindex.Index {
	t.Helper()
	idx, err := opindex.All()
	if err != nil {
		t.Fatal(err)
	}
	return idx
}

// Authorizations go through the rate limiter too: every real send takes a token.
func TestRateLimiterCoversAuthorizations(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := mock.New()
		// 6 per minute: 10s apart (well within authn's 30s bound on one authorization).
		c := newMockClient(t, m, nil, WithRateLimit("Auth_AuthorizeByApplication", 6))
		if _, err := Result(c.InventoryGetCategoriesWithResponse(t.Context())); err != nil {
			t.Fatal(err)
		}
		m.FailNext("Inventory_GetCategories", 1, 401) // the session is refused: authorize again
		start := time.Now()
		if _, err := Result(c.InventoryGetCategoriesWithResponse(t.Context())); err != nil {
			t.Fatal(err)
		}
		if took := time.Since(start); took != 10*time.Second || m.Calls("Auth_AuthorizeByApplication") != 2 {
			t.Fatalf("re-authorization after %v, %d authorizations; want the second 10s after the first",
				took, m.Calls("Auth_AuthorizeByApplication"))
		}
	})
}
