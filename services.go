package linnworks

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/linnworks-go/linnworks/authn"
	"github.com/linnworks-go/linnworks/gen"
	"github.com/linnworks-go/linnworks/gen/ordersv2"
	"github.com/linnworks-go/linnworks/gen/pickingv2"
	"github.com/linnworks-go/linnworks/gen/warehousetransferv1"
	"github.com/linnworks-go/linnworks/gen/warehousetransferv2"
)

// The base URLs the REST service clients are built with: the EU server of each
// service's document. authn sends every call to the regional host of the
// session's Locality (EU, US or AS), keeping the /v1/ or /v2/ prefix.
const (
	ServerV1 = "https://eu-api.linnworks.net/v1/"
	ServerV2 = "https://eu-api.linnworks.net/v2/"
)

// Services are the typed clients of Linnworks' REST services, all sending with
// one session source: orders v2, picking v2 and warehouse transfer v1 and v2.
type Services struct {
	// OrdersV2 is the orders service (/v2/orders...).
	OrdersV2 *ordersv2.ClientWithResponses
	// PickingV2 is the picking service (/v2/picking...).
	PickingV2 *pickingv2.ClientWithResponses
	// WarehouseTransferV1 is the warehouse transfer service, version 1 (/v1/warehousetransfer...).
	WarehouseTransferV1 *warehousetransferv1.ClientWithResponses
	// WarehouseTransferV2 is the warehouse transfer service, version 2, with the FBA
	// inbound operations (/v2/warehousetransfer...).
	WarehouseTransferV2 *warehousetransferv2.ClientWithResponses
}

// NewServices returns the REST service clients for the session source src (for
// example the one NewClientWithSource returns, so that the classic client and the
// services share one session). Calls go through doer (nil: an *http.Client with
// DefaultTimeout) behind src.Doer, which re-authorizes and replays once on 401, and
// carry DefaultUserAgent and Accept: application/json, application/problem+json
// (the services answer errors as RFC 9457 problem documents) unless an editor set them. The per-operation rate limits and retry policy of
// NewClient cover the classic API only: Linnworks states no limits for these services.
func NewServices(src *authn.Source, doer gen.HttpRequestDoer) (*Services, error) {
	if src == nil {
		return nil, errors.New("linnworks: NewServices: the session source is nil")
	}
	if doer == nil {
		doer = &http.Client{Timeout: DefaultTimeout}
	}
	d := src.Doer(doer)
	ua := DefaultUserAgent()
	agent := func(_ context.Context, r *http.Request) error {
		if r.Header.Get("User-Agent") == "" {
			r.Header.Set("User-Agent", ua)
		}
		if r.Header.Get("Accept") == "" {
			r.Header.Set("Accept", "application/json, application/problem+json")
		}
		return nil
	}
	var (
		s    Services
		errs []error
		err  error
	)
	s.OrdersV2, err = ordersv2.NewClientWithResponses(ServerV2, ordersv2.WithHTTPClient(d),
		ordersv2.WithRequestEditorFn(src.EditRequest), ordersv2.WithRequestEditorFn(agent))
	errs = append(errs, err)
	s.PickingV2, err = pickingv2.NewClientWithResponses(ServerV2, pickingv2.WithHTTPClient(d),
		pickingv2.WithRequestEditorFn(src.EditRequest), pickingv2.WithRequestEditorFn(agent))
	errs = append(errs, err)
	s.WarehouseTransferV1, err = warehousetransferv1.NewClientWithResponses(ServerV1, warehousetransferv1.WithHTTPClient(d),
		warehousetransferv1.WithRequestEditorFn(src.EditRequest), warehousetransferv1.WithRequestEditorFn(agent))
	errs = append(errs, err)
	s.WarehouseTransferV2, err = warehousetransferv2.NewClientWithResponses(ServerV2, warehousetransferv2.WithHTTPClient(d),
		warehousetransferv2.WithRequestEditorFn(src.EditRequest), warehousetransferv2.WithRequestEditorFn(agent))
	errs = append(errs, err)
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("linnworks: building the REST service clients: %w", err)
	}
	return &s, nil
}
