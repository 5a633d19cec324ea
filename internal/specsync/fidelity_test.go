package specsync_test

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/linnworks-go/linnworks/gen"
	"github.com/linnworks-go/linnworks/internal/specsync"
)

// upstreamEnv names the folder of Linnworks' public specification (LinnSystems/
// PublicApiSpecs): its root or its 1.0 folder. `make test` sets it when
// ../shared/linnworks-public-api-specs exists.
const upstreamEnv = "LINNWORKS_PUBLIC_SPECS"

func upstreamDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv(upstreamEnv)
	if dir == "" {
		t.Skipf("%s is not set: no upstream specification to compare with", upstreamEnv)
	}
	return dir
}

// TestFidelity checks that every upstream operation is in the embedded document
// (package gen, what users get) with the same path, method, rate limit, security,
// parameters and request/response field names and types. Upstream is converted
// with kin-openapi's openapi2conv, independently of the importer, and only the
// differences written in openapi/overlays are allowed.
func TestFidelity(t *testing.T) {
	dir := upstreamDir(t)
	raw, err := gen.GetSpecJSON()
	if err != nil {
		t.Fatal(err)
	}
	var ours map[string]any
	if err := json.Unmarshal(raw, &ours); err != nil {
		t.Fatal(err)
	}
	overlays, err := specsync.LoadOverlays("../../openapi")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := specsync.Compare(dir, overlays, ours)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	rep.Write(&out)
	if !rep.Clean() {
		t.Fatalf("the embedded document differs from upstream beyond the overlays:\n%s", out.String())
	}
	if rep.OperationsCompared == 0 {
		t.Fatal("no upstream operation compared")
	}
	t.Logf("%d controllers, %d operations match upstream", rep.ControllersCompared, rep.OperationsCompared)

	// The comparison must be able to fail: alter one field type of our document.
	schemas := ours["components"].(map[string]any)["schemas"].(map[string]any)
	props := schemas["BaseSession"].(map[string]any)["properties"].(map[string]any)
	props["TTL"] = map[string]any{"type": "string"}
	rep, err = specsync.Compare(dir, overlays, ours)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Clean() || len(rep.Controllers) != 1 || len(rep.Controllers[0].Changed) != 1 ||
		rep.Controllers[0].Changed[0].Key != "schema BaseSession: TTL" {
		t.Errorf("an altered field type was not reported as one change: %+v", rep.Controllers)
	}
}

// TestFidelitySources checks the same against the document sources (openapi/),
// which is what `make spec-drift` reports on.
func TestFidelitySources(t *testing.T) {
	dir := upstreamDir(t)
	rep, err := specsync.Drift(dir, "../../openapi")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	rep.Write(&out)
	if !rep.Clean() {
		t.Fatalf("openapi/ differs from upstream beyond the overlays:\n%s", out.String())
	}
}

// TestEveryUpstreamOperationHasATypedMethod checks that gen.ClientWithResponses
// has a <Controller><Method>WithResponse method for every upstream operation.
func TestEveryUpstreamOperationHasATypedMethod(t *testing.T) {
	ups, _, err := specsync.ReadUpstream(upstreamDir(t))
	if err != nil {
		t.Fatal(err)
	}
	client := reflect.TypeFor[*gen.ClientWithResponses]()
	n := 0
	for _, u := range ups {
		c, err := specsync.Convert(u, nil)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Paths map[string]map[string]struct {
				OperationID string `yaml:"operationId"`
			} `yaml:"paths"`
		}
		data, err := specsync.Encode(c.Doc)
		if err != nil {
			t.Fatal(err)
		}
		if err := yamlUnmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		for path, item := range doc.Paths {
			for method, op := range item {
				n++
				name := strings.ReplaceAll(op.OperationID, "_", "") + "WithResponse"
				if _, ok := client.MethodByName(name); !ok {
					t.Errorf("%s %s (%s): no gen.ClientWithResponses.%s", strings.ToUpper(method), path, op.OperationID, name)
				}
			}
		}
	}
	t.Logf("%d upstream operations have a typed method", n)
}
