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

// acceptService is the Accept header of the REST service calls: they answer
// errors as RFC 9457 problem documents.
const acceptService = "application/json, application/problem+json"

// Services are the typed clients of Linnworks' REST services, all sending with
// one session source: orders v2, picking v2 and warehouse transfer v1 and v2.
//
// Their operations are named "<package>.<operationId>" wherever this package
// names one: WithRateLimit, WithIdempotent, APIError.Operation and the attempt
// log ("ordersv2.Orders_GetOrders", the names the mock and the CLI use too).
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
// services share one session; New does both in one call).
//
// Calls go through the same layers as NewClient's (see the package
// documentation): answer guard, retry policy, src's 401 replay, rate limiter,
// headers (Accept: application/json, application/problem+json; the User-Agent),
// then the HTTP client. The options are NewClient's: doer, when not nil, is the
// HTTP client (giving WithHTTPClient too is an error); nil means the one of
// WithHTTPClient, else an *http.Client with DefaultTimeout. WithAuthServer,
// WithSourceOptions and WithClientOptions concern the session source and the
// classic client and are ignored here, so that one list of options can serve
// both constructors; WithLogger logs the attempts of the service calls (src
// logs its authorizations as it was built to).
//
// Linnworks states no rate limit for the REST services, so their documents have
// no x-linnworks-rate-limit and their calls are not limited unless WithRateLimit
// sets a limit (or a document gains one). The retry policy covers them like the
// classic calls: 429 always, 5xx and connection failures for GET and
// WithIdempotent operations only.
func NewServices(src *authn.Source, doer gen.HttpRequestDoer, opts ...Option) (*Services, error) {
	if src == nil {
		return nil, errors.New("linnworks: NewServices: the session source is nil")
	}
	o, err := parseOptions(opts)
	if err != nil {
		return nil, err
	}
	if doer != nil {
		if o.doer != nil {
			return nil, errors.New("linnworks: NewServices: an HTTP client is given both as doer and with WithHTTPClient")
		}
		o.doer = doer
	}
	st, err := newStack(o)
	if err != nil {
		return nil, err
	}
	d, err := st.chain(src)
	if err != nil {
		return nil, err
	}
	return st.services(d, src)
}

// services builds the REST service clients over doer.
func (st *stack) services(doer gen.HttpRequestDoer, src *authn.Source) (*Services, error) {
	accept := func(_ context.Context, r *http.Request) error {
		if _, ok := r.Header["Accept"]; !ok {
			r.Header.Set("Accept", acceptService)
		}
		return nil
	}
	var (
		s    Services
		errs []error
		err  error
	)
	s.OrdersV2, err = ordersv2.NewClientWithResponses(ServerV2, ordersv2.WithHTTPClient(doer),
		ordersv2.WithRequestEditorFn(src.EditRequest), ordersv2.WithRequestEditorFn(accept))
	errs = append(errs, err)
	s.PickingV2, err = pickingv2.NewClientWithResponses(ServerV2, pickingv2.WithHTTPClient(doer),
		pickingv2.WithRequestEditorFn(src.EditRequest), pickingv2.WithRequestEditorFn(accept))
	errs = append(errs, err)
	s.WarehouseTransferV1, err = warehousetransferv1.NewClientWithResponses(ServerV1, warehousetransferv1.WithHTTPClient(doer),
		warehousetransferv1.WithRequestEditorFn(src.EditRequest), warehousetransferv1.WithRequestEditorFn(accept))
	errs = append(errs, err)
	s.WarehouseTransferV2, err = warehousetransferv2.NewClientWithResponses(ServerV2, warehousetransferv2.WithHTTPClient(doer),
		warehousetransferv2.WithRequestEditorFn(src.EditRequest), warehousetransferv2.WithRequestEditorFn(accept))
	errs = append(errs, err)
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("linnworks: building the REST service clients: %w", err)
	}
	return &s, nil
}

// Linnworks is the whole API for one installation: the classic client and the
// REST services, sending with one session source through one Doer chain (one
// rate limiter, one retry policy, one HTTP client).
type Linnworks struct {
	// Classic is the typed client of the classic API (/api/Controller/Method),
	// what NewClient returns.
	Classic *gen.ClientWithResponses
	// Services are the REST service clients (OrdersV2, PickingV2,
	// WarehouseTransferV1, WarehouseTransferV2), what NewServices returns.
	Services
	// Source is the session source of both: its Session (Server, Locality),
	// Invalidate.
	Source *authn.Source
}

// New returns the classic client and the REST service clients of one
// installation, sharing one session: one authorization serves both, a classic
// call and a service call alike. It validates the credentials and options as
// NewClient does, and makes no network call. Every option of NewClient applies
// (WithClientOptions to the classic client only).
//
//	lw, err := linnworks.New(creds, linnworks.WithLogger(log))
//	cats, err := linnworks.Result(lw.Classic.InventoryGetCategoriesWithResponse(ctx))
//	orders, err := linnworks.Result(lw.OrdersV2.OrdersGetOrdersWithResponse(ctx, &ordersv2.OrdersGetOrdersParams{}))
//
// Service calls go to the regional host of the session's Locality
// (https://eu-api.linnworks.net, us-api or as-api), classic calls to the
// session's Server.
func New(c authn.Credentials, opts ...Option) (*Linnworks, error) {
	o, err := parseOptions(opts)
	if err != nil {
		return nil, err
	}
	st, err := newStack(o)
	if err != nil {
		return nil, err
	}
	src, err := st.source(c)
	if err != nil {
		return nil, err
	}
	doer, err := st.chain(src)
	if err != nil {
		return nil, err
	}
	classic, err := st.classic(doer, src)
	if err != nil {
		return nil, err
	}
	svc, err := st.services(doer, src)
	if err != nil {
		return nil, err
	}
	return &Linnworks{Classic: classic, Services: *svc, Source: src}, nil
}
