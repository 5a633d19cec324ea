package specsync

import (
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestConvertFollowsDocumentConventions(t *testing.T) {
	c, err := Convert(fixtureUpstream(t, "widgets"), map[string]string{"Widgets_GetWidgets": "Our own words."})
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "Widgets" || c.File != "widgets" {
		t.Fatalf("controller = %q file %q", c.Name, c.File)
	}
	doc := decode(t, c.Doc)
	if got := keysOf(doc); len(got) != 2 {
		t.Fatalf("top-level keys %v, want paths and components only", got)
	}

	add := dig(t, doc, "paths", "/api/Widgets/AddWidget", "post")
	want := map[string]any{
		"operationId":            "Widgets_AddWidget",
		"tags":                   []any{"Widgets"},
		"summary":                "Add widget.",
		"x-linnworks-rate-limit": 100,
		"security":               []any{map[string]any{"SessionToken": []any{}}},
	}
	for k, v := range want {
		if got := dig(t, add, k); !reflect.DeepEqual(got, v) {
			t.Errorf("AddWidget %s = %#v, want %#v", k, got, v)
		}
	}
	if got := dig(t, add, "requestBody", "required"); got != true {
		t.Errorf("AddWidget requestBody.required = %v, want true (as upstream)", got)
	}
	if got := dig(t, add, "requestBody", "content", "application/json", "schema", "$ref"); got != "#/components/schemas/Widgets_AddWidgetRequest" {
		t.Errorf("AddWidget body schema = %v", got)
	}
	responses := dig(t, add, "responses").(map[string]any)
	if len(responses) != 4 {
		t.Errorf("AddWidget responses %v, want 200 + shared 400/401/429", keysOf(responses))
	}
	for _, code := range []string{"400", "401", "429"} {
		if got := dig(t, responses, code, "$ref"); got != "#/components/responses/Error"+code {
			t.Errorf("response %s = %v", code, got)
		}
	}
	if got := keysOf(dig(t, responses, "200", "content").(map[string]any)); !reflect.DeepEqual(got, []string{"application/json"}) {
		t.Errorf("200 media types %v, want JSON only", got)
	}

	get := dig(t, doc, "paths", "/api/Widgets/GetWidgets", "get")
	if got := dig(t, get, "summary"); got != "Our own words." {
		t.Errorf("summary of an existing operation = %q, want ours kept", got)
	}
	params := dig(t, get, "parameters").([]any)
	wantParams := []map[string]any{
		{"name": "widgetId", "in": "query", "required": false, "schema": map[string]any{"type": "string", "format": "uuid"}},
		{"name": "colour", "in": "query", "required": true, "schema": map[string]any{"type": "string", "enum": []any{"Red", "Green"}}},
		{"name": "sizes", "in": "query", "required": false, "schema": map[string]any{"type": "array", "items": map[string]any{"type": "integer", "format": "int32"}}},
	}
	if len(params) != len(wantParams) {
		t.Fatalf("parameters = %v", params)
	}
	for i, p := range params {
		if !reflect.DeepEqual(p, any(wantParams[i])) {
			t.Errorf("parameter %d = %#v, want %#v", i, p, wantParams[i])
		}
	}

	del := dig(t, doc, "paths", "/api/Widgets/Delete_Widget", "post")
	if got := dig(t, del, "operationId"); got != "Widgets_Delete_Widget" {
		t.Errorf("operationId = %v", got)
	}
	if got := dig(t, del, "deprecated"); got != true {
		t.Errorf("deprecated = %v", got)
	}
	if got := dig(t, del, "responses", "204"); !reflect.DeepEqual(got, map[string]any{"description": "No Content"}) {
		t.Errorf("204 = %#v, want no content", got)
	}
	if _, hasReq := dig(t, del, "requestBody").(map[string]any)["required"]; hasReq {
		t.Errorf("requestBody.required written although upstream does not state it")
	}

	schemas := dig(t, doc, "components", "schemas").(map[string]any)
	var names []string
	for n := range schemas {
		names = append(names, n)
	}
	if len(schemas) != 3 || schemas["Unused"] != nil {
		t.Errorf("schemas %v, want only the three reachable ones", names)
	}
	widget := dig(t, schemas, "Widget", "properties")
	if got := dig(t, widget, "Id"); !reflect.DeepEqual(got, map[string]any{"format": "uuid", "type": "string", "readOnly": true}) {
		t.Errorf("Widget.Id = %#v", got)
	}
	if got := dig(t, widget, "Note", "nullable"); got != true {
		t.Errorf("x-nullable not converted: %v", got)
	}
	if got := dig(t, widget, "Labels", "additionalProperties"); !reflect.DeepEqual(got, map[string]any{"type": "string"}) {
		t.Errorf("Labels.additionalProperties = %#v", got)
	}
	if got := dig(t, widget, "Parts", "items"); !reflect.DeepEqual(got, map[string]any{"$ref": "#/components/schemas/Part"}) {
		t.Errorf("Parts.items = %#v (siblings of $ref must go)", got)
	}

	out, err := Encode(c.Doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, prose := range []string{"Fixture", "fixture", "description: Used", "title", "example", "#/definitions/"} {
		if strings.Contains(string(out), prose) {
			t.Errorf("converted document contains %q:\n%s", prose, out)
		}
	}
	if !strings.HasPrefix(string(out), "# Widgets controller: operations /api/Widgets/... and the schemas they use.\n") {
		t.Errorf("missing header comment:\n%.200s", out)
	}
}

func TestConvertAuthOperationsHaveNoSecurity(t *testing.T) {
	c, err := Convert(fixtureUpstream(t, "login"), nil)
	if err != nil {
		t.Fatal(err)
	}
	got := dig(t, decode(t, c.Doc), "paths", "/api/Login/OpenSession", "post", "security")
	if !reflect.DeepEqual(got, []any{}) {
		t.Errorf("security = %#v, want [] as upstream says", got)
	}
}

// mutate returns a copy of the widgets fixture with fn applied to its parsed JSON.
func mutate(t *testing.T, fn func(root *yaml.Node)) Upstream {
	t.Helper()
	u := fixtureUpstream(t, "widgets")
	fn(u.Root)
	return u
}

func TestConvertRejectsWhatItCannotCarry(t *testing.T) {
	op := func(r *yaml.Node) *yaml.Node { return get(get(get(r, "paths"), "/api/Widgets/AddWidget"), "post") }
	tests := []struct {
		name string
		edit func(r *yaml.Node)
		want []string
	}{
		{"no rate limit", func(r *yaml.Node) { set(op(r), "description", str("no limit stated")) },
			[]string{"POST /api/Widgets/AddWidget", "no rate limit"}},
		{"path shape", func(r *yaml.Node) { get(r, "paths").Content[0].Value = "/v2/widgets" },
			[]string{"/v2/widgets", "/api/Controller/Method"}},
		{"mixed controllers", func(r *yaml.Node) { get(r, "paths").Content[2].Value = "/api/Gadgets/GetWidgets" },
			[]string{"/api/Gadgets/GetWidgets", "/api/Widgets/"}},
		{"form data", func(r *yaml.Node) { set(get(op(r), "parameters").Content[0], "in", str("formData")) },
			[]string{"parameter request", `"formData"`}},
		{"unknown schema key", func(r *yaml.Node) {
			set(get(get(r, "definitions"), "Part"), "oneOf", sequence())
		}, []string{"definition Part", `"oneOf"`}},
		{"undefined ref", func(r *yaml.Node) {
			set(get(get(op(r), "responses"), "200"), "schema", func() *yaml.Node {
				m := mapping()
				set(m, "$ref", str("#/definitions/Nowhere"))
				return m
			}())
		}, []string{"response 200", "Nowhere"}},
		{"body without JSON", func(r *yaml.Node) { set(op(r), "consumes", sequence(str("application/xml"))) },
			[]string{"AddWidget", "application/json"}},
		{"response clashing with shared errors", func(r *yaml.Node) {
			set(get(op(r), "responses"), "429", mapping())
		}, []string{"response 429"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Convert(mutate(t, tt.edit), nil)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestSummary(t *testing.T) {
	tests := map[string]string{
		"GetOpenOrders":               "Get open orders.",
		"AuthorizeByApplication":      "Authorize by application.",
		"Delete_PurchaseOrderItem":    "Delete purchase order item.",
		"GetPDFTemplates":             "Get PDF templates.",
		"GetStockLevel_Batch":         "Get stock level batch.",
		"Search_PurchaseOrders2":      "Search purchase orders2.",
		"CreateSKU":                   "Create SKU.",
		"Get":                         "Get.",
		"GetEbayListingOperationsAll": "Get ebay listing operations all.",
	}
	for in, want := range tests {
		if got := Summary(in); got != want {
			t.Errorf("Summary(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRateLimit(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{`Text.<b>Rate limit: </b><span style="x"><b>150</b></span> / minute`, 150, true},
		{`<b> 20 </b></span>/minute`, 20, true},
		{`no limit`, 0, false},
		{`<b>0</b></span> / minute`, 0, false},
	}
	for _, tt := range tests {
		got, ok := RateLimit(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("RateLimit(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
