package authn

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/linnworks-go/linnworks/gen"
)

// A Source hands out live sessions for one set of Credentials. It is safe for
// concurrent use, starts nothing in the background and needs no Close.
//
// The zero Source is not usable; create one with NewSource.
type Source struct {
	s *source // all state behind one pointer: copying or printing a Source reveals nothing
}

type source struct {
	creds      Credentials
	body       gen.AuthorizeByApplicationRequest
	client     *gen.ClientWithResponses
	authServer string
	trusted    func(*url.URL) bool
	renewAfter time.Duration // idle time after which a session is renewed instead of sent
	log        *slog.Logger
	public     *opIndex
	epoch      time.Time // monotonic origin of the clock below

	cur atomic.Pointer[state] // the live session, nil when there is none

	mu        sync.Mutex
	inflight  *flight // the authorization in progress, if any
	failErr   error   // the last authorization failure, returned until failUntil
	failUntil time.Duration
}

// state is an immutable session plus its last-use time.
type state struct {
	sess   Session
	scheme string
	host   string
	// regional is the host of the REST services for the session's Locality
	// ("eu-api.linnworks.net"), or "" with regionalErr saying why there is none.
	regional    string
	regionalErr error
	auth        []string     // the Authorization header value, shared by all requests
	lastUse     atomic.Int64 // clock reading of the last EditRequest with this session
}

// flight is one shared authorization; done is closed once st or err is set.
type flight struct {
	done chan struct{}
	st   *state
	err  error
}

// NewSource validates the credentials and options and returns a Source. It makes
// no network call: the first session is obtained when first needed.
func NewSource(c Credentials, opts ...Option) (*Source, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	cfg := defaultConfig()
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if err := errors.Join(cfg.errs...); err != nil {
		return nil, err
	}
	authURL, err := parseServer("auth server", cfg.authServer, cfg.trusted)
	if err != nil {
		return nil, err
	}
	client, err := gen.NewClientWithResponses(authURL.String(), gen.WithHTTPClient(cfg.doer))
	if err != nil {
		return nil, fmt.Errorf("authn: building the auth client: %w", err)
	}
	public, err := publicOps()
	if err != nil {
		return nil, err
	}
	appID, _ := parseUUID(c.ApplicationID)
	secret, _ := parseUUID(c.ApplicationSecret)
	token, _ := parseUUID(c.Token)
	margin := IdleSafetyMargin
	if cfg.idleTimeout < 2*margin {
		margin = cfg.idleTimeout / 2
	}
	log := cfg.logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Source{s: &source{
		creds:      c,
		body:       gen.AuthorizeByApplicationRequest{ApplicationId: appID, ApplicationSecret: secret, Token: token},
		client:     client,
		authServer: authURL.String(),
		trusted:    cfg.trusted,
		renewAfter: cfg.idleTimeout - margin,
		log:        log,
		public:     public,
		epoch:      time.Now(),
	}}, nil
}

// now reads the monotonic clock as a duration since the Source was made.
func (s *source) now() time.Duration { return time.Since(s.epoch) }

// liveAt reports whether st may still be sent at clock reading now.
func (s *source) liveAt(st *state, now time.Duration) bool {
	return st != nil && now-time.Duration(st.lastUse.Load()) < s.renewAfter
}

// touch records a use of st at now. It writes shared memory only when the
// recorded time moved by a second or more, so parallel requests do not contend;
// the recorded time may thus lag by under a second, which only renews earlier.
func (st *state) touch(now time.Duration) {
	if last := st.lastUse.Load(); int64(now)-last >= int64(time.Second) {
		st.lastUse.CompareAndSwap(last, int64(now))
	}
}

// Session returns a live session, authorizing if there is none or the current
// one has been idle too long. Concurrent calls share one authorization.
// Session does not count as a use of the session: only EditRequest does.
func (s *Source) Session(ctx context.Context) (Session, error) {
	st, err := s.s.live(ctx, s.s.now())
	if err != nil {
		return Session{}, err
	}
	return st.sess, nil
}

// live returns the live state, waiting for a (shared) authorization if needed.
func (s *source) live(ctx context.Context, now time.Duration) (*state, error) {
	if st := s.cur.Load(); s.liveAt(st, now) {
		return st, nil
	}
	s.mu.Lock()
	if st := s.cur.Load(); s.liveAt(st, now) {
		s.mu.Unlock()
		return st, nil
	}
	f := s.inflight
	if f == nil {
		if s.failErr != nil && now < s.failUntil {
			err := s.failErr
			s.mu.Unlock()
			return nil, err
		}
		if err := context.Cause(ctx); err != nil { // no one would wait for it
			s.mu.Unlock()
			return nil, fmt.Errorf("authn: waiting for a session: %w", err)
		}
		f = &flight{done: make(chan struct{})}
		s.inflight = f
		// The authorization outlives no one: it ends within authTimeout and
		// belongs to no single caller, so cancelling one caller fails no other.
		go s.authorize(context.WithoutCancel(ctx), f)
	}
	s.mu.Unlock()
	select {
	case <-f.done:
		return f.st, f.err
	case <-ctx.Done():
		return nil, fmt.Errorf("authn: waiting for a session: %w", context.Cause(ctx))
	}
}

// authorize runs one shared authorization and publishes its outcome.
func (s *source) authorize(ctx context.Context, f *flight) {
	ctx, cancel := context.WithTimeout(ctx, authTimeout)
	defer cancel()
	sess, err := s.fetch(ctx)
	var st *state
	if err == nil {
		st, err = s.newState(sess)
	}
	now := s.now()
	var backoff time.Duration
	s.mu.Lock()
	if err == nil {
		st.lastUse.Store(int64(now))
		s.cur.Store(st)
		s.failErr = nil
	} else {
		backoff = failureBackoff + rand.N(failureJitter)
		s.failErr, s.failUntil = err, now+backoff
	}
	f.st, f.err = st, err
	s.inflight = nil
	s.mu.Unlock()
	if err == nil {
		s.log.LogAttrs(ctx, slog.LevelDebug, "authn: authorized", slog.Any("session", sess))
	} else {
		s.log.LogAttrs(ctx, slog.LevelWarn, "authn: authorization failed",
			slog.String("error", err.Error()), slog.Duration("retry_after", backoff))
	}
	close(f.done) // after logging: a waiter that returns sees the log line written
}

// newState checks the session's Server and prepares what EditRequest sets.
func (s *source) newState(sess Session) (*state, error) {
	u, err := parseServer("session server", sess.Server, s.trusted)
	if err != nil {
		return nil, err
	}
	st := &state{
		sess:   sess,
		scheme: u.Scheme,
		host:   u.Host,
		auth:   []string{sess.Token},
	}
	st.regional, st.regionalErr = regionalHost(sess.locality(), s.trusted)
	return st, nil
}

// Invalidate drops the current session if its token is token, so the next
// request authorizes again. A newer session (another token) is kept. Use it when
// Linnworks rejected a token; Doer does so on 401.
func (s *Source) Invalidate(token string) {
	if token == "" {
		return
	}
	if st := s.s.cur.Load(); st != nil && st.sess.Token == token {
		if s.s.cur.CompareAndSwap(st, nil) {
			s.s.log.LogAttrs(context.Background(), slog.LevelDebug, "authn: session invalidated", slog.Any("session", st.sess))
		}
	}
}

// String describes the Source without secrets.
func (s *Source) String() string {
	if s == nil || s.s == nil {
		return "authn.Source{}"
	}
	return "authn.Source{ApplicationID: " + s.s.creds.publicID() + ", AuthServer: " + s.s.authServer +
		", Session: " + s.s.sessionSummary() + "}"
}

// GoString is String; a Source has no literal Go form (the %#v verb).
func (s *Source) GoString() string { return s.String() }

// Format implements fmt.Formatter: every verb prints the redacted form (but %p,
// which fmt formats itself).
func (s *Source) Format(f fmt.State, verb rune) { formatRedacted(f, verb, s.String(), s.GoString()) }

// LogValue implements slog.LogValuer: application id, auth server and session server.
func (s *Source) LogValue() slog.Value {
	if s == nil || s.s == nil {
		return slog.GroupValue()
	}
	return slog.GroupValue(
		slog.String("application_id", s.s.creds.publicID()),
		slog.String("auth_server", s.s.authServer),
		slog.String("session", s.s.sessionSummary()),
	)
}

func (s *source) sessionSummary() string {
	if st := s.cur.Load(); st != nil {
		return st.sess.Server
	}
	return "none"
}
