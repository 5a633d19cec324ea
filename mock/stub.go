package mock

import (
	"net/http"
)

// StubFunc answers one call of a stubbed operation. r is the validated request (its
// body can be read). body is sent as JSON (json.Marshal, Content-Type
// application/json), except []byte and json.RawMessage, which are sent as they
// are, and nil, which sends no body (use it with 204). A Problem (or *Problem) is
// sent as application/problem+json; Respond gives any other Content-Type. The
// answer is validated against the document like any other: one that breaks it
// reaches the client as a 500 stating the violation.
type StubFunc func(r *http.Request) (status int, body any)

// Stub makes operation id answer with fn instead of the synthesised example; a nil
// fn removes the stub. It panics if the document has no operation id. A stub of
// Auth_AuthorizeByApplication replaces the built-in session issuer (the mock then
// records no session).
func (m *Server) Stub(id string, fn StubFunc) {
	m.mustKnow("Stub", id)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.state(id).stub = fn
}
