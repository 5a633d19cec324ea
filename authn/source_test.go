package authn

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/linnworks-go/linnworks/gen"
)

func TestNewSourceRejectsMalformedCredentials(t *testing.T) {
	good := testCreds()
	tests := []struct {
		name   string
		edit   func(*Credentials)
		fields []string // fields the error must name
		value  string   // a value that must not appear in the error
	}{
		{"empty app id", func(c *Credentials) { c.ApplicationID = "" }, []string{"ApplicationID"}, ""},
		{"secret not a uuid", func(c *Credentials) { c.ApplicationSecret = "hunter2-not-a-uuid" }, []string{"ApplicationSecret"}, "hunter2"},
		{"token with newline", func(c *Credentials) { c.Token = testToken + "\n" }, []string{"Token"}, testToken},
		{"token without dashes", func(c *Credentials) { c.Token = strings.ReplaceAll(testToken, "-", "") }, []string{"Token"}, strings.ReplaceAll(testToken, "-", "")},
		{"secret with a non-hex digit", func(c *Credentials) { c.ApplicationSecret = "g" + testSecret[1:] }, []string{"ApplicationSecret"}, testSecret[1:]},
		{"all empty", func(c *Credentials) { *c = Credentials{} }, []string{"ApplicationID", "ApplicationSecret", "Token"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good
			tt.edit(&c)
			src, err := NewSource(c, WithHTTPClient(failingDoer{t}))
			if err == nil || src != nil {
				t.Fatalf("NewSource = %v, %v; want an error", src, err)
			}
			for _, f := range tt.fields {
				if !strings.Contains(err.Error(), "Credentials."+f) {
					t.Errorf("error %q does not name %s", err, f)
				}
			}
			if tt.value != "" && strings.Contains(err.Error(), tt.value) {
				t.Errorf("error %q repeats the bad value", err)
			}
		})
	}
	// Upper-case UUIDs are UUIDs.
	up := Credentials{ApplicationID: strings.ToUpper(testAppID), ApplicationSecret: strings.ToUpper(testSecret), Token: strings.ToUpper(testToken)}
	if _, err := NewSource(up, WithHTTPClient(failingDoer{t})); err != nil {
		t.Errorf("upper-case UUIDs: %v", err)
	}
}

func TestNewSourceRejectsBadOptions(t *testing.T) {
	tests := []struct {
		name string
		opt  Option
		want string
	}{
		{"nil doer", WithHTTPClient(nil), "WithHTTPClient"},
		{"zero idle timeout", WithIdleTimeout(0), "WithIdleTimeout"},
		{"nil trust check", WithTrustedServer(nil), "WithTrustedServer"},
		{"untrusted auth server", WithAuthServer("https://api.linnworks.net.evil.example"), "not trusted"},
		{"http auth server", WithAuthServer("http://api.linnworks.net"), "not trusted"},
		{"relative auth server", WithAuthServer("api.linnworks.net"), "absolute"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewSource(testCreds(), tt.opt)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("NewSource error = %v; want one mentioning %q", err, tt.want)
			}
		})
	}
}

// failingDoer fails the test if any request is made.
type failingDoer struct{ t *testing.T }

func (d failingDoer) Do(req *http.Request) (*http.Response, error) {
	d.t.Errorf("unexpected request %s %s", req.Method, req.URL)
	return nil, errors.New("no network in this test")
}

func TestColdStampedeAuthorizesOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t)
		gate := make(chan struct{})
		f.authGate = gate
		src := f.source()
		client := f.genClient(src)

		const callers = 300
		var wg sync.WaitGroup
		errs := make(chan error, callers)
		for range callers {
			wg.Go(func() {
				resp, err := client.InventoryGetCategoriesWithResponse(t.Context())
				if err == nil && resp.StatusCode() != http.StatusOK {
					err = errors.New(resp.Status())
				}
				errs <- err
			})
		}
		synctest.Wait() // every caller is now waiting for the one authorization
		if auth, api := f.counts(); auth != 1 || api != 0 {
			t.Fatalf("while authorizing: %d authorizations, %d API calls; want 1, 0", auth, api)
		}
		close(gate)
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("call failed: %v", err)
			}
		}
		if auth, api := f.counts(); auth != 1 || api != callers {
			t.Fatalf("%d authorizations, %d API calls; want 1, %d", auth, api, callers)
		}
		for i, tok := range f.apiTokens {
			if tok != f.issued[0] {
				t.Fatalf("call %d sent token %q, want the one session %q", i, tok, f.issued[0])
			}
		}
	})
}

func TestSteadyTrafficKeepsOneSession(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t)
		client := f.genClient(f.source())
		start := time.Now()
		for time.Since(start) < 3*time.Hour {
			resp, err := client.InventoryGetCategoriesWithResponse(t.Context())
			if err != nil || resp.StatusCode() != http.StatusOK {
				t.Fatalf("call at %v: %v %v", time.Since(start), resp, err)
			}
			time.Sleep(7 * time.Minute) // virtual time
		}
		if auth, api := f.counts(); auth != 1 || api != 26 {
			t.Fatalf("%d authorizations, %d calls over 3h; want 1, 26", auth, api)
		}
	})
}

func TestIdleSessionIsRenewedBeforeTheServerDropsIt(t *testing.T) {
	for _, tt := range []struct {
		name      string
		idle      time.Duration // WithIdleTimeout, 0 for the default
		pause     time.Duration
		wantAuths int
	}{
		{"default, idle just under 19m", 0, 19*time.Minute - time.Second, 1},
		{"default, idle 19m", 0, 19 * time.Minute, 2},
		{"default, idle 25m", 0, 25 * time.Minute, 2},
		{"10m timeout, idle 8m59s", 10 * time.Minute, 9*time.Minute - time.Second, 1},
		{"10m timeout, idle 9m", 10 * time.Minute, 9 * time.Minute, 2},
		{"1m timeout, idle 29s", time.Minute, 29 * time.Second, 1},
		{"1m timeout, idle 30s", time.Minute, 30 * time.Second, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := newFake(t)
				var opts []Option
				if tt.idle != 0 {
					opts = append(opts, WithIdleTimeout(tt.idle))
				}
				src := f.source(opts...)
				client := f.genClient(src)
				for i := range 2 {
					if i == 1 {
						time.Sleep(tt.pause)
					}
					resp, err := client.InventoryGetCategoriesWithResponse(t.Context())
					if err != nil || resp.StatusCode() != http.StatusOK {
						t.Fatalf("call %d: %v %v", i, resp, err)
					}
				}
				if auth, _ := f.counts(); auth != tt.wantAuths {
					t.Fatalf("%d authorizations; want %d", auth, tt.wantAuths)
				}
				if f.apiTokens[1] != f.issued[len(f.issued)-1] {
					t.Fatalf("second call sent %q, want the newest session %q", f.apiTokens[1], f.issued[len(f.issued)-1])
				}
			})
		})
	}
}

func TestSessionDoesNotCountAsUse(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t)
		src := f.source()
		s1, err := src.Session(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		for range 4 { // Session calls spread over 20 minutes do not keep it alive
			time.Sleep(5 * time.Minute)
			if _, err := src.Session(t.Context()); err != nil {
				t.Fatal(err)
			}
		}
		s2, _ := src.Session(t.Context())
		if s1.Token == s2.Token {
			t.Fatalf("an unused session survived 20 minutes")
		}
		if s1.Server != euServer || s1.BaseSession.UserName == nil || *s1.BaseSession.UserName != "someone@example.com" {
			t.Fatalf("decoded session = %+v / %+v", s1, s1.BaseSession)
		}
	})
}

func TestCancelledWaiterDoesNotFailOthers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t)
		gate := make(chan struct{})
		f.authGate = gate
		src := f.source()

		ctxA, cancelA := context.WithCancel(t.Context())
		errA := make(chan error, 1)
		go func() { _, err := src.Session(ctxA); errA <- err }()
		others := make(chan error, 2)
		for range 2 {
			go func() { _, err := src.Session(t.Context()); others <- err }()
		}
		synctest.Wait()
		cancelA()
		if err := <-errA; !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled caller got %v; want context.Canceled", err)
		}
		close(gate)
		for range 2 {
			if err := <-others; err != nil {
				t.Fatalf("other caller failed: %v", err)
			}
		}
		if auth, _ := f.counts(); auth != 1 {
			t.Fatalf("%d authorizations; want 1", auth)
		}
	})
}

func TestCallerCancellingAloneDoesNotCancelTheAuthorization(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t)
		gate := make(chan struct{})
		f.authGate = gate
		src := f.source()
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() { _, err := src.Session(ctx); done <- err }()
		synctest.Wait()
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v; want context.Canceled", err)
		}
		close(gate)
		synctest.Wait() // the detached authorization finishes and is kept
		if _, err := src.Session(t.Context()); err != nil {
			t.Fatal(err)
		}
		if auth, _ := f.counts(); auth != 1 {
			t.Fatalf("%d authorizations; want 1 (the first one completed for later callers)", auth)
		}
	})
}

func TestAuthorizationTimesOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t)
		f.authGate = make(chan struct{}) // never opened: the auth server hangs
		src := f.source()
		start := time.Now()
		_, err := src.Session(context.Background())
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("got %v; want a deadline error", err)
		}
		if d := time.Since(start); d != authTimeout {
			t.Fatalf("gave up after %v; want %v", d, authTimeout)
		}
		close(f.authGate)
	})
}

func TestFailingAuthorizationIsShared(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t)
		gate := make(chan struct{})
		f.authGate = gate
		f.authStatus = 400
		f.authBody = `{"Code":"InvalidApplication","Message":"Application secret ` + testSecret + ` is not valid"}`
		src := f.source()
		const callers = 50
		errs := make(chan error, callers)
		for range callers {
			go func() { _, err := src.Session(t.Context()); errs <- err }()
		}
		synctest.Wait()
		close(gate)
		for range callers {
			err := <-errs
			var ae *AuthError
			if !errors.As(err, &ae) {
				t.Fatalf("got %v; want *AuthError", err)
			}
			if ae.StatusCode != 400 || ae.Code != "InvalidApplication" || !strings.HasPrefix(ae.Message, "Application secret [REDACTED]") {
				t.Fatalf("AuthError = %+v", *ae)
			}
			f.assertNoSecret("AuthError", err.Error())
		}
		if auth, _ := f.counts(); auth != 1 {
			t.Fatalf("%d authorizations; want 1", auth)
		}
	})
}

func TestFailureBackoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t)
		f.authStatus = 429
		f.authBody = `{"Code":null,"Message":"Too many requests"}`
		src := f.source()
		_, err1 := src.Session(t.Context())
		var ae *AuthError
		if !errors.As(err1, &ae) || ae.StatusCode != 429 || ae.Code != "" {
			t.Fatalf("first error = %v", err1)
		}
		// Within the backoff, the failure is returned without asking Linnworks again.
		for range 10 {
			time.Sleep(failureBackoff / 10)
			if _, err := src.Session(t.Context()); !errors.Is(err, err1) {
				t.Fatalf("during backoff got %v; want the cached %v", err, err1)
			}
		}
		if auth, _ := f.counts(); auth != 1 {
			t.Fatalf("%d authorizations during backoff; want 1", auth)
		}
		// After the longest jittered backoff, it tries again, and succeeds.
		time.Sleep(failureJitter)
		f.mu.Lock()
		f.authStatus = 0
		f.mu.Unlock()
		if _, err := src.Session(t.Context()); err != nil {
			t.Fatalf("after backoff: %v", err)
		}
		if auth, _ := f.counts(); auth != 2 {
			t.Fatalf("%d authorizations; want 2", auth)
		}
	})
}

func TestFailureBackoffIsJittered(t *testing.T) {
	seen := map[time.Duration]bool{}
	for range 20 {
		synctest.Test(t, func(t *testing.T) {
			f := newFake(t)
			f.authStatus = 500
			src := f.source()
			start := time.Now()
			if _, err := src.Session(t.Context()); err == nil {
				t.Fatal("want an error")
			}
			for {
				time.Sleep(10 * time.Millisecond)
				if _, err := src.Session(t.Context()); err != nil {
					if a, _ := f.counts(); a == 2 {
						break
					}
				}
			}
			d := time.Since(start)
			if d < failureBackoff || d > failureBackoff+failureJitter+10*time.Millisecond {
				t.Fatalf("retried after %v; want within [%v, %v]", d, failureBackoff, failureBackoff+failureJitter)
			}
			seen[d] = true
		})
	}
	if len(seen) < 2 {
		t.Fatalf("20 backoffs all lasted %v: not jittered", seen)
	}
}

func TestAuthErrorFromNonJSONBody(t *testing.T) {
	f := newFake(t)
	f.authStatus = 502
	f.authCT = "text/html"
	f.authBody = "<html>\n  <body>Bad   Gateway " + testToken + "</body></html>"
	_, err := f.source().Session(t.Context())
	var ae *AuthError
	if !errors.As(err, &ae) || ae.StatusCode != 502 || ae.Message != "<html> <body>Bad Gateway [REDACTED]</body></html>" {
		t.Fatalf("got %#v", err)
	}
	// JSON content type, body not JSON: still an AuthError, not a decode failure.
	f2 := newFake(t)
	f2.authStatus = 401
	f2.authBody = "Unauthorized"
	_, err = f2.source().Session(t.Context())
	if !errors.As(err, &ae) || ae.StatusCode != 401 || ae.Message != "Unauthorized" {
		t.Fatalf("got %#v", err)
	}
	if want := "authn: authorization refused: HTTP 401 Unauthorized: Unauthorized"; err.Error() != want {
		t.Fatalf("Error() = %q; want %q", err, want)
	}
}

func TestWrongCredentialsAreRefused(t *testing.T) {
	f := newFake(t)
	c := testCreds()
	c.Token = "00000000-0000-4000-8000-000000000000"
	src, err := NewSource(c, WithHTTPClient(f.client))
	if err != nil {
		t.Fatal(err)
	}
	_, err = src.Session(t.Context())
	var ae *AuthError
	if !errors.As(err, &ae) || ae.StatusCode != 401 || ae.Message != "Invalid application credentials" {
		t.Fatalf("got %v", err)
	}
}

func TestTransportFailureIsWrapped(t *testing.T) {
	boom := errors.New("connection reset")
	src, err := NewSource(testCreds(), WithHTTPClient(doerFunc(func(*http.Request) (*http.Response, error) { return nil, boom })))
	if err != nil {
		t.Fatal(err)
	}
	_, err = src.Session(t.Context())
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "https://api.linnworks.net") {
		t.Fatalf("got %v; want it to wrap %v and name the auth server", err, boom)
	}
}

func TestBadSessionAnswers(t *testing.T) {
	for _, tt := range []struct{ name, body, want string }{
		{"no token", `{"Server":"https://eu-ext.linnworks.net"}`, "no session Token"},
		{"no server", `{"Token":"5e550001-0000-4000-8000-000000000000"}`, "no session Server"},
		{"not json", `<html>`, "decoding the session"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			f.authStatus = 200
			f.authBody = tt.body
			_, err := f.source().Session(t.Context())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v; want %q", err, tt.want)
			}
		})
	}
}

func TestInvalidateKeepsNewerSession(t *testing.T) {
	f := newFake(t)
	src := f.source()
	s1, _ := src.Session(t.Context())
	src.Invalidate(s1.Token)
	s2, _ := src.Session(t.Context())
	if s2.Token == s1.Token {
		t.Fatal("Invalidate kept the rejected session")
	}
	src.Invalidate(s1.Token) // stale: must not drop s2
	src.Invalidate("")
	s3, _ := src.Session(t.Context())
	if s3.Token != s2.Token {
		t.Fatal("Invalidate of an old token dropped the newer session")
	}
	if auth, _ := f.counts(); auth != 2 {
		t.Fatalf("%d authorizations; want 2", auth)
	}
}

type doerFunc func(*http.Request) (*http.Response, error)

func (d doerFunc) Do(r *http.Request) (*http.Response, error) { return d(r) }

var _ gen.HttpRequestDoer = doerFunc(nil)
