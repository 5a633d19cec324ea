package authn

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
)

// redacted replaces a secret wherever this package prints or logs a value.
const redacted = "[REDACTED]"

// Credentials are what a Linnworks application needs to open sessions for one
// installation. ApplicationSecret and Token are secrets: they are never printed or
// logged by this package, whatever the slog handler or fmt verb (except %p, which
// fmt handles without asking the type).
type Credentials struct {
	// ApplicationID identifies the application (a UUID).
	ApplicationID string
	// ApplicationSecret is the application's secret (a UUID).
	ApplicationSecret string
	// Token is the permanent installation token a user's installation of the
	// application received (a UUID); it is exchanged for short-lived sessions.
	Token string
}

// Validate returns an error unless every field is a UUID in its canonical
// 36-character form (either case). The error names each bad field and never
// repeats its value.
func (c Credentials) Validate() error {
	var errs []error
	for _, f := range []struct{ name, value string }{
		{"ApplicationID", c.ApplicationID},
		{"ApplicationSecret", c.ApplicationSecret},
		{"Token", c.Token},
	} {
		if problem := uuidProblem(f.value); problem != "" {
			errs = append(errs, fmt.Errorf("authn: Credentials.%s %s", f.name, problem))
		}
	}
	return errors.Join(errs...)
}

// uuidProblem describes why s is not a UUID in its canonical 36-character form,
// or returns "" when it is one. The description never contains s.
func uuidProblem(s string) string {
	switch {
	case s == "":
		return "is empty"
	case strings.TrimSpace(s) != s:
		return "has leading or trailing white space"
	}
	if _, ok := parseUUID(s); !ok {
		return fmt.Sprintf("is not a UUID (want 36 characters like 8-4-4-4-12 hex digits, got %d characters)", len(s))
	}
	return ""
}

// parseUUID decodes the canonical xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx form.
func parseUUID(s string) ([16]byte, bool) {
	var u [16]byte
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return u, false
	}
	j := 0
	for i := 0; i < 36; {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			i++
			continue
		}
		hi, ok1 := hexValue(s[i])
		lo, ok2 := hexValue(s[i+1])
		if !ok1 || !ok2 {
			return u, false
		}
		u[j] = hi<<4 | lo
		j++
		i += 2
	}
	return u, true
}

func hexValue(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// publicID returns the application id for display, or a placeholder when it is
// not a UUID (it might then be a secret pasted into the wrong field).
func (c Credentials) publicID() string {
	if _, ok := parseUUID(c.ApplicationID); ok {
		return c.ApplicationID
	}
	return "[invalid]"
}

// String returns the credentials with both secrets redacted.
func (c Credentials) String() string {
	return "authn.Credentials{ApplicationID: " + c.publicID() +
		", ApplicationSecret: " + redacted + ", Token: " + redacted + "}"
}

// GoString returns a Go-syntax form with both secrets redacted (the %#v verb).
func (c Credentials) GoString() string {
	return fmt.Sprintf("authn.Credentials{ApplicationID:%q, ApplicationSecret:%q, Token:%q}",
		c.publicID(), redacted, redacted)
}

// Format implements fmt.Formatter so that every verb (%v %+v %#v %s %q %x …)
// prints the redacted form, never the secrets. (%p is formatted by fmt itself.)
func (c Credentials) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, c.String(), c.GoString())
}

// LogValue implements slog.LogValuer: only the application id is logged.
func (c Credentials) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("application_id", c.publicID()),
		slog.String("application_secret", redacted),
		slog.String("token", redacted),
	)
}

// MarshalJSON encodes the redacted form, so that JSON loggers and encoders that
// reach Credentials through reflection never see the secrets. (Decoding
// Credentials from JSON works as usual; to store them, copy the fields.)
func (c Credentials) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]string{
		"ApplicationID":     c.publicID(),
		"ApplicationSecret": redacted,
		"Token":             redacted,
	})
}

// formatRedacted writes s (or goSyntax for %#v, or s quoted for %q) whatever the
// verb, so no verb can reach the underlying fields through reflection.
func formatRedacted(f fmt.State, verb rune, s, goSyntax string) {
	switch {
	case verb == 'v' && f.Flag('#'):
		_, _ = fmt.Fprint(f, goSyntax)
	case verb == 'q':
		_, _ = fmt.Fprintf(f, "%q", s)
	default:
		_, _ = fmt.Fprint(f, s)
	}
}
