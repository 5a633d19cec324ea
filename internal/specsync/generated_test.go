package specsync_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/linnworks-go/linnworks/gen"
)

// TestNoInlineOneOfBodies guards against oapi-codegen's known bug: an inline
// oneOf/anyOf request body becomes a named type without MarshalJSON and is sent
// as {}. Such a schema belongs in components/schemas, referred to by $ref.
func TestNoInlineOneOfBodies(t *testing.T) {
	probe := map[string]any{"type": "object", "properties": map[string]any{"X": map[string]any{"oneOf": []any{}}}}
	if inlineUnion(probe, "") != "oneOf at /properties/X" {
		t.Fatalf("the check does not find a nested oneOf: %q", inlineUnion(probe, ""))
	}
	raw, err := gen.GetSpecJSON()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string `json:"operationId"`
			RequestBody *struct {
				Content map[string]struct {
					Schema json.RawMessage `json:"schema"`
				} `json:"content"`
			} `json:"requestBody"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	bodies := 0
	for _, item := range doc.Paths {
		for _, op := range item {
			if op.RequestBody == nil {
				continue
			}
			for media, c := range op.RequestBody.Content {
				bodies++
				var s any
				if err := json.Unmarshal(c.Schema, &s); err != nil {
					t.Fatal(err)
				}
				if where := inlineUnion(s, ""); where != "" {
					t.Errorf("%s %s: inline %s in the request body; move it to components/schemas", op.OperationID, media, where)
				}
			}
		}
	}
	if bodies == 0 {
		t.Fatal("no request bodies found in the embedded spec")
	}
}

// inlineUnion finds a oneOf/anyOf in a schema without following $ref.
func inlineUnion(s any, at string) string {
	switch v := s.(type) {
	case map[string]any:
		for _, k := range []string{"oneOf", "anyOf"} {
			if _, ok := v[k]; ok {
				return k + " at " + at
			}
		}
		for k, x := range v {
			if w := inlineUnion(x, at+"/"+k); w != "" {
				return w
			}
		}
	case []any:
		for i, x := range v {
			if w := inlineUnion(x, fmt.Sprintf("%s/%d", at, i)); w != "" {
				return w
			}
		}
	}
	return ""
}
