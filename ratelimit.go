package linnworks

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/linnworks-go/linnworks/gen"
	"github.com/linnworks-go/linnworks/internal/opindex"
)

// maxBurst bounds how many calls of one operation may go out back to back
// before the limiter spaces them.
const maxBurst = 10

// WithoutRateLimit turns off the client-side rate limiter: every call goes out
// at once, and Linnworks' 429s are left to the retry policy.
func WithoutRateLimit() Option {
	return func(o *options) { o.noRateLimit = true }
}

// WithRateLimit overrides the calls per minute the client allows itself for
// operation opID (an operationId such as "Orders_GetOpenOrders", or a REST
// service's qualified with its package, "ordersv2.Orders_GetOrders"), instead
// of its x-linnworks-rate-limit. 0 removes the limit of that operation. An
// unknown operation or a negative limit is an error of NewClient (NewServices,
// New).
//
// Every limit works the same way: up to 10 calls (perMinute/15, at least 1) may
// go out at once, then the calls are spaced so that no sliding minute holds more
// than perMinute of them, which is how Linnworks counts. A call waiting for its
// turn stops waiting when its context ends, and does not wait at all when the
// context's deadline would come first.
func WithRateLimit(opID string, perMinute int) Option {
	return func(o *options) {
		if perMinute < 0 {
			o.errs = append(o.errs, fmt.Errorf("linnworks: WithRateLimit(%q): %d calls per minute is negative", opID, perMinute))
			return
		}
		if o.rateLimits == nil {
			o.rateLimits = map[string]int{}
		}
		o.rateLimits[opID] = perMinute
	}
}

// limiterFor returns the token bucket that keeps calls of an operation limited
// to perMinute in every sliding minute, as Linnworks counts them: a burst of b
// calls plus a refill of perMinute-b per minute (b + (perMinute-b) = perMinute
// in any minute); with b = 1 the calls are simply 60s/perMinute apart.
func limiterFor(perMinute int) *rate.Limiter {
	b := max(1, min(maxBurst, perMinute/15))
	refill := perMinute
	if b > 1 {
		refill = perMinute - b
	}
	return rate.NewLimiter(rate.Limit(float64(refill)/60), b)
}

// rateLimiter is the Doer that waits for a token of the called operation's
// limiter before every send. Limiters are created on the first call of their
// operation and shared by every caller of the client. Requests for paths that
// are not in the document are not limited.
type rateLimiter struct {
	next     gen.HttpRequestDoer
	idx      *opindex.Index
	limits   []int // calls per minute by Op.Index; 0 = unlimited
	limiters []atomic.Pointer[rate.Limiter]
	log      *slog.Logger
}

func newRateLimiter(next gen.HttpRequestDoer, idx *opindex.Index, overrides map[string]int, log *slog.Logger) (*rateLimiter, error) {
	l := &rateLimiter{
		next:     next,
		idx:      idx,
		limits:   make([]int, len(idx.Ops)),
		limiters: make([]atomic.Pointer[rate.Limiter], len(idx.Ops)),
		log:      log,
	}
	for i, op := range idx.Ops {
		l.limits[i] = op.RateLimit
	}
	for id, n := range overrides {
		op := idx.ByID(id)
		if op == nil {
			return nil, fmt.Errorf("linnworks: WithRateLimit(%q): the API has no such operation", id)
		}
		l.limits[op.Index] = n
	}
	return l, nil
}

func (l *rateLimiter) limiter(op *opindex.Op) *rate.Limiter {
	p := &l.limiters[op.Index]
	if lim := p.Load(); lim != nil {
		return lim
	}
	n := l.limits[op.Index]
	if n == 0 {
		return nil
	}
	p.CompareAndSwap(nil, limiterFor(n))
	return p.Load()
}

func (l *rateLimiter) Do(req *http.Request) (*http.Response, error) {
	op := l.idx.Lookup(req.Method, req.URL.EscapedPath())
	if op == nil {
		return l.next.Do(req)
	}
	lim := l.limiter(op)
	if lim == nil {
		return l.next.Do(req)
	}
	if err := l.wait(req.Context(), lim, op); err != nil {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, err
	}
	return l.next.Do(req)
}

// wait takes a token, waiting for it if needed; the wait ends with ctx, and
// does not start when ctx's deadline would pass first.
func (l *rateLimiter) wait(ctx context.Context, lim *rate.Limiter, op *opindex.Op) error {
	if err := ctx.Err(); err != nil {
		return &limitWaitError{op: op.ID, perMinute: l.limits[op.Index], err: err}
	}
	now := time.Now()
	r := lim.ReserveN(now, 1)
	d := r.DelayFrom(now)
	if d == 0 {
		return nil
	}
	if dl, ok := ctx.Deadline(); ok && dl.Sub(now) < d {
		r.CancelAt(now)
		return &limitWaitError{op: op.ID, perMinute: l.limits[op.Index], wait: d, err: context.DeadlineExceeded}
	}
	if l.log.Enabled(ctx, slog.LevelDebug) {
		l.log.LogAttrs(ctx, slog.LevelDebug, "linnworks: waiting for the client-side rate limit",
			slog.String("operation", op.ID), slog.Int("per_minute", l.limits[op.Index]), slog.Duration("wait", d))
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		r.Cancel()
		return &limitWaitError{op: op.ID, perMinute: l.limits[op.Index], err: ctx.Err()}
	}
}

// limitWaitError is a wait for the rate limiter cut short by the caller's
// context (or not started, its deadline being too close). It wraps the
// context's error; the retry policy never retries it.
type limitWaitError struct {
	op        string
	perMinute int
	wait      time.Duration // the wait that was not started, or 0
	err       error
}

func (e *limitWaitError) Error() string {
	if e.wait > 0 {
		return fmt.Sprintf("linnworks: %s: the client-side rate limit (%d/min) needs a wait of %v, past the context's deadline: %v",
			e.op, e.perMinute, e.wait.Round(time.Millisecond), e.err)
	}
	return fmt.Sprintf("linnworks: %s: waiting for the client-side rate limit (%d/min): %v", e.op, e.perMinute, e.err)
}

func (e *limitWaitError) Unwrap() error { return e.err }
