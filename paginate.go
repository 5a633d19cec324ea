package linnworks

import (
	"context"
	"iter"

	"github.com/linnworks-go/linnworks/gen"
)

// PageFunc fetches page number page (1 for the first) of a paged operation. It
// returns the page's items and the total number of pages when the answer states
// it (TotalPages), or -1 when it does not.
type PageFunc[T any] func(ctx context.Context, page int) (items []T, totalPages int, err error)

// DefaultPageSize is the page size the typed iterators ask for when the request
// sets none.
const DefaultPageSize = 100

// Pages yields the items of pages 1, 2, … as fetch returns them. It stops after
// the last page (the page numbered totalPages, when fetch knows it; else the
// first page with fewer than pageSize items, when pageSize > 0; in any case an
// empty page), at the first error (yielded once, with the zero T), when ctx ends
// (its error is yielded), or when the loop body breaks.
//
// Each page is one call through the client, so the rate limiter spaces pages
// and the retry policy covers them.
func Pages[T any](ctx context.Context, pageSize int, fetch PageFunc[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		for page := 1; ; page++ {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			items, total, err := fetch(ctx, page)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			switch {
			case len(items) == 0,
				total >= 0 && page >= total,
				total < 0 && pageSize > 0 && len(items) < pageSize:
				return
			}
		}
	}
}

// deref returns *p, or the zero value when p is nil.
func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

// pageSize returns the request's page size, setting DefaultPageSize when it has none.
func pageSize(p **int32) int {
	if *p == nil || **p <= 0 {
		n := int32(DefaultPageSize)
		*p = &n
	}
	return int(**p)
}

// totalOf converts an optional TotalPages to PageFunc's convention.
func totalOf(p *int32) int {
	if p == nil {
		return -1
	}
	return int(*p)
}

// OpenOrders yields every open order Orders_GetOpenOrders finds for req, page
// after page from req.PageNumber's page 1 (req.PageNumber is ignored; an unset
// req.EntriesPerPage becomes DefaultPageSize). An answer other than 2xx ends the
// sequence with an *APIError.
func OpenOrders(ctx context.Context, c gen.ClientWithResponsesInterface, req gen.OrdersGetOpenOrdersRequest) iter.Seq2[gen.OpenOrder, error] {
	size := pageSize(&req.EntriesPerPage)
	return Pages(ctx, size, func(ctx context.Context, page int) ([]gen.OpenOrder, int, error) {
		r := req
		n := int32(page)
		r.PageNumber = &n
		resp, err := Result(c.OrdersGetOpenOrdersWithResponse(ctx, r))
		if err != nil {
			return nil, 0, err
		}
		if resp.JSON200 == nil {
			return nil, -1, nil
		}
		return deref(resp.JSON200.Data), totalOf(resp.JSON200.TotalPages), nil
	})
}

// ProcessedOrders yields every processed order
// ProcessedOrders_SearchProcessedOrdersPaged finds for req, page after page
// (req.PageNum is ignored; an unset req.NumEntriesPerPage becomes
// DefaultPageSize). An answer other than 2xx ends the sequence with an *APIError.
func ProcessedOrders(ctx context.Context, c gen.ClientWithResponsesInterface, req gen.ProcessedOrdersSearchProcessedOrdersPagedRequest) iter.Seq2[gen.ProcessedOrderWeb, error] {
	size := pageSize(&req.NumEntriesPerPage)
	return Pages(ctx, size, func(ctx context.Context, page int) ([]gen.ProcessedOrderWeb, int, error) {
		r := req
		n := int32(page)
		r.PageNum = &n
		resp, err := Result(c.ProcessedOrdersSearchProcessedOrdersPagedWithResponse(ctx, r))
		if err != nil {
			return nil, 0, err
		}
		if resp.JSON200 == nil {
			return nil, -1, nil
		}
		return deref(resp.JSON200.Data), totalOf(resp.JSON200.TotalPages), nil
	})
}

// StockItems yields every stock item Stock_GetStockItems finds for params,
// page after page (params.PageNumber is ignored; an unset params.EntriesPerPage
// becomes DefaultPageSize). An answer other than 2xx ends the sequence with an
// *APIError.
func StockItems(ctx context.Context, c gen.ClientWithResponsesInterface, params gen.StockGetStockItemsParams) iter.Seq2[gen.StockItem, error] {
	size := pageSize(&params.EntriesPerPage)
	return Pages(ctx, size, func(ctx context.Context, page int) ([]gen.StockItem, int, error) {
		p := params
		n := int32(page)
		p.PageNumber = &n
		resp, err := Result(c.StockGetStockItemsWithResponse(ctx, &p))
		if err != nil {
			return nil, 0, err
		}
		if resp.JSON200 == nil {
			return nil, -1, nil
		}
		return deref(resp.JSON200.Data), totalOf(resp.JSON200.TotalPages), nil
	})
}

// StockItemsFull yields every stock item Stock_GetStockItemsFull finds for
// req, page after page until a page comes back short (the answer states no page
// count; req.PageNumber is ignored; an unset req.EntriesPerPage becomes
// DefaultPageSize). An answer other than 2xx ends the sequence with an *APIError.
func StockItemsFull(ctx context.Context, c gen.ClientWithResponsesInterface, req gen.StockGetStockItemsFullRequest) iter.Seq2[gen.StockItemFull, error] {
	size := pageSize(&req.EntriesPerPage)
	return Pages(ctx, size, func(ctx context.Context, page int) ([]gen.StockItemFull, int, error) {
		r := req
		n := int32(page)
		r.PageNumber = &n
		resp, err := Result(c.StockGetStockItemsFullWithResponse(ctx, r))
		if err != nil {
			return nil, 0, err
		}
		return deref(resp.JSON200), -1, nil
	})
}
