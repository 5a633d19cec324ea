package authn

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/linnworks-go/linnworks/gen/ordersv2"
	"github.com/linnworks-go/linnworks/gen/pickingv2"
	"github.com/linnworks-go/linnworks/gen/warehousetransferv1"
	"github.com/linnworks-go/linnworks/gen/warehousetransferv2"
)

// An EU, a US and an AS session each send the REST services' calls to their own
// regional host, keeping the service's /v1/ or /v2/ prefix, whatever regional host
// the generated client was built with; classic calls still go to the session Server.
func TestRESTCallsReachTheSessionsRegionalHost(t *testing.T) {
	for _, tc := range []struct{ locality, host string }{
		{"EU", "eu-api.linnworks.net"},
		{"US", "us-api.linnworks.net"},
		{"AS", "as-api.linnworks.net"},
		{"us", "us-api.linnworks.net"},
	} {
		t.Run(tc.locality, func(t *testing.T) {
			f := newFake(t)
			f.locality = tc.locality
			src := f.source()
			var reached []string
			f.mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
				if got := r.Header.Get("Authorization"); got != f.issued[0] {
					t.Errorf("%s: Authorization is not the session token", r.URL)
				}
				reached = append(reached, r.Method+" "+r.URL.String())
				resp := httpmock.NewStringResponse(200, `{}`)
				resp.Header.Set("Content-Type", "application/json")
				return resp, nil
			})
			ctx := t.Context()
			// Built with the EU server of the documents: the session decides.
			orders, err := ordersv2.NewClient("https://eu-api.linnworks.net/v2/",
				ordersv2.WithHTTPClient(f.client), ordersv2.WithRequestEditorFn(src.EditRequest))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := orders.OrdersGetOrders(ctx, &ordersv2.OrdersGetOrdersParams{}); err != nil {
				t.Fatal(err)
			}
			picking, _ := pickingv2.NewClient("https://as-api.linnworks.net/v2/",
				pickingv2.WithHTTPClient(f.client), pickingv2.WithRequestEditorFn(src.EditRequest))
			if _, err := picking.PickwaveIdentifierGetPickwaveidentifier(ctx); err != nil {
				t.Fatal(err)
			}
			wt1, _ := warehousetransferv1.NewClient("https://us-api.linnworks.net/v1",
				warehousetransferv1.WithHTTPClient(f.client), warehousetransferv1.WithRequestEditorFn(src.EditRequest))
			if _, err := wt1.WarehouseTransferGetTransferCards(ctx); err != nil {
				t.Fatal(err)
			}
			wt2, _ := warehousetransferv2.NewClient("https://eu-api.linnworks.net/v2/",
				warehousetransferv2.WithHTTPClient(f.client), warehousetransferv2.WithRequestEditorFn(src.EditRequest))
			if _, err := wt2.MetadataGetFbaInboundMetadata(ctx); err != nil {
				t.Fatal(err)
			}
			want := []string{
				"GET https://" + tc.host + "/v2/orders",
				"GET https://" + tc.host + "/v2/picking/pickwaveidentifier",
				"GET https://" + tc.host + "/v1/warehousetransfer/transfers/GetTransferCards",
				"GET https://" + tc.host + "/v2/warehousetransfer/fba-inbound/metadata",
			}
			if strings.Join(reached, "\n") != strings.Join(want, "\n") {
				t.Errorf("reached\n%s\nwant\n%s", strings.Join(reached, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

func TestRESTCallsNeedAKnownLocality(t *testing.T) {
	for _, locality := range []string{"", "MARS"} {
		f := newFake(t)
		f.locality = locality
		src := f.source()
		req, _ := http.NewRequest(http.MethodGet, "https://eu-api.linnworks.net/v2/orders", nil)
		err := src.EditRequest(t.Context(), req)
		if err == nil || !strings.Contains(err.Error(), "Locality") {
			t.Errorf("Locality %q: err = %v, want one naming the Locality", locality, err)
		}
		if req.Header.Get("Authorization") != "" {
			t.Errorf("Locality %q: the unroutable request got the session token", locality)
		}
		// Classic calls do not depend on the Locality.
		req, _ = http.NewRequest(http.MethodGet, "https://api.linnworks.net/api/Inventory/GetCategories", nil)
		if err := src.EditRequest(t.Context(), req); err != nil || req.URL.Host != "eu-ext.linnworks.net" {
			t.Errorf("Locality %q: classic call: %v, host %s", locality, err, req.URL.Host)
		}
	}
}

func TestRegionalHostWithAPortIsRouted(t *testing.T) {
	f := newFake(t)
	f.locality = "AS"
	src := f.source()
	req, _ := http.NewRequest(http.MethodGet, "https://eu-api.linnworks.net:443/v2/orders?x=1", nil)
	if err := src.EditRequest(t.Context(), req); err != nil {
		t.Fatal(err)
	}
	if req.URL.String() != "https://as-api.linnworks.net/v2/orders?x=1" {
		t.Errorf("routed to %s", req.URL)
	}
}

func TestRegionalHostsObeyTheTrustRule(t *testing.T) {
	f := newFake(t)
	src := f.source(WithTrustedServer(func(u *url.URL) bool { return u.Host == "api.linnworks.net" || u.Host == "eu-ext.linnworks.net" }))
	req, _ := http.NewRequest(http.MethodGet, "https://eu-api.linnworks.net/v2/orders", nil)
	if err := src.EditRequest(t.Context(), req); err == nil || !strings.Contains(err.Error(), "not trusted") {
		t.Errorf("err = %v, want the regional host refused as untrusted", err)
	}
}

func TestIsRegionalHost(t *testing.T) {
	for host, want := range map[string]bool{
		"eu-api.linnworks.net": true, "US-API.linnworks.net": true, "as-api.linnworks.net": true,
		"xx-api.linnworks.net": false, "eu-api.linnworks.net.evil.example": false, "api.linnworks.net": false,
		"eu-ext.linnworks.net": false, "eu-api.linnworks.net:443": false, "": false,
	} {
		if got := IsRegionalHost(host); got != want {
			t.Errorf("IsRegionalHost(%q) = %v, want %v", host, got, want)
		}
	}
}

// BenchmarkEditRequestRegional is BenchmarkEditRequestSerial for a REST service call.
func BenchmarkEditRequestRegional(b *testing.B) {
	src := newFake(b).source()
	req, err := ordersv2.NewOrdersGetOrdersRequest("https://us-api.linnworks.net/v2/", &ordersv2.OrdersGetOrdersParams{})
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
