package authn

import (
	"encoding/json"
	"fmt"
	"log/slog"

	"github.com/linnworks-go/linnworks/gen"
)

// Session is a live Linnworks session: the token to send as the bare
// Authorization header and the server to send it to.
//
// Token and several BaseSession fields (Token, AccessToken, DatabasePassword,
// Md5Hash, …) are secrets: fmt, slog and JSON output of a Session shows only
// its Server and Locality.
type Session struct {
	// Token is the session token (BaseSession.Token as a string).
	Token string
	// Server is the base URL that calls with this session must go to,
	// for example https://eu-ext.linnworks.net.
	Server string
	// BaseSession is the complete authorization answer as decoded by package gen.
	BaseSession gen.BaseSession
}

// locality returns the session's Locality (EU, US, AS) or "".
func (s Session) locality() string {
	if s.BaseSession.Locality == nil {
		return ""
	}
	return string(*s.BaseSession.Locality)
}

// String returns the session with its token redacted.
func (s Session) String() string {
	if s.Token == "" && s.Server == "" {
		return "authn.Session{}"
	}
	return "authn.Session{Server: " + s.Server + ", Locality: " + s.locality() + ", Token: " + redacted + "}"
}

// GoString returns a Go-syntax form with the token redacted (the %#v verb).
func (s Session) GoString() string {
	return fmt.Sprintf("authn.Session{Server:%q, Locality:%q, Token:%q}", s.Server, s.locality(), redacted)
}

// Format implements fmt.Formatter: every verb prints the redacted form (but %p,
// which fmt formats itself).
func (s Session) Format(f fmt.State, verb rune) { formatRedacted(f, verb, s.String(), s.GoString()) }

// MarshalJSON encodes the redacted form (server and locality), so that JSON
// loggers and encoders that reach a Session through reflection never see its
// secrets. BaseSession itself encodes in full.
func (s Session) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]string{"Server": s.Server, "Locality": s.locality(), "Token": redacted})
}

// LogValue implements slog.LogValuer: the server and locality, never the token.
func (s Session) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("server", s.Server),
		slog.String("locality", s.locality()),
		slog.String("token", redacted),
	)
}
