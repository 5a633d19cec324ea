package mock

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/linnworks-go/linnworks/gen/ordersv2"
	"github.com/linnworks-go/linnworks/gen/pickingv2"
	"github.com/linnworks-go/linnworks/gen/warehousetransferv1"
	"github.com/linnworks-go/linnworks/gen/warehousetransferv2"
)

// restService is one of Linnworks' REST services (regional hosts, /v1/ or /v2/)
// the mock serves beside the classic API: its generated package's name and
// embedded document.
type restService struct {
	pkg  string
	spec func() (*openapi3.T, error)
}

// restServices are the REST services of the module, one per generated package.
var restServices = []restService{
	{"ordersv2", ordersv2.GetSpec},
	{"pickingv2", pickingv2.GetSpec},
	{"warehousetransferv1", warehousetransferv1.GetSpec},
	{"warehousetransferv2", warehousetransferv2.GetSpec},
}

// regionalHosts are the hosts of the REST services; Client's sessions are valid on
// their own one only (EU: eu-api.linnworks.net), as Linnworks routes by Locality.
var regionalHosts = []string{"eu-api.linnworks.net", "us-api.linnworks.net", "as-api.linnworks.net"}

// SessionRegionalHost is where Client's sessions (Locality EU) reach the REST services.
const SessionRegionalHost = "https://eu-api.linnworks.net"

// ServiceOperation returns the name under which the mock knows an operation of a
// REST service: the generated package's name, a dot and the operationId
// ("ordersv2.Orders_GetOrders"). Calls, Stub, FailNext and DelayNext take it; the
// bare operationIds of the services can repeat those of the classic API.
func ServiceOperation(pkg, operationID string) string { return pkg + "." + operationID }

// withServices returns a shallow copy of the classic document with the operations
// of every REST service added under their version prefix (/v1, /v2: the path of
// their servers) and named ServiceOperation(pkg, id). Schemas stay reachable through
// the resolved references of the operations; the classic document is not modified.
func withServices(classic *openapi3.T, services []restService) (*openapi3.T, error) {
	out := *classic
	out.Paths = openapi3.NewPaths()
	for path, item := range classic.Paths.Map() {
		out.Paths.Set(path, item)
	}
	for _, svc := range services {
		doc, err := svc.spec()
		if err != nil {
			return nil, fmt.Errorf("mock: loading the %s document: %w", svc.pkg, err)
		}
		if len(doc.Servers) == 0 {
			return nil, fmt.Errorf("mock: the %s document has no servers", svc.pkg)
		}
		u, err := url.Parse(doc.Servers[0].URL)
		if err != nil {
			return nil, fmt.Errorf("mock: the %s server: %w", svc.pkg, err)
		}
		prefix := strings.TrimSuffix(u.Path, "/")
		oneOfAsAnyOf(doc)
		for path, item := range doc.Paths.Map() {
			full := prefix + path
			if out.Paths.Value(full) != nil {
				return nil, fmt.Errorf("mock: %s %s is served twice", svc.pkg, full)
			}
			copied := *item
			for method, op := range item.Operations() {
				o := *op
				o.OperationID = ServiceOperation(svc.pkg, op.OperationID)
				copied.SetOperation(method, &o)
			}
			out.Paths.Set(full, &copied)
		}
	}
	return &out, nil
}

// isRESTPath reports whether path belongs to the REST services (/v1/..., /v2/...).
func isRESTPath(path string) bool {
	return len(path) > 3 && path[0] == '/' && path[1] == 'v' && path[2] >= '0' && path[2] <= '9' &&
		strings.IndexByte(path[1:], '/') > 1
}

// oneOfAsAnyOf turns every oneOf without a discriminator of doc (a fresh copy the
// mock owns) into anyOf. The services' oneOf lists a class with its subclasses
// (Order items: OrderItem, OrderItemWithChildren, …) and no discriminator, so an
// object of a subclass also matches its parent: exactly-one would refuse every
// answer Linnworks gives. The mock checks at-least-one instead.
func oneOfAsAnyOf(doc *openapi3.T) {
	seen := map[*openapi3.Schema]bool{}
	var walk func(ref *openapi3.SchemaRef)
	walk = func(ref *openapi3.SchemaRef) {
		if ref == nil || ref.Value == nil || seen[ref.Value] {
			return
		}
		s := ref.Value
		seen[s] = true
		if len(s.OneOf) > 0 && s.Discriminator == nil {
			s.AnyOf = append(s.AnyOf, s.OneOf...)
			s.OneOf = nil
		}
		for _, p := range s.Properties {
			walk(p)
		}
		walk(s.Items)
		walk(s.Not)
		if s.AdditionalProperties.Schema != nil {
			walk(s.AdditionalProperties.Schema)
		}
		for _, list := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf} {
			for _, x := range list {
				walk(x)
			}
		}
	}
	for _, ref := range doc.Components.Schemas {
		walk(ref)
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for _, p := range op.Parameters {
				if p.Value != nil {
					walk(p.Value.Schema)
				}
			}
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				for _, mt := range op.RequestBody.Value.Content {
					walk(mt.Schema)
				}
			}
			for _, r := range op.Responses.Map() {
				if r.Value != nil {
					for _, mt := range r.Value.Content {
						walk(mt.Schema)
					}
				}
			}
		}
	}
}
