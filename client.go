// Package linnworks is a Go client for the Linnworks API.
//
// NewClient returns the generated typed client (package gen) wired to a session
// source (package authn): every call gets a live session token and goes to the
// session's server, and a call refused with 401 is retried once with a new session.
//
//	client, err := linnworks.NewClient(authn.Credentials{ApplicationID: id, ApplicationSecret: secret, Token: token})
//	resp, err := client.InventoryGetCategoriesWithResponse(ctx)
package linnworks

import (
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/linnworks-go/linnworks/authn"
	"github.com/linnworks-go/linnworks/gen"
)

// modulePath is this module's path, looked up in the build info for the version.
const modulePath = "github.com/linnworks-go/linnworks"

// DefaultTimeout bounds each HTTP exchange of the default HTTP client
// (connection, request, and reading the whole response).
const DefaultTimeout = 60 * time.Second

// An Option configures NewClient.
type Option func(*options)

type options struct {
	doer       gen.HttpRequestDoer
	authServer string
	userAgent  *string
	sourceOpts []authn.Option
	genOpts    []gen.ClientOption
	errs       []error
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
// validates the credentials (the error names a malformed field, never its
// value) and makes no network call: the first session is obtained by the first
// call that needs one.
func NewClient(c authn.Credentials, opts ...Option) (*gen.ClientWithResponses, error) {
	client, _, err := NewClientWithSource(c, opts...)
	return client, err
}

// NewClientWithSource is NewClient that also returns the session source behind
// the client, for callers that need the session itself (its Server or Locality,
// or its token for a request made outside the client) or want to drop it
// (Source.Invalidate).
func NewClientWithSource(c authn.Credentials, opts ...Option) (*gen.ClientWithResponses, *authn.Source, error) {
	o := options{authServer: authn.DefaultAuthServer}
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	if err := errors.Join(o.errs...); err != nil {
		return nil, nil, err
	}
	base := o.baseDoer()
	ua := DefaultUserAgent()
	if o.userAgent != nil {
		ua = *o.userAgent
	}
	if ua != "" {
		base = &userAgentDoer{next: base, ua: []string{ua}}
	}
	sourceOpts := append([]authn.Option{authn.WithHTTPClient(base), authn.WithAuthServer(o.authServer)}, o.sourceOpts...)
	src, err := authn.NewSource(c, sourceOpts...)
	if err != nil {
		return nil, nil, err
	}
	genOpts := append([]gen.ClientOption{
		gen.WithHTTPClient(src.Doer(base)),
		gen.WithRequestEditorFn(src.EditRequest),
	}, o.genOpts...)
	client, err := gen.NewClientWithResponses(o.authServer, genOpts...)
	if err != nil {
		return nil, nil, fmt.Errorf("linnworks: building the client: %w", err)
	}
	return client, src, nil
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

// userAgentDoer sets the User-Agent of requests that have none.
type userAgentDoer struct {
	next gen.HttpRequestDoer
	ua   []string
}

func (d *userAgentDoer) Do(req *http.Request) (*http.Response, error) {
	if req.Header.Get("User-Agent") == "" {
		if req.Header == nil {
			req.Header = make(http.Header)
		}
		req.Header["User-Agent"] = d.ua[:1:1]
	}
	return d.next.Do(req)
}
