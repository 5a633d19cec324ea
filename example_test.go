package linnworks_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/linnworks-go/linnworks"
	"github.com/linnworks-go/linnworks/authn"
	"github.com/linnworks-go/linnworks/gen"
	"github.com/linnworks-go/linnworks/gen/ordersv2"
	"github.com/linnworks-go/linnworks/mock"
)

// NewClient is all the setup a service needs. Here the HTTP client is an
// in-memory stand-in for Linnworks; without WithHTTPClient the client talks to
// the real API.
func ExampleNewClient() {
	client, err := linnworks.NewClient(authn.Credentials{
		ApplicationID:     "0a8f3c1e-51b6-4d7e-9a2f-3c4d5e6f7a8b",
		ApplicationSecret: "9c2d4e6f-8a1b-4c3d-8e5f-6a7b8c9d0e1f",
		Token:             "4f5e6d7c-8b9a-4b1c-9d2e-3f4a5b6c7d8e",
	}, linnworks.WithHTTPClient(exampleLinnworks()))
	if err != nil {
		panic(err) // names the malformed credential; nothing was sent
	}
	resp, err := client.InventoryGetCategoriesWithResponse(context.Background())
	if err != nil {
		panic(err)
	}
	for _, c := range *resp.JSON200 {
		fmt.Println(*c.CategoryName)
	}
	// Output:
	// Default
	// Garden
}

// ExampleNewClient_malformedCredentials shows the error for a malformed
// credential: it names the field and never repeats the value.
func ExampleNewClient_malformedCredentials() {
	_, err := linnworks.NewClient(authn.Credentials{
		ApplicationID:     "0a8f3c1e-51b6-4d7e-9a2f-3c4d5e6f7a8b",
		ApplicationSecret: "my secret, pasted wrongly",
		Token:             "4f5e6d7c-8b9a-4b1c-9d2e-3f4a5b6c7d8e",
	})
	fmt.Println(err)
	// Output:
	// authn: Credentials.ApplicationSecret is not a UUID (want 36 characters like 8-4-4-4-12 hex digits, got 25 characters)
}

// exampleLinnworks answers the authorization and Inventory_GetCategories in memory.
func exampleLinnworks() *http.Client {
	mt := httpmock.NewMockTransport()
	json := http.Header{"Content-Type": {"application/json"}}
	mt.RegisterResponder(http.MethodPost, "https://api.linnworks.net/api/Auth/AuthorizeByApplication",
		httpmock.NewStringResponder(200, `{"Token":"5e550001-0000-4000-8000-000000000000","Server":"https://eu-ext.linnworks.net"}`).HeaderSet(json))
	mt.RegisterMatcherResponder(http.MethodGet, "https://eu-ext.linnworks.net/api/Inventory/GetCategories",
		httpmock.HeaderIs("Authorization", "5e550001-0000-4000-8000-000000000000"),
		httpmock.NewStringResponder(200, `[{"CategoryName":"Default"},{"CategoryName":"Garden"}]`).HeaderSet(json))
	return &http.Client{Transport: mt}
}

// exampleMockClient is a client of a fresh mock (mock.New), the in-memory fake
// Linnworks the examples run against.
func exampleMockClient(m *mock.Server, opts ...linnworks.Option) *gen.ClientWithResponses {
	client, err := linnworks.NewClient(m.Credentials(), append([]linnworks.Option{linnworks.WithHTTPClient(m.Client())}, opts...)...)
	if err != nil {
		panic(err)
	}
	return client
}

// Result turns any answer other than 2xx into an *APIError, which errors.Is
// matches against ErrRateLimited, ErrUnauthorized and ErrNotFound.
func ExampleResult() {
	m := mock.New()
	client := exampleMockClient(m, linnworks.WithoutRetry())

	m.FailNext("Orders_GetOpenOrders", 1, http.StatusBadRequest)
	_, err := linnworks.Result(client.OrdersGetOpenOrdersWithResponse(context.Background(), gen.OrdersGetOpenOrdersRequest{}))
	var apiErr *linnworks.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.Operation, apiErr.StatusCode, apiErr.Message)
	}

	m.FailNext("Orders_GetOpenOrders", 1, http.StatusTooManyRequests)
	_, err = linnworks.Result(client.OrdersGetOpenOrdersWithResponse(context.Background(), gen.OrdersGetOpenOrdersRequest{}))
	fmt.Println(errors.Is(err, linnworks.ErrRateLimited))
	fmt.Println(err)
	// Output:
	// Orders_GetOpenOrders 400 Orders_GetOpenOrders: injected failure (400 Bad Request)
	// true
	// linnworks: Orders_GetOpenOrders: HTTP 429 Too Many Requests: Orders_GetOpenOrders: injected failure (429 Too Many Requests)
}

// The retry policy sends a GET again after a 5xx (and any call after a 429),
// but never repeats a POST that may have run.
func ExampleWithRetryPolicy() {
	m := mock.New()
	client := exampleMockClient(m, linnworks.WithRetryPolicy(linnworks.RetryPolicy{
		MaxAttempts: 4,
		BaseDelay:   time.Millisecond, // short, for the example
	}))
	ctx := context.Background()

	m.FailNext("Inventory_GetCategories", 2, http.StatusServiceUnavailable)
	_, err := linnworks.Result(client.InventoryGetCategoriesWithResponse(ctx))
	fmt.Println("GET:", err, "after", m.Calls("Inventory_GetCategories"), "calls")

	m.FailNext("Orders_GetOpenOrders", 1, http.StatusServiceUnavailable)
	_, err = linnworks.Result(client.OrdersGetOpenOrdersWithResponse(ctx, gen.OrdersGetOpenOrdersRequest{}))
	fmt.Println("POST:", err != nil, "after", m.Calls("Orders_GetOpenOrders"), "call")
	// Output:
	// GET: <nil> after 3 calls
	// POST: true after 1 call
}

// Each operation is limited to its x-linnworks-rate-limit calls per minute, by
// default; WithRateLimit changes one. A wait the context's deadline would cut
// short is not started.
func ExampleWithRateLimit() {
	m := mock.New()
	client := exampleMockClient(m, linnworks.WithRateLimit("Inventory_GetCategories", 1))

	_, err := linnworks.Result(client.InventoryGetCategoriesWithResponse(context.Background()))
	fmt.Println("first call:", err)

	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, err = client.InventoryGetCategoriesWithResponse(ctx) // the next token comes in a minute
	fmt.Println("second call:", errors.Is(err, context.DeadlineExceeded), m.Calls("Inventory_GetCategories"))
	// Output:
	// first call: <nil>
	// second call: true 1
}

// OpenOrders walks every page of Orders_GetOpenOrders.
func ExampleOpenOrders() {
	m := mock.New()
	m.Stub("Orders_GetOpenOrders", func(r *http.Request) (int, any) { // 5 orders
		var req gen.OrdersGetOpenOrdersRequest
		_ = json.NewDecoder(r.Body).Decode(&req)
		page, size := int(*req.PageNumber), int(*req.EntriesPerPage)
		var orders []gen.OpenOrder
		for n := (page-1)*size + 1; n <= min(page*size, 5); n++ {
			num := int32(n)
			orders = append(orders, gen.OpenOrder{NumOrderId: &num})
		}
		total := int32(3)
		return http.StatusOK, gen.GenericPagedResultOpenOrder{Data: &orders, TotalPages: &total}
	})
	client := exampleMockClient(m)

	size := int32(2)
	for order, err := range linnworks.OpenOrders(context.Background(), client, gen.OrdersGetOpenOrdersRequest{EntriesPerPage: &size}) {
		if err != nil {
			fmt.Println(err)
			break
		}
		fmt.Print(*order.NumOrderId, " ")
	}
	fmt.Println("in", m.Calls("Orders_GetOpenOrders"), "pages")
	// Output:
	// 1 2 3 4 5 in 3 pages
}

// Pages walks any paged operation given a function that fetches one page: here
// WarehouseTransfer_GetArchivedTransfers, which states its page count.
func ExamplePages() {
	m := mock.New()
	m.Stub("WarehouseTransfer_GetArchivedTransfers", func(r *http.Request) (int, any) { // 2 pages of 2
		transfers, total := make([]gen.WarehouseTransfer, 2), int32(2)
		return http.StatusOK, gen.GenericPagedResultWarehouseTransfer{Data: &transfers, TotalPages: &total}
	})
	client := exampleMockClient(m)

	const size = 2
	fetch := func(ctx context.Context, page int) ([]gen.WarehouseTransfer, int, error) {
		n, entries := int32(page), int32(size)
		resp, err := linnworks.Result(client.WarehouseTransferGetArchivedTransfersWithResponse(ctx,
			&gen.WarehouseTransferGetArchivedTransfersParams{PageNumber: &n, EntriesPerPage: &entries}))
		if err != nil {
			return nil, 0, err
		}
		if resp.JSON200 == nil || resp.JSON200.Data == nil {
			return nil, -1, nil
		}
		total := -1 // unknown: read pages until a short one
		if resp.JSON200.TotalPages != nil {
			total = int(*resp.JSON200.TotalPages)
		}
		return *resp.JSON200.Data, total, nil
	}
	count := 0
	for _, err := range linnworks.Pages(context.Background(), size, fetch) {
		if err != nil {
			fmt.Println(err)
			return
		}
		count++
	}
	fmt.Println(count, "transfers in", m.Calls("WarehouseTransfer_GetArchivedTransfers"), "pages")
	// Output:
	// 4 transfers in 2 pages
}

// WithLogger logs every attempt: operation, attempt, status or error, duration
// and the retry decision, never a secret. (Times and durations are dropped here
// to keep the output stable.)
func ExampleWithLogger() {
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		Level: slog.LevelDebug,
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			switch a.Key {
			case slog.TimeKey, "duration", "retry_in":
				return slog.Attr{}
			}
			return a
		},
	}))
	m := mock.New()
	client := exampleMockClient(m, linnworks.WithLogger(logger),
		linnworks.WithSourceOptions(authn.WithLogger(slog.New(slog.DiscardHandler))), // keep the session source quiet
		linnworks.WithRetryPolicy(linnworks.RetryPolicy{BaseDelay: time.Millisecond}))

	m.FailNext("Inventory_GetCategories", 1, http.StatusServiceUnavailable)
	if _, err := linnworks.Result(client.InventoryGetCategoriesWithResponse(context.Background())); err != nil {
		panic(err)
	}
	// Output:
	// level=INFO msg="linnworks: call failed, retrying" operation=Inventory_GetCategories attempt=1 status=503 retry_reason="server error (503)"
	// level=DEBUG msg="linnworks: call" operation=Inventory_GetCategories attempt=2 status=200
}

// New gives the classic API and the REST services one session and one chain of
// layers (rate limiter, retry policy, 401 replay). Service calls go to the
// regional host of the session's Locality; their operations are named with their
// package. Here the mock stands in for Linnworks.
func ExampleNew() {
	m := mock.New()
	lw, err := linnworks.New(m.Credentials(), linnworks.WithHTTPClient(m.Client()),
		linnworks.WithRateLimit("ordersv2.Orders_GetFulfillmentStatuses", 60)) // the services state no limit: set one if you want one
	if err != nil {
		panic(err)
	}
	ctx := context.Background()

	cats, err := linnworks.Result(lw.Classic.InventoryGetCategoriesWithResponse(ctx))
	fmt.Println("classic:", cats.StatusCode(), err)
	statuses, err := linnworks.Result(lw.OrdersV2.OrdersGetFulfillmentStatusesWithResponse(ctx, &ordersv2.OrdersGetFulfillmentStatusesParams{}))
	fmt.Println("orders v2:", statuses.StatusCode(), statuses.HTTPResponse.Request.URL.Host, err)
	fmt.Println("authorizations:", m.Calls("Auth_AuthorizeByApplication"))

	m.FailNext(mock.ServiceOperation("ordersv2", "Orders_GetFulfillmentStatuses"), 1, http.StatusNotFound)
	_, err = linnworks.Result(lw.OrdersV2.OrdersGetFulfillmentStatusesWithResponse(ctx, &ordersv2.OrdersGetFulfillmentStatusesParams{}))
	fmt.Println(errors.Is(err, linnworks.ErrNotFound), err)
	// Output:
	// classic: 200 <nil>
	// orders v2: 200 eu-api.linnworks.net <nil>
	// authorizations: 1
	// true linnworks: ordersv2.Orders_GetFulfillmentStatuses: HTTP 404 Not Found: ordersv2.Orders_GetFulfillmentStatuses: injected failure (404 Not Found)
}

// NewServices adds the REST services to a classic client built earlier: give it
// the client's session source and the same options.
func ExampleNewServices() {
	m := mock.New()
	opts := []linnworks.Option{linnworks.WithHTTPClient(m.Client()), linnworks.WithoutRetry()}
	classic, src, err := linnworks.NewClientWithSource(m.Credentials(), opts...)
	if err != nil {
		panic(err)
	}
	svc, err := linnworks.NewServices(src, nil, opts...)
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	_, err = linnworks.Result(classic.InventoryGetCategoriesWithResponse(ctx))
	fmt.Println("classic:", err)
	_, err = linnworks.Result(svc.PickingV2.PickwaveIdentifierGetPickwaveidentifierWithResponse(ctx))
	fmt.Println("picking v2:", err)
	fmt.Println("authorizations:", m.Calls("Auth_AuthorizeByApplication"))
	// Output:
	// classic: <nil>
	// picking v2: <nil>
	// authorizations: 1
}
