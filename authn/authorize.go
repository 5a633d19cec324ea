package authn

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/linnworks-go/linnworks/gen"
)

// maxAuthBody bounds how much of an authorization answer is read.
const maxAuthBody = 1 << 20

// fetch calls Auth_AuthorizeByApplication through the generated client and
// decodes the session. Errors never contain the secret or the tokens.
func (s *source) fetch(ctx context.Context) (Session, error) {
	resp, err := s.client.AuthAuthorizeByApplication(ctx, s.body)
	if err != nil {
		return Session{}, fmt.Errorf("authn: authorizing at %s: %w", s.authServer, err)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAuthBody))
	_ = resp.Body.Close()
	if err != nil {
		return Session{}, fmt.Errorf("authn: reading the authorization answer from %s: %w", s.authServer, err)
	}
	if resp.StatusCode != http.StatusOK {
		return Session{}, newAuthError(resp.StatusCode, body, s.creds.ApplicationSecret, s.creds.Token)
	}
	// Decode with the generated parser (unknown fields are ignored), from the
	// bytes already read so that a bad body can still be reported.
	resp.Body = io.NopCloser(bytes.NewReader(body))
	parsed, err := gen.ParseAuthAuthorizeByApplicationResponse(resp)
	if err != nil {
		return Session{}, fmt.Errorf("authn: decoding the session from %s: %w", s.authServer, err)
	}
	bs := parsed.JSON200
	if bs == nil {
		return Session{}, fmt.Errorf("authn: the authorization answer from %s is not JSON (Content-Type %q)",
			s.authServer, resp.Header.Get("Content-Type"))
	}
	sess := Session{BaseSession: *bs}
	if bs.Token != nil {
		sess.Token = bs.Token.String()
	}
	if bs.Server != nil {
		sess.Server = *bs.Server
	}
	var zero [16]byte
	switch {
	case bs.Token == nil || *bs.Token == zero:
		return Session{}, errors.New("authn: the authorization answer has no session Token")
	case sess.Server == "":
		return Session{}, errors.New("authn: the authorization answer has no session Server")
	}
	return sess, nil
}
