package specsync

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/linnworks-go/linnworks/internal/specbundle"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the importer's output")

// importFixtures imports testdata/upstream into a copy of testdata/openapi.
func importFixtures(t *testing.T) (dir string, res *ImportResult) {
	t.Helper()
	dir = copyDir(t, "testdata/openapi")
	res, err := Import("testdata/upstream", dir)
	if err != nil {
		t.Fatal(err)
	}
	return dir, res
}

func TestImportWritesControllersAsGolden(t *testing.T) {
	dir, res := importFixtures(t)
	if got := strings.Join(res.Written, " "); got != filepath.Join("controllers", "login.yaml")+" "+filepath.Join("controllers", "widgets.yaml") {
		t.Errorf("written %q", got)
	}
	if len(res.Skipped) != 1 || res.Skipped[0] != "rest-service.json" {
		t.Errorf("skipped %v, want the OpenAPI 3 file", res.Skipped)
	}
	for _, name := range []string{"login.yaml", "widgets.yaml"} {
		got, err := os.ReadFile(filepath.Join(dir, "controllers", name))
		if err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", "golden", name)
		if *update {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s (run go test -run Golden -update to accept):\n%s", name, golden, got)
		}
	}
}

func TestImportedDocumentIsValidOpenAPI(t *testing.T) {
	dir, _ := importFixtures(t)
	data, err := specbundle.Bundle(dir)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(t.Context()); err != nil {
		t.Fatalf("bundled fixture document is invalid: %v", err)
	}
	if n := doc.Paths.Len(); n != 4 {
		t.Errorf("%d paths, want 4", n)
	}
}

func TestImportAppliesOverlays(t *testing.T) {
	dir, _ := importFixtures(t)
	data, err := os.ReadFile(filepath.Join(dir, "controllers", "login.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"requestBody:\n        required: true\n        content:",
		"OpenSessionRequest:\n      type: object\n      required: [Key, Secret]\n      properties:",
	} {
		if !strings.Contains(string(data), want) {
			t.Errorf("login.yaml lacks the overlay's correction %q:\n%s", want, data)
		}
	}
}

func TestReimportKeepsOurSummariesAndIsStable(t *testing.T) {
	dir, _ := importFixtures(t)
	file := filepath.Join(dir, "controllers", "widgets.yaml")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(data), "summary: Add widget.", "summary: Adds one widget with its parts.", 1)
	if edited == string(data) {
		t.Fatal("fixture summary not found")
	}
	if err := os.WriteFile(file, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Import("testdata/upstream", dir); err != nil {
		t.Fatal(err)
	}
	again, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != edited {
		t.Errorf("re-import changed the file:\n%s", again)
	}
}

func TestImportReportsControllersWithoutUpstream(t *testing.T) {
	dir := copyDir(t, "testdata/openapi")
	if err := os.MkdirAll(filepath.Join(dir, "controllers"), 0o755); err != nil {
		t.Fatal(err)
	}
	handmade := filepath.Join(dir, "controllers", "extra.yaml")
	if err := os.WriteFile(handmade, []byte("paths: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Import("testdata/upstream", dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Unmatched) != 1 || res.Unmatched[0] != filepath.Join("controllers", "extra.yaml") {
		t.Errorf("unmatched %v", res.Unmatched)
	}
	if data, _ := os.ReadFile(handmade); string(data) != "paths: {}\n" {
		t.Errorf("hand-made controller file was changed")
	}
}

func writeOverlay(t *testing.T, dir, name, body string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "overlays", name), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestOverlayProblemsAreErrors(t *testing.T) {
	tests := []struct {
		name, file, body string
		want             []string
	}{
		{"stale target", "widgets.yaml", `overlay: 1.0.0
info: {title: t, version: 1.0.0}
actions:
  - target: $.components.schemas['Gone']
    description: Corrects a schema upstream no longer has.
    update: {required: [X]}
`, []string{"widgets.yaml", "Gone", "did not match"}},
		{"no reason", "widgets.yaml", `overlay: 1.0.0
info: {title: t, version: 1.0.0}
actions:
  - target: $.components.schemas['Part']
    update: {required: [Sku]}
`, []string{"widgets.yaml", "action 1", "one-line reason"}},
		{"multi-line reason", "widgets.yaml", `overlay: 1.0.0
info: {title: t, version: 1.0.0}
actions:
  - target: $.components.schemas['Part']
    description: "one\ntwo"
    update: {required: [Sku]}
`, []string{"one-line reason"}},
		{"neither update nor remove", "widgets.yaml", `overlay: 1.0.0
info: {title: t, version: 1.0.0}
actions:
  - target: $.components.schemas['Part']
    description: Does nothing.
`, []string{"neither update nor remove"}},
		{"wrong version", "widgets.yaml", `overlay: 2.0.0
info: {title: t, version: 1.0.0}
actions:
  - target: $.components.schemas['Part']
    description: Fine otherwise.
    update: {required: [Sku]}
`, []string{"2.0.0"}},
		{"bad JSONPath", "widgets.yaml", `overlay: 1.0.0
info: {title: t, version: 1.0.0}
actions:
  - target: $.paths[
    description: Broken target.
    update: {x: 1}
`, []string{"target"}},
		{"no upstream file", "gadgets.yaml", `overlay: 1.0.0
info: {title: t, version: 1.0.0}
actions:
  - target: $.paths
    description: For a controller upstream does not have.
    update: {x: 1}
`, []string{"gadgets.yaml", "gadgets.json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyDir(t, "testdata/openapi")
			writeOverlay(t, dir, tt.file, tt.body)
			_, err := Import("testdata/upstream", dir)
			if err == nil {
				t.Fatal("import succeeded")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, "controllers")); err == nil {
				t.Errorf("controllers written despite the error")
			}
		})
	}
}

func TestOverlayThatChangesNothingIsNoted(t *testing.T) {
	dir := copyDir(t, "testdata/openapi")
	writeOverlay(t, dir, "widgets.yaml", `overlay: 1.0.0
info: {title: t, version: 1.0.0}
actions:
  - target: $.paths['/api/Widgets/AddWidget'].post.requestBody
    description: Upstream now says so too.
    update: {required: true}
`)
	res, err := Import("testdata/upstream", dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "does nothing") || !strings.Contains(res.Notes[0], "widgets.yaml") {
		t.Errorf("notes %q, want one saying the widgets overlay action does nothing", res.Notes)
	}
}

func TestOverlayRemoveAction(t *testing.T) {
	dir := copyDir(t, "testdata/openapi")
	writeOverlay(t, dir, "widgets.yaml", `overlay: 1.0.0
info: {title: t, version: 1.0.0}
actions:
  - target: $.paths['/api/Widgets/Delete_Widget']
    description: Withdrawn by Linnworks but still listed upstream.
    remove: true
`)
	if _, err := Import("testdata/upstream", dir); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "controllers", "widgets.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "Delete_Widget") {
		t.Errorf("removed operation still present:\n%s", data)
	}
}

func TestOverlayAddsAnOperationByHand(t *testing.T) {
	dir := copyDir(t, "testdata/openapi")
	writeOverlay(t, dir, "widgets.yaml", `overlay: 1.0.0
info: {title: t, version: 1.0.0}
actions:
  - target: $.paths
    description: Linnworks answers this call although the published specification omits it.
    update:
      /api/Widgets/CountWidgets:
        get:
          responses:
            "200":
              description: OK
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/WidgetCount'}
            "400": {$ref: '#/components/responses/Error400'}
            "401": {$ref: '#/components/responses/Error401'}
            "429": {$ref: '#/components/responses/Error429'}
          security:
            - SessionToken: []
          x-linnworks-rate-limit: 60
          summary: Counts widgets.
          tags: [Widgets]
          operationId: Widgets_CountWidgets
  - target: $.components.schemas
    description: The answer of Widgets_CountWidgets.
    update:
      WidgetCount:
        type: object
        properties:
          Count: {type: integer, format: int32}
`)
	if _, err := Import("testdata/upstream", dir); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "controllers", "widgets.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// The overlay's keys are put back into the document's order.
	want := "      operationId: Widgets_CountWidgets\n      tags: [Widgets]\n      summary: Counts widgets.\n      x-linnworks-rate-limit: 60\n      responses:"
	if !strings.Contains(string(data), want) {
		t.Errorf("added operation missing or out of order:\n%s", data)
	}
	rep, err := Drift("testdata/upstream", dir)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Clean() {
		var out bytes.Buffer
		rep.Write(&out)
		t.Errorf("an operation added by overlay counts as drift:\n%s", out.String())
	}
}

func TestOverlayRequiredListStaysASetWhenUpstreamCatchesUp(t *testing.T) {
	dir := copyDir(t, "testdata/openapi")
	up := editUpstream(t, "login.json", `"OpenSessionRequest": {
      "type": "object",`, `"OpenSessionRequest": {
      "type": "object",
      "required": ["Key"],`)
	if _, err := Import(up, dir); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "controllers", "login.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "required:\n        - Key\n        - Secret\n") {
		t.Errorf("required list not deduplicated:\n%s", data)
	}
	rep, err := Drift(up, dir)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Clean() {
		var out bytes.Buffer
		rep.Write(&out)
		t.Errorf("drift:\n%s", out.String())
	}
}

func TestOverlayOnASharedSchemaMustCoverEveryController(t *testing.T) {
	dir := copyDir(t, "testdata/openapi")
	writeOverlay(t, dir, "widgets.yaml", `overlay: 1.0.0
info: {title: t, version: 1.0.0}
actions:
  - target: $.components.schemas['Part']
    description: Parts always have a SKU.
    update: {required: [Sku]}
`)
	_, err := Import("testdata/upstream", dir)
	if err == nil || !strings.Contains(err.Error(), "schema Part differs between controllers/login.yaml and controllers/widgets.yaml") {
		t.Errorf("err = %v", err)
	}
}
