package mock

import (
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/linnworks-go/linnworks/authn"
)

// Hosts of the in-process fake (Client).
const (
	// AuthServer is where Client reaches Auth_AuthorizeByApplication, as on Linnworks.
	AuthServer = "https://api.linnworks.net"
	// SessionServer is the Server of the sessions Client's mock issues; calls that
	// use those sessions must go there.
	SessionServer = "https://eu-ext.linnworks.net"
)

// DefaultIdleTimeout is how long a session lives without calls, as on Linnworks.
const DefaultIdleTimeout = 20 * time.Minute

// The credentials a mock accepts unless WithCredentials says otherwise. They are
// well-known test values, not secrets.
const (
	defaultApplicationID     = "7e0c5b7a-9a0e-4a3c-8f44-3b1f6f0d2a11"
	defaultApplicationSecret = "5d9f3c2e-1b4a-4c7d-9e8f-0a1b2c3d4e5f"
	defaultToken             = "c4a8e1f2-3b5d-4e6f-8a9b-0c1d2e3f4a5b"
)

// Server is a fake Linnworks API. Build it with New; it is safe for concurrent use.
type Server struct {
	spec        *spec
	creds       authn.Credentials
	idleTimeout time.Duration
	rateLimits  bool

	client  *http.Client
	handler http.Handler

	mu       sync.Mutex
	sessions map[string]*session
	rates    map[rateKey][]time.Time
	ops      map[string]*opState
}

// opState is the per-operation test state: stub, pending faults and call count.
type opState struct {
	calls  int
	stub   StubFunc
	fails  []int           // statuses of the next injected failures, in order
	delays []time.Duration // delays of the next calls, in order
}

// Option configures a Server.
type Option func(*config)

type config struct {
	creds       authn.Credentials
	idleTimeout time.Duration
	rateLimits  bool
	doc         *openapi3.T
}

// WithIdleTimeout sets how long a session may go without calls before it answers
// 401 (default DefaultIdleTimeout). The idle time follows time.Now, so synctest
// tests can expire a session by sleeping in virtual time. d must be positive.
func WithIdleTimeout(d time.Duration) Option {
	return func(c *config) { c.idleTimeout = d }
}

// WithoutRateLimits turns off the per-session x-linnworks-rate-limit quotas.
func WithoutRateLimits() Option {
	return func(c *config) { c.rateLimits = false }
}

// WithCredentials sets the credentials Auth_AuthorizeByApplication accepts
// (default: fixed test values, see Credentials). Each must be a uuid.
func WithCredentials(c authn.Credentials) Option {
	return func(cfg *config) { cfg.creds = c }
}

// WithSpec serves doc instead of the document embedded in package gen. doc is
// validated and compiled by New and must not be modified afterwards. It is meant
// for tests of the mock itself (benchmarks with a larger document) and for
// documents of other versions of the API. A nil doc keeps the embedded document.
func WithSpec(doc *openapi3.T) Option {
	return func(c *config) { c.doc = doc }
}

// New builds a mock from the embedded OpenAPI document (parsed and compiled once
// per process) or the one given WithSpec. It panics if the document cannot be
// compiled or an option is invalid: both are programming errors of the test.
func New(opts ...Option) *Server {
	cfg := config{
		creds: authn.Credentials{
			ApplicationID:     defaultApplicationID,
			ApplicationSecret: defaultApplicationSecret,
			Token:             defaultToken,
		},
		idleTimeout: DefaultIdleTimeout,
		rateLimits:  true,
	}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.idleTimeout <= 0 {
		panic(fmt.Sprintf("mock: WithIdleTimeout(%v): the timeout must be positive", cfg.idleTimeout))
	}
	for name, v := range map[string]string{
		"ApplicationID": cfg.creds.ApplicationID, "ApplicationSecret": cfg.creds.ApplicationSecret, "Token": cfg.creds.Token,
	} {
		if !matchesUUID(v) {
			panic(fmt.Sprintf("mock: WithCredentials: %s is not a uuid", name))
		}
	}
	var (
		s   *spec
		err error
	)
	if cfg.doc != nil {
		s, err = compile(cfg.doc)
		if err != nil {
			err = fmt.Errorf("mock: WithSpec: %w", err)
		}
	} else {
		s, err = embeddedSpec()
	}
	if err != nil {
		panic(err)
	}
	m := &Server{
		spec:        s,
		creds:       cfg.creds,
		idleTimeout: cfg.idleTimeout,
		rateLimits:  cfg.rateLimits,
		sessions:    make(map[string]*session),
		rates:       make(map[rateKey][]time.Time),
		ops:         make(map[string]*opState),
	}
	m.handler = http.HandlerFunc(m.serveHTTP)
	m.client = &http.Client{Transport: m.transport()}
	return m
}

// Credentials returns the credentials this mock accepts in Auth_AuthorizeByApplication.
func (m *Server) Credentials() authn.Credentials { return m.creds }

// Client returns an *http.Client that talks to this mock in memory: requests to
// AuthServer and SessionServer (https), and to the regional hosts of the REST
// services ({eu,us,as}-api.linnworks.net), reach the fake, any other host fails
// with an error naming it. No socket is opened; every mock has its own transport.
func (m *Server) Client() *http.Client { return m.client }

// Handler returns the same fake as an http.Handler, to serve over real HTTP. There
// the sessions it issues answer on the address it was reached at (scheme and Host
// of the authorizing request).
func (m *Server) Handler() http.Handler { return m.handler }

// Operations returns the operationIds the mock serves, sorted: the classic API's
// and the REST services' (as ServiceOperation names them).
func (m *Server) Operations() []string {
	return append([]string(nil), m.spec.ids...)
}

// mustKnow panics when the document has no operation id: naming an operation
// that does not exist is a programming error of the test.
func (m *Server) mustKnow(caller, id string) {
	if _, ok := m.spec.byID[id]; !ok {
		panic(fmt.Sprintf("mock: %s: the document has no operation %q", caller, id))
	}
}

// state returns the test state of operation id, creating it. The caller holds m.mu
// and has checked id with mustKnow.
func (m *Server) state(id string) *opState {
	st := m.ops[id]
	if st == nil {
		st = &opState{}
		m.ops[id] = st
	}
	return st
}
