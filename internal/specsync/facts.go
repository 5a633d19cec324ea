package specsync

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// Facts are the checkable facts of an OpenAPI 3 document for one controller:
// operations (path, method, rate limit, security, parameters, request and response
// bodies) and the fields of every schema they reach, flattened to
// "owner|detail" → value. Prose, summaries, operation ids and the shared error
// responses are not facts: they are our conventions.
type Facts map[string]string

// ControllerFacts extracts the facts of the operations under /api/<controller>/ in
// doc, an OpenAPI 3 document decoded into generic maps (from JSON or YAML).
func ControllerFacts(doc map[string]any, controller string) Facts {
	return pathFacts(doc, "/api/"+controller+"/")
}

// ServiceFacts extracts the facts of every operation of a REST service document
// (decoded into generic maps), and its servers.
func ServiceFacts(doc map[string]any) Facts {
	f := pathFacts(doc, "/")
	servers, _ := doc["servers"].([]any)
	var urls []string
	for _, s := range servers {
		sm, _ := s.(map[string]any)
		urls = append(urls, fmt.Sprint(sm["url"]))
	}
	f["servers|"] = strings.Join(urls, " ")
	return f
}

// pathFacts extracts the facts of the operations whose path starts with prefix.
func pathFacts(doc map[string]any, prefix string) Facts {
	f := &factBuilder{doc: doc, out: Facts{}, refs: map[string]bool{}}
	paths, _ := doc["paths"].(map[string]any)
	for p, item := range paths {
		if !strings.HasPrefix(p, prefix) {
			continue
		}
		im, _ := item.(map[string]any)
		for method, op := range im {
			if !isMethod(method) {
				continue
			}
			om, _ := op.(map[string]any)
			f.operation(fmt.Sprintf("operation %s %s", strings.ToUpper(method), p), om)
		}
	}
	schemas := componentSchemas(doc)
	done := map[string]bool{}
	for {
		var todo []string
		for n := range f.refs {
			if !done[n] {
				todo = append(todo, n)
			}
		}
		if len(todo) == 0 {
			break
		}
		sort.Strings(todo)
		for _, n := range todo {
			done[n] = true
			owner := "schema " + n
			s, ok := schemas[n]
			if !ok {
				f.out[owner+"|"] = "undefined"
				continue
			}
			f.schema(owner, "", s)
		}
	}
	return f.out
}

// Controllers lists the controllers of doc's paths (/api/<Controller>/...), sorted.
func Controllers(doc map[string]any) []string {
	seen := map[string]bool{}
	paths, _ := doc["paths"].(map[string]any)
	for p := range paths {
		if m := pathPattern.FindStringSubmatch(p); m != nil {
			seen[m[1]] = true
		}
	}
	out := make([]string, 0, len(seen))
	for c := range seen {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

func componentSchemas(doc map[string]any) map[string]any {
	comps, _ := doc["components"].(map[string]any)
	s, _ := comps["schemas"].(map[string]any)
	return s
}

type factBuilder struct {
	doc  map[string]any
	out  Facts
	refs map[string]bool
}

func (f *factBuilder) set(owner, detail, value string) { f.out[owner+"|"+detail] = value }

func (f *factBuilder) operation(owner string, op map[string]any) {
	f.set(owner, "", "present")
	if r, ok := op["x-linnworks-rate-limit"]; ok {
		f.set(owner, "rate limit", fmt.Sprint(r))
	} else {
		f.set(owner, "rate limit", "none")
	}
	f.set(owner, "security", f.security(op))
	if d, _ := op["deprecated"].(bool); d {
		f.set(owner, "deprecated", "true")
	}
	params, _ := op["parameters"].([]any)
	for _, p := range params {
		pm, _ := p.(map[string]any)
		if ref, ok := pm["$ref"].(string); ok {
			f.set(owner, "parameters.$ref", ref)
			continue
		}
		key := fmt.Sprintf("parameters.%v.%v", pm["in"], pm["name"])
		req, _ := pm["required"].(bool)
		f.set(owner, key+" required", fmt.Sprint(req))
		style, _ := pm["style"].(string)
		if style == "" {
			style = "form"
		}
		explode := true
		if e, ok := pm["explode"].(bool); ok {
			explode = e
		}
		if style != "form" || !explode {
			f.set(owner, key+" style", fmt.Sprintf("%s explode=%v", style, explode))
		}
		f.schema(owner, key, pm["schema"])
	}
	if rb, ok := op["requestBody"].(map[string]any); ok {
		req, _ := rb["required"].(bool)
		f.set(owner, "requestBody required", fmt.Sprint(req))
		f.content(owner, "requestBody", rb)
	}
	responses, _ := op["responses"].(map[string]any)
	for code, r := range responses {
		rm, _ := r.(map[string]any)
		if ref, ok := rm["$ref"].(string); ok && strings.HasPrefix(ref, "#/components/responses/") {
			continue // shared error responses are our convention
		}
		f.content(owner, "responses."+code, rm)
	}
}

// content records the application/json schema of a request body or response, or
// "no content" when it has none (other media types are not facts we keep).
func (f *factBuilder) content(owner, detail string, m map[string]any) {
	content, _ := m["content"].(map[string]any)
	media, ok := content["application/json"].(map[string]any)
	if !ok {
		f.set(owner, detail, "no content")
		return
	}
	f.schema(owner, detail, media["schema"])
}

// security describes an operation's security by what it sends, not by scheme name.
func (f *factBuilder) security(op map[string]any) string {
	sec, ok := op["security"]
	if !ok {
		sec = f.doc["security"]
	}
	list, _ := sec.([]any)
	if len(list) == 0 {
		return "none"
	}
	comps, _ := f.doc["components"].(map[string]any)
	schemes, _ := comps["securitySchemes"].(map[string]any)
	var alts []string
	for _, req := range list {
		rm, _ := req.(map[string]any)
		var names []string
		for name := range rm {
			s, _ := schemes[name].(map[string]any)
			if s == nil {
				names = append(names, "undefined scheme "+name)
				continue
			}
			names = append(names, fmt.Sprintf("%v %v %v", s["type"], s["in"], s["name"]))
		}
		sort.Strings(names)
		alts = append(alts, strings.Join(names, " + "))
	}
	sort.Strings(alts)
	return strings.Join(alts, " | ")
}

var refName = regexp.MustCompile(`^#/components/schemas/(.+)$`)

// schema records one schema node and, recursively, its inline structure.
func (f *factBuilder) schema(owner, detail string, s any) {
	m, _ := s.(map[string]any)
	if m == nil {
		f.set(owner, detail, "any")
		return
	}
	if ref, ok := m["$ref"].(string); ok {
		if r := refName.FindStringSubmatch(ref); r != nil {
			f.refs[r[1]] = true
			f.set(owner, detail, "ref "+r[1])
		} else {
			f.set(owner, detail, "ref "+ref)
		}
		return
	}
	var parts []string
	if t, ok := m["type"].(string); ok {
		parts = append(parts, t)
	} else {
		parts = append(parts, "untyped")
	}
	if v, ok := m["format"].(string); ok && v != "" {
		parts[0] += "/" + v
	}
	if e, ok := m["enum"].([]any); ok && len(e) > 0 {
		vals := make([]string, len(e))
		for i, v := range e {
			vals[i] = fmt.Sprint(v)
		}
		parts = append(parts, "enum("+strings.Join(vals, ",")+")")
	}
	for _, flag := range []string{"readOnly", "nullable", "uniqueItems"} {
		if b, _ := m[flag].(bool); b {
			parts = append(parts, flag)
		}
	}
	for _, k := range []string{"default", "minimum", "maximum", "minLength", "maxLength", "pattern", "minItems", "maxItems", "multipleOf"} {
		if v, ok := m[k]; ok {
			parts = append(parts, fmt.Sprintf("%s=%v", k, v))
		}
	}
	if r, ok := m["required"].([]any); ok && len(r) > 0 {
		names := make([]string, len(r))
		for i, v := range r {
			names[i] = fmt.Sprint(v)
		}
		slices.Sort(names)
		names = slices.Compact(names) // a list, but a set in meaning
		parts = append(parts, "required("+strings.Join(names, ",")+")")
	}
	if d, ok := m["discriminator"].(map[string]any); ok {
		parts = append(parts, fmt.Sprintf("discriminator=%v", d["propertyName"]))
	}
	f.set(owner, detail, strings.Join(parts, " "))
	if props, ok := m["properties"].(map[string]any); ok {
		for name, p := range props {
			f.schema(owner, join(detail, name), p)
		}
	}
	if items, ok := m["items"]; ok {
		f.schema(owner, detail+"[]", items)
	}
	switch ap := m["additionalProperties"].(type) {
	case bool:
		f.set(owner, detail+"{}", fmt.Sprint(ap))
	case map[string]any:
		f.schema(owner, detail+"{}", ap)
	}
	for _, key := range []string{"allOf", "oneOf", "anyOf"} {
		if all, ok := m[key].([]any); ok {
			for i, x := range all {
				f.schema(owner, fmt.Sprintf("%s.%s[%d]", detail, key, i), x)
			}
		}
	}
}

func join(detail, name string) string {
	if detail == "" {
		return name
	}
	return detail + "." + name
}
