// Package speccheck enforces the conventions of the project's OpenAPI document
// (see openapi/README.md) on a loaded document. Each violation names the operation
// (or schema) at fault and the rule it breaks, so a failing check reads as a to-do.
package speccheck

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/getkin/kin-openapi/openapi3"
)

// AuthServer is the only server the document may declare: the host that hands out
// sessions. Authenticated calls are routed to each session's own server at run time.
const AuthServer = "https://api.linnworks.net"

// SecurityScheme is the name of the apiKey scheme sending the session token.
const SecurityScheme = "SessionToken"

// RateLimitExtension is the extension that states an operation's calls per minute.
const RateLimitExtension = "x-linnworks-rate-limit"

// publicControllers are the controllers whose operations need no session.
var publicControllers = map[string]bool{"Auth": true}

var classicID = regexp.MustCompile(`^([A-Z][A-Za-z0-9]*)_([A-Za-z][A-Za-z0-9_]*)$`)

// Violation is one broken rule.
type Violation struct {
	Where string // "Orders_GetOpenOrders", "POST /api/X/Y" or "schema Foo"
	Rule  string // short rule name, e.g. "rate-limit"
	What  string // what is wrong
}

// String formats the violation as "where: [rule] what".
func (v Violation) String() string { return fmt.Sprintf("%s: [%s] %s", v.Where, v.Rule, v.What) }

// Check validates doc with kin-openapi and then checks the project conventions on
// every operation. It returns every violation found, sorted for stable output.
func Check(ctx context.Context, doc *openapi3.T) []Violation {
	var vs []Violation
	add := func(where, rule, format string, args ...any) {
		vs = append(vs, Violation{Where: where, Rule: rule, What: fmt.Sprintf(format, args...)})
	}
	checkDocument(ctx, doc, add)
	if len(doc.Servers) != 1 || doc.Servers[0].URL != AuthServer {
		add("document", "servers", "servers must be exactly [%s]", AuthServer)
	}
	checkSharedParts(doc, add)

	if doc.Paths == nil || doc.Paths.Len() == 0 {
		add("document", "paths", "the document has no operations")
		return vs
	}
	generated := generatedNames(doc)
	for _, path := range doc.Paths.InMatchingOrder() {
		for method, op := range doc.Paths.Value(path).Operations() {
			checkOperation(path, method, op, generated, add)
		}
	}
	sort.Slice(vs, func(i, j int) bool { return vs[i].String() < vs[j].String() })
	return vs
}

func checkSharedParts(doc *openapi3.T, add func(string, string, string, ...any)) {
	s := doc.Components.SecuritySchemes[SecurityScheme]
	if s == nil || s.Value == nil || s.Value.Type != "apiKey" || s.Value.In != "header" || s.Value.Name != "Authorization" {
		add("components", "security-scheme", "securitySchemes.%s must be an apiKey in header Authorization", SecurityScheme)
	}
	e := doc.Components.Schemas["Error"]
	if e == nil || e.Value == nil || e.Value.Properties["Message"] == nil || e.Value.Properties["Code"] == nil ||
		!e.Value.Properties["Code"].Value.Nullable {
		add("components", "error-schema", "schema Error must have Message and a nullable Code")
	}
}

type addFunc = func(where, rule, format string, args ...any)

// checkDocument checks what every document must be: valid OpenAPI 3.0.x.
func checkDocument(ctx context.Context, doc *openapi3.T, add addFunc) {
	if err := doc.Validate(ctx); err != nil {
		add("document", "valid-openapi", "%v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.0.") {
		add("document", "openapi-3.0", "openapi version is %q, want 3.0.x", doc.OpenAPI)
	}
}

func checkOperation(path, method string, op *openapi3.Operation, generated map[string]string, add addFunc) {
	where := op.OperationID
	if where == "" {
		where = method + " " + path
		add(where, "operation-id", "operation has no operationId")
		return
	}
	m := classicID.FindStringSubmatch(op.OperationID)
	if m == nil {
		add(where, "operation-id", "operationId must be Controller_Method")
		return
	}
	controller, name := m[1], m[2]
	if want := "/api/" + controller + "/" + name; path != want {
		add(where, "path", "path is %s, want %s", path, want)
	}
	if len(op.Tags) != 1 || op.Tags[0] != controller {
		add(where, "tag", "tags are %v, want [%s]", op.Tags, controller)
	}
	if strings.TrimSpace(op.Summary) == "" {
		add(where, "summary", "operation has no summary")
	}
	checkRateLimit(where, op, add)

	// JSON only.
	if op.RequestBody != nil {
		rb := op.RequestBody.Value
		if rb == nil || len(rb.Content) != 1 || rb.Content.Get("application/json") == nil {
			add(where, "json-only", "request body must have exactly one media type, application/json")
		} else if s := rb.Content.Get("application/json").Schema; s != nil && s.Ref == "" && s.Value != nil && len(s.Value.OneOf) > 0 {
			add(where, "no-inline-oneof", "an inline oneOf request body is sent as {} by oapi-codegen; move it to components/schemas and $ref it")
		}
	}
	if op.Responses == nil {
		add(where, "responses", "operation has no responses")
		return
	}
	success := false
	for code, r := range op.Responses.Map() {
		if strings.HasPrefix(code, "2") {
			success = true
		}
		if r.Value == nil {
			continue
		}
		for mt := range r.Value.Content {
			if mt != "application/json" {
				add(where, "json-only", "response %s has media type %s", code, mt)
			}
		}
	}
	if !success {
		add(where, "responses", "operation has no 2xx response")
	}
	for _, code := range []string{"400", "401", "429"} {
		r := op.Responses.Value(code)
		if r == nil || r.Ref != "#/components/responses/Error"+code {
			add(where, "shared-errors", "response %s must be $ref '#/components/responses/Error%s'", code, code)
		}
	}

	// Security: explicit on every operation.
	switch {
	case op.Security == nil:
		add(where, "security", "security must be stated on the operation")
	case publicControllers[controller]:
		if len(*op.Security) != 0 {
			add(where, "security", "%s operations need no session: security must be []", controller)
		}
	default:
		if len(*op.Security) != 1 || len((*op.Security)[0]) != 1 || (*op.Security)[0][SecurityScheme] == nil {
			add(where, "security", "security must be [{%s: []}]", SecurityScheme)
		}
	}

	// Names oapi-codegen derives from the operation must not collide with schemas.
	base := goName(op.OperationID)
	for _, suffix := range []string{"Response", "Params", "JSONRequestBody", "JSONBody"} {
		if schema, clash := generated[base+suffix]; clash {
			add(where, "name-collision", "generated type %s%s collides with schema %s", base, suffix, schema)
		}
	}
}

func checkRateLimit(where string, op *openapi3.Operation, add addFunc) {
	v, ok := op.Extensions[RateLimitExtension]
	if !ok {
		add(where, "rate-limit", "%s is missing", RateLimitExtension)
		return
	}
	var n float64
	switch x := v.(type) {
	case float64:
		n = x
	case int:
		n = float64(x)
	case int64:
		n = float64(x)
	default:
		add(where, "rate-limit", "%s must be a number of calls per minute, got %T", RateLimitExtension, v)
		return
	}
	if n < 1 || n != float64(int(n)) {
		add(where, "rate-limit", "%s must be a positive whole number, got %v", RateLimitExtension, n)
	}
}

// RateLimit returns the calls per minute an operation allows, and whether the
// document states it.
func RateLimit(op *openapi3.Operation) (int, bool) {
	switch x := op.Extensions[RateLimitExtension].(type) {
	case float64:
		return int(x), x >= 1
	case int:
		return x, x >= 1
	}
	return 0, false
}

// generatedNames maps the Go type name oapi-codegen gives each schema (its
// x-go-name when set) to the schema.
func generatedNames(doc *openapi3.T) map[string]string {
	out := make(map[string]string, len(doc.Components.Schemas))
	for name, ref := range doc.Components.Schemas {
		if ref.Value != nil {
			if n, ok := ref.Value.Extensions["x-go-name"].(string); ok && n != "" {
				out[n] = name // an explicit Go name (an overlay's fix for a collision)
				continue
			}
		}
		out[goName(name)] = name
	}
	return out
}

// goName approximates oapi-codegen's default name normaliser: split on any
// character that is not a letter or digit and upper-case the first letter of each part.
func goName(s string) string {
	var b strings.Builder
	upper := true
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			upper = true
			continue
		}
		if upper {
			r = unicode.ToUpper(r)
			upper = false
		}
		b.WriteRune(r)
	}
	return b.String()
}
