package mock_test

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/linnworks-go/linnworks/authn"
	"github.com/linnworks-go/linnworks/gen/ordersv2"
	"github.com/linnworks-go/linnworks/gen/warehousetransferv1"
	"github.com/linnworks-go/linnworks/mock"
)

// The REST services' oneOf schemas are named types in their packages (the importer
// moves inline ones to components), so a value built from one alternative is sent
// as that alternative's JSON, never as {} (oapi-codegen's inline-oneOf bug).
func TestUnionValuesMarshalTheChosenAlternative(t *testing.T) {
	qty := int32(2)
	var item ordersv2.AnonymousOrder_Items_Item
	if err := item.FromOrderItemWithChildren(ordersv2.OrderItemWithChildren{Quantity: &qty}); err != nil {
		t.Fatal(err)
	}
	order := ordersv2.AnonymousOrder{Items: &[]ordersv2.AnonymousOrder_Items_Item{item}}
	got, err := json.Marshal(order)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"Items":[{"Quantity":2}]}`; string(got) != want {
		t.Errorf("ordersv2 union property: %s, want %s", got, want)
	}

	var result warehousetransferv1.WarehouseTransferReceiveSelectedTransferItemsForWMSResult200
	if err := result.FromWarehouseTransferReceiveSelectedTransferItemsForWMSResult2000(7); err != nil {
		t.Fatal(err)
	}
	if got, _ := json.Marshal(result); string(got) != "7" {
		t.Errorf("warehousetransferv1 union of integer and object: %s, want 7", got)
	}
}

// A request through a REST client reaches the mock with the bytes the caller built,
// and union answers decode into their alternatives.
func TestUnionAnswersDecodeThroughTheTypedClients(t *testing.T) {
	m := mock.New()
	src, err := authn.NewSource(m.Credentials(), authn.WithHTTPClient(m.Client()))
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()

	orders, err := ordersv2.NewClientWithResponses("https://eu-api.linnworks.net/v2/",
		ordersv2.WithHTTPClient(src.Doer(m.Client())), ordersv2.WithRequestEditorFn(src.EditRequest))
	if err != nil {
		t.Fatal(err)
	}
	m.Stub(mock.ServiceOperation("ordersv2", "Orders_GetOrders"), func(*http.Request) (int, any) {
		return http.StatusOK, json.RawMessage(`{"TotalOrders":3,"OpenOrders":[]}`)
	})
	resp, err := orders.OrdersGetOrdersWithResponse(ctx, &ordersv2.OrdersGetOrdersParams{})
	if err != nil {
		t.Fatal(err)
	}
	if resp.JSON200 == nil {
		t.Fatalf("%d %s: no JSON200", resp.StatusCode(), resp.Body)
	}
	page, err := resp.JSON200.AsGetOrdersResponse()
	if err != nil || page.TotalOrders == nil || *page.TotalOrders != 3 || page.OpenOrders == nil {
		t.Errorf("AsGetOrdersResponse = %+v, %v", page, err)
	}

	wt, err := warehousetransferv1.NewClientWithResponses("https://eu-api.linnworks.net/v1/",
		warehousetransferv1.WithHTTPClient(src.Doer(m.Client())), warehousetransferv1.WithRequestEditorFn(src.EditRequest))
	if err != nil {
		t.Fatal(err)
	}
	var sent []byte
	m.Stub(mock.ServiceOperation("warehousetransferv1", "WarehouseTransfer_ReceiveSelectedTransferItemsForWMS"), func(r *http.Request) (int, any) {
		sent, _ = io.ReadAll(r.Body)
		return http.StatusOK, json.RawMessage(`7`)
	})
	id := int32(12)
	wres, err := wt.WarehouseTransferReceiveSelectedTransferItemsForWMSWithResponse(ctx,
		warehousetransferv1.ReceiveSelectedTransferItemsForWmsRequest{TransferId: &id, TransferItemIds: &[]int32{1, 2}})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"transferId":12,"transferItemIds":[1,2]}`; string(sent) != want {
		t.Errorf("request bytes %s, want %s", sent, want)
	}
	if wres.JSON200 == nil {
		t.Fatalf("%d %s: no JSON200", wres.StatusCode(), wres.Body)
	}
	if n, err := wres.JSON200.AsWarehouseTransferReceiveSelectedTransferItemsForWMSResult2000(); err != nil || n != 7 {
		t.Errorf("integer alternative = %d, %v", n, err)
	}
}
