package speccheck_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/linnworks-go/linnworks/gen"
	"github.com/linnworks-go/linnworks/internal/specbundle"
	"github.com/linnworks-go/linnworks/internal/speccheck"
)

func embedded(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := gen.GetSpec()
	if err != nil {
		t.Fatalf("load embedded spec: %v", err)
	}
	return doc
}

// TestEmbeddedSpecFollowsConventions is the spec test: every operation of the
// document the module embeds follows the conventions of openapi/README.md.
func TestEmbeddedSpecFollowsConventions(t *testing.T) {
	doc := embedded(t)
	for _, v := range speccheck.Check(context.Background(), doc) {
		t.Error(v)
	}
	if doc.Paths.Len() < 6 {
		t.Errorf("embedded spec has %d paths, want at least the first six operations", doc.Paths.Len())
	}
}

// TestBundleIsCurrent fails when openapi/ changed without `go generate ./...`.
func TestBundleIsCurrent(t *testing.T) {
	want, err := specbundle.Bundle(filepath.Join("..", "..", "openapi"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join("..", "..", "gen", "openapi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("gen/openapi.yaml is not the bundle of openapi/: run go generate ./...")
	}
}

// TestCheckReportsBrokenRules feeds the checker documents that each break one rule
// and expects a violation naming the operation and the rule.
func TestCheckReportsBrokenRules(t *testing.T) {
	const (
		authOp   = "Auth_AuthorizeByApplication"
		ordersOp = "Orders_GetOpenOrders"
	)
	op := func(doc *openapi3.T, id string) *openapi3.Operation {
		for _, p := range doc.Paths.Map() {
			for _, o := range p.Operations() {
				if o.OperationID == id {
					return o
				}
			}
		}
		t.Fatalf("operation %s not in the embedded spec", id)
		return nil
	}
	cases := []struct {
		name, where, rule string
		breakIt           func(doc *openapi3.T)
	}{
		{"missing rate limit", ordersOp, "rate-limit", func(d *openapi3.T) {
			delete(op(d, ordersOp).Extensions, speccheck.RateLimitExtension)
		}},
		{"zero rate limit", ordersOp, "rate-limit", func(d *openapi3.T) {
			op(d, ordersOp).Extensions[speccheck.RateLimitExtension] = float64(0)
		}},
		{"wrong tag", ordersOp, "tag", func(d *openapi3.T) { op(d, ordersOp).Tags = []string{"OpenOrders"} }},
		{"bare operation id", "GetOpenOrders", "operation-id", func(d *openapi3.T) { op(d, ordersOp).OperationID = "GetOpenOrders" }},
		{"id and path disagree", "Orders_GetOrders", "path", func(d *openapi3.T) { op(d, ordersOp).OperationID = "Orders_GetOrders" }},
		{"no summary", ordersOp, "summary", func(d *openapi3.T) { op(d, ordersOp).Summary = "" }},
		{"xml response", ordersOp, "json-only", func(d *openapi3.T) {
			r := op(d, ordersOp).Responses.Value("200").Value
			r.Content["application/xml"] = r.Content["application/json"]
		}},
		{"missing 429", ordersOp, "shared-errors", func(d *openapi3.T) { op(d, ordersOp).Responses.Delete("429") }},
		{"security unstated", ordersOp, "security", func(d *openapi3.T) { op(d, ordersOp).Security = nil }},
		{"auth needs a session", authOp, "security", func(d *openapi3.T) {
			op(d, authOp).Security = &openapi3.SecurityRequirements{{speccheck.SecurityScheme: {}}}
		}},
		{"public orders", ordersOp, "security", func(d *openapi3.T) { op(d, ordersOp).Security = &openapi3.SecurityRequirements{} }},
		{"response wrapper clash", ordersOp, "name-collision", func(d *openapi3.T) {
			d.Components.Schemas["Orders_GetOpenOrdersResponse"] = openapi3.NewObjectSchema().NewRef()
		}},
		{"inline oneOf body", ordersOp, "no-inline-oneof", func(d *openapi3.T) {
			op(d, ordersOp).RequestBody.Value.Content.Get("application/json").Schema =
				openapi3.NewOneOfSchema(openapi3.NewStringSchema(), openapi3.NewObjectSchema()).NewRef()
		}},
		{"second server", "document", "servers", func(d *openapi3.T) {
			d.Servers = append(d.Servers, &openapi3.Server{URL: "https://eu-ext.linnworks.net"})
		}},
		{"invalid document", "document", "valid-openapi", func(d *openapi3.T) {
			op(d, ordersOp).Responses.Value("200").Value.Content.Get("application/json").Schema =
				&openapi3.SchemaRef{Value: &openapi3.Schema{Type: &openapi3.Types{"no-such-type"}}}
		}},
	}
	ctx := context.Background()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc := embedded(t) // a fresh copy: GetSpec parses anew
			tc.breakIt(doc)
			vs := speccheck.Check(ctx, doc)
			for _, v := range vs {
				if v.Where == tc.where && v.Rule == tc.rule {
					if !strings.Contains(v.String(), tc.where) || !strings.Contains(v.String(), tc.rule) {
						t.Errorf("message %q does not name %s and %s", v, tc.where, tc.rule)
					}
					return
				}
			}
			t.Errorf("no %s violation on %s; got %v", tc.rule, tc.where, vs)
		})
	}
}
