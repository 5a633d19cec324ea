package mock

import (
	"fmt"
	"time"
)

// FailNext makes the next n calls of operation id answer status at once (after any
// delay from DelayNext), with Linnworks' error body (a problem document for the
// REST services) and without validating the request; a 429 carries Retry-After: 1. Failures queue up behind those already
// pending. It panics if the document has no operation id, n < 1 or status is not
// an error status (400–599): fault injection is for resilience tests (5xx, 401, 429).
func (m *Server) FailNext(id string, n, status int) {
	m.mustKnow("FailNext", id)
	if n < 1 {
		panic(fmt.Sprintf("mock: FailNext(%q): n is %d, want ≥ 1", id, n))
	}
	if status < 400 || status > 599 {
		panic(fmt.Sprintf("mock: FailNext(%q): status %d is not an error status (400–599)", id, status))
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	st := m.state(id)
	for range n {
		st.fails = append(st.fails, status)
	}
}

// DelayNext makes the next n calls of operation id wait d before they are handled.
// The wait follows the clock (virtual time under testing/synctest) and ends early
// when the request's context is done. It panics if the document has no operation
// id, n < 1 or d is negative.
func (m *Server) DelayNext(id string, n int, d time.Duration) {
	m.mustKnow("DelayNext", id)
	if n < 1 {
		panic(fmt.Sprintf("mock: DelayNext(%q): n is %d, want ≥ 1", id, n))
	}
	if d < 0 {
		panic(fmt.Sprintf("mock: DelayNext(%q): delay %v is negative", id, d))
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	st := m.state(id)
	for range n {
		st.delays = append(st.delays, d)
	}
}

// Calls returns how many requests were routed to operation id: every call counts,
// whatever its answer (including 400, 401, 429 and injected failures). It panics if
// the document has no operation id.
func (m *Server) Calls(id string) int {
	m.mustKnow("Calls", id)
	m.mu.Lock()
	defer m.mu.Unlock()
	if st := m.ops[id]; st != nil {
		return st.calls
	}
	return 0
}
