package mock_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/linnworks-go/linnworks/gen"
	"github.com/linnworks-go/linnworks/mock"
)

// smallDoc is a document of its own for behaviours the embedded one cannot show.
const smallDoc = `
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /api/Things/Put:
    post:
      operationId: Things_Put
      x-linnworks-rate-limit: 2
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                Name: {type: string}
                Size: {type: integer, default: 7}
      responses:
        "204": {description: done}
      security: []
  /api/Things/Tree:
    get:
      operationId: Things_Tree
      parameters:
        - {name: ids, in: query, schema: {type: array, items: {}}}
        - {name: count, in: query, schema: {type: integer, format: int32}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Node'}
      security: []
components:
  schemas:
    Node:
      type: object
      required: [Name]
      properties:
        Name: {type: string, minLength: 12, maxLength: 12}
        Weight: {type: number, minimum: 10, exclusiveMinimum: true, maximum: 11}
        Kind: {type: string, enum: [LEAF, BRANCH]}
        Secret: {type: string, writeOnly: true}
        Children: {type: array, minItems: 2, items: {$ref: '#/components/schemas/Node'}}
        Parent: {$ref: '#/components/schemas/Node'}
        Tags: {type: object, additionalProperties: {type: integer, format: int64}}
        Either:
          oneOf:
            - {type: integer}
            - {type: string, format: date-time}
`

func loadSmallDoc(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData([]byte(smallDoc))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// The mock must not change what it received: kin-openapi would write the default
// Size into the body unless told not to.
func TestRequestIsNotRewritten(t *testing.T) {
	m := mock.New(mock.WithSpec(loadSmallDoc(t)))
	var got string
	m.Stub("Things_Put", func(r *http.Request) (int, any) {
		b, _ := io.ReadAll(r.Body)
		got = string(b)
		return http.StatusNoContent, nil
	})
	const sent = `{"Name":"a"}`
	a := do(t, m.Client(), http.MethodPost, mock.AuthServer+"/api/Things/Put", "", sent)
	if a.status != http.StatusNoContent || len(a.body) != 0 {
		t.Fatalf("got %d %q, want 204 without body", a.status, a.body)
	}
	if got != sent {
		t.Errorf("the stub received %s, want %s as sent", got, sent)
	}
}

func TestSynthesised204HasNoBody(t *testing.T) {
	m := mock.New(mock.WithSpec(loadSmallDoc(t)))
	a := do(t, m.Client(), http.MethodPost, mock.AuthServer+"/api/Things/Put", "", `{}`)
	if a.status != http.StatusNoContent || len(a.body) != 0 || a.header.Get("Content-Type") != "" {
		t.Fatalf("got %d %v %q, want a bare 204", a.status, a.header, a.body)
	}
}

// Every 204 operation of the embedded document answers without a body.
func TestEmbedded204Operations(t *testing.T) {
	doc, err := gen.GetSpec()
	if err != nil {
		t.Fatal(err)
	}
	m := mock.New(mock.WithoutRateLimits())
	c := m.Client()
	token, _ := session(t, m, c, mock.AuthServer)
	checked := 0
	for _, op := range operationsOf(doc) {
		if op.op.Responses.Status(http.StatusNoContent) == nil || op.op.Responses.Status(http.StatusOK) != nil ||
			len(op.op.Parameters) > 0 || strings.Contains(op.path, "{") {
			continue
		}
		var body any
		if rb := op.op.RequestBody; rb != nil {
			body = mock.SynthRequest(rb.Value.Content.Get("application/json").Schema)
		}
		a := do(t, c, op.method, mock.SessionServer+op.path, token, body)
		if a.status != http.StatusNoContent || len(a.body) != 0 {
			t.Errorf("%s: %d %q, want 204 without body", op.id, a.status, a.body)
		}
		checked++
	}
	t.Logf("%d operations answer 204", checked)
}

func TestSynthesisedExampleFollowsTheSchema(t *testing.T) {
	doc := loadSmallDoc(t)
	node := doc.Components.Schemas["Node"]
	v := mock.SynthResponse(node)
	if err := node.Value.VisitJSON(v, openapi3.VisitAsResponse()); err != nil {
		t.Fatalf("the example is invalid: %v", err)
	}
	obj := v.(map[string]any)
	if len(obj["Name"].(string)) != 12 {
		t.Errorf("Name %q ignores minLength/maxLength 12", obj["Name"])
	}
	if w := obj["Weight"].(float64); w <= 10 || w > 11 {
		t.Errorf("Weight %v is outside (10, 11]", w)
	}
	if obj["Kind"] != "LEAF" {
		t.Errorf("Kind = %v, want the first enum value", obj["Kind"])
	}
	if _, ok := obj["Secret"]; ok {
		t.Error("a response example carries a writeOnly property")
	}
	if children := obj["Children"].([]any); len(children) != 2 {
		t.Errorf("Children has %d elements, want minItems 2", len(children))
	}
	if tags := obj["Tags"].(map[string]any); len(tags) != 1 {
		t.Errorf("Tags = %v, want one entry", tags)
	}
	if _, ok := mock.SynthRequest(node).(map[string]any)["Secret"]; !ok {
		t.Error("a request example lacks the writeOnly property")
	}
	// Determinism: the same schema gives the same example.
	if a, b := mustJSON(t, mock.SynthResponse(node)), mustJSON(t, v); a != b {
		t.Errorf("two syntheses differ:\n%s\n%s", a, b)
	}
}

func TestSynthesisedAnswerIsValidatedAndServed(t *testing.T) {
	m := mock.New(mock.WithSpec(loadSmallDoc(t)))
	a := do(t, m.Client(), http.MethodGet, mock.AuthServer+"/api/Things/Tree?ids=a&ids=b", "", nil)
	if a.status != http.StatusOK || !strings.Contains(string(a.body), `"Kind":"LEAF"`) {
		t.Fatalf("got %d %s", a.status, a.body)
	}
}

func TestMalformedParameterMessage(t *testing.T) {
	m := mock.New(mock.WithSpec(loadSmallDoc(t)))
	a := do(t, m.Client(), http.MethodGet, mock.AuthServer+"/api/Things/Tree?count=12x34", "", nil)
	if a.status != http.StatusBadRequest {
		t.Fatalf("got %d %s", a.status, a.body)
	}
	msg := a.message(t)
	if !strings.Contains(msg, `parameter "count" in query`) || !strings.Contains(msg, "invalid integer") || strings.Contains(msg, "12x34") {
		t.Errorf("message %q should name the parameter and the rule, not quote the value", msg)
	}
}

func TestAnonymousRateLimit(t *testing.T) {
	m := mock.New(mock.WithSpec(loadSmallDoc(t)))
	for i, want := range []int{204, 204, 429} {
		a := do(t, m.Client(), http.MethodPost, mock.AuthServer+"/api/Things/Put", "", `{}`)
		if a.status != want {
			t.Fatalf("call %d: %d, want %d", i+1, a.status, want)
		}
	}
}

func TestWithSpecRefusesBrokenDocuments(t *testing.T) {
	doc := loadSmallDoc(t)
	doc.Paths.Value("/api/Things/Put").Post.Extensions["x-linnworks-rate-limit"] = "lots"
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(error).Error(), "x-linnworks-rate-limit") {
			t.Errorf("recover() = %v, want a panic naming the extension", r)
		}
	}()
	mock.New(mock.WithSpec(doc))
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
