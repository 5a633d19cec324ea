package linnworks_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/linnworks-go/linnworks"
	"github.com/linnworks-go/linnworks/gen/ordersv2"
	"github.com/linnworks-go/linnworks/mock"
)

// The classic client and the REST services share one session: one authorization
// serves a classic call and a call of each service, each answered by the mock on
// its own host.
func TestServicesShareTheSession(t *testing.T) {
	m := mock.New()
	classic, src, err := linnworks.NewClientWithSource(m.Credentials(), linnworks.WithHTTPClient(m.Client()))
	if err != nil {
		t.Fatal(err)
	}
	svc, err := linnworks.NewServices(src, m.Client())
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if r, err := classic.InventoryGetCategoriesWithResponse(ctx); err != nil || r.StatusCode() != http.StatusOK {
		t.Fatalf("classic call: %v", err)
	}
	var ua, accept string
	m.Stub(mock.ServiceOperation("ordersv2", "Orders_GetFulfillmentStatuses"), func(r *http.Request) (int, any) {
		ua, accept = r.Header.Get("User-Agent"), r.Header.Get("Accept")
		return http.StatusOK, []any{}
	})
	statuses := []func() (int, error){
		func() (int, error) {
			r, err := svc.OrdersV2.OrdersGetFulfillmentStatusesWithResponse(ctx, &ordersv2.OrdersGetFulfillmentStatusesParams{})
			if err != nil {
				return 0, err
			}
			return r.StatusCode(), nil
		},
		func() (int, error) {
			r, err := svc.PickingV2.PickwaveIdentifierGetPickwaveidentifierWithResponse(ctx)
			if err != nil {
				return 0, err
			}
			return r.StatusCode(), nil
		},
		func() (int, error) {
			r, err := svc.WarehouseTransferV1.WarehouseTransferGetTransferCardsWithResponse(ctx)
			if err != nil {
				return 0, err
			}
			return r.StatusCode(), nil
		},
		func() (int, error) {
			r, err := svc.WarehouseTransferV2.MetadataGetFbaInboundMetadataWithResponse(ctx)
			if err != nil {
				return 0, err
			}
			return r.StatusCode(), nil
		},
	}
	for i, call := range statuses {
		if status, err := call(); err != nil || status != http.StatusOK {
			t.Errorf("service %d: %d, %v", i, status, err)
		}
	}
	if !strings.HasPrefix(ua, "linnworks-go/") {
		t.Errorf("User-Agent %q, want linnworks-go/...", ua)
	}
	if !strings.Contains(accept, "application/json") {
		t.Errorf("Accept %q, want JSON", accept)
	}
	if n := m.Calls("Auth_AuthorizeByApplication"); n != 1 {
		t.Errorf("%d authorizations, want 1 shared session", n)
	}
	if _, err := linnworks.NewServices(nil, nil); err == nil {
		t.Error("NewServices(nil) did not fail")
	}
}
