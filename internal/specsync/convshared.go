package specsync

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// This file holds what the classic converter (convert.go) and the REST-service
// converter (service.go) share: the walk over paths, the head of an operation,
// bodies and response descriptions, security, $ref resolution and the closure of
// reachable schemas. What differs between Swagger 2.0 and OpenAPI 3 (parameters,
// schema keys, responses) stays with each converter.

// convertPaths converts every operation of an upstream paths mapping with conv,
// keeping the path order and putting the methods of each path item in our order.
// checkPath, when given, vets a path before its operations; file names the
// upstream document in errors. A path-level key that is not an HTTP method is an
// error.
func convertPaths(paths *yaml.Node, file string, checkPath func(p string) error, conv func(p, method string, op *yaml.Node) (*yaml.Node, error)) (*yaml.Node, error) {
	outPaths := mapping()
	err := pairs(paths, func(p string, item *yaml.Node) error {
		if checkPath != nil {
			if err := checkPath(p); err != nil {
				return err
			}
		}
		outItem := mapping()
		if err := pairs(item, func(method string, op *yaml.Node) error {
			if !isMethod(method) {
				return fmt.Errorf("specsync: %s: %s: path-level %q is not supported", file, p, method)
			}
			out, err := conv(p, method, op)
			if err != nil {
				return err
			}
			set(outItem, method, out)
			return nil
		}); err != nil {
			return err
		}
		orderKeys(outItem, methodRank, len(httpMethods))
		set(outPaths, p, outItem)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return outPaths, nil
}

// operationHead starts a converted operation: operationId, tags [tag], our summary
// (summaries[id] when given, else one derived from name) and deprecated when
// upstream says so.
func operationHead(id, tag, name string, summaries map[string]string, op *yaml.Node) *yaml.Node {
	out := mapping()
	set(out, "operationId", str(id))
	set(out, "tags", sequence(str(tag)))
	summary := summaries[id]
	if summary == "" {
		summary = Summary(name)
	}
	set(out, "summary", str(summary))
	if d := get(op, "deprecated"); d != nil && d.Value == "true" {
		set(out, "deprecated", boolean(true))
	}
	return out
}

// mediaOf is a media type object holding schema.
func mediaOf(schema *yaml.Node) *yaml.Node {
	m := mapping()
	set(m, "schema", schema)
	return m
}

// jsonContent is a content mapping with schema as its only (application/json) body.
func jsonContent(schema *yaml.Node) *yaml.Node {
	content := mapping()
	set(content, "application/json", mediaOf(schema))
	return content
}

// requestBody is a JSON request body: required copied from upstream when stated.
func requestBody(required, schema *yaml.Node) *yaml.Node {
	body := mapping()
	if required != nil {
		set(body, "required", plain(required))
	}
	set(body, "content", jsonContent(schema))
	return body
}

// response starts a converted response: its description is the status text of
// code ("Status 599" when Go knows none). A code that is not a number is an error.
func response(code, where string) (*yaml.Node, error) {
	status, err := strconv.Atoi(code)
	if err != nil {
		return nil, fmt.Errorf("%s: response %q is not a status code", where, code)
	}
	resp := mapping()
	text := http.StatusText(status)
	if text == "" {
		text = "Status " + code
	}
	set(resp, "description", str(text))
	return resp, nil
}

// security maps upstream security to ours: an empty list (the Auth operations,
// the REST services' open operations) stays [], anything else (the classic "token"
// header key, the services' "Linnworks" apiKey scheme) is the session header.
func security(s *yaml.Node) *yaml.Node {
	if s != nil && s.Kind == yaml.SequenceNode && len(s.Content) == 0 {
		n := sequence()
		n.Style = yaml.FlowStyle
		return n
	}
	req := mapping()
	scopes := sequence()
	scopes.Style = yaml.FlowStyle
	set(req, "SessionToken", scopes)
	return sequence(req)
}

// schemaSet is the upstream schemas a converter may refer to and the ones it did.
type schemaSet struct {
	// defs is the upstream mapping of named schemas.
	defs *yaml.Node
	// refs are the names referred to so far.
	refs map[string]bool
	// prefix is how upstream $refs start ("#/definitions/", "#/components/schemas/").
	prefix string
	// noun names a named schema in errors ("definition", "schema").
	noun string
}

// ref resolves an upstream $ref, notes it as reached, and returns our reference
// to it (#/components/schemas/<name>). OpenAPI 3.0 ignores the siblings of $ref;
// upstream has only prose there.
func (s *schemaSet) ref(ref *yaml.Node, where string) (*yaml.Node, error) {
	name, ok := strings.CutPrefix(ref.Value, s.prefix)
	if !ok {
		return nil, fmt.Errorf("%s: $ref %s is not a local %s", where, ref.Value, s.noun)
	}
	if get(s.defs, name) == nil {
		return nil, fmt.Errorf("%s: $ref to undefined %s %s", where, s.noun, name)
	}
	s.refs[name] = true
	out := mapping()
	set(out, "$ref", str("#/components/schemas/"+name))
	return out, nil
}

// convert converts one upstream schema: a $ref is resolved (ref), any other
// schema goes key by key, in order, through key, which sets on out what it keeps
// and refuses what it does not know.
func (s *schemaSet) convert(schema *yaml.Node, where string, key func(out *yaml.Node, k string, v *yaml.Node) error) (*yaml.Node, error) {
	if schema == nil || schema.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: schema is not an object", where)
	}
	if ref := get(schema, "$ref"); ref != nil {
		return s.ref(ref, where)
	}
	out := mapping()
	if err := pairs(schema, func(k string, v *yaml.Node) error { return key(out, k, v) }); err != nil {
		return nil, err
	}
	return out, nil
}

// reachable converts, with conv, the upstream schemas referred to, directly or
// through other schemas (conv notes those), and returns them sorted by name. file
// names the upstream document in errors.
func (s *schemaSet) reachable(file string, conv func(s *yaml.Node, where string) (*yaml.Node, error)) (*yaml.Node, error) {
	done := map[string]*yaml.Node{}
	for {
		var todo []string
		for name := range s.refs {
			if _, ok := done[name]; !ok {
				todo = append(todo, name)
			}
		}
		if len(todo) == 0 {
			break
		}
		sort.Strings(todo)
		for _, name := range todo {
			out, err := conv(get(s.defs, name), fmt.Sprintf("specsync: %s: %s %s", file, s.noun, name))
			if err != nil {
				return nil, err
			}
			done[name] = out
		}
	}
	names := make([]string, 0, len(done))
	for n := range done {
		names = append(names, n)
	}
	sort.Strings(names)
	out := mapping()
	for _, n := range names {
		set(out, n, done[n])
	}
	return out, nil
}

// setSubschemas converts the value of a schema key that holds schemas (properties,
// items, not, additionalProperties, allOf, oneOf, anyOf) with conv and sets it on
// out. Which of these keys a dialect accepts is the caller's choice.
func setSubschemas(out *yaml.Node, k string, v *yaml.Node, where string, conv func(s *yaml.Node, where string) (*yaml.Node, error)) error {
	switch k {
	case "properties":
		props := mapping()
		if err := pairs(v, func(name string, p *yaml.Node) error {
			ps, err := conv(p, where+"."+name)
			if err != nil {
				return err
			}
			set(props, name, ps)
			return nil
		}); err != nil {
			return err
		}
		set(out, k, props)
	case "items", "not":
		is, err := conv(v, where+"[]")
		if err != nil {
			return err
		}
		set(out, k, is)
	case "additionalProperties":
		if v.Kind == yaml.ScalarNode {
			set(out, k, plain(v))
			return nil
		}
		as, err := conv(v, where+"{}")
		if err != nil {
			return err
		}
		set(out, k, as)
	case "allOf", "oneOf", "anyOf":
		list := sequence()
		for i, item := range contentOf(v) {
			is, err := conv(item, fmt.Sprintf("%s.%s[%d]", where, k, i))
			if err != nil {
				return err
			}
			list.Content = append(list.Content, is)
		}
		set(out, k, list)
	default:
		return fmt.Errorf("%s: schema key %q holds no schemas", where, k)
	}
	return nil
}
