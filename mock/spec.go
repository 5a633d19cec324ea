package mock

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/linnworks-go/linnworks/gen"
)

// rateLimitExtension is the operation extension that states Linnworks' calls per minute.
const rateLimitExtension = "x-linnworks-rate-limit"

// uuidPattern is what Linnworks (a .NET Guid) accepts for format uuid. kin-openapi does
// not check the uuid format by default; the mock does, per validation, without touching
// kin-openapi's global format registry.
const uuidPattern = `^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`

// embeddedSpec parses, validates and compiles the embedded document, with the REST
// services' documents (withServices), once per process.
// gen.GetSpec re-parses on every call; the compiled form is read-only once built, so
// every Server shares it.
var embeddedSpec = sync.OnceValues(func() (*spec, error) {
	doc, err := gen.GetSpec()
	if err != nil {
		return nil, fmt.Errorf("mock: loading the embedded OpenAPI document: %w", err)
	}
	if doc, err = withServices(doc, restServices); err != nil {
		return nil, err
	}
	return compile(doc)
})

// spec is an OpenAPI document compiled for serving: router, validation options and
// one operation record per operationId. Only the operations' lazily built answers
// (behind a sync.Once each) change after compile.
type spec struct {
	doc     *openapi3.T
	router  routers.Router
	byID    map[string]*operation
	byOp    map[*openapi3.Operation]*operation
	ids     []string // sorted operationIds
	schemaV []openapi3.SchemaValidationOption
}

// operation is what the mock knows about one operation of the document.
type operation struct {
	id        string
	method    string
	path      string
	rateLimit int  // calls per minute; 0 means none stated
	secured   bool // needs a session
	rest      bool // an operation of the REST services (/v1/..., /v2/...): errors are problem documents

	route *routers.Route
	spec  *spec

	// The synthesised answer, built and validated on first use (answer).
	synthOnce sync.Once
	synth     synthesised
}

// synthesised is the default answer of an operation: its lowest 2xx status, the
// JSON body for it (nil when the status has no content), or why none could be built.
type synthesised struct {
	status      int
	body        []byte
	contentType string
	err         error
}

// answer returns the synthesised answer of o, building and validating it on the
// first call. Building every answer up front would cost every process that calls
// New a few hundred milliseconds at 631 operations.
func (o *operation) answer() synthesised {
	o.synthOnce.Do(func() {
		var a synthesised
		a.status, a.body, a.contentType, a.err = o.spec.synthesise(o.route)
		o.synth = a
	})
	return o.synth
}

// compile builds the router and the operation records of doc. The router is built
// from a shallow copy of doc without servers, so it routes on method and path only,
// whatever host the mock is reached at.
//
// The router is kin-openapi's legacy router: it matches through a path tree, where
// the gorillamux router scans every route (see BenchmarkRoute).
func compile(doc *openapi3.T) (*spec, error) {
	routed := *doc
	routed.Servers = nil
	routed.Paths = withStringParams(doc.Paths)
	router, err := legacy.NewRouter(&routed, openapi3.EnableSchemaFormatValidation())
	if err != nil {
		return nil, fmt.Errorf("mock: building the router: %w", err)
	}
	s := &spec{
		doc:    &routed,
		router: router,
		byID:   make(map[string]*operation),
		byOp:   make(map[*openapi3.Operation]*operation),
		schemaV: []openapi3.SchemaValidationOption{
			openapi3.WithStringFormatValidator("uuid", openapi3.NewRegexpFormatValidator(uuidPattern)),
		},
	}
	if !routed.IsOpenAPI31OrLater() {
		// Keep values (possibly secrets) out of kin-openapi's own messages too. The
		// mock's messages are built from the errors' reasons, never their values;
		// kin-openapi refuses this option with its 3.1 validator.
		s.schemaV = append(s.schemaV, openapi3.DisableSchemaErrorDetails())
	}
	for path, item := range routed.Paths.Map() {
		for method, op := range item.Operations() {
			if op.OperationID == "" {
				return nil, fmt.Errorf("mock: %s %s has no operationId", method, path)
			}
			if prev, dup := s.byID[op.OperationID]; dup {
				return nil, fmt.Errorf("mock: operationId %q is used by %s %s and %s %s",
					op.OperationID, prev.method, prev.path, method, path)
			}
			o := &operation{id: op.OperationID, method: method, path: path, rest: isRESTPath(path)}
			o.rateLimit, err = rateLimitOf(op)
			if err != nil {
				return nil, err
			}
			security := op.Security
			if security == nil {
				security = &routed.Security
			}
			o.secured = len(*security) > 0
			o.spec = s
			o.route = &routers.Route{Spec: &routed, Path: path, PathItem: item, Method: method, Operation: op}
			s.byID[o.id] = o
			s.byOp[op] = o
			s.ids = append(s.ids, o.id)
		}
	}
	sort.Strings(s.ids)
	return s, nil
}

// withStringParams returns a copy of paths in which array parameters (query, header,
// path, cookie) with untyped items get string items: on the wire such a value is a
// string, and kin-openapi cannot decode an array of untyped items from a query
// (it reports every value as empty). Only what changes is copied; the caller's
// document is left as it was.
func withStringParams(paths *openapi3.Paths) *openapi3.Paths {
	out := openapi3.NewPaths()
	for path, item := range paths.Map() {
		fixedItem := *item
		fixedItem.Parameters = stringItems(item.Parameters)
		for method, op := range item.Operations() {
			fixedOp := *op
			fixedOp.Parameters = stringItems(op.Parameters)
			fixedItem.SetOperation(method, &fixedOp)
		}
		out.Set(path, &fixedItem)
	}
	return out
}

func stringItems(params openapi3.Parameters) openapi3.Parameters {
	var out openapi3.Parameters
	for i, ref := range params {
		p := ref.Value
		if p == nil || p.Schema == nil || p.Schema.Value == nil || p.Schema.Value.Items == nil ||
			!p.Schema.Value.Type.Is(openapi3.TypeArray) || !isUntyped(p.Schema.Value.Items.Value) {
			continue
		}
		if out == nil {
			out = append(openapi3.Parameters(nil), params...)
		}
		schema := *p.Schema.Value
		schema.Items = openapi3.NewSchemaRef("", openapi3.NewStringSchema())
		param := *p
		param.Schema = openapi3.NewSchemaRef("", &schema)
		out[i] = &openapi3.ParameterRef{Value: &param}
	}
	if out == nil {
		return params
	}
	return out
}

// isUntyped reports whether s accepts any value: no type and no sub-schemas.
func isUntyped(s *openapi3.Schema) bool {
	return s == nil || s.Type.IsEmpty() && len(s.Properties) == 0 && s.Items == nil &&
		len(s.AllOf) == 0 && len(s.OneOf) == 0 && len(s.AnyOf) == 0 && len(s.Enum) == 0
}

// rateLimitOf reads the operation's x-linnworks-rate-limit (calls per minute).
func rateLimitOf(op *openapi3.Operation) (int, error) {
	v, ok := op.Extensions[rateLimitExtension]
	if !ok {
		return 0, nil
	}
	var n float64
	switch x := v.(type) {
	case float64:
		n = x
	case int:
		n = float64(x)
	case json.Number:
		f, err := x.Float64()
		if err != nil {
			return 0, fmt.Errorf("mock: %s: %s %q is not a number", op.OperationID, rateLimitExtension, x)
		}
		n = f
	case string:
		f, err := strconv.ParseFloat(x, 64)
		if err != nil {
			return 0, fmt.Errorf("mock: %s: %s %q is not a number", op.OperationID, rateLimitExtension, x)
		}
		n = f
	default:
		return 0, fmt.Errorf("mock: %s: %s has type %T, want a number", op.OperationID, rateLimitExtension, v)
	}
	if n < 1 || n != float64(int(n)) {
		return 0, fmt.Errorf("mock: %s: %s is %v, want a whole number ≥ 1", op.OperationID, rateLimitExtension, n)
	}
	return int(n), nil
}

// synthesise builds the default answer of an operation: its lowest 2xx status and
// an example body for that status' JSON schema. The answer is constant, so it is
// validated here, once, through the same openapi3filter.ValidateResponse the mock applies to
// every other answer; serve then sends it without validating it again.
func (s *spec) synthesise(route *routers.Route) (status int, body []byte, contentType string, err error) {
	op := route.Operation
	for key := range op.Responses.Map() {
		n, convErr := strconv.Atoi(key)
		if convErr != nil || n < 200 || n > 299 {
			continue
		}
		if status == 0 || n < status {
			status = n
		}
	}
	if status == 0 {
		return 0, nil, "", fmt.Errorf("the document declares no 2xx response for %s", op.OperationID)
	}
	if resp := op.Responses.Status(status); resp != nil && resp.Value != nil && len(resp.Value.Content) > 0 {
		mt := resp.Value.Content.Get("application/json")
		if mt == nil {
			return status, nil, "", fmt.Errorf("response %d of %s has no application/json content", status, op.OperationID)
		}
		var v any = map[string]any{}
		if mt.Schema != nil {
			v = exampleOf(mt.Schema, forResponse)
		}
		if body, err = json.Marshal(v); err != nil {
			return status, nil, "", fmt.Errorf("encoding the example for %s: %w", op.OperationID, err)
		}
		contentType = jsonContentType
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: &http.Request{Method: route.Method, URL: &url.URL{Path: route.Path}},
			Route:   route,
		},
		Status:  status,
		Header:  http.Header{},
		Options: s.options(nil),
	}
	if contentType != "" {
		in.Header.Set("Content-Type", contentType)
	}
	in.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		return status, nil, "", fmt.Errorf("the example synthesised for response %d of %s is invalid: %s",
			status, op.OperationID, strings.Join(problems(err), "; "))
	}
	return status, body, contentType, nil
}

// jsonContentType is the Content-Type of every JSON answer of the mock.
const jsonContentType = "application/json; charset=utf-8"

// options returns the openapi3filter options of one request. authenticate runs the
// security check, which openapi3filter performs before anything else.
func (s *spec) options(authenticate openapi3filter.AuthenticationFunc) *openapi3filter.Options {
	return &openapi3filter.Options{
		AuthenticationFunc:      authenticate,
		SkipSettingDefaults:     true,
		MultiError:              true,
		IncludeResponseStatus:   true,
		SchemaValidationOptions: s.schemaV,
	}
}

// findRoute routes r, mapping router errors to 404 and 405. It routes on the
// escaped path, so that a path parameter holding an escaped "/" (%2F) stays one
// segment, and hands on the parameters unescaped.
func (s *spec) findRoute(r *http.Request) (*routers.Route, map[string]string, *operation, int, string) {
	rr := r
	escaped := r.URL.RawPath != ""
	if escaped {
		u := *r.URL
		u.Path, u.RawPath = r.URL.EscapedPath(), ""
		rr = r.WithContext(r.Context()) // a shallow copy with its own URL
		rr.URL = &u
	}
	route, params, err := s.router.FindRoute(rr)
	if err == nil && escaped {
		for name, v := range params {
			if uv, uerr := url.PathUnescape(v); uerr == nil {
				params[name] = uv
			}
		}
	}
	if err != nil {
		var re *routers.RouteError
		if errors.As(err, &re) && re.Reason == routers.ErrMethodNotAllowed.Error() {
			return nil, nil, nil, http.StatusMethodNotAllowed,
				fmt.Sprintf("The requested resource does not support http method '%s'.", r.Method)
		}
		return nil, nil, nil, http.StatusNotFound,
			fmt.Sprintf("No HTTP resource was found that matches the request URI '%s'.", r.URL.Path)
	}
	return route, params, s.byOp[route.Operation], 0, ""
}

// matchesUUID reports whether v looks like a uuid the way the mock validates them.
func matchesUUID(v string) bool { return uuidRE.MatchString(v) }

var uuidRE = regexp.MustCompile(uuidPattern)
