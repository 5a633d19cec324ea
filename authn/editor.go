package authn

import (
	"context"
	"net/http"
)

// EditRequest is a gen.RequestEditorFn: it obtains a live session (authorizing
// if needed), sets the bare Authorization header and points the request at the
// session's Server, keeping its path and query. Requests for operations the
// embedded spec marks `security: []` (the Auth operations) are left untouched.
//
// With a live session it takes no lock, reads the clock once and allocates at
// most the header map entry (nothing when the map has room).
func (s *Source) EditRequest(ctx context.Context, req *http.Request) error {
	src := s.s
	if src.public.public(req.Method, req.URL.Path) {
		return nil
	}
	now := src.now()
	st := src.cur.Load()
	if !src.liveAt(st, now) {
		var err error
		if st, err = src.live(ctx, now); err != nil {
			return err
		}
		now = src.now() // the wait may have been long
	}
	st.touch(now)
	route(st, req)
	if req.Header == nil {
		req.Header = make(http.Header)
	}
	req.Header["Authorization"] = st.auth[:1:1]
	return nil
}

// route points req at the server that must receive it with this session: the
// session's Server (scheme and host; the path and query are kept).
func route(st *state, req *http.Request) {
	req.URL.Scheme = st.scheme
	req.URL.Host = st.host
	req.Host = st.host
}
