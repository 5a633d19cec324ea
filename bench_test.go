package linnworks

import (
	"log/slog"
	"net/http"
	"testing"

	"github.com/linnworks-go/linnworks/gen"
)

// okDoer answers every request with the same empty 200.
var okDoer = doerFunc(func(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Header: http.Header{}, Body: http.NoBody, Request: r}, nil
})

// BenchmarkRateLimiter measures what the limiter adds to a call under the
// limit (target: ≤ 1 µs): "limited" minus "unlimited". The limit is set so high
// that the benchmark never waits; an operation outside the document is
// measured too (index lookup only).
func BenchmarkRateLimiter(b *testing.B) {
	req, _ := http.NewRequest(http.MethodPost, "https://eu-ext.linnworks.net/api/Orders/GetOpenOrders", nil)
	unknown, _ := http.NewRequest(http.MethodPost, "https://eu-ext.linnworks.net/api/Orders/NoSuchThing", nil)
	// A REST service operation with two path parameters, the deepest kind of lookup.
	service, _ := http.NewRequest(http.MethodPut, "https://eu-api.linnworks.net/v2/warehousetransfer/fba-inbound/shipping-plans/7/shipments/items/8", nil)
	const serviceOp = "warehousetransferv2.ShipmentItem_PutFbaInboundShippingPlansByShippingPlanIdShipmentsItemsByShipmentItemId"
	for _, bc := range []struct {
		name string
		doer func() gen.HttpRequestDoer
		req  *http.Request
	}{
		{"none", func() gen.HttpRequestDoer { return okDoer }, req},
		{"unlimited", func() gen.HttpRequestDoer { return mustLimiter(b, map[string]int{"Orders_GetOpenOrders": 0}) }, req},
		{"limited", func() gen.HttpRequestDoer { return mustLimiter(b, map[string]int{"Orders_GetOpenOrders": 1 << 40}) }, req},
		{"unknown operation", func() gen.HttpRequestDoer { return mustLimiter(b, nil) }, unknown},
		{"service unlimited", func() gen.HttpRequestDoer { return mustLimiter(b, nil) }, service},
		{"service limited", func() gen.HttpRequestDoer { return mustLimiter(b, map[string]int{serviceOp: 1 << 40}) }, service},
	} {
		b.Run(bc.name, func(b *testing.B) {
			d := bc.doer()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := d.Do(bc.req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func mustLimiter(b *testing.B, overrides map[string]int) gen.HttpRequestDoer {
	l, err := newRateLimiter(okDoer, mustIndex(b), overrides, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	return l
}

// BenchmarkRetrier measures the retry policy's cost on a call that succeeds at once.
func BenchmarkRetrier(b *testing.B) {
	r, err := newRetrier(okDoer, nil, mustIndex(b), RetryPolicy{}, nil, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, "https://eu-ext.linnworks.net/api/Orders/GetOpenOrders", nil)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Do(req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckResponse measures Result/CheckResponse on a success.
func BenchmarkCheckResponse(b *testing.B) {
	resp := &gen.OrdersGetOpenOrdersResponse{HTTPResponse: &http.Response{StatusCode: 200}}
	b.ReportAllocs()
	for b.Loop() {
		if err := CheckResponse(resp); err != nil {
			b.Fatal(err)
		}
	}
}
