package specsync

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"
)

// Controller is one upstream controller converted into the form of our document:
// a mapping with only paths and components.schemas, written to controllers/<File>.yaml.
type Controller struct {
	// Name is the controller as it appears in paths and tags ("Auth").
	Name string
	// File is the base name shared by the upstream file, our controller file and its overlay.
	File string
	// Doc is the converted document (a YAML mapping).
	Doc *yaml.Node
}

var (
	// pathPattern is the shape of every classic operation: /api/Controller/Method.
	pathPattern = regexp.MustCompile(`^/api/([A-Za-z][A-Za-z0-9]*)/([A-Za-z][A-Za-z0-9_]*)$`)
	// ratePattern finds the per-minute rate limit in an upstream description
	// ("<b>Rate limit: </b><span ...><b>150</b></span> / minute").
	ratePattern = regexp.MustCompile(`<b>\s*(\d+)\s*</b>\s*</span>\s*/\s*minute`)
)

// httpMethods are the operation keys of a path item, in the order we write them.
var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch"}

// sharedErrors are the responses every operation refers to, defined in root.yaml.
var sharedErrors = []string{"400", "401", "429"}

// RateLimit returns the calls-per-minute limit stated in an upstream operation
// description, and false when there is none.
func RateLimit(description string) (int, bool) {
	m := ratePattern.FindStringSubmatch(description)
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(m[1])
	if err != nil || n <= 0 {
		return 0, false
	}
	return n, true
}

// Convert turns an upstream Swagger 2.0 controller file into our form: operationId
// Controller_Method, tag Controller, our own summary (summaries[operationId] when
// given, else one derived from the method name), x-linnworks-rate-limit, JSON-only
// request and response bodies, the shared 400/401/429 responses, explicit security,
// and only the schemas the operations reach, with upstream prose dropped.
func Convert(u Upstream, summaries map[string]string) (*Controller, error) {
	c := &converter{
		file: u.File, summaries: summaries,
		schemaSet: schemaSet{defs: get(u.Root, "definitions"), refs: map[string]bool{}, prefix: "#/definitions/", noun: "definition"},
	}
	paths := get(u.Root, "paths")
	if paths == nil || len(paths.Content) == 0 {
		return nil, fmt.Errorf("specsync: %s: no paths", u.File)
	}
	outPaths, err := convertPaths(paths, u.File, func(p string) error {
		m := pathPattern.FindStringSubmatch(p)
		if m == nil {
			return fmt.Errorf("specsync: %s: path %s is not /api/Controller/Method", u.File, p)
		}
		if c.name == "" {
			c.name = m[1]
		} else if c.name != m[1] {
			return fmt.Errorf("specsync: %s: path %s is not under /api/%s/ like the others", u.File, p, c.name)
		}
		return nil
	}, func(p, method string, op *yaml.Node) (*yaml.Node, error) {
		// checkPath has matched p.
		return c.operation(p, method, pathPattern.FindStringSubmatch(p)[2], op)
	})
	if err != nil {
		return nil, err
	}

	schemas, err := c.reachable(c.file, c.schema)
	if err != nil {
		return nil, err
	}
	doc := mapping()
	doc.HeadComment = fmt.Sprintf("%s controller: operations /api/%s/... and the schemas they use.", c.name, c.name)
	set(doc, "paths", outPaths)
	if len(schemas.Content) > 0 {
		comps := mapping()
		set(comps, "schemas", schemas)
		set(doc, "components", comps)
	}
	return &Controller{Name: c.name, File: u.File, Doc: doc}, nil
}

var methodRank = func() map[string]int {
	r := map[string]int{}
	for i, m := range httpMethods {
		r[m] = i
	}
	return r
}()

func isMethod(s string) bool {
	_, ok := methodRank[s]
	return ok
}

type converter struct {
	schemaSet // definitions, and those referred to by operations
	file      string
	name      string
	summaries map[string]string
}

func (c *converter) operation(path, method, name string, op *yaml.Node) (*yaml.Node, error) {
	id := c.name + "_" + name
	where := fmt.Sprintf("specsync: %s: %s %s", c.file, strings.ToUpper(method), path)
	out := operationHead(id, c.name, name, c.summaries, op)
	desc := ""
	if d := get(op, "description"); d != nil {
		desc = d.Value
	}
	rate, ok := RateLimit(desc)
	if !ok {
		return nil, fmt.Errorf("%s: no rate limit (<b>N</b></span> / minute) in its description", where)
	}
	set(out, "x-linnworks-rate-limit", integer(rate))

	consumes := stringList(get(op, "consumes"))
	produces := stringList(get(op, "produces"))
	params := sequence()
	var body *yaml.Node
	for _, p := range contentOf(get(op, "parameters")) {
		in, pname := scalar(get(p, "in")), scalar(get(p, "name"))
		switch in {
		case "body":
			if body != nil {
				return nil, fmt.Errorf("%s: more than one body parameter", where)
			}
			if !contains(consumes, "application/json") {
				return nil, fmt.Errorf("%s: body parameter %s but consumes has no application/json", where, pname)
			}
			schema, err := c.schema(get(p, "schema"), where+": body")
			if err != nil {
				return nil, err
			}
			body = requestBody(get(p, "required"), schema)
		case "query", "header", "path":
			param, err := c.parameter(p, where)
			if err != nil {
				return nil, err
			}
			params.Content = append(params.Content, param)
		default:
			return nil, fmt.Errorf("%s: parameter %s in %q is not supported", where, pname, in)
		}
	}
	if len(params.Content) > 0 {
		set(out, "parameters", params)
	}
	if body != nil {
		set(out, "requestBody", body)
	}

	responses := mapping()
	if err := pairs(get(op, "responses"), func(code string, r *yaml.Node) error {
		if contains(sharedErrors, code) {
			return fmt.Errorf("%s: response %s clashes with the shared error responses", where, code)
		}
		resp, err := response(code, where)
		if err != nil {
			return err
		}
		if s := get(r, "schema"); s != nil {
			if !contains(produces, "application/json") {
				return fmt.Errorf("%s: response %s has a body but produces has no application/json", where, code)
			}
			schema, err := c.schema(s, where+": response "+code)
			if err != nil {
				return err
			}
			set(resp, "content", jsonContent(schema))
		}
		set(responses, code, resp)
		return nil
	}); err != nil {
		return nil, err
	}
	if len(responses.Content) == 0 {
		return nil, fmt.Errorf("%s: no responses", where)
	}
	for _, code := range sharedErrors {
		ref := mapping()
		set(ref, "$ref", str("#/components/responses/Error"+code))
		set(responses, code, ref)
	}
	set(out, "responses", responses)
	set(out, "security", security(get(op, "security")))
	return out, nil
}

// parameterSchemaKeys are the keys of a Swagger 2.0 non-body parameter that move into
// its OpenAPI 3 schema.
var parameterSchemaKeys = map[string]bool{
	"type": true, "format": true, "enum": true, "items": true, "default": true,
	"minimum": true, "maximum": true, "minLength": true, "maxLength": true, "pattern": true,
	"minItems": true, "maxItems": true, "uniqueItems": true, "multipleOf": true,
	"exclusiveMinimum": true, "exclusiveMaximum": true,
}

func (c *converter) parameter(p *yaml.Node, where string) (*yaml.Node, error) {
	name := scalar(get(p, "name"))
	where = where + ": parameter " + name
	out := mapping()
	schema := mapping()
	var explode *bool
	set(out, "name", str(name))
	set(out, "in", str(scalar(get(p, "in"))))
	// required is written even when false, so the document says it explicitly.
	set(out, "required", boolean(scalar(get(p, "required")) == "true"))
	err := pairs(p, func(k string, v *yaml.Node) error {
		switch {
		case k == "name" || k == "in" || k == "required":
		case k == "description" || strings.HasPrefix(k, "x-"):
		case k == "collectionFormat":
			switch v.Value {
			case "multi":
				t := true
				explode = &t
			case "csv":
				f := false
				explode = &f
			default:
				return fmt.Errorf("%s: collectionFormat %q is not supported", where, v.Value)
			}
		case k == "items":
			s, err := c.schema(v, where)
			if err != nil {
				return err
			}
			set(schema, k, s)
		case parameterSchemaKeys[k]:
			set(schema, k, plain(v))
		default:
			return fmt.Errorf("%s: key %q is not supported", where, k)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if explode != nil && !*explode {
		// multi (explode: true) is the OpenAPI 3 default for query parameters.
		set(out, "style", str("form"))
		set(out, "explode", boolean(false))
	}
	set(out, "schema", schema)
	return out, nil
}

// keptSchemaKeys are schema facts carried over as they are.
var keptSchemaKeys = map[string]bool{
	"type": true, "format": true, "enum": true, "readOnly": true, "required": true, "default": true,
	"minimum": true, "maximum": true, "minLength": true, "maxLength": true, "pattern": true,
	"minItems": true, "maxItems": true, "uniqueItems": true, "multipleOf": true,
	"exclusiveMinimum": true, "exclusiveMaximum": true,
}

// droppedSchemaKeys are upstream prose.
var droppedSchemaKeys = map[string]bool{"description": true, "example": true, "title": true}

// schema converts a Swagger 2.0 schema: prose dropped, $ref rewritten, x-nullable to
// nullable, discriminator to an object. Unknown keys are an error so that a new kind
// of upstream fact is noticed rather than lost.
func (c *converter) schema(s *yaml.Node, where string) (*yaml.Node, error) {
	return c.convert(s, where, func(out *yaml.Node, k string, v *yaml.Node) error {
		switch {
		case droppedSchemaKeys[k]:
		case k == "x-nullable":
			set(out, "nullable", plain(v))
		case strings.HasPrefix(k, "x-"):
		case keptSchemaKeys[k]:
			set(out, k, plain(v))
		case k == "properties" || k == "items" || k == "additionalProperties" || k == "allOf":
			return setSubschemas(out, k, v, where, c.schema)
		case k == "discriminator":
			d := mapping()
			set(d, "propertyName", plain(v))
			set(out, k, d)
		default:
			return fmt.Errorf("%s: schema key %q is not supported", where, k)
		}
		return nil
	})
}

// Summary derives a short sentence from a method name: "GetOpenOrders" becomes
// "Get open orders.", acronyms stay as they are ("GetPDFTemplates" → "Get PDF templates.").
func Summary(method string) string {
	words := splitWords(method)
	if len(words) == 0 {
		return method + "."
	}
	for i, w := range words {
		if i > 0 && !isAcronym(w) {
			words[i] = strings.ToLower(w)
		}
	}
	return strings.Join(words, " ") + "."
}

func isAcronym(w string) bool {
	if len(w) < 2 {
		return false
	}
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
	}
	return true
}

// splitWords splits CamelCase and snake_case into words, keeping runs of capitals
// (acronyms) and digits together.
func splitWords(s string) []string {
	var words []string
	rs := []rune(s)
	start := 0
	flush := func(end int) {
		if end > start {
			words = append(words, string(rs[start:end]))
		}
		start = end
	}
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if r == '_' || r == '-' {
			flush(i)
			start = i + 1
			continue
		}
		if i == start {
			continue
		}
		prev := rs[i-1]
		switch {
		case unicode.IsUpper(r) && (unicode.IsLower(prev) || unicode.IsDigit(prev)):
			flush(i)
		case unicode.IsUpper(r) && unicode.IsUpper(prev) && i+1 < len(rs) && unicode.IsLower(rs[i+1]):
			flush(i)
		}
	}
	flush(len(rs))
	return words
}

func contentOf(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

func scalar(n *yaml.Node) string {
	if n == nil {
		return ""
	}
	return n.Value
}

func stringList(n *yaml.Node) []string {
	var out []string
	for _, v := range contentOf(n) {
		out = append(out, v.Value)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
