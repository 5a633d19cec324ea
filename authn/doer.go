package authn

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"

	"github.com/linnworks-go/linnworks/gen"
)

// maxDrain bounds how much of a rejected response is read before it is closed,
// so that its connection can be reused.
const maxDrain = 64 << 10

// Doer wraps next: when Linnworks answers 401 to a request that carried a
// session token, it invalidates that token, obtains a new session (shared with
// concurrent 401s), replays the body via Request.GetBody and sends the request
// exactly once more. The second answer is returned as is, 401 included. A
// request whose body cannot be replayed (a body without GetBody) is not retried.
// If no new session can be obtained, the error says why.
func (s *Source) Doer(next gen.HttpRequestDoer) gen.HttpRequestDoer {
	return &retryDoer{src: s, next: next}
}

type retryDoer struct {
	src  *Source
	next gen.HttpRequestDoer
}

func (d *retryDoer) Do(req *http.Request) (*http.Response, error) {
	token := req.Header.Get("Authorization")
	resp, err := d.next.Do(req)
	if err != nil || resp.StatusCode != http.StatusUnauthorized || token == "" {
		return resp, err
	}
	// The rejected session is dropped even when this request cannot be replayed,
	// so that the next request authorizes instead of sending it again.
	d.src.Invalidate(token)
	hasBody := req.Body != nil && req.Body != http.NoBody
	if hasBody && req.GetBody == nil {
		return resp, nil
	}
	ctx := req.Context()
	retry := req.Clone(ctx)
	if hasBody {
		body, err := req.GetBody()
		if err != nil {
			return resp, nil // cannot replay: the 401 stands
		}
		retry.Body = body
	}
	if err := d.src.EditRequest(ctx, retry); err != nil {
		drainClose(resp)
		if retry.Body != nil {
			_ = retry.Body.Close()
		}
		return nil, fmt.Errorf("authn: re-authorizing after 401 on %s %s: %w", req.Method, req.URL.Path, err)
	}
	drainClose(resp)
	d.src.s.log.LogAttrs(ctx, slog.LevelInfo, "authn: session rejected with 401, retrying once with a new session",
		slog.String("method", req.Method), slog.String("path", req.URL.Path))
	return d.next.Do(retry)
}

func drainClose(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxDrain))
	_ = resp.Body.Close()
}
