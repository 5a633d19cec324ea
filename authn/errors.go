package authn

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// AuthError is a refused authorization: Linnworks answered
// Auth_AuthorizeByApplication with a status other than 200. Code and Message come
// from Linnworks' {"Code","Message"} error body (Message holds the start of the
// body when it is not that JSON). Any occurrence of the application secret or the
// installation token in them is redacted.
type AuthError struct {
	// StatusCode is the HTTP status of the answer.
	StatusCode int
	// Code is Linnworks' error code, often empty.
	Code string
	// Message is Linnworks' explanation.
	Message string
}

// Error describes the refusal.
func (e *AuthError) Error() string {
	var b strings.Builder
	b.WriteString("authn: authorization refused: HTTP ")
	b.WriteString(strconv.Itoa(e.StatusCode))
	if t := http.StatusText(e.StatusCode); t != "" {
		b.WriteString(" " + t)
	}
	if e.Code != "" {
		b.WriteString(" (code " + e.Code + ")")
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	return b.String()
}

// maxErrorText bounds how much of a non-JSON error body an AuthError keeps.
const maxErrorText = 200

// newAuthError builds an AuthError from a refused answer, redacting secrets.
func newAuthError(status int, body []byte, secrets ...string) *AuthError {
	e := &AuthError{StatusCode: status}
	var lw struct {
		Code    *string
		Message *string
	}
	if err := json.Unmarshal(body, &lw); err == nil && (lw.Message != nil || lw.Code != nil) {
		if lw.Code != nil {
			e.Code = *lw.Code
		}
		if lw.Message != nil {
			e.Message = *lw.Message
		}
	} else {
		// Scrub before cutting: a secret cut in two would no longer match.
		e.Message = textExcerpt([]byte(scrub(string(body), secrets)))
	}
	e.Code = scrub(e.Code, secrets)
	e.Message = scrub(e.Message, secrets)
	return e
}

// textExcerpt returns the start of a non-JSON body as one trimmed line of valid UTF-8.
func textExcerpt(body []byte) string {
	body = bytes.TrimSpace(body)
	if len(body) > maxErrorText {
		body = body[:maxErrorText]
		for len(body) > 0 && !utf8.Valid(body) {
			body = body[:len(body)-1]
		}
	}
	return strings.Join(strings.Fields(strings.ToValidUTF8(string(body), "?")), " ")
}

// scrub replaces every secret in s, ignoring case (UUIDs travel in either case).
func scrub(s string, secrets []string) string {
	for _, sec := range secrets {
		if sec == "" {
			continue
		}
		var b strings.Builder
		last := 0
		for i := 0; i+len(sec) <= len(s); {
			if strings.EqualFold(s[i:i+len(sec)], sec) {
				b.WriteString(s[last:i])
				b.WriteString(redacted)
				i += len(sec)
				last = i
				continue
			}
			i++
		}
		if last > 0 {
			b.WriteString(s[last:])
			s = b.String()
		}
	}
	return s
}
