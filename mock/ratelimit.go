package mock

import (
	"time"
)

// rateWindow is the window of x-linnworks-rate-limit: calls per minute.
const rateWindow = time.Minute

// rateKey identifies one quota: a session (or, for operations without security,
// the shared anonymous caller "") and an operation.
type rateKey struct {
	token string
	op    string
}

// allow records a call under key if fewer than limit calls were accepted in the last
// minute (a sliding window over the accepted calls' times). Otherwise it returns the
// time until the oldest call leaves the window. The caller holds m.mu.
func (m *Server) allow(key rateKey, limit int, now time.Time) (ok bool, retryAfter time.Duration) {
	calls := m.rates[key]
	cut := 0
	for cut < len(calls) && now.Sub(calls[cut]) >= rateWindow {
		cut++
	}
	calls = calls[cut:]
	if len(calls) >= limit {
		m.rates[key] = calls
		return false, calls[0].Add(rateWindow).Sub(now)
	}
	m.rates[key] = append(calls, now)
	return true, 0
}

// retryAfterSeconds renders d as a Retry-After value: whole seconds, rounded up, at least 1.
func retryAfterSeconds(d time.Duration) int {
	s := int((d + time.Second - 1) / time.Second)
	if s < 1 {
		s = 1
	}
	return s
}
