package authn

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/linnworks-go/linnworks/gen"
)

// DefaultAuthServer is where sessions are obtained unless WithAuthServer says otherwise.
const DefaultAuthServer = "https://api.linnworks.net"

// DefaultIdleTimeout is how long Linnworks keeps an unused session alive.
const DefaultIdleTimeout = 20 * time.Minute

// IdleSafetyMargin is subtracted from the idle timeout: a session idle for
// longer than (idle timeout − margin) is renewed rather than sent, so a request
// never arrives just after Linnworks dropped its session. For idle timeouts
// under two minutes the margin is half the timeout.
const IdleSafetyMargin = time.Minute

// authTimeout bounds one shared authorization, independently of any caller's context.
const authTimeout = 30 * time.Second

// Failure backoff: after a failed authorization the error is returned to every
// caller for a jittered [failureBackoff, failureBackoff+failureJitter) so a wrong
// secret cannot hammer the 150 calls/minute auth endpoint.
const (
	failureBackoff = 2 * time.Second
	failureJitter  = 2 * time.Second
)

// An Option configures a Source.
type Option func(*config)

type config struct {
	doer        gen.HttpRequestDoer
	authServer  string
	idleTimeout time.Duration
	trusted     func(*url.URL) bool
	logger      *slog.Logger
	errs        []error
}

func defaultConfig() config {
	return config{
		doer:        http.DefaultClient,
		authServer:  DefaultAuthServer,
		idleTimeout: DefaultIdleTimeout,
		trusted:     IsLinnworksServer,
	}
}

// WithHTTPClient sets the doer used for authorization requests (an *http.Client
// fits). The default is http.DefaultClient; authorization has its own timeout.
func WithHTTPClient(d gen.HttpRequestDoer) Option {
	return func(c *config) {
		if d == nil {
			c.errs = append(c.errs, errors.New("authn: WithHTTPClient: doer is nil"))
			return
		}
		c.doer = d
	}
}

// WithAuthServer sets the base URL of Auth_AuthorizeByApplication
// (default https://api.linnworks.net). It must pass the trust check of
// WithTrustedServer, since the credentials are sent there.
func WithAuthServer(baseURL string) Option {
	return func(c *config) { c.authServer = baseURL }
}

// WithIdleTimeout sets after how long without use Linnworks drops a session
// (default 20 minutes). Sessions are renewed IdleSafetyMargin before that.
func WithIdleTimeout(d time.Duration) Option {
	return func(c *config) {
		if d <= 0 {
			c.errs = append(c.errs, fmt.Errorf("authn: WithIdleTimeout: %v is not positive", d))
			return
		}
		c.idleTimeout = d
	}
}

// WithTrustedServer replaces the check that a session's Server (and the auth
// server) may receive secrets. The default is IsLinnworksServer. Fakes and
// tests use it to admit their own host.
func WithTrustedServer(ok func(*url.URL) bool) Option {
	return func(c *config) {
		if ok == nil {
			c.errs = append(c.errs, errors.New("authn: WithTrustedServer: func is nil"))
			return
		}
		c.trusted = ok
	}
}

// WithLogger sets where the Source logs authorizations, failures and 401
// retries (nil: no logging). Secrets are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) { c.logger = l }
}

// IsLinnworksServer is the default trust check: https on linnworks.net or one
// of its subdomains (any port). https://linnworks.net.evil.example is not.
func IsLinnworksServer(u *url.URL) bool {
	if u == nil || u.Scheme != "https" || u.User != nil || u.Opaque != "" {
		return false
	}
	host := strings.ToLower(u.Hostname())
	return host == "linnworks.net" || (strings.HasSuffix(host, ".linnworks.net") && !strings.HasPrefix(host, "."))
}

// parseServer parses a base URL that secrets may be sent to and checks that it
// is absolute and trusted. what names the URL in errors.
func parseServer(what, raw string, trusted func(*url.URL) bool) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("authn: %s %q is not a URL: %w", what, raw, err)
	}
	if u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("authn: %s %q is not an absolute URL", what, raw)
	}
	if !trusted(u) {
		return nil, fmt.Errorf("authn: %s %q is not trusted (want https on linnworks.net or a subdomain, or see WithTrustedServer)", what, raw)
	}
	return u, nil
}
