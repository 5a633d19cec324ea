package linnworks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"testing/synctest"
	"time"

	"github.com/linnworks-go/linnworks/gen"
	"github.com/linnworks-go/linnworks/mock"
)

// pagesOf serves items in pages of size, stating the page count when withTotal.
type pagesOf struct {
	items     []int
	size      int
	withTotal bool
	failAt    int // page answering an error, 0 for none
	fetched   []int
}

func (p *pagesOf) fetch(_ context.Context, page int) ([]int, int, error) {
	p.fetched = append(p.fetched, page)
	if page == p.failAt {
		return nil, 0, fmt.Errorf("page %d failed", page)
	}
	total := -1
	if p.withTotal {
		total = (len(p.items) + p.size - 1) / p.size
	}
	lo := min((page-1)*p.size, len(p.items))
	hi := min(lo+p.size, len(p.items))
	return p.items[lo:hi], total, nil
}

func TestPages(t *testing.T) {
	seq := func(n int) []int {
		s := make([]int, n)
		for i := range s {
			s[i] = i + 1
		}
		return s
	}
	for _, tt := range []struct {
		name        string
		src         pagesOf
		pageSize    int
		breakAfter  int // stop the loop after this many items; 0 = never
		want        []int
		wantErr     string
		wantFetched []int
	}{
		{"total pages", pagesOf{items: seq(7), size: 3, withTotal: true}, 3, 0, seq(7), "", []int{1, 2, 3}},
		{"total pages, full last page", pagesOf{items: seq(6), size: 3, withTotal: true}, 3, 0, seq(6), "", []int{1, 2}},
		{"total pages, page size unknown", pagesOf{items: seq(6), size: 3, withTotal: true}, 0, 0, seq(6), "", []int{1, 2}},
		{"until short", pagesOf{items: seq(7), size: 3}, 3, 0, seq(7), "", []int{1, 2, 3}},
		{"until short, full last page: one empty page more", pagesOf{items: seq(6), size: 3}, 3, 0, seq(6), "", []int{1, 2, 3}},
		{"until empty when the size is unknown", pagesOf{items: seq(7), size: 3}, 0, 0, seq(7), "", []int{1, 2, 3, 4}},
		{"nothing", pagesOf{size: 3, withTotal: true}, 3, 0, nil, "", []int{1}},
		{"error on page 2", pagesOf{items: seq(7), size: 3, withTotal: true, failAt: 2}, 3, 0, seq(3), "page 2 failed", []int{1, 2}},
		{"break", pagesOf{items: seq(7), size: 3, withTotal: true}, 3, 4, seq(4), "", []int{1, 2}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got []int
			var gotErr error
			for v, err := range Pages(t.Context(), tt.pageSize, tt.src.fetch) {
				if err != nil {
					if gotErr != nil {
						t.Fatal("a second error")
					}
					gotErr = err
					continue
				}
				got = append(got, v)
				if len(got) == tt.breakAfter {
					break
				}
			}
			if !slices.Equal(got, tt.want) || !slices.Equal(tt.src.fetched, tt.wantFetched) {
				t.Fatalf("items %v from pages %v; want %v from %v", got, tt.src.fetched, tt.want, tt.wantFetched)
			}
			if (gotErr == nil) != (tt.wantErr == "") || gotErr != nil && gotErr.Error() != tt.wantErr {
				t.Fatalf("err = %v; want %q", gotErr, tt.wantErr)
			}
		})
	}

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	src := pagesOf{items: seq(10), size: 2, withTotal: true}
	var got []int
	var gotErr error
	for v, err := range Pages(ctx, 2, src.fetch) {
		if err != nil {
			gotErr = err
			continue
		}
		got = append(got, v)
		if v == 3 {
			cancel()
		}
	}
	if !errors.Is(gotErr, context.Canceled) || !slices.Equal(got, seq(4)) || !slices.Equal(src.fetched, []int{1, 2}) {
		t.Fatalf("after cancel: %v, %v from pages %v", got, gotErr, src.fetched)
	}
}

// openOrdersStub serves n open orders through Orders_GetOpenOrders, checking
// the page requested.
func openOrdersStub(t *testing.T, n int) mock.StubFunc {
	return func(r *http.Request) (int, any) {
		var req gen.OrdersGetOpenOrdersRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.PageNumber == nil || req.EntriesPerPage == nil {
			t.Errorf("request %+v, %v", req, err)
			return 400, map[string]any{"Message": "bad page"}
		}
		page, size := int(*req.PageNumber), int(*req.EntriesPerPage)
		var data []gen.OpenOrder
		for i := (page - 1) * size; i < min(page*size, n); i++ {
			num := int32(i + 1)
			data = append(data, gen.OpenOrder{NumOrderId: &num})
		}
		total := int32((n + size - 1) / size)
		return 200, gen.GenericPagedResultOpenOrder{Data: &data, PageNumber: req.PageNumber, EntriesPerPage: req.EntriesPerPage, TotalPages: &total}
	}
}

func TestOpenOrders(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := mock.New()
		m.Stub("Orders_GetOpenOrders", openOrdersStub(t, 25))
		c := newMockClient(t, m, nil)
		size := int32(10)
		var nums []int32
		for o, err := range OpenOrders(t.Context(), c, gen.OrdersGetOpenOrdersRequest{EntriesPerPage: &size}) {
			if err != nil {
				t.Fatal(err)
			}
			nums = append(nums, *o.NumOrderId)
		}
		if len(nums) != 25 || nums[0] != 1 || nums[24] != 25 || m.Calls("Orders_GetOpenOrders") != 3 {
			t.Fatalf("orders %v in %d calls; want 1…25 in 3", nums, m.Calls("Orders_GetOpenOrders"))
		}

		// The default page size, and an error that ends the sequence.
		m.FailNext("Orders_GetOpenOrders", 1, 400)
		var gotErr error
		for _, err := range OpenOrders(t.Context(), c, gen.OrdersGetOpenOrdersRequest{}) {
			gotErr = err
		}
		var e *APIError
		if !errors.As(gotErr, &e) || e.StatusCode != 400 || e.Operation != "Orders_GetOpenOrders" {
			t.Fatalf("err = %v; want the 400 as an *APIError", gotErr)
		}
		nums = nil
		for o, err := range OpenOrders(t.Context(), c, gen.OrdersGetOpenOrdersRequest{}) {
			if err != nil {
				t.Fatal(err)
			}
			nums = append(nums, *o.NumOrderId)
		}
		if len(nums) != 25 {
			t.Fatalf("%d orders with the default page size %d; want 25 in one page", len(nums), DefaultPageSize)
		}
	})
}

// Pages go through the client: the rate limiter spaces them.
func TestPagesRespectTheRateLimiter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := mock.New()
		m.Stub("Orders_GetOpenOrders", openOrdersStub(t, 50))
		c := newMockClient(t, m, nil, WithRateLimit("Orders_GetOpenOrders", 2))
		size := int32(10)
		start := time.Now()
		n := 0
		for _, err := range OpenOrders(t.Context(), c, gen.OrdersGetOpenOrdersRequest{EntriesPerPage: &size}) {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		if n != 50 || time.Since(start) != 4*30*time.Second {
			t.Fatalf("%d orders in %v; want 50 in 5 pages 30s apart", n, time.Since(start))
		}
	})
}

func TestStockItemsFull(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := mock.New()
		var pages []int
		m.Stub("Stock_GetStockItemsFull", func(r *http.Request) (int, any) {
			var req gen.StockGetStockItemsFullRequest
			if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.PageNumber == nil || req.EntriesPerPage == nil || *req.Keyword != "mug" {
				t.Errorf("request %+v, %v", req, err)
				return 400, map[string]any{"Message": "bad page"}
			}
			page, size := int(*req.PageNumber), int(*req.EntriesPerPage)
			pages = append(pages, page)
			items := []gen.StockItemFull{}
			for i := (page - 1) * size; i < min(page*size, 7); i++ {
				sku := "SKU-" + strconv.Itoa(i+1)
				items = append(items, gen.StockItemFull{ItemNumber: &sku})
			}
			return 200, items
		})
		c := newMockClient(t, m, nil)
		size, kw := int32(3), "mug"
		var skus []string
		for it, err := range StockItemsFull(t.Context(), c, gen.StockGetStockItemsFullRequest{EntriesPerPage: &size, Keyword: &kw}) {
			if err != nil {
				t.Fatal(err)
			}
			skus = append(skus, *it.ItemNumber)
		}
		if len(skus) != 7 || skus[6] != "SKU-7" || !slices.Equal(pages, []int{1, 2, 3}) {
			t.Fatalf("%v from pages %v; want SKU-1…7 from 1, 2, 3", skus, pages)
		}
	})
}

// StockItems and ProcessedOrders read the page count of their answers.
func TestStockItemsAndProcessedOrders(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := mock.New()
		m.Stub("Stock_GetStockItems", func(r *http.Request) (int, any) {
			q := r.URL.Query()
			page, _ := strconv.Atoi(q.Get("pageNumber"))
			if q.Get("entriesPerPage") != "100" || q.Get("keyWord") != "mug" {
				t.Errorf("query %v", q)
			}
			total := int32(2)
			data := []gen.StockItem{{}, {}}
			if page == 2 {
				data = data[:1]
			}
			return 200, gen.GenericPagedResultStockItem{Data: &data, TotalPages: &total}
		})
		m.Stub("ProcessedOrders_SearchProcessedOrdersPaged", func(r *http.Request) (int, any) {
			var req gen.ProcessedOrdersSearchProcessedOrdersPagedRequest
			if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.PageNum == nil || *req.NumEntriesPerPage != 100 {
				t.Errorf("request %+v, %v", req, err)
			}
			total := int32(3)
			data := []gen.ProcessedOrderWeb{{}}
			return 200, gen.GenericPagedResultProcessedOrderWeb{Data: &data, TotalPages: &total}
		})
		c := newMockClient(t, m, nil)
		kw := "mug"
		n := 0
		for _, err := range StockItems(t.Context(), c, gen.StockGetStockItemsParams{KeyWord: &kw}) {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		if n != 3 || m.Calls("Stock_GetStockItems") != 2 {
			t.Fatalf("%d stock items in %d calls; want 3 in 2", n, m.Calls("Stock_GetStockItems"))
		}
		n = 0
		for _, err := range ProcessedOrders(t.Context(), c, gen.ProcessedOrdersSearchProcessedOrdersPagedRequest{}) {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		if n != 3 || m.Calls("ProcessedOrders_SearchProcessedOrdersPaged") != 3 {
			t.Fatalf("%d processed orders in %d calls; want 3 in 3", n, m.Calls("ProcessedOrders_SearchProcessedOrdersPaged"))
		}
	})
}
