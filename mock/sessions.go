package mock

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"time"
)

// session is one issued session: the server it answers on and when it was last used.
type session struct {
	token    string
	server   string
	lastUsed time.Time
}

// newUUID returns a random version-4 uuid.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// issueSession records a fresh session answering on server. The caller holds m.mu.
func (m *Server) issueSession(server string, now time.Time) *session {
	// Drop sessions that idled out, and their quotas, so a long test does not
	// accumulate them.
	expired := map[string]bool{}
	for tok, s := range m.sessions {
		if now.Sub(s.lastUsed) > m.idleTimeout {
			delete(m.sessions, tok)
			expired[tok] = true
		}
	}
	if len(expired) > 0 {
		for key := range m.rates {
			if expired[key.token] {
				delete(m.rates, key)
			}
		}
	}
	s := &session{token: newUUID(), server: server, lastUsed: now}
	m.sessions[s.token] = s
	return s
}

// useSession checks token for a request that reached server and marks the session
// used. The caller holds m.mu. The error never quotes the token.
func (m *Server) useSession(token, server string, now time.Time) (*session, error) {
	if token == "" {
		return nil, &authError{"Authorization has been denied for this request: the session token (header Authorization) is missing"}
	}
	s, ok := m.sessions[token]
	if !ok {
		return nil, &authError{"Authorization has been denied for this request: the session token is unknown"}
	}
	if now.Sub(s.lastUsed) > m.idleTimeout {
		delete(m.sessions, token)
		return nil, &authError{fmt.Sprintf("Authorization has been denied for this request: the session expired after %v without calls", m.idleTimeout)}
	}
	if s.server != server {
		return nil, &authError{fmt.Sprintf("Authorization has been denied for this request: the session answers on %s, not %s", s.server, server)}
	}
	s.lastUsed = now
	return s, nil
}

// SessionCount returns the number of live (not idled-out) sessions the mock has issued.
func (m *Server) SessionCount() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := time.Now()
	n := 0
	for _, s := range m.sessions {
		if now.Sub(s.lastUsed) <= m.idleTimeout {
			n++
		}
	}
	return n
}

// baseSession renders sess as the complete BaseSession of the document: the
// synthesised example of the 200 answer (every field filled) with the session's
// own values in the fields Linnworks' clients rely on.
func (m *Server) baseSession(sess *session) []byte {
	v := map[string]any{}
	if op := m.spec.byID[authorizeOperation]; op != nil {
		if a := op.answer(); a.body != nil {
			_ = json.Unmarshal(a.body, &v) // our own encoding of a JSON object
		}
	}
	set := func(key string, value any) {
		if _, ok := v[key]; ok {
			v[key] = value
		}
	}
	set("Token", sess.token)
	set("Server", sess.server)
	set("PushServer", sess.server)
	set("Id", newUUID())
	set("EntityId", newUUID())
	set("UserId", newUUID())
	set("Locality", "EU")
	set("TTL", int(m.idleTimeout/time.Second))
	set("UserName", "mock@example.com")
	set("Email", "mock@example.com")
	set("AppName", "linnworks-go mock")
	set("UserType", "USER")
	set("SuperAdmin", false)
	b, _ := json.Marshal(v) // maps of JSON values
	return b
}
