package specsync

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"
)

func fixtureService(t *testing.T) ServiceUpstream {
	t.Helper()
	svcs, err := ReadServices("testdata/upstream")
	if err != nil {
		t.Fatal(err)
	}
	if len(svcs) != 1 || svcs[0].Name != "gadgets-v2" || svcs[0].Version != "v2" || svcs[0].Package() != "gadgetsv2" {
		t.Fatalf("services %+v, want the gadgets-v2 fixture only (the empty rest-service.json is no service)", svcs)
	}
	return svcs[0]
}

// The converted fixture is compared with a golden file; update with -update.
func TestConvertServiceAsGolden(t *testing.T) {
	d, err := ConvertService(fixtureService(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Encode(d.Doc)
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "golden", "gadgets-v2.yaml")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("converted gadgets-v2 differs from %s (run with -update after reviewing):\n%s", golden, got)
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(got)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the converted service is not valid OpenAPI: %v", err)
	}
}

func TestConvertServiceConventions(t *testing.T) {
	d, err := ConvertService(fixtureService(t), map[string]string{"Gadgets_ListGadgets": "Our own words."})
	if err != nil {
		t.Fatal(err)
	}
	m := decode(t, d.Doc)
	ids := map[string]string{
		"/gadgets|get":                   "Gadgets_ListGadgets",   // upstream id, tag prefixed
		"/gadgets|post":                  "Gadgets_PostGadgets",   // derived: method + literal segments (after the root, if more)
		"/gadgets/{gadgetId}|get":        "Gadgets_GetByGadgetId", // parameters as By<Param>
		"/gadgets/{gadgetId}|delete":     "Gadgets_DeleteById",    // merged from /gadgets/{id}, id from the upstream path
		"/gadgets/{gadgetId}/Rename|put": "GadgetNames_Rename",    // an RPC-style last segment is the name
	}
	for k, want := range ids {
		p, method, _ := strings.Cut(k, "|")
		if got := dig(t, m, "paths", p, method, "operationId"); got != want {
			t.Errorf("%s: operationId %v, want %s", k, got, want)
		}
	}
	if _, ok := dig(t, m, "paths").(map[string]any)["/gadgets/{id}"]; ok {
		t.Error("/gadgets/{id} was not merged into /gadgets/{gadgetId}")
	}
	del := dig(t, m, "paths", "/gadgets/{gadgetId}", "delete", "parameters").([]any)[0].(map[string]any)
	if del["name"] != "gadgetId" {
		t.Errorf("merged DELETE parameter is %v, want renamed to gadgetId", del["name"])
	}
	if got := dig(t, m, "paths", "/gadgets", "get", "summary"); got != "Our own words." {
		t.Errorf("summary %v, want ours kept", got)
	}
	if got := dig(t, m, "paths", "/gadgets/{gadgetId}", "get", "summary"); got != "Get by gadget ID." && got != "Get by gadget id." {
		t.Errorf("derived summary %v", got)
	}
	// JSON only, inline unions hoisted, security renamed, prose dropped.
	body := dig(t, m, "paths", "/gadgets", "post", "requestBody", "content").(map[string]any)
	if len(body) != 1 || dig(t, body, "application/json", "schema", "$ref") != "#/components/schemas/CogOrSprocket" {
		t.Errorf("request body content %v, want application/json $ref CogOrSprocket", body)
	}
	if got := dig(t, m, "paths", "/gadgets", "post", "responses", "200", "content", "application/json", "schema", "$ref"); got != "#/components/schemas/GadgetsPostGadgetsResult200" {
		t.Errorf("mixed union response refers to %v", got)
	}
	if got := dig(t, m, "paths", "/gadgets", "get", "responses", "401", "content", "application/problem+json", "schema", "$ref"); got != "#/components/schemas/ProblemOrValidationProblem" {
		t.Errorf("problem response refers to %v", got)
	}
	if _, ok := dig(t, m, "paths", "/gadgets", "get", "responses", "200", "content").(map[string]any)["text/json"]; ok {
		t.Error("text/json kept")
	}
	if got := dig(t, m, "paths", "/gadgets", "get", "security").([]any)[0].(map[string]any); got["SessionToken"] == nil {
		t.Errorf("security %v, want SessionToken", got)
	}
	if _, ok := dig(t, m, "paths", "/gadgets", "post").(map[string]any)["description"]; ok {
		t.Error("upstream description kept")
	}
	schemas := dig(t, m, "components", "schemas").(map[string]any)
	if _, ok := schemas["Unused"]; ok {
		t.Error("unreachable schema Unused kept")
	}
	if _, ok := dig(t, schemas, "Cog", "properties", "teeth").(map[string]any)["description"]; ok {
		t.Error("schema prose kept")
	}
	for _, name := range []string{"Cog", "Part"} {
		if _, ok := schemas[name].(map[string]any)["additionalProperties"]; ok {
			t.Errorf("%s keeps additionalProperties: false although it takes part in allOf", name)
		}
	}
	if got := dig(t, schemas, "Sprocket", "additionalProperties"); got != false {
		t.Errorf("Sprocket additionalProperties %v, want false kept", got)
	}
}

func TestConvertServiceRefusesWhatItCannotCarry(t *testing.T) {
	for name, tc := range map[string]struct{ from, to, want string }{
		"cookie parameter": {`"in": "query", "required": true`, `"in": "cookie", "required": true`, `location "cookie"`},
		"unknown keyword":  {`"maxLength": 40`, `"maxLength": 40, "contentEncoding": "x"`, `schema key "contentEncoding"`},
		"same id twice":    {`"operationId": "ListGadgets"`, `"operationId": "PostGadgets"`, `both get operationId Gadgets_PostGadgets`},
	} {
		t.Run(name, func(t *testing.T) {
			u := fixtureService(t)
			data := strings.Replace(string(u.Data), tc.from, tc.to, 1)
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(data), &doc); err != nil {
				t.Fatal(err)
			}
			u.Data, u.Root = []byte(data), doc.Content[0]
			_, err := ConvertService(u, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// ReadServices finds 2.0/*.json beside a 1.0 folder given as the upstream.
func TestReadServicesFromTheVersionFolder(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"1.0", "2.0"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for src, dst := range map[string]string{
		"testdata/upstream/login.json":          "1.0/login.json",
		"testdata/upstream/2.0/gadgets-v2.json": "2.0/gadgets-v2.json",
	} {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, dst), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, dir := range []string{root, filepath.Join(root, "1.0")} {
		svcs, err := ReadServices(dir)
		if err != nil || len(svcs) != 1 || svcs[0].Name != "gadgets-v2" {
			t.Errorf("ReadServices(%s) = %v, %v; want gadgets-v2", dir, svcs, err)
		}
	}
}

func TestImportServicesThenDrift(t *testing.T) {
	openapi := copyDir(t, "testdata/openapi")
	res, err := ImportServices("testdata/upstream", openapi)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Written) != 1 || res.Written[0] != filepath.Join("services", "gadgets-v2.yaml") {
		t.Fatalf("written %v", res.Written)
	}
	file := filepath.Join(openapi, "services", "gadgets-v2.yaml")
	first, _ := os.ReadFile(file)
	if _, err := ImportServices("testdata/upstream", openapi); err != nil {
		t.Fatal(err)
	}
	if again, _ := os.ReadFile(file); !bytes.Equal(first, again) {
		t.Error("importing twice gave different bytes")
	}
	rep, err := DriftServices("testdata/upstream", openapi)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	rep.Write(&out)
	if !rep.Clean() || !strings.Contains(out.String(), "no drift: 1 REST services, 5 operations") {
		t.Fatalf("drift after import:\n%s", out.String())
	}

	// A hand edit outside an overlay is drift, field by field, oneOf alternatives included.
	edited := strings.Replace(string(first), "maxLength: 40", "maxLength: 50", 1)
	edited = strings.Replace(edited, "- $ref: '#/components/schemas/Sprocket'", "- $ref: '#/components/schemas/Part'", 1)
	if err := os.WriteFile(file, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err = DriftServices("testdata/upstream", openapi)
	if err != nil {
		t.Fatal(err)
	}
	out.Reset()
	rep.Write(&out)
	for _, want := range []string{"operation PUT /gadgets/{gadgetId}/Rename: parameters.query.name: upstream string maxLength=40, ours string maxLength=50",
		"schema CogOrSprocket: .oneOf[1]: upstream ref Sprocket, ours ref Part", "+ schema Sprocket"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("drift lacks %q:\n%s", want, out.String())
		}
	}

	// The same change made by an overlay is no drift.
	if err := os.WriteFile(file, first, 0o644); err != nil {
		t.Fatal(err)
	}
	ov := filepath.Join(openapi, "overlays", "services")
	if err := os.MkdirAll(ov, 0o755); err != nil {
		t.Fatal(err)
	}
	overlay := "overlay: 1.0.0\ninfo: {title: t, version: 1.0.0}\nactions:\n" +
		"  - target: $.components.schemas['Sprocket'].properties['pitch']\n" +
		"    description: The service sends single precision.\n" +
		"    update: {format: float}\n"
	if err := os.WriteFile(filepath.Join(ov, "gadgets-v2.yaml"), []byte(overlay), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ImportServices("testdata/upstream", openapi); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(file); !strings.Contains(string(data), "format: float") {
		t.Error("the overlay was not applied by the import")
	}
	if rep, err = DriftServices("testdata/upstream", openapi); err != nil || !rep.Clean() {
		out.Reset()
		rep.Write(&out)
		t.Errorf("drift with the overlay: %v\n%s", err, out.String())
	}
	// An overlay for a service upstream does not have is an error.
	if err := os.WriteFile(filepath.Join(ov, "nothing-v9.yaml"), []byte(overlay), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := DriftServices("testdata/upstream", openapi); err == nil || !strings.Contains(err.Error(), "nothing-v9") {
		t.Errorf("err = %v, want the orphan overlay named", err)
	}
}
