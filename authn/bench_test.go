package authn

import (
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/linnworks-go/linnworks/gen"
)

// BenchmarkEditRequest measures the per-request cost with a live session, from
// parallel goroutines (run with -cpu 2 to compare with BenchmarkOAuth2ReuseTokenSource).
func BenchmarkEditRequest(b *testing.B) {
	f := newFake(b)
	src := f.source()
	if _, err := src.Session(b.Context()); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		req, err := gen.NewInventoryGetCategoriesRequest(DefaultAuthServer)
		if err != nil {
			b.Error(err)
			return
		}
		ctx := b.Context()
		for pb.Next() {
			if err := src.EditRequest(ctx, req); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkEditRequestSerial is BenchmarkEditRequest from one goroutine.
func BenchmarkEditRequestSerial(b *testing.B) {
	f := newFake(b)
	src := f.source()
	req, err := gen.NewInventoryGetCategoriesRequest(DefaultAuthServer)
	if err != nil {
		b.Fatal(err)
	}
	if err := src.EditRequest(b.Context(), req); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := src.EditRequest(b.Context(), req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEditRequestPublicOperation measures the pass-through of an Auth operation.
func BenchmarkEditRequestPublicOperation(b *testing.B) {
	src := newFake(b).source()
	req, err := gen.NewAuthAuthorizeByApplicationRequest(DefaultAuthServer, gen.AuthAuthorizeByApplicationJSONRequestBody{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := src.EditRequest(b.Context(), req); err != nil {
			b.Fatal(err)
		}
	}
}

// staticTokens is an oauth2.TokenSource that never needs to refresh in a benchmark.
type staticTokens struct{ tok *oauth2.Token }

func (s staticTokens) Token() (*oauth2.Token, error) { return s.tok, nil }

// BenchmarkOAuth2ReuseTokenSource is the reference: the usual Go way of attaching
// a cached token (ReuseTokenSource + Token.SetAuthHeader), measured like
// BenchmarkEditRequest.
func BenchmarkOAuth2ReuseTokenSource(b *testing.B) {
	tok := &oauth2.Token{AccessToken: "5e550001-0000-4000-8000-000000000000", TokenType: "Bearer", Expiry: time.Now().Add(time.Hour)}
	ts := oauth2.ReuseTokenSource(tok, staticTokens{tok})
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		req, err := gen.NewInventoryGetCategoriesRequest(DefaultAuthServer)
		if err != nil {
			b.Error(err)
			return
		}
		for pb.Next() {
			t, err := ts.Token()
			if err != nil {
				b.Error(err)
				return
			}
			t.SetAuthHeader(req)
		}
	})
}
