package speccheck_test

import (
	"context"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/linnworks-go/linnworks/gen/ordersv2"
	"github.com/linnworks-go/linnworks/gen/pickingv2"
	"github.com/linnworks-go/linnworks/gen/warehousetransferv1"
	"github.com/linnworks-go/linnworks/gen/warehousetransferv2"
	"github.com/linnworks-go/linnworks/internal/speccheck"
)

var serviceSpecs = map[string]func() (*openapi3.T, error){
	"ordersv2":            ordersv2.GetSpec,
	"pickingv2":           pickingv2.GetSpec,
	"warehousetransferv1": warehousetransferv1.GetSpec,
	"warehousetransferv2": warehousetransferv2.GetSpec,
}

// TestServiceSpecsFollowConventions is the spec test of the REST services: every
// operation of every embedded service document follows the REST conventions.
func TestServiceSpecsFollowConventions(t *testing.T) {
	total := 0
	for pkg, load := range serviceSpecs {
		doc, err := load()
		if err != nil {
			t.Fatalf("%s: %v", pkg, err)
		}
		for _, v := range speccheck.CheckService(context.Background(), doc) {
			t.Errorf("%s: %s", pkg, v)
		}
		for _, item := range doc.Paths.Map() {
			total += len(item.Operations())
		}
	}
	if total != 112 {
		t.Errorf("the service documents have %d operations, want the 112 Linnworks publishes", total)
	}
}

// TestCheckServiceReportsBrokenRules breaks one rule at a time in a service document.
func TestCheckServiceReportsBrokenRules(t *testing.T) {
	const id = "Orders_UpdateFulfillmentStatus"
	op := func(doc *openapi3.T, id string) *openapi3.Operation {
		for _, p := range doc.Paths.Map() {
			for _, o := range p.Operations() {
				if o.OperationID == id {
					return o
				}
			}
		}
		t.Fatalf("operation %s not in the orders-v2 document", id)
		return nil
	}
	cases := []struct {
		name, where, rule string
		breakIt           func(doc *openapi3.T)
	}{
		{"duplicate id", "Orders_GetOrders", "operation-id", func(d *openapi3.T) { op(d, id).OperationID = "Orders_GetOrders" }},
		{"bare id", "UpdateFulfillmentStatus", "operation-id", func(d *openapi3.T) { op(d, id).OperationID = "UpdateFulfillmentStatus" }},
		{"wrong tag", id, "tag", func(d *openapi3.T) { op(d, id).Tags = []string{"Picking"} }},
		{"no summary", id, "summary", func(d *openapi3.T) { op(d, id).Summary = "" }},
		{"bad rate limit", id, "rate-limit", func(d *openapi3.T) {
			op(d, id).Extensions = map[string]any{speccheck.RateLimitExtension: float64(1.5)}
		}},
		{"text/json body", id, "json-only", func(d *openapi3.T) {
			c := op(d, id).RequestBody.Value.Content
			c["text/json"] = c["application/json"]
		}},
		{"inline oneOf body", id, "no-inline-oneof", func(d *openapi3.T) {
			op(d, id).RequestBody.Value.Content.Get("application/json").Schema =
				openapi3.NewOneOfSchema(openapi3.NewStringSchema(), openapi3.NewObjectSchema()).NewRef()
		}},
		{"security unstated", id, "security", func(d *openapi3.T) { op(d, id).Security = nil }},
		{"classic server", "document", "servers", func(d *openapi3.T) {
			d.Servers = append(d.Servers, &openapi3.Server{URL: "https://eu-ext.linnworks.net"})
		}},
		{"mixed versions", "document", "servers", func(d *openapi3.T) {
			d.Servers = append(d.Servers, &openapi3.Server{URL: "https://eu-api.linnworks.net/v1/"})
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := ordersv2.GetSpec() // a fresh copy
			if err != nil {
				t.Fatal(err)
			}
			tc.breakIt(doc)
			for _, v := range speccheck.CheckService(context.Background(), doc) {
				if v.Where == tc.where && v.Rule == tc.rule && strings.Contains(v.String(), tc.rule) {
					return
				}
			}
			t.Errorf("no %s violation on %s", tc.rule, tc.where)
		})
	}
}
