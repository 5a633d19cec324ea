package mock

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/jarcoal/httpmock"
)

// authorizeOperation is the operation whose answer the mock builds itself.
const authorizeOperation = "Auth_AuthorizeByApplication"

// transport is the in-memory transport of Client: its own httpmock transport (never
// httpmock's global one) whose only responder hands requests for the two Linnworks
// hosts to the fake.
func (m *Server) transport() http.RoundTripper {
	t := httpmock.NewMockTransport()
	hosts := map[string]bool{}
	for _, s := range []string{AuthServer, SessionServer} {
		u, _ := url.Parse(s) // constants
		hosts[u.Host] = true
	}
	regional := map[string]bool{}
	for _, h := range regionalHosts {
		regional[h] = true
	}
	t.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		if r.URL.Scheme != "https" || !hosts[r.URL.Host] && !regional[r.URL.Host] {
			return nil, fmt.Errorf("mock: no Linnworks host at %s://%s: the in-process mock answers %s, %s and the regional hosts {eu,us,as}-api.linnworks.net only",
				r.URL.Scheme, r.URL.Host, AuthServer, SessionServer)
		}
		rec := httptest.NewRecorder()
		here := "https://" + r.URL.Host
		switch {
		case regional[r.URL.Host] != isRESTPath(r.URL.Path):
			// The REST services live on the regional hosts only, the classic API nowhere there.
			m.spec.writeFailure(r.Context(), rec, regional[r.URL.Host], nil, failure{status: http.StatusNotFound,
				detail: fmt.Sprintf("No HTTP resource was found that matches the request URI '%s'.", r.URL.Path)})
		case here == SessionRegionalHost:
			// Client's sessions (Locality EU) are valid on their regional host too.
			m.serve(rec, r, SessionServer, SessionServer)
		default:
			m.serve(rec, r, here, SessionServer)
		}
		if err := r.Context().Err(); err != nil {
			return nil, err // the caller gave up (e.g. during an injected delay)
		}
		resp := rec.Result()
		resp.Request = r
		return resp, nil
	})
	return t
}

// serveHTTP is Handler: sessions answer on the address the request reached.
func (m *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	here := scheme + "://" + r.Host
	m.serve(w, r, here, here)
}

// requestState carries what the AuthenticationFunc learns into the handler.
type requestState struct {
	session *session
	authErr error
}

type requestStateKey struct{}

// serve runs the steps listed in the package documentation. here is the server
// (scheme://host) the request reached; issueAt is the Server new sessions get.
func (m *Server) serve(w http.ResponseWriter, r *http.Request, here, issueAt string) {
	s := m.spec
	route, pathParams, op, status, msg := s.findRoute(r)
	if status != 0 {
		// No operation: the path says whose error it is.
		s.writeFailure(r.Context(), w, isRESTPath(r.URL.Path), nil, failure{status: status, detail: msg})
		return
	}
	// in is the request's validation input, also the context of every answer's
	// validation (the mock's own errors included).
	in := &openapi3filter.RequestValidationInput{
		Request:    r,
		PathParams: pathParams,
		Route:      route,
		Options:    s.options(m.authenticate(here)),
	}
	fail := func(f failure) { s.writeFailure(r.Context(), w, op.rest, in, f) }

	// Count, and take this call's injected delay and failure, if any.
	m.mu.Lock()
	st := m.state(op.id)
	st.calls++
	var delay time.Duration
	hasDelay := len(st.delays) > 0
	if hasDelay {
		delay, st.delays = st.delays[0], st.delays[1:]
	}
	injected := 0
	if len(st.fails) > 0 {
		injected, st.fails = st.fails[0], st.fails[1:]
	}
	stub := st.stub
	m.mu.Unlock()

	if hasDelay {
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			fail(failure{status: http.StatusServiceUnavailable, detail: fmt.Sprintf("%s: the request was abandoned during the injected delay", op.id)})
			return
		}
	}
	if injected != 0 {
		f := failure{status: injected, detail: fmt.Sprintf("%s: injected failure (%d %s)", op.id, injected, http.StatusText(injected))}
		if injected == http.StatusTooManyRequests {
			f.retryAfter = 1
		}
		fail(f)
		return
	}

	// Validate the request; security comes first and decides the session.
	rs := &requestState{}
	ctx := context.WithValue(r.Context(), requestStateKey{}, rs)
	if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
		if rs.authErr != nil && hasSecurityErr(err) {
			fail(failure{status: http.StatusUnauthorized, detail: rs.authErr.Error()})
			return
		}
		vs := violations(err)
		f := failure{status: http.StatusBadRequest}
		lines := make([]string, len(vs))
		for i, v := range vs {
			lines[i] = v.text
		}
		f.detail = fmt.Sprintf("%s: the request breaks the API description: %s", op.id, strings.Join(lines, "; "))
		if op.rest {
			f.fields = byField(vs)
		}
		fail(f)
		return
	}

	// Quota of this session (or of anonymous callers) for this operation.
	if m.rateLimits && op.rateLimit > 0 {
		key := rateKey{op: op.id}
		if rs.session != nil {
			key.token = rs.session.token
		}
		m.mu.Lock()
		ok, wait := m.allow(key, op.rateLimit, time.Now())
		m.mu.Unlock()
		if !ok {
			fail(failure{status: http.StatusTooManyRequests, retryAfter: retryAfterSeconds(wait),
				detail: fmt.Sprintf("API calls quota exceeded! Maximum admitted %d per Minute.", op.rateLimit)})
			return
		}
	}

	// The answer.
	var (
		code         int
		body         []byte
		ct           string
		prevalidated bool // the constant synthesised answer, validated once by answer
	)
	switch {
	case stub != nil:
		var err error
		code, body, ct, err = runStub(stub, r)
		if err != nil {
			fail(failure{status: http.StatusInternalServerError, detail: fmt.Sprintf("%s: the stub's answer cannot be encoded: %v", op.id, err)})
			return
		}
	case op.id == authorizeOperation:
		code, body, ct = m.authorize(r, issueAt)
	default:
		a := op.answer()
		if a.err != nil {
			fail(failure{status: http.StatusInternalServerError, detail: fmt.Sprintf("%s: the mock cannot synthesise an answer: %v", op.id, a.err)})
			return
		}
		code, body, ct, prevalidated = a.status, a.body, a.contentType, true
	}

	// Nothing leaves without matching the document.
	// The synthesised answer was validated when the document was compiled: same
	// operation, status, Content-Type and bytes, hence the same verdict.
	if !prevalidated {
		if code < 100 || code > 599 {
			fail(failure{status: http.StatusInternalServerError, detail: fmt.Sprintf("%s: the stub answered status %d, which is not an HTTP status", op.id, code)})
			return
		}
		if err := validateAnswer(ctx, in, code, ct, body); err != nil {
			fail(failure{status: http.StatusInternalServerError, detail: fmt.Sprintf("%s: the mock's answer breaks the API description: %s",
				op.id, strings.Join(problems(err), "; "))})
			return
		}
	}
	if ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	if body != nil {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	}
	w.WriteHeader(code)
	if body != nil {
		_, _ = w.Write(body)
	}
}

// authenticate returns the AuthenticationFunc of a request that reached here: it
// accepts the apiKey header scheme when it carries a live session of this server.
func (m *Server) authenticate(here string) openapi3filter.AuthenticationFunc {
	return func(ctx context.Context, in *openapi3filter.AuthenticationInput) error {
		rs, _ := ctx.Value(requestStateKey{}).(*requestState)
		scheme := in.SecurityScheme
		if scheme.Type != "apiKey" || scheme.In != "header" {
			err := &authError{fmt.Sprintf("security scheme %q (%s in %s) is not supported by the mock", in.SecuritySchemeName, scheme.Type, scheme.In)}
			if rs != nil {
				rs.authErr = err
			}
			return err
		}
		token := in.RequestValidationInput.Request.Header.Get(scheme.Name)
		m.mu.Lock()
		sess, err := m.useSession(token, here, time.Now())
		m.mu.Unlock()
		if rs != nil {
			if err != nil {
				rs.authErr = err
			} else {
				rs.session = sess
			}
		}
		return err
	}
}

// runStub calls fn and encodes its answer.
func runStub(fn StubFunc, r *http.Request) (int, []byte, string, error) {
	code, v := fn(r)
	ct := jsonContentType
	switch b := v.(type) {
	case typedBody:
		if b.contentType != "" {
			ct = b.contentType
		}
		v = b.body
	case Problem:
		if b.Status == 0 {
			b.Status = code
		}
		ct, v = ProblemContentType, b
	case *Problem:
		if b == nil {
			v = nil
			break
		}
		p := *b
		if p.Status == 0 {
			p.Status = code
		}
		ct, v = ProblemContentType, p
	}
	switch b := v.(type) {
	case nil:
		return code, nil, "", nil
	case []byte:
		return code, b, ct, nil
	case json.RawMessage:
		return code, b, ct, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return 0, nil, "", err
	}
	return code, b, ct, nil
}

// authorize answers Auth_AuthorizeByApplication (already validated): a fresh
// session for the mock's credentials, 400 otherwise.
func (m *Server) authorize(r *http.Request, issueAt string) (int, []byte, string) {
	var req struct{ ApplicationId, ApplicationSecret, Token string }
	raw, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(raw))
	if err := json.Unmarshal(raw, &req); err != nil ||
		!strings.EqualFold(req.ApplicationId, m.creds.ApplicationID) ||
		!strings.EqualFold(req.ApplicationSecret, m.creds.ApplicationSecret) ||
		!strings.EqualFold(req.Token, m.creds.Token) {
		b, _ := json.Marshal(errorBody{Message: "Invalid application id or application secret"})
		return http.StatusBadRequest, b, jsonContentType
	}
	m.mu.Lock()
	sess := m.issueSession(issueAt, time.Now())
	m.mu.Unlock()
	return http.StatusOK, m.baseSession(sess), jsonContentType
}

// hasSecurityErr reports whether a validation error includes failed security requirements.
func hasSecurityErr(err error) bool {
	if me, ok := err.(openapi3.MultiError); ok {
		for _, e := range me {
			if hasSecurityErr(e) {
				return true
			}
		}
		return false
	}
	var sre *openapi3filter.SecurityRequirementsError
	return errors.As(err, &sre)
}
