package specsync

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// editUpstream copies the fixture upstream folder and replaces old with new in one file.
func editUpstream(t *testing.T, file, old, new string) string {
	t.Helper()
	dir := copyDir(t, "testdata/upstream")
	p := filepath.Join(dir, file)
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(old)) {
		t.Fatalf("%s does not contain %q", file, old)
	}
	if err := os.WriteFile(p, bytes.Replace(data, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestDriftIsCleanAfterImport(t *testing.T) {
	dir, _ := importFixtures(t)
	rep, err := Drift("testdata/upstream", dir)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	rep.Write(&out)
	if !rep.Clean() {
		t.Fatalf("drift right after import:\n%s", out.String())
	}
	if rep.ControllersCompared != 2 || rep.OperationsCompared != 4 {
		t.Errorf("compared %d controllers, %d operations; want 2, 4", rep.ControllersCompared, rep.OperationsCompared)
	}
	if !strings.Contains(out.String(), "no drift: 2 controllers, 4 operations") {
		t.Errorf("report:\n%s", out.String())
	}
}

func TestDriftReportsUpstreamChanges(t *testing.T) {
	tests := []struct {
		name     string
		file     string
		old, new string
		kind     string // "+", "-", "~"
		want     string
	}{
		{"operation added", "widgets.json", `"/api/Widgets/GetWidgets": {`,
			`"/api/Widgets/CountWidgets": {"get": {"tags": ["Widgets"], "operationId": "CountWidgets", "description": "<b>9</b></span> / minute", "responses": {"204": {"description": "No Content"}}, "security": [{"token": ["token"]}]}},
    "/api/Widgets/GetWidgets": {`,
			"+", "operation GET /api/Widgets/CountWidgets: present"},
		{"operation removed", "login.json", `"/api/Login/OpenSession": {
      "post"`, `"/api/Login/OpenSession": {
      "put"`, "-", "operation POST /api/Login/OpenSession: present"},
		{"rate limit changed", "widgets.json", `<b>250</b>`, `<b>300</b>`,
			"~", "operation GET /api/Widgets/GetWidgets: rate limit: upstream 300, ours 250"},
		{"parameter added", "widgets.json", `{"name": "colour",`,
			`{"name": "shape", "in": "query", "type": "string"},
          {"name": "colour",`, "+", "operation GET /api/Widgets/GetWidgets: parameters.query.shape: string"},
		{"parameter now required", "widgets.json", `{"name": "widgetId", "in": "query",`,
			`{"name": "widgetId", "in": "query", "required": true,`, "~", "parameters.query.widgetId required: upstream true, ours false"},
		{"field added", "widgets.json", `"Name": {"type": "string"},`,
			`"Name": {"type": "string"}, "Weight": {"type": "number", "format": "double"},`, "+", "schema Widget: Weight: number/double"},
		{"field removed", "widgets.json", `"Price": {"format": "double", "type": "number"},`, ``,
			"-", "schema Widget: Price: number/double"},
		{"field type changed", "widgets.json", `"Quantity": {"format": "int32", "type": "integer"}`,
			`"Quantity": {"format": "double", "type": "number"}`, "~", "schema Part: Quantity: upstream number/double, ours integer/int32"},
		{"enum changed", "widgets.json", `"Colour": {"enum": ["Red", "Green"]`,
			`"Colour": {"enum": ["Red", "Green", "Blue"]`, "~", "enum(Red,Green,Blue)"},
		{"response body changed", "widgets.json", `"responses": {"204": {"description": "No Content"}},
        "deprecated"`, `"responses": {"200": {"description": "OK", "schema": {"type": "boolean"}}},
        "deprecated"`, "+", "operation POST /api/Widgets/Delete_Widget: responses.200: boolean"},
		{"security changed", "login.json", `"security": []`, `"security": [{"token": ["token"]}]`,
			"~", "security: upstream undefined scheme token, ours none"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ours, _ := importFixtures(t)
			up := editUpstream(t, tt.file, tt.old, tt.new)
			if tt.file == "login.json" {
				// the login overlay targets the POST operation; keep it applicable
				if tt.name == "operation removed" {
					if err := os.Remove(filepath.Join(ours, "overlays", "login.yaml")); err != nil {
						t.Fatal(err)
					}
				}
			}
			rep, err := Drift(up, ours)
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			rep.Write(&out)
			if rep.Clean() {
				t.Fatalf("no drift reported:\n%s", out.String())
			}
			line := "  " + tt.kind + " "
			found := false
			for _, l := range strings.Split(out.String(), "\n") {
				if strings.HasPrefix(l, line) && strings.Contains(l, tt.want) {
					found = true
				}
			}
			if !found {
				t.Errorf("report lacks a %q line with %q:\n%s", tt.kind, tt.want, out.String())
			}
		})
	}
}

func TestDriftFoldsDetailsOfAWholeOperation(t *testing.T) {
	ours, _ := importFixtures(t)
	up := editUpstream(t, "widgets.json", `"/api/Widgets/GetWidgets": {`, `"/api/Widgets/ListWidgets": {`)
	rep, err := Drift(up, ours)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Controllers) != 1 {
		t.Fatalf("controllers %v", rep.Controllers)
	}
	c := rep.Controllers[0]
	if c.Name != "Widgets" || len(c.Added) != 1 || len(c.Removed) != 1 || len(c.Changed) != 0 {
		t.Errorf("drift %+v, want one operation added and one removed, no detail lines", c)
	}
}

func TestDriftReportsOurControllersUpstreamLacks(t *testing.T) {
	ours, _ := importFixtures(t)
	up := copyDir(t, "testdata/upstream")
	if err := os.Remove(filepath.Join(up, "widgets.json")); err != nil {
		t.Fatal(err)
	}
	rep, err := Drift(up, ours)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Controllers) != 1 || rep.Controllers[0].Name != "Widgets" {
		t.Fatalf("drift %+v, want Widgets only", rep.Controllers)
	}
	ops := 0
	for _, r := range rep.Controllers[0].Removed {
		if strings.HasPrefix(r.Key, "operation ") {
			ops++
		}
	}
	if ops != 3 || len(rep.Controllers[0].Added) != 0 {
		t.Errorf("drift %+v, want the 3 Widgets operations removed upstream", rep.Controllers[0])
	}
}

func TestDriftCatchesHandEditsOutsideOverlays(t *testing.T) {
	ours, _ := importFixtures(t)
	file := filepath.Join(ours, "controllers", "widgets.yaml")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(data), "    Part:\n      type: object\n", "    Part:\n      type: object\n      required: [Sku]\n", 1)
	// Part is shared with login.yaml: keep the document bundleable by editing both.
	if err := os.WriteFile(file, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	loginFile := filepath.Join(ours, "controllers", "login.yaml")
	login, err := os.ReadFile(loginFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(loginFile, []byte(strings.Replace(string(login), "    Part:\n      type: object\n", "    Part:\n      type: object\n      required: [Sku]\n", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := Drift("testdata/upstream", ours)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Controllers) != 2 {
		t.Fatalf("drift %+v, want the unlisted correction reported in both controllers", rep.Controllers)
	}
	for _, c := range rep.Controllers {
		if len(c.Changed) != 1 || !strings.Contains(c.Changed[0].Ours, "required(Sku)") {
			t.Errorf("%s: %+v", c.Name, c.Changed)
		}
	}
}

// A hand correction whose target upstream removed is drift, listed with the
// rest of the report: the comparison does not stop at it.
func TestDriftReportsStaleOverlay(t *testing.T) {
	ours, _ := importFixtures(t)
	up := editUpstream(t, "login.json", `"OpenSessionRequest": {`, `"SessionRequest": {`)
	up2 := filepath.Join(up, "login.json")
	data, _ := os.ReadFile(up2)
	if err := os.WriteFile(up2, bytes.ReplaceAll(data, []byte("definitions/OpenSessionRequest"), []byte("definitions/SessionRequest")), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := Drift(up, ours)
	if err != nil {
		t.Fatalf("drift stopped at the stale overlay: %v", err)
	}
	if rep.Clean() {
		t.Fatal("a stale overlay action left the report clean")
	}
	if len(rep.Stale) != 1 || !strings.Contains(rep.Stale[0], "OpenSessionRequest") || !strings.Contains(rep.Stale[0], "login.yaml") {
		t.Errorf("Stale = %q, want the overlay file and its target named", rep.Stale)
	}
	if len(rep.Controllers) == 0 {
		t.Error("the upstream rename itself is not reported")
	}
	var out strings.Builder
	rep.Write(&out)
	if !strings.Contains(out.String(), "stale: overlay login.yaml:") {
		t.Errorf("report does not list the stale action:\n%s", out.String())
	}
}
