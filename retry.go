package linnworks

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/linnworks-go/linnworks/authn"
	"github.com/linnworks-go/linnworks/gen"
	"github.com/linnworks-go/linnworks/internal/opindex"
)

// RetryPolicy bounds how the client retries a call. The zero value of a field
// means its default (DefaultRetryPolicy).
//
// What is retried:
//   - a 429, or any answer whose message is Linnworks' "API calls quota
//     exceeded", for every operation (Linnworks did not run the call);
//   - a 5xx other than 501 and 505, and a failure to reach Linnworks
//     (connection refused or reset, timeout of the HTTP client), only for GET
//     requests and for the operations named by WithIdempotent: a POST that may
//     have run is never silently repeated.
//
// 401 is never retried here: the session source re-authorizes and replays the
// request once (authn.Source.Doer), under the retry policy. A request whose body
// cannot be replayed (no Request.GetBody) is sent once.
//
// Waits: the answer's Retry-After (seconds or an HTTP date) when present, else
// exponential backoff with full jitter: a random wait in [0, min(MaxDelay,
// base·2^(n-1))) before retry n, where base is RateLimitDelay for a rate-limited
// answer (Linnworks counts calls per minute: a quota takes seconds to free up,
// not milliseconds) and BaseDelay otherwise. A wait that would end after MaxElapsed (from
// the first send) or after the context's deadline is not started: the last answer
// is returned instead. Every wait ends when the caller's context does.
type RetryPolicy struct {
	// MaxAttempts is the number of sends of one call, the first included
	// (default 5; 1 turns retries off).
	MaxAttempts int
	// MaxElapsed bounds the time from the first send to the start of the last one
	// (default 2 minutes).
	MaxElapsed time.Duration
	// BaseDelay is the backoff before the first retry after a 5xx or a
	// connection failure (default 500ms).
	BaseDelay time.Duration
	// RateLimitDelay is the backoff before the first retry after a 429 or a
	// quota answer without Retry-After (default 5s).
	RateLimitDelay time.Duration
	// MaxDelay caps one backoff wait; Retry-After may ask for more (default 30s).
	MaxDelay time.Duration
}

// DefaultRetryPolicy returns the policy NewClient uses unless WithRetryPolicy
// or WithoutRetry says otherwise.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 5, MaxElapsed: 2 * time.Minute, BaseDelay: 500 * time.Millisecond,
		RateLimitDelay: 5 * time.Second, MaxDelay: 30 * time.Second}
}

// withDefaults fills zero fields and checks the others.
func (p RetryPolicy) withDefaults() (RetryPolicy, error) {
	d := DefaultRetryPolicy()
	switch {
	case p.MaxAttempts < 0:
		return p, fmt.Errorf("linnworks: RetryPolicy.MaxAttempts is %d, want ≥ 1 (or 0 for the default)", p.MaxAttempts)
	case p.MaxElapsed < 0:
		return p, fmt.Errorf("linnworks: RetryPolicy.MaxElapsed is %v, want > 0 (or 0 for the default)", p.MaxElapsed)
	case p.BaseDelay < 0:
		return p, fmt.Errorf("linnworks: RetryPolicy.BaseDelay is %v, want > 0 (or 0 for the default)", p.BaseDelay)
	case p.RateLimitDelay < 0:
		return p, fmt.Errorf("linnworks: RetryPolicy.RateLimitDelay is %v, want > 0 (or 0 for the default)", p.RateLimitDelay)
	case p.MaxDelay < 0:
		return p, fmt.Errorf("linnworks: RetryPolicy.MaxDelay is %v, want > 0 (or 0 for the default)", p.MaxDelay)
	}
	if p.MaxAttempts == 0 {
		p.MaxAttempts = d.MaxAttempts
	}
	if p.MaxElapsed == 0 {
		p.MaxElapsed = d.MaxElapsed
	}
	if p.BaseDelay == 0 {
		p.BaseDelay = d.BaseDelay
	}
	if p.RateLimitDelay == 0 {
		p.RateLimitDelay = d.RateLimitDelay
	}
	if p.MaxDelay == 0 {
		p.MaxDelay = d.MaxDelay
	}
	return p, nil
}

// WithRetryPolicy replaces DefaultRetryPolicy. A negative field is an error of
// NewClient.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(o *options) { o.retry = p }
}

// WithoutRetry sends every call once (the session source still replays a call
// refused with 401 once with a new session).
func WithoutRetry() Option {
	return func(o *options) { o.retry = RetryPolicy{MaxAttempts: 1} }
}

// WithIdempotent declares operations (operationIds such as
// "Inventory_UpdateInventoryItemField", or a REST service's qualified with its
// package, "pickingv2.PickwaveIdentifier_PostPickwaveidentifier") safe to send
// again after a 5xx or a connection failure although they are not GETs. GET
// operations always are. An unknown operation is an error of NewClient
// (NewServices, New).
func WithIdempotent(opIDs ...string) Option {
	return func(o *options) { o.idempotent = append(o.idempotent, opIDs...) }
}

// maxPeek bounds how much of an error body is read to look for Linnworks'
// quota message.
const maxPeek = 64 << 10

// retrier is the Doer that applies a RetryPolicy and logs every attempt.
type retrier struct {
	next       gen.HttpRequestDoer
	edit       func(context.Context, *http.Request) error // re-applied before each retry (the session editor)
	idx        *opindex.Index
	policy     RetryPolicy
	idempotent []bool // by Op.Index
	log        *slog.Logger
}

func newRetrier(next gen.HttpRequestDoer, edit func(context.Context, *http.Request) error, idx *opindex.Index, p RetryPolicy, idempotent []string, log *slog.Logger) (*retrier, error) {
	p, err := p.withDefaults()
	if err != nil {
		return nil, err
	}
	r := &retrier{next: next, edit: edit, idx: idx, policy: p, idempotent: make([]bool, len(idx.Ops)), log: log}
	for _, id := range idempotent {
		op := idx.ByID(id)
		if op == nil {
			return nil, fmt.Errorf("linnworks: WithIdempotent(%q): the API has no such operation", id)
		}
		r.idempotent[op.Index] = true
	}
	return r, nil
}

// Do sends req, then again while the policy allows.
func (r *retrier) Do(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	op := r.idx.Lookup(req.Method, req.URL.EscapedPath())
	var name string
	if op != nil {
		name = op.ID
	} else {
		name = req.Method + " " + req.URL.EscapedPath()
	}
	safe := req.Method == http.MethodGet || req.Method == http.MethodHead || req.Method == "" ||
		(op != nil && r.idempotent[op.Index])
	replayable := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
	first := time.Now()
	start := first
	cur := req
	for attempt := 1; ; attempt++ {
		if attempt > 1 {
			start = time.Now()
		}
		resp, err := r.next.Do(cur)
		took := time.Since(start)
		reason, wait := r.classify(ctx, resp, err, safe, attempt)
		stop := ""
		if reason != "" {
			switch {
			case attempt >= r.policy.MaxAttempts:
				stop = "attempts exhausted"
			case !replayable:
				stop = "the body cannot be replayed"
			case time.Since(first)+wait > r.policy.MaxElapsed:
				stop = "retry time spent"
			default:
				if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
					stop = "the context deadline comes first"
				}
			}
		}
		r.logAttempt(ctx, name, attempt, resp, err, took, reason, wait, stop)
		if reason == "" || stop != "" {
			return resp, err
		}
		if resp != nil {
			drainClose(resp)
		}
		if wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
				return nil, fmt.Errorf("linnworks: %s: waiting to retry (%s): %w", name, reason, ctx.Err())
			}
		} else if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("linnworks: %s: %w", name, err)
		}
		next, err := r.replay(req)
		if err != nil {
			return nil, fmt.Errorf("linnworks: %s: preparing retry %d: %w", name, attempt, err)
		}
		cur = next
	}
}

// replay is a copy of req with a fresh body and the session editor re-applied
// (the session may have been renewed while waiting).
func (r *retrier) replay(req *http.Request) (*http.Request, error) {
	next := req.Clone(req.Context())
	if req.Body != nil && req.Body != http.NoBody {
		body, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		next.Body = body
	}
	if r.edit != nil {
		if err := r.edit(req.Context(), next); err != nil {
			if next.Body != nil {
				_ = next.Body.Close()
			}
			return nil, err
		}
	}
	return next, nil
}

// classify says why the answer of one attempt deserves another, and how long
// to wait first; reason is "" when it does not.
func (r *retrier) classify(ctx context.Context, resp *http.Response, err error, safe bool, attempt int) (reason string, wait time.Duration) {
	if err != nil {
		if ctx.Err() != nil || !safe || !transient(err) {
			return "", 0
		}
		return "connection error", r.backoff(attempt, r.policy.BaseDelay)
	}
	status := resp.StatusCode
	base := r.policy.RateLimitDelay
	switch {
	case status == http.StatusTooManyRequests:
		reason = "rate limited (429)"
	case status < 400 || status == http.StatusUnauthorized:
		return "", 0
	case quotaExceeded(resp):
		reason = "quota exceeded (" + strconv.Itoa(status) + ")"
	case status >= 500 && status != http.StatusNotImplemented && status != http.StatusHTTPVersionNotSupported && safe:
		reason = "server error (" + strconv.Itoa(status) + ")"
		base = r.policy.BaseDelay
	default:
		return "", 0
	}
	if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
		return reason, d
	}
	return reason, r.backoff(attempt, base)
}

// backoff is the full-jitter exponential wait before retry number attempt.
func (r *retrier) backoff(attempt int, base time.Duration) time.Duration {
	ceiling := r.policy.MaxDelay
	if shift := attempt - 1; shift < 32 && base<<shift > 0 && base<<shift < ceiling {
		ceiling = base << shift
	}
	if ceiling <= 0 {
		return 0
	}
	return rand.N(ceiling)
}

// quotaExceeded reports whether an error answer carries Linnworks' quota
// message; the body stays readable.
func quotaExceeded(resp *http.Response) bool {
	if resp.Body == nil || resp.Body == http.NoBody {
		return false
	}
	peek, err := io.ReadAll(io.LimitReader(resp.Body, maxPeek))
	resp.Body = &peekedBody{Reader: io.MultiReader(bytes.NewReader(peek), resp.Body), Closer: resp.Body}
	if err != nil {
		return false
	}
	return isQuotaMessage(string(peek))
}

type peekedBody struct {
	io.Reader
	io.Closer
}

// transient reports whether a send failed on the way to Linnworks (and may
// succeed when repeated), rather than on a refused authorization or a bad request.
func transient(err error) bool {
	var authErr *authn.AuthError
	var waitErr *limitWaitError
	if errors.As(err, &authErr) || errors.As(err, &waitErr) {
		return false
	}
	// A certificate the client refuses is refused again on the next attempt.
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalidCert x509.CertificateInvalidError
	if errors.As(err, &certErr) || errors.As(err, &unknownAuth) || errors.As(err, &hostErr) || errors.As(err, &invalidCert) {
		return false
	}
	var ue *url.Error
	var ne net.Error
	return errors.As(err, &ue) || errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

// logAttempt logs one send: Info when a retry follows; Warn when the call ends
// with an error, a 5xx or a 429, or with a retryable answer the policy gave up
// on; Debug otherwise. Only the operation, the attempt number, the status or
// error, the duration and the retry decision are logged: never headers, bodies
// or the query.
func (r *retrier) logAttempt(ctx context.Context, op string, attempt int, resp *http.Response, err error, took time.Duration,
	reason string, wait time.Duration, stop string) {
	level := slog.LevelDebug
	switch {
	case reason != "" && stop == "":
		level = slog.LevelInfo
	case err != nil || stop != "" || resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests:
		level = slog.LevelWarn
	}
	if !r.log.Enabled(ctx, level) {
		return
	}
	attrs := make([]slog.Attr, 0, 7)
	attrs = append(attrs, slog.String("operation", op), slog.Int("attempt", attempt))
	if err != nil {
		attrs = append(attrs, slog.String("error", errorText(err)))
	} else {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
	}
	attrs = append(attrs, slog.Duration("duration", took))
	msg := "linnworks: call"
	switch {
	case stop != "":
		msg = "linnworks: call failed, not retrying"
		attrs = append(attrs, slog.String("retry_reason", reason), slog.String("gave_up", stop))
	case reason != "":
		msg = "linnworks: call failed, retrying"
		attrs = append(attrs, slog.String("retry_reason", reason), slog.Duration("retry_in", wait))
	}
	r.log.LogAttrs(ctx, level, msg, attrs...)
}

// errorText is err's message without the request's query (a *url.Error
// repeats the whole URL, and the query may hold customer data).
func errorText(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		if u, perr := url.Parse(ue.URL); perr == nil && u.RawQuery != "" {
			u.RawQuery = ""
			return fmt.Sprintf("%s %q: %v", ue.Op, u.String(), ue.Err)
		}
	}
	return err.Error()
}

// drainClose reads a little of a discarded answer, so that its connection can
// be reused, and closes it.
func drainClose(resp *http.Response) {
	if resp.Body == nil {
		return
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxPeek))
	_ = resp.Body.Close()
}
