// Package linnworks is a Go client for the Linnworks API.
//
// NewClient returns the generated typed client (package gen) wired to a session
// source (package authn): every call gets a live session token and goes to the
// session's server, and a call refused with 401 is retried once with a new session.
//
//	client, err := linnworks.NewClient(authn.Credentials{ApplicationID: id, ApplicationSecret: secret, Token: token})
//	resp, err := linnworks.Result(client.InventoryGetCategoriesWithResponse(ctx))
//
// New returns the classic client together with the typed clients of the REST
// services (orders v2, picking v2, warehouse transfer v1 and v2: packages
// gen/ordersv2, ...), all on one session and one chain of the layers below:
//
//	lw, err := linnworks.New(creds)
//	cats, err := linnworks.Result(lw.Classic.InventoryGetCategoriesWithResponse(ctx))
//	orders, err := linnworks.Result(lw.OrdersV2.OrdersGetOrdersWithResponse(ctx, &ordersv2.OrdersGetOrdersParams{}))
//
// Service calls go to the regional host of the session's Locality
// (https://eu-api.linnworks.net/v2/..., us-api, as-api). Wherever this package
// names an operation of a service (WithRateLimit, WithIdempotent,
// APIError.Operation, the attempt log), it qualifies it with the service's
// package: "ordersv2.Orders_GetOrders"; the classic operations keep their bare
// operationIds ("Orders_GetOpenOrders").
//
// # What happens to a call
//
// A typed call goes through these layers, outermost first:
//
//  1. the request editors: the session editor (authn.Source.EditRequest: a live
//     session token, the session's server), then those of WithClientOptions;
//  2. the answer guard: an answer that claims JSON and is not valid JSON becomes
//     an *APIError keeping status and body (the generated parser would return a
//     bare decoding error and drop both); an empty JSON answer loses its
//     Content-Type, so that the parser leaves the JSON fields nil instead of failing;
//  3. the retry policy (RetryPolicy, logging each attempt): 429 and quota
//     answers for every operation, 5xx and connection failures for GET and
//     WithIdempotent operations; each retry runs the session editor again;
//  4. the session's 401 handling (authn.Source.Doer): re-authorize and replay once;
//  5. the rate limiter: one token bucket per operation from its
//     x-linnworks-rate-limit, shared by every caller of the client (a request
//     for a path the API description does not have is not limited; Linnworks
//     states no limit for the REST services, so their calls are not limited
//     unless WithRateLimit sets one);
//  6. the headers: Accept: application/json (Linnworks can answer XML; the
//     REST service calls ask for application/json, application/problem+json)
//     and the User-Agent, then the HTTP client (WithHTTPClient).
//
// The retry policy is outside the 401 handling, so a retried 429 gets a valid
// session, and never retries a 401 itself, so the two never multiply. The rate
// limiter is innermost, so every real send takes a token: retries, 401 replays
// and the authorizations of the session source alike.
//
// # Errors
//
// Result (or CheckResponse) turns any answer other than 2xx into an *APIError,
// which errors.Is matches against ErrRateLimited, ErrUnauthorized and ErrNotFound.
// It works for the responses of the REST services too, whose problem documents
// (RFC 9457) give the APIError its Message.
//
// # Pages
//
// Pages walks any paged operation as an iter.Seq2; OpenOrders, StockItems,
// StockItemsFull and ProcessedOrders do it for the most used ones.
package linnworks

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/linnworks-go/linnworks/authn"
	"github.com/linnworks-go/linnworks/gen"
	"github.com/linnworks-go/linnworks/internal/opindex"
)

// modulePath is this module's path, looked up in the build info for the version.
const modulePath = "github.com/linnworks-go/linnworks"

// DefaultTimeout bounds each HTTP exchange of the default HTTP client
// (connection, request, and reading the whole response).
const DefaultTimeout = 60 * time.Second

// An Option configures NewClient, NewServices or New.
type Option func(*options)

type options struct {
	doer       gen.HttpRequestDoer
	authServer string
	userAgent  *string
	sourceOpts []authn.Option
	genOpts    []gen.ClientOption
	errs       []error

	logger      *slog.Logger
	noRateLimit bool
	rateLimits  map[string]int // operationId → calls per minute (WithRateLimit)
	retry       RetryPolicy
	idempotent  []string
}

// WithLogger logs every attempt of every call to l (operation, attempt, status
// or error, duration, retry decision; never secrets, headers or bodies), and the
// waits for the rate limiter at level Debug. It is also given to the session
// source (authn.WithLogger) unless WithSourceOptions sets one. A nil l logs nothing
// (the default).
func WithLogger(l *slog.Logger) Option {
	return func(o *options) { o.logger = l }
}

// WithHTTPClient sets the doer under the client, used for authorizations and
// API calls alike (an *http.Client fits; a mock's in-memory client too). The
// default is an *http.Client with a DefaultTimeout timeout.
func WithHTTPClient(d gen.HttpRequestDoer) Option {
	return func(o *options) {
		if d == nil {
			o.errs = append(o.errs, errors.New("linnworks: WithHTTPClient: doer is nil"))
			return
		}
		o.doer = d
	}
}

// WithAuthServer sets the base URL of the Auth operations (default
// https://api.linnworks.net): sessions are obtained there, and the client's
// Auth_* calls go there. It must pass the session source's trust check (see
// authn.WithTrustedServer, given through WithSourceOptions).
func WithAuthServer(baseURL string) Option {
	return func(o *options) { o.authServer = baseURL }
}

// WithUserAgent replaces the User-Agent sent with every request (default
// DefaultUserAgent()). An empty string sends no User-Agent of ours. A
// User-Agent set on a request by a request editor is kept.
func WithUserAgent(ua string) Option {
	return func(o *options) { o.userAgent = &ua }
}

// WithSourceOptions passes options to the session source (authn.NewSource), for
// example authn.WithIdleTimeout, authn.WithLogger or authn.WithTrustedServer.
// authn.WithHTTPClient and authn.WithAuthServer are set by NewClient from
// WithHTTPClient and WithAuthServer; given here, they take precedence.
func WithSourceOptions(opts ...authn.Option) Option {
	return func(o *options) { o.sourceOpts = append(o.sourceOpts, opts...) }
}

// WithClientOptions passes options to the generated client
// (gen.NewClientWithResponses), for example more gen.WithRequestEditorFn.
// Editors given here run after the session editor.
func WithClientOptions(opts ...gen.ClientOption) Option {
	return func(o *options) { o.genOpts = append(o.genOpts, opts...) }
}

// NewClient returns the typed Linnworks client for one installation. It
// validates the credentials and options (the error names a malformed field or
// an unknown operation, never a secret) and makes no network call: the first
// session is obtained by the first call that needs one.
//
// By default every call is rate limited per operation (WithRateLimit,
// WithoutRateLimit), retried under DefaultRetryPolicy (WithRetryPolicy,
// WithoutRetry, WithIdempotent) and replayed once with a new session on 401; see
// the package documentation for the order of these layers. A call whose answer
// claims JSON but is not valid JSON returns an *APIError with the status and the
// raw body, where the generated parser alone would return a bare decoding error.
func NewClient(c authn.Credentials, opts ...Option) (*gen.ClientWithResponses, error) {
	client, _, err := NewClientWithSource(c, opts...)
	return client, err
}

// NewClientWithSource is NewClient that also returns the session source behind
// the client, for callers that need the session itself (its Server or Locality,
// or its token for a request made outside the client) or want to drop it
// (Source.Invalidate).
func NewClientWithSource(c authn.Credentials, opts ...Option) (*gen.ClientWithResponses, *authn.Source, error) {
	o, err := parseOptions(opts)
	if err != nil {
		return nil, nil, err
	}
	st, err := newStack(o)
	if err != nil {
		return nil, nil, err
	}
	src, err := st.source(c)
	if err != nil {
		return nil, nil, err
	}
	doer, err := st.chain(src)
	if err != nil {
		return nil, nil, err
	}
	client, err := st.classic(doer, src)
	if err != nil {
		return nil, nil, err
	}
	return client, src, nil
}

// parseOptions applies opts and returns the errors they collected.
func parseOptions(opts []Option) (options, error) {
	o := options{authServer: authn.DefaultAuthServer}
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	return o, errors.Join(o.errs...)
}

// stack is what the clients of one NewClient, NewServices or New share: the
// operation index (classic API and REST services), the logger, and the bottom
// of the Doer chain (rate limiter → headers → HTTP client), whose limiters are
// thereby shared by every caller.
type stack struct {
	o    options
	idx  *opindex.Index
	log  *slog.Logger
	base gen.HttpRequestDoer
}

func newStack(o options) (*stack, error) {
	idx, err := opindex.All()
	if err != nil {
		return nil, fmt.Errorf("linnworks: %w", err)
	}
	st := &stack{o: o, idx: idx, log: o.logger}
	if st.log == nil {
		st.log = slog.New(slog.DiscardHandler)
	}
	ua := DefaultUserAgent()
	if o.userAgent != nil {
		ua = *o.userAgent
	}
	st.base = &headerDoer{next: o.baseDoer(), ua: []string{ua}}
	if !o.noRateLimit {
		limited, err := newRateLimiter(st.base, idx, o.rateLimits, st.log)
		if err != nil {
			return nil, err
		}
		st.base = limited
	} else if err := checkOps("WithRateLimit", idx, mapKeys(o.rateLimits)); err != nil {
		return nil, err
	}
	// Checked here, so that a bad name fails before a source is built.
	if err := checkOps("WithIdempotent", idx, o.idempotent); err != nil {
		return nil, err
	}
	if _, err := o.retry.withDefaults(); err != nil {
		return nil, err
	}
	return st, nil
}

// source is the session source over the stack's base doer, so that
// authorizations are rate limited and carry the User-Agent too.
func (st *stack) source(c authn.Credentials) (*authn.Source, error) {
	sourceOpts := []authn.Option{authn.WithHTTPClient(st.base), authn.WithAuthServer(st.o.authServer)}
	if st.o.logger != nil {
		sourceOpts = append(sourceOpts, authn.WithLogger(st.o.logger))
	}
	return authn.NewSource(c, append(sourceOpts, st.o.sourceOpts...)...)
}

// chain is the Doer of the clients sending with src: answer guard → retry
// policy → src's 401 replay → the stack's base.
func (st *stack) chain(src *authn.Source) (gen.HttpRequestDoer, error) {
	retry, err := newRetrier(src.Doer(st.base), src.EditRequest, st.idx, st.o.retry, st.o.idempotent, st.log)
	if err != nil {
		return nil, err
	}
	return &guardDoer{next: retry}, nil
}

// classic is the typed client of the classic API over doer.
func (st *stack) classic(doer gen.HttpRequestDoer, src *authn.Source) (*gen.ClientWithResponses, error) {
	genOpts := append([]gen.ClientOption{
		gen.WithHTTPClient(doer),
		gen.WithRequestEditorFn(src.EditRequest),
	}, st.o.genOpts...)
	client, err := gen.NewClientWithResponses(st.o.authServer, genOpts...)
	if err != nil {
		return nil, fmt.Errorf("linnworks: building the client: %w", err)
	}
	return client, nil
}

// checkOps returns an error naming the first id the API does not have.
func checkOps(option string, idx *opindex.Index, ids []string) error {
	for _, id := range ids {
		if idx.ByID(id) == nil {
			return fmt.Errorf("linnworks: %s(%q): the API has no such operation", option, id)
		}
	}
	return nil
}

func mapKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

// baseDoer is the doer from WithHTTPClient, else a new *http.Client over
// http.DefaultTransport (its dial, TLS and idle timeouts) with DefaultTimeout.
func (o *options) baseDoer() gen.HttpRequestDoer {
	if o.doer != nil {
		return o.doer
	}
	return &http.Client{Timeout: DefaultTimeout}
}

// DefaultUserAgent is the User-Agent NewClient sends: "linnworks-go/<module
// version>", or "linnworks-go/devel" when the version is unknown (a build
// inside this module, or without build information).
func DefaultUserAgent() string { return "linnworks-go/" + moduleVersion() }

func moduleVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	version := ""
	if bi.Main.Path == modulePath {
		version = bi.Main.Version
	}
	for _, d := range bi.Deps {
		if d.Path == modulePath {
			version = d.Version
			if d.Replace != nil {
				version = d.Replace.Version
			}
		}
	}
	if version == "" || version == "(devel)" {
		return "devel"
	}
	return version
}

// acceptJSON is the Accept header of every request: Linnworks can answer XML too.
var acceptJSON = []string{"application/json"}

// headerDoer sets the headers of ours that a request does not have yet:
// Accept: application/json, and the User-Agent unless it is empty.
type headerDoer struct {
	next gen.HttpRequestDoer
	ua   []string
}

func (d *headerDoer) Do(req *http.Request) (*http.Response, error) {
	if req.Header == nil {
		req.Header = make(http.Header)
	}
	if _, ok := req.Header["Accept"]; !ok {
		req.Header["Accept"] = acceptJSON[:1:1]
	}
	if d.ua[0] != "" && req.Header.Get("User-Agent") == "" {
		req.Header["User-Agent"] = d.ua[:1:1]
	}
	return d.next.Do(req)
}
