package mock_test

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/linnworks-go/linnworks/authn"
	"github.com/linnworks-go/linnworks/gen"
	"github.com/linnworks-go/linnworks/mock"
)

// TestContract calls every operation of the embedded document once through the
// generated typed client, wired with authn, against the mock: each must answer its
// 2xx with a body the client decodes. It grows with the document: an operation the
// typed client cannot call (no method, unexpected arguments, arguments that cannot
// be built from the schema) fails it.
func TestContract(t *testing.T) {
	doc, err := gen.GetSpec()
	if err != nil {
		t.Fatal(err)
	}
	m := mock.New()
	src, err := authn.NewSource(m.Credentials(), authn.WithHTTPClient(m.Client()))
	if err != nil {
		t.Fatal(err)
	}
	client, err := gen.NewClientWithResponses(mock.AuthServer,
		gen.WithRequestEditorFn(src.EditRequest),
		gen.WithHTTPClient(src.Doer(m.Client())))
	if err != nil {
		t.Fatal(err)
	}

	ops := operationsOf(doc)
	if len(ops) == 0 {
		t.Fatal("the embedded document has no operations")
	}
	classic := 0
	for _, id := range m.Operations() {
		if !strings.Contains(id, ".") { // not a REST service's (TestContractServices)
			classic++
		}
	}
	if got, want := len(ops), classic; got != want {
		t.Fatalf("document has %d operations, the mock serves %d", got, want)
	}
	// Synthesised arguments fit every operation but one: authorizing needs the
	// credentials the mock accepts.
	bodies := map[string]any{"Auth_AuthorizeByApplication": authorizeBody(m)}
	for _, op := range ops {
		t.Run(op.id, func(t *testing.T) {
			callOperation(t, client, op, bodies[op.id])
			if n := m.Calls(op.id); n < 1 {
				t.Errorf("the mock saw %d calls of %s", n, op.id)
			}
		})
	}
}

// specOperation is one operation of the document with what a call needs.
type specOperation struct {
	id, method, path string
	op               *openapi3.Operation
	pathItem         *openapi3.PathItem
}

func operationsOf(doc *openapi3.T) []specOperation {
	var ops []specOperation
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			ops = append(ops, specOperation{id: op.OperationID, method: method, path: path, op: op, pathItem: item})
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].id < ops[j].id })
	return ops
}

// goName is oapi-codegen's Go name of an operationId: each part between
// separators with its first letter upper-cased (Auth_AuthorizeByApplication →
// AuthAuthorizeByApplication).
func goName(operationID string) string {
	parts := strings.FieldsFunc(operationID, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	for i, p := range parts {
		r := []rune(p)
		r[0] = unicode.ToUpper(r[0])
		parts[i] = string(r)
	}
	return strings.Join(parts, "")
}

var pathParamRE = regexp.MustCompile(`\{([^}]+)\}`)

// callOperation calls op through its <GoName>WithResponse method with arguments
// synthesised from the document (the request body is bodyOverride when not nil)
// and checks the answer.
func callOperation(t *testing.T, client any, op specOperation, bodyOverride any) {
	name := goName(op.id) + "WithResponse"
	meth := reflect.ValueOf(client).MethodByName(name)
	if !meth.IsValid() {
		t.Fatalf("%T has no method %s for %s %s", client, name, op.method, op.path)
	}
	mt := meth.Type()
	if !mt.IsVariadic() || mt.NumIn() < 2 || mt.NumOut() != 2 {
		t.Fatalf("%s has an unexpected signature %v", name, mt)
	}

	// Parameters by location; operation-level ones override path-item ones.
	params := map[string]*openapi3.Parameter{}
	for _, refs := range []openapi3.Parameters{op.pathItem.Parameters, op.op.Parameters} {
		for _, p := range refs {
			params[p.Value.In+"/"+p.Value.Name] = p.Value
		}
	}
	var pathNames []string
	for _, sm := range pathParamRE.FindAllStringSubmatch(op.path, -1) {
		pathNames = append(pathNames, sm[1])
	}
	other := map[string]any{}
	for _, p := range params {
		if p.In != openapi3.ParameterInPath {
			other[p.Name] = mock.SynthRequest(p.Schema)
		}
	}

	args := []reflect.Value{reflect.ValueOf(t.Context())}
	next := 1
	arg := func(what string) reflect.Type {
		if next >= mt.NumIn()-1 {
			t.Fatalf("%s: no argument left for %s (signature %v)", name, what, mt)
		}
		next++
		return mt.In(next - 1)
	}
	for _, pn := range pathNames {
		p := params[openapi3.ParameterInPath+"/"+pn]
		if p == nil {
			t.Fatalf("path parameter {%s} of %s is not declared", pn, op.path)
		}
		args = append(args, fromJSON(t, "path parameter "+pn, mock.SynthRequest(p.Schema), arg("path parameter "+pn)))
	}
	if len(other) > 0 {
		pt := arg("the parameters struct")
		if pt.Kind() != reflect.Pointer {
			t.Fatalf("%s: parameters argument has type %v, want a pointer to a struct", name, pt)
		}
		v := fromJSON(t, "parameters", other, pt.Elem())
		p := reflect.New(pt.Elem())
		p.Elem().Set(v)
		args = append(args, p)
	}
	if rb := op.op.RequestBody; rb != nil {
		mtJSON := rb.Value.Content.Get("application/json")
		if mtJSON == nil {
			t.Fatalf("%s: request body has no application/json content", op.id)
		}
		var body any = map[string]any{}
		switch {
		case bodyOverride != nil:
			body = bodyOverride
		case mtJSON.Schema != nil:
			body = mock.SynthRequest(mtJSON.Schema)
		}
		args = append(args, fromJSON(t, "request body", body, arg("the request body")))
	}
	if next != mt.NumIn()-1 {
		t.Fatalf("%s: %d arguments were not filled (signature %v)", name, mt.NumIn()-1-next, mt)
	}

	out := meth.Call(args)
	if err, _ := out[1].Interface().(error); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	resp := out[0]
	status := resp.MethodByName("StatusCode").Call(nil)[0].Interface().(int)
	body, _ := resp.Elem().FieldByName("Body").Interface().([]byte)
	if status < 200 || status > 299 {
		t.Fatalf("%s answered %d: %s", op.id, status, body)
	}
	ref := op.op.Responses.Status(status)
	if ref == nil {
		t.Fatalf("%s answered %d, which the document does not declare", op.id, status)
	}
	if ref.Value.Content.Get("application/json") == nil {
		return // e.g. 204: nothing to decode
	}
	field := resp.Elem().FieldByName("JSON" + strconv.Itoa(status))
	if !field.IsValid() {
		t.Fatalf("%s: the response type has no field JSON%d", name, status)
	}
	if field.IsNil() {
		t.Fatalf("%s: JSON%d was not decoded from %s", name, status, body)
	}
}

// fromJSON converts v into a value of type typ through JSON, as a caller's data would.
func fromJSON(t *testing.T, what string, v any, typ reflect.Type) reflect.Value {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	p := reflect.New(typ)
	if err := json.Unmarshal(raw, p.Interface()); err != nil {
		t.Fatalf("%s: the synthesised value %s does not fit %v: %v", what, raw, typ, err)
	}
	return p.Elem()
}

// TestAuthnRecoversFromInjected401 is a users' resilience test in miniature: a
// session the server stops accepting makes authn authorize again and retry once.
func TestAuthnRecoversFromInjected401(t *testing.T) {
	m := mock.New()
	src, err := authn.NewSource(m.Credentials(), authn.WithHTTPClient(m.Client()))
	if err != nil {
		t.Fatal(err)
	}
	client, err := gen.NewClientWithResponses(mock.AuthServer,
		gen.WithRequestEditorFn(src.EditRequest), gen.WithHTTPClient(src.Doer(m.Client())))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := client.InventoryGetCategoriesWithResponse(ctx); err != nil {
		t.Fatal(err)
	}
	m.FailNext("Inventory_GetCategories", 1, http.StatusUnauthorized)
	resp, err := client.InventoryGetCategoriesWithResponse(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode() != http.StatusOK || resp.JSON200 == nil {
		t.Fatalf("after an injected 401: %d %s", resp.StatusCode(), resp.Body)
	}
	if got := m.Calls("Inventory_GetCategories"); got != 3 {
		t.Errorf("Calls = %d, want 3 (ok, 401, retry)", got)
	}
	if got := m.Calls("Auth_AuthorizeByApplication"); got != 2 {
		t.Errorf("authorizations = %d, want 2", got)
	}
}
