package speccheck

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// regionalServer is the shape of every server of a REST service document: a
// regional host and a version prefix.
var regionalServer = regexp.MustCompile(`^https://(eu|us|as)-api\.linnworks\.net/v\d+/?$`)

// serviceID is the operationId form of the REST services: Tag_Name.
var serviceID = regexp.MustCompile(`^([A-Z][A-Za-z0-9]*)_([A-Za-z][A-Za-z0-9]*)$`)

// serviceMedia are the media types a REST service document may use: JSON, and the
// RFC 9457 problem documents of error answers.
var serviceMedia = map[string]bool{"application/json": true, "application/problem+json": true}

// CheckService validates a REST service document (openapi/services/*.yaml) with
// kin-openapi and checks the conventions that apply to the REST services: servers
// on the three regional hosts with one version prefix; operationId present, unique
// and Tag_Name with tags [Tag]; a summary; x-linnworks-rate-limit well formed when
// stated (upstream states none for these services); JSON-only request bodies and
// JSON or problem+json responses; no inline oneOf/anyOf bodies; explicit security
// with the SessionToken scheme; no generated-name collisions.
func CheckService(ctx context.Context, doc *openapi3.T) []Violation {
	var vs []Violation
	add := func(where, rule, format string, args ...any) {
		vs = append(vs, Violation{Where: where, Rule: rule, What: fmt.Sprintf(format, args...)})
	}
	checkDocument(ctx, doc, add)
	version := ""
	for _, s := range doc.Servers {
		if !regionalServer.MatchString(s.URL) {
			add("document", "servers", "server %s is not https://{eu,us,as}-api.linnworks.net/vN/", s.URL)
			continue
		}
		u, _ := url.Parse(s.URL)
		v := strings.Trim(u.Path, "/")
		if version != "" && v != version {
			add("document", "servers", "servers disagree on the version prefix (%s, %s)", version, v)
		}
		version = v
	}
	if len(doc.Servers) == 0 {
		add("document", "servers", "the document has no servers")
	}
	s := doc.Components.SecuritySchemes[SecurityScheme]
	if s == nil || s.Value == nil || s.Value.Type != "apiKey" || s.Value.In != "header" || s.Value.Name != "Authorization" {
		add("components", "security-scheme", "securitySchemes.%s must be an apiKey in header Authorization", SecurityScheme)
	}
	if doc.Paths == nil || doc.Paths.Len() == 0 {
		add("document", "paths", "the document has no operations")
		return vs
	}
	generated := generatedNames(doc)
	ids := map[string]string{}
	for _, path := range doc.Paths.InMatchingOrder() {
		for method, op := range doc.Paths.Value(path).Operations() {
			at := method + " " + path
			if op.OperationID == "" {
				add(at, "operation-id", "operation has no operationId")
				continue
			}
			if prev, dup := ids[op.OperationID]; dup {
				add(op.OperationID, "operation-id", "operationId is used by %s and %s", prev, at)
			}
			ids[op.OperationID] = at
			checkServiceOperation(op, generated, add)
		}
	}
	sort.Slice(vs, func(i, j int) bool { return vs[i].String() < vs[j].String() })
	return vs
}

func checkServiceOperation(op *openapi3.Operation, generated map[string]string, add addFunc) {
	where := op.OperationID
	m := serviceID.FindStringSubmatch(op.OperationID)
	if m == nil {
		add(where, "operation-id", "operationId must be Tag_Name")
	} else if len(op.Tags) != 1 || op.Tags[0] != m[1] {
		add(where, "tag", "tags are %v, want [%s]", op.Tags, m[1])
	}
	if strings.TrimSpace(op.Summary) == "" {
		add(where, "summary", "operation has no summary")
	}
	if _, ok := op.Extensions[RateLimitExtension]; ok {
		checkRateLimit(where, op, add)
	}
	if op.RequestBody != nil {
		rb := op.RequestBody.Value
		if rb == nil || len(rb.Content) != 1 || rb.Content.Get("application/json") == nil {
			add(where, "json-only", "request body must have exactly one media type, application/json")
		}
	}
	inlineUnion := func(what string, mt *openapi3.MediaType) {
		if s := mt.Schema; s != nil && s.Ref == "" && s.Value != nil && (len(s.Value.OneOf) > 0 || len(s.Value.AnyOf) > 0) {
			add(where, "no-inline-oneof", "%s: an inline oneOf/anyOf body is sent as {} or left without a usable type by oapi-codegen; move it to components/schemas and $ref it", what)
		}
	}
	if op.RequestBody != nil && op.RequestBody.Value != nil {
		for _, mt := range op.RequestBody.Value.Content {
			inlineUnion("request body", mt)
		}
	}
	if op.Responses == nil || op.Responses.Len() == 0 {
		add(where, "responses", "operation has no responses")
	} else {
		success := false
		for code, r := range op.Responses.Map() {
			success = success || strings.HasPrefix(code, "2")
			if r.Value == nil {
				continue
			}
			for name, mt := range r.Value.Content {
				if !serviceMedia[name] {
					add(where, "json-only", "response %s has media type %s", code, name)
				}
				inlineUnion("response "+code, mt)
			}
		}
		if !success {
			add(where, "responses", "operation has no 2xx response")
		}
	}
	if op.Security == nil {
		add(where, "security", "security must be stated on the operation")
	} else if len(*op.Security) != 1 || len((*op.Security)[0]) != 1 || (*op.Security)[0][SecurityScheme] == nil {
		add(where, "security", "security must be [{%s: []}]", SecurityScheme)
	}
	base := goName(op.OperationID)
	for _, suffix := range []string{"Response", "Params", "JSONRequestBody", "JSONBody"} {
		if schema, clash := generated[base+suffix]; clash {
			add(where, "name-collision", "generated type %s%s collides with schema %s", base, suffix, schema)
		}
	}
}
