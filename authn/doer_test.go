package authn

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/linnworks-go/linnworks/gen"
)

func openOrdersBody() gen.OrdersGetOpenOrdersJSONRequestBody {
	entries, page := int32(25), int32(3)
	return gen.OrdersGetOpenOrdersJSONRequestBody{EntriesPerPage: &entries, PageNumber: &page}
}

func TestRevokedSessionIsReplacedAndTheBodyReplayed(t *testing.T) {
	f := newFake(t)
	src := f.source()
	client := f.genClient(src)
	if _, err := client.InventoryGetCategoriesWithResponse(t.Context()); err != nil {
		t.Fatal(err)
	}
	f.revoke(f.issued[0]) // Linnworks dropped the session early (e.g. user logged out)

	resp, err := client.OrdersGetOpenOrdersWithResponse(t.Context(), openOrdersBody())
	if err != nil || resp.StatusCode() != http.StatusOK {
		t.Fatalf("%v %v", resp, err)
	}
	auth, api := f.counts()
	if auth != 2 || api != 3 {
		t.Fatalf("%d authorizations, %d API calls; want 2, 3", auth, api)
	}
	first, retry := f.apiBodies[1], f.apiBodies[2]
	if len(first) == 0 || !bytes.Equal(first, retry) {
		t.Fatalf("replayed body %q differs from the first %q", retry, first)
	}
	if !bytes.Contains(first, []byte(`"entriesPerPage":25`)) {
		t.Fatalf("body %q is not the request's", first)
	}
	if f.apiTokens[1] != f.issued[0] || f.apiTokens[2] != f.issued[1] {
		t.Fatalf("tokens sent %q; want the old then the new session", f.apiTokens)
	}
}

func TestPersistent401IsReturnedAfterExactlyTwoAttempts(t *testing.T) {
	f := newFake(t)
	f.always401 = true
	client := f.genClient(f.source())
	resp, err := client.OrdersGetOpenOrdersWithResponse(t.Context(), openOrdersBody())
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode() != http.StatusUnauthorized || resp.JSON401 == nil || resp.JSON401.Message == "" {
		t.Fatalf("got %d %q; want the second 401 as is", resp.StatusCode(), resp.Body)
	}
	if auth, api := f.counts(); auth != 2 || api != 2 {
		t.Fatalf("%d authorizations, %d API calls; want 2, 2", auth, api)
	}
}

func TestConcurrent401sShareOneReauthorization(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t)
		src := f.source()
		client := f.genClient(src)
		if _, err := client.InventoryGetCategoriesWithResponse(t.Context()); err != nil {
			t.Fatal(err)
		}
		old := f.issued[0]
		f.revoke(old)
		// Hold every request on the revoked session until all 50 are in flight,
		// so that all 50 receive their 401 together.
		const callers = 50
		var mu sync.Mutex
		arrived, all := 0, make(chan struct{})
		f.onAPI = func(tok string) {
			if tok != old {
				return
			}
			mu.Lock()
			arrived++
			if arrived == callers {
				close(all)
			}
			mu.Unlock()
			<-all
		}
		var wg sync.WaitGroup
		for range callers {
			wg.Go(func() {
				resp, err := client.OrdersGetOpenOrdersWithResponse(t.Context(), openOrdersBody())
				if err != nil || resp.StatusCode() != http.StatusOK {
					t.Errorf("%v %v", resp, err)
				}
			})
		}
		wg.Wait()
		if auth, api := f.counts(); auth != 2 || api != 1+2*callers {
			t.Fatalf("%d authorizations, %d API calls; want 2 (one re-authorization), %d", auth, api, 1+2*callers)
		}
	})
}

func TestBodyWithoutGetBodyIsNotRetried(t *testing.T) {
	f := newFake(t)
	src := f.source()
	if _, err := src.Session(t.Context()); err != nil {
		t.Fatal(err)
	}
	f.revoke(f.issued[0])
	req, _ := http.NewRequest(http.MethodPost, DefaultAuthServer+"/api/Orders/GetOpenOrders", io.NopCloser(strings.NewReader(`{"a":1}`)))
	if req.GetBody != nil {
		t.Fatal("test request must not be replayable")
	}
	if err := src.EditRequest(t.Context(), req); err != nil {
		t.Fatal(err)
	}
	resp, err := src.Doer(f.client).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("status %d; want the 401", resp.StatusCode)
	}
	if auth, api := f.counts(); auth != 1 || api != 1 {
		t.Fatalf("%d authorizations, %d API calls; want 1, 1", auth, api)
	}
	// The rejected session is gone all the same: the next request gets a new one.
	s, err := src.Session(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if s.Token == f.issued[0] {
		t.Error("the session rejected with 401 is still handed out")
	}
	if auth, _ := f.counts(); auth != 2 {
		t.Errorf("%d authorizations after the 401; want 2", auth)
	}
}

func TestUnauthenticatedRequestsAreNotRetried(t *testing.T) {
	f := newFake(t)
	f.authStatus = 401
	f.authBody = `{"Code":null,"Message":"Invalid application credentials"}`
	client := f.genClient(f.source())
	resp, err := client.AuthAuthorizeByApplicationWithResponse(t.Context(), gen.AuthAuthorizeByApplicationJSONRequestBody{})
	if err != nil || resp.StatusCode() != http.StatusUnauthorized {
		t.Fatalf("%v %v", resp, err)
	}
	if auth, _ := f.counts(); auth != 1 {
		t.Fatalf("%d authorizations; want 1 (the caller's own, not retried)", auth)
	}
}

func TestFailedReauthorizationIsReported(t *testing.T) {
	f := newFake(t)
	src := f.source()
	client := f.genClient(src)
	if _, err := client.InventoryGetCategoriesWithResponse(t.Context()); err != nil {
		t.Fatal(err)
	}
	f.revoke(f.issued[0])
	f.mu.Lock()
	f.authStatus, f.authBody = 400, `{"Code":null,"Message":"Installation was removed"}`
	f.mu.Unlock()
	closed := &closeRecorder{}
	f.onAPI = nil
	doer := src.Doer(doerFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := f.client.Do(r)
		if resp != nil {
			closed.ReadCloser = resp.Body
			resp.Body = closed
		}
		return resp, err
	}))
	req, _ := gen.NewInventoryGetCategoriesRequest(DefaultAuthServer)
	if err := src.EditRequest(t.Context(), req); err != nil {
		t.Fatal(err)
	}
	resp, err := doer.Do(req)
	var ae *AuthError
	if resp != nil || !errors.As(err, &ae) || ae.Message != "Installation was removed" {
		t.Fatalf("got %v, %v; want the AuthError", resp, err)
	}
	if !strings.Contains(err.Error(), "after 401 on GET /api/Inventory/GetCategories") {
		t.Errorf("error %q does not say what failed", err)
	}
	if !closed.closed {
		t.Error("the 401 response body was not closed")
	}
	f.assertNoSecret("error", err.Error())
}

type closeRecorder struct {
	io.ReadCloser
	closed bool
}

func (c *closeRecorder) Close() error { c.closed = true; return c.ReadCloser.Close() }
