package specsync_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/linnworks-go/linnworks/gen/ordersv2"
	"github.com/linnworks-go/linnworks/gen/pickingv2"
	"github.com/linnworks-go/linnworks/gen/warehousetransferv1"
	"github.com/linnworks-go/linnworks/gen/warehousetransferv2"
	"github.com/linnworks-go/linnworks/internal/specsync"
)

// embeddedService is what a generated REST service package offers: its embedded
// document and its typed client type.
type embeddedService struct {
	spec   func() ([]byte, error)
	client reflect.Type
}

var embeddedServices = map[string]embeddedService{
	"ordersv2":            {ordersv2.GetSpecJSON, reflect.TypeFor[*ordersv2.ClientWithResponses]()},
	"pickingv2":           {pickingv2.GetSpecJSON, reflect.TypeFor[*pickingv2.ClientWithResponses]()},
	"warehousetransferv1": {warehousetransferv1.GetSpecJSON, reflect.TypeFor[*warehousetransferv1.ClientWithResponses]()},
	"warehousetransferv2": {warehousetransferv2.GetSpecJSON, reflect.TypeFor[*warehousetransferv2.ClientWithResponses]()},
}

// TestFidelityServices checks that every upstream REST service is embedded in its
// gen/ package with the same facts, only the overlays under
// openapi/overlays/services differing, and that drift on openapi/services is clean.
func TestFidelityServices(t *testing.T) {
	dir := upstreamDir(t)
	ups, err := specsync.ReadServices(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ups) != len(embeddedServices) {
		t.Fatalf("upstream has %d REST services, the module %d", len(ups), len(embeddedServices))
	}
	ours := map[string]map[string]any{}
	for _, u := range ups {
		svc, ok := embeddedServices[u.Package()]
		if !ok {
			t.Fatalf("upstream service %s has no package gen/%s", u.Name, u.Package())
		}
		raw, err := svc.spec()
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := yaml.Unmarshal(raw, &doc); err != nil {
			t.Fatal(err)
		}
		ours[u.Name] = doc
	}
	overlays, err := specsync.LoadServiceOverlays("../../openapi")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := specsync.CompareServices(ups, overlays, ours)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	rep.Write(&out)
	if !rep.Clean() || rep.OperationsCompared != 112 {
		t.Fatalf("the embedded service documents differ from upstream beyond the overlays (%d operations compared):\n%s", rep.OperationsCompared, out.String())
	}
	// The comparison must be able to fail: alter one field type.
	schemas := ours["orders-v2"]["components"].(map[string]any)["schemas"].(map[string]any)
	schemas["BaseGetOrdersResponse"].(map[string]any)["properties"].(map[string]any)["TotalOrders"] = map[string]any{"type": "string"}
	if rep, err = specsync.CompareServices(ups, overlays, ours); err != nil || rep.Clean() {
		t.Errorf("an altered field type was not reported (err %v)", err)
	}

	rep, err = specsync.DriftServices(dir, "../../openapi")
	if err != nil {
		t.Fatal(err)
	}
	out.Reset()
	rep.Write(&out)
	if !rep.Clean() {
		t.Fatalf("openapi/services differs from upstream beyond the overlays:\n%s", out.String())
	}
}

// TestEveryUpstreamRESTOperationHasATypedMethod checks that each service package's
// ClientWithResponses has a <Tag><Name>WithResponse method for every upstream operation.
func TestEveryUpstreamRESTOperationHasATypedMethod(t *testing.T) {
	ups, err := specsync.ReadServices(upstreamDir(t))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, u := range ups {
		client := embeddedServices[u.Package()].client
		if client == nil {
			t.Fatalf("no package for %s", u.Name)
		}
		_ = specsync.Visit(u, func(path, method, id string) {
			n++
			name := strings.ReplaceAll(id, "_", "") + "WithResponse"
			if _, ok := client.MethodByName(name); !ok {
				t.Errorf("%s %s %s (%s): no %v.%s", u.Name, strings.ToUpper(method), path, id, client, name)
			}
		})
	}
	if n != 112 {
		t.Errorf("%d upstream REST operations, want 112", n)
	}
}
