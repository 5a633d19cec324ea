package authn

import (
	"context"
	"net/http"
	"strings"
)

// EditRequest is a gen.RequestEditorFn (and fits the RequestEditorFn of every
// generated REST service package too): it obtains a live session (authorizing
// if needed), sets the bare Authorization header and points the request at the
// session's Server, or for the REST services at the regional host of the
// session's Locality (see route), keeping its path and query. Requests for operations the
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
	if err := route(st, req); err != nil {
		return err
	}
	st.touch(now)
	if req.Header == nil {
		req.Header = make(http.Header)
	}
	req.Header["Authorization"] = st.auth[:1:1]
	return nil
}

// route points req at the server that must receive it with this session, keeping
// the path and query: a request for a REST service (its host is one of the regional
// hosts, see IsRegionalHost) goes to https://<the session Locality's regional host>,
// any other to the session's Server (scheme and host). A fake built with
// WithTrustedServer serves the REST services under /v1/ and /v2/ of its own
// address: clients built with that address reach it through the second rule.
func route(st *state, req *http.Request) error {
	if IsRegionalHost(hostname(req.URL.Host)) {
		if st.regionalErr != nil {
			return st.regionalErr
		}
		req.URL.Scheme = "https"
		req.URL.Host = st.regional
		req.Host = st.regional
		return nil
	}
	req.URL.Scheme = st.scheme
	req.URL.Host = st.host
	req.Host = st.host
	return nil
}

// hostname is host without its port, without allocating (url.URL.Hostname also
// strips IPv6 brackets, which no regional host has).
func hostname(host string) string {
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.Contains(host[i:], "]") {
		return host[:i]
	}
	return host
}
