package mock_test

import (
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/linnworks-go/linnworks/authn"
	"github.com/linnworks-go/linnworks/gen"
	"github.com/linnworks-go/linnworks/gen/ordersv2"
	"github.com/linnworks-go/linnworks/gen/pickingv2"
	"github.com/linnworks-go/linnworks/gen/warehousetransferv1"
	"github.com/linnworks-go/linnworks/gen/warehousetransferv2"
	"github.com/linnworks-go/linnworks/mock"
)

// restService is one REST service package: its embedded document and its typed
// client built on a server URL with authn's editor and doer.
type restService struct {
	pkg    string
	spec   func() (*openapi3.T, error)
	client func(server string, src *authn.Source, doer gen.HttpRequestDoer) (any, error)
}

var restServices = []restService{
	{"ordersv2", ordersv2.GetSpec, func(server string, src *authn.Source, d gen.HttpRequestDoer) (any, error) {
		return ordersv2.NewClientWithResponses(server, ordersv2.WithHTTPClient(d), ordersv2.WithRequestEditorFn(src.EditRequest))
	}},
	{"pickingv2", pickingv2.GetSpec, func(server string, src *authn.Source, d gen.HttpRequestDoer) (any, error) {
		return pickingv2.NewClientWithResponses(server, pickingv2.WithHTTPClient(d), pickingv2.WithRequestEditorFn(src.EditRequest))
	}},
	{"warehousetransferv1", warehousetransferv1.GetSpec, func(server string, src *authn.Source, d gen.HttpRequestDoer) (any, error) {
		return warehousetransferv1.NewClientWithResponses(server, warehousetransferv1.WithHTTPClient(d), warehousetransferv1.WithRequestEditorFn(src.EditRequest))
	}},
	{"warehousetransferv2", warehousetransferv2.GetSpec, func(server string, src *authn.Source, d gen.HttpRequestDoer) (any, error) {
		return warehousetransferv2.NewClientWithResponses(server, warehousetransferv2.WithHTTPClient(d), warehousetransferv2.WithRequestEditorFn(src.EditRequest))
	}},
}

// TestContractServices is TestContract for the REST services: every operation of
// every service document is called once through its package's typed client, built
// on the document's first (EU) server and wired with authn, against the in-process
// mock, and must answer its 2xx with a body the client decodes.
func TestContractServices(t *testing.T) {
	m := mock.New()
	src, err := authn.NewSource(m.Credentials(), authn.WithHTTPClient(m.Client()))
	if err != nil {
		t.Fatal(err)
	}
	served := 0
	for _, id := range m.Operations() {
		for _, svc := range restServices {
			if len(id) > len(svc.pkg) && id[:len(svc.pkg)+1] == svc.pkg+"." {
				served++
			}
		}
	}
	total := 0
	for _, svc := range restServices {
		doc, err := svc.spec()
		if err != nil {
			t.Fatal(err)
		}
		client, err := svc.client(doc.Servers[0].URL, src, src.Doer(m.Client()))
		if err != nil {
			t.Fatal(err)
		}
		ops := operationsOf(doc)
		total += len(ops)
		for _, op := range ops {
			t.Run(svc.pkg+"/"+op.id, func(t *testing.T) {
				callOperation(t, client, op, nil)
				if n := m.Calls(mock.ServiceOperation(svc.pkg, op.id)); n != 1 {
					t.Errorf("the mock saw %d calls of %s", n, op.id)
				}
			})
		}
	}
	if total != served || total < 100 {
		t.Fatalf("the service documents have %d operations, the mock serves %d", total, served)
	}
	t.Logf("%d REST operations called", total)
}
