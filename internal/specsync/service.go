package specsync

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// ServiceUpstream is one upstream OpenAPI 3 REST service file (for example
// 2.0/orders-v2.json), served on the regional hosts https://{eu,us,as}-api.linnworks.net
// under a version prefix (/v1/, /v2/).
type ServiceUpstream struct {
	// Name is the service's name in our document set: the file's base name without a
	// "-new" or "-vN" suffix, then "-" and the version of its servers ("orders-v2",
	// "warehousetransfer-v1"). Our document is services/<Name>.yaml, its overlay
	// overlays/services/<Name>.yaml and its Go package gen/<Package>.
	Name string
	// Version is the version prefix of the servers, "v1" or "v2".
	Version string
	// Path is where the file was read from.
	Path string
	// Data is the raw JSON.
	Data []byte
	// Root is the parsed document, in file order.
	Root *yaml.Node
}

// Package is the Go package name of the service: Name without dashes ("ordersv2").
func (s ServiceUpstream) Package() string { return strings.ReplaceAll(s.Name, "-", "") }

var (
	versionFolder = regexp.MustCompile(`^\d+\.\d+$`)
	serviceSuffix = regexp.MustCompile(`-(new|v\d+)$`)
	serverVersion = regexp.MustCompile(`^/(v\d+)/?$`)
)

// ReadServices reads every OpenAPI 3 file under dir: dir itself, its subfolders, and,
// when dir is a version folder such as "1.0", the version folders beside it. So both
// the PublicApiSpecs root and its 1.0 folder find 1.0/warehousetransfer-new.json and
// 2.0/*.json. Files are sorted by service name; two files giving the same name are an
// error.
func ReadServices(dir string) ([]ServiceUpstream, error) {
	if _, err := ResolveUpstreamDir(dir); err != nil {
		return nil, err
	}
	patterns := []string{filepath.Join(dir, "*.json"), filepath.Join(dir, "*", "*.json")}
	if versionFolder.MatchString(filepath.Base(filepath.Clean(dir))) {
		patterns = append(patterns, filepath.Join(filepath.Dir(filepath.Clean(dir)), "*", "*.json"))
	}
	seen := map[string]bool{}
	var out []ServiceUpstream
	byName := map[string]string{}
	for _, pat := range patterns {
		files, err := filepath.Glob(pat)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			abs, _ := filepath.Abs(f)
			if seen[abs] {
				continue
			}
			seen[abs] = true
			data, err := os.ReadFile(f)
			if err != nil {
				return nil, fmt.Errorf("specsync: %w", err)
			}
			var doc yaml.Node
			if err := yaml.Unmarshal(data, &doc); err != nil {
				return nil, fmt.Errorf("specsync: %s: %w", filepath.Base(f), err)
			}
			if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
				continue
			}
			root := doc.Content[0]
			if v := get(root, "openapi"); v == nil || !strings.HasPrefix(v.Value, "3.") {
				continue
			}
			if p := get(root, "paths"); p == nil || len(p.Content) == 0 {
				continue // nothing to serve (fixtures of other tests)
			}
			version, err := versionOf(root)
			if err != nil {
				return nil, fmt.Errorf("specsync: %s: %w", filepath.Base(f), err)
			}
			base := serviceSuffix.ReplaceAllString(strings.TrimSuffix(filepath.Base(f), ".json"), "")
			name := base + "-" + version
			if prev, dup := byName[name]; dup {
				return nil, fmt.Errorf("specsync: %s and %s are both service %s", prev, f, name)
			}
			byName[name] = f
			out = append(out, ServiceUpstream{Name: name, Version: version, Path: f, Data: data, Root: root})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// versionOf returns the version prefix all servers of a service share ("v2").
func versionOf(root *yaml.Node) (string, error) {
	version := ""
	for _, s := range contentOf(get(root, "servers")) {
		u, err := url.Parse(scalar(get(s, "url")))
		if err != nil {
			return "", fmt.Errorf("server %q: %w", scalar(get(s, "url")), err)
		}
		m := serverVersion.FindStringSubmatch(u.Path)
		if m == nil || u.Scheme != "https" || !strings.HasSuffix(u.Host, ".linnworks.net") {
			return "", fmt.Errorf("server %q is not https://<host>.linnworks.net/vN/", u)
		}
		if version != "" && version != m[1] {
			return "", fmt.Errorf("servers disagree on the version (%s, %s)", version, m[1])
		}
		version = m[1]
	}
	if version == "" {
		return "", fmt.Errorf("no servers")
	}
	return version, nil
}

// ServiceDoc is one service converted into our form: a complete OpenAPI 3.0
// document written to services/<Name>.yaml.
type ServiceDoc struct {
	// Name is the service name ("orders-v2").
	Name string
	// Doc is the converted document (a YAML mapping).
	Doc *yaml.Node
}

// ServiceOperationID is the operationId of a REST operation: Tag_Name, where Tag is
// the operation's first upstream tag and Name is the upstream operationId when there
// is one, else the last path segment when it is a PascalCase method name
// (".../transfers/AddItem" → AddItem), else the HTTP method followed by the literal
// path segments after the first, in PascalCase, with "By<Param>" for parameters
// ("GET /warehousetransfer/fba-inbound/operations/{operationId}" →
// GetFbaInboundOperationsByOperationId).
func ServiceOperationID(path, method string, op *yaml.Node) string {
	tag := ""
	if tags := contentOf(get(op, "tags")); len(tags) > 0 {
		tag = pascal(tags[0].Value)
	}
	if tag == "" {
		tag = "Default"
	}
	if id := scalar(get(op, "operationId")); id != "" {
		return tag + "_" + id
	}
	segs := strings.Split(strings.Trim(path, "/"), "/")
	if last := segs[len(segs)-1]; last != "" && !strings.HasPrefix(last, "{") && last[0] >= 'A' && last[0] <= 'Z' {
		return tag + "_" + pascal(last)
	}
	var b strings.Builder
	b.WriteString(pascal(method))
	for i, s := range segs {
		switch {
		case i == 0 && len(segs) > 1:
			// the service root (warehousetransfer, orders, picking)
		case strings.HasPrefix(s, "{"):
			b.WriteString("By" + pascal(strings.Trim(s, "{}")))
		default:
			b.WriteString(pascal(s))
		}
	}
	return tag + "_" + b.String()
}

// pascal turns "fba-inbound", "shipping_plans" or "get" into "FbaInbound",
// "ShippingPlans", "Get"; other characters are dropped.
func pascal(s string) string {
	var b strings.Builder
	upper := true
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9':
			if upper && r >= 'a' && r <= 'z' {
				r -= 'a' - 'A'
			}
			b.WriteRune(r)
			upper = false
		default:
			upper = true
		}
	}
	return b.String()
}

// ConvertService turns an upstream REST service into our form: operationId
// Tag_Name (ServiceOperationID), tag, our own summary (summaries[operationId] when
// given, else one derived from the name), x-linnworks-rate-limit when upstream
// states one, JSON-only bodies (application/json; application/problem+json kept
// for error answers), explicit security with our SessionToken scheme, parameters
// with required written out, inline oneOf/anyOf bodies moved to components, and
// only the schemas the operations reach, with upstream prose dropped.
func ConvertService(u ServiceUpstream, summaries map[string]string) (*ServiceDoc, error) {
	c := &serviceConverter{
		name:      u.Name,
		schemaSet: schemaSet{defs: get(get(u.Root, "components"), "schemas"), refs: map[string]bool{}, prefix: "#/components/schemas/", noun: "schema"},
	}
	paths := get(u.Root, "paths")
	if paths == nil || len(paths.Content) == 0 {
		return nil, fmt.Errorf("specsync: %s: no paths", u.Name)
	}
	ids := map[string]string{}
	outPaths, err := convertPaths(paths, u.Name, nil, func(p, method string, op *yaml.Node) (*yaml.Node, error) {
		id := ServiceOperationID(p, method, op)
		where := fmt.Sprintf("%s %s", strings.ToUpper(method), p)
		if prev, dup := ids[id]; dup {
			return nil, fmt.Errorf("specsync: %s: %s and %s both get operationId %s: set one in the overlay", u.Name, prev, where, id)
		}
		ids[id] = where
		return c.operation(p, method, id, op, summaries)
	})
	if err != nil {
		return nil, err
	}
	if err := MergeEquivalentPaths(&yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{str("paths"), outPaths}}); err != nil {
		return nil, fmt.Errorf("specsync: %s: %w", u.Name, err)
	}
	doc := mapping()
	doc.HeadComment = fmt.Sprintf("The %s REST service on https://{eu,us,as}-api.linnworks.net/%s/, imported by internal/specsync.\n"+
		"Corrections belong in openapi/overlays/services/%s.yaml.", u.Name, u.Version, u.Name)
	set(doc, "openapi", str("3.0.3"))
	info := mapping()
	set(info, "title", str("Linnworks "+u.Name+" service"))
	set(info, "version", str(scalar(get(get(u.Root, "info"), "version"))))
	set(doc, "info", info)
	servers := sequence()
	for _, s := range contentOf(get(u.Root, "servers")) {
		m := mapping()
		set(m, "url", str(scalar(get(s, "url"))))
		servers.Content = append(servers.Content, m)
	}
	set(doc, "servers", servers)
	set(doc, "paths", outPaths)
	comps := mapping()
	schemes := mapping()
	scheme := mapping()
	set(scheme, "type", str("apiKey"))
	set(scheme, "in", str("header"))
	set(scheme, "name", str("Authorization"))
	set(schemes, "SessionToken", scheme)
	set(comps, "securitySchemes", schemes)
	set(doc, "components", comps)
	if err := HoistInlineUnions(doc, func(_, _ string, op *yaml.Node) string { return scalar(get(op, "operationId")) }); err != nil {
		return nil, fmt.Errorf("specsync: %s: %w", u.Name, err)
	}
	// Hoisted schemas refer to upstream definitions too.
	_ = pairs(get(comps, "schemas"), func(_ string, s *yaml.Node) error {
		c.collectRefs(s)
		return nil
	})
	schemas, err := c.reachable(c.name, c.schema)
	if err != nil {
		return nil, err
	}
	if hoisted := get(comps, "schemas"); hoisted != nil {
		if err := pairs(hoisted, func(name string, s *yaml.Node) error {
			if get(schemas, name) != nil {
				return fmt.Errorf("specsync: %s: an inline oneOf moved to components/schemas/%s, an upstream schema's name", u.Name, name)
			}
			set(schemas, name, s)
			return nil
		}); err != nil {
			return nil, err
		}
		sortMappingKeys(schemas)
	}
	if len(schemas.Content) > 0 {
		set(comps, "schemas", schemas)
	}
	RelaxInheritance(doc)
	return &ServiceDoc{Name: u.Name, Doc: doc}, nil
}

type serviceConverter struct {
	schemaSet // components/schemas, and those referred to
	name      string
}

// keptMedia are the media types kept beside application/json in responses:
// the RFC 9457 problem documents the REST services answer errors with.
var keptMedia = map[string]bool{"application/json": true, "application/problem+json": true}

func (c *serviceConverter) operation(path, method, id string, op *yaml.Node, summaries map[string]string) (*yaml.Node, error) {
	where := fmt.Sprintf("specsync: %s: %s %s", c.name, strings.ToUpper(method), path)
	tag, name, _ := strings.Cut(id, "_")
	out := operationHead(id, tag, name, summaries, op)
	if rate, ok := RateLimit(scalar(get(op, "description"))); ok {
		set(out, "x-linnworks-rate-limit", integer(rate))
	}
	var unknown error
	_ = pairs(op, func(k string, _ *yaml.Node) error {
		switch k {
		case "tags", "summary", "description", "operationId", "deprecated", "parameters", "requestBody", "responses", "security":
		default:
			if !strings.HasPrefix(k, "x-") && unknown == nil {
				unknown = fmt.Errorf("%s: operation key %q is not supported", where, k)
			}
		}
		return nil
	})
	if unknown != nil {
		return nil, unknown
	}
	params := sequence()
	for _, p := range contentOf(get(op, "parameters")) {
		param, err := c.parameter(p, where)
		if err != nil {
			return nil, err
		}
		params.Content = append(params.Content, param)
	}
	if len(params.Content) > 0 {
		set(out, "parameters", params)
	}
	if rb := get(op, "requestBody"); rb != nil {
		media := get(get(rb, "content"), "application/json")
		if media == nil {
			return nil, fmt.Errorf("%s: request body without application/json", where)
		}
		schema, err := c.schema(get(media, "schema"), where+": requestBody")
		if err != nil {
			return nil, err
		}
		set(out, "requestBody", requestBody(get(rb, "required"), schema))
	}
	responses := mapping()
	var codes []string
	_ = pairs(get(op, "responses"), func(code string, _ *yaml.Node) error {
		codes = append(codes, code)
		return nil
	})
	sort.Strings(codes)
	for _, code := range codes {
		r := get(get(op, "responses"), code)
		resp, err := response(code, where)
		if err != nil {
			return nil, err
		}
		content := mapping()
		if err := pairs(get(r, "content"), func(mt string, media *yaml.Node) error {
			if !keptMedia[mt] {
				return nil
			}
			schema, err := c.schema(get(media, "schema"), where+": response "+code)
			if err != nil {
				return err
			}
			set(content, mt, mediaOf(schema))
			return nil
		}); err != nil {
			return nil, err
		}
		if len(content.Content) > 0 {
			set(resp, "content", content)
		}
		set(responses, code, resp)
	}
	if len(responses.Content) == 0 {
		return nil, fmt.Errorf("%s: no responses", where)
	}
	set(out, "responses", responses)
	set(out, "security", security(get(op, "security")))
	return out, nil
}

func (c *serviceConverter) parameter(p *yaml.Node, where string) (*yaml.Node, error) {
	name := scalar(get(p, "name"))
	where = where + ": parameter " + name
	out := mapping()
	set(out, "name", str(name))
	in := scalar(get(p, "in"))
	switch in {
	case "query", "header", "path":
	default:
		return nil, fmt.Errorf("%s: location %q is not supported", where, in)
	}
	set(out, "in", str(in))
	set(out, "required", boolean(scalar(get(p, "required")) == "true" || in == "path"))
	err := pairs(p, func(k string, v *yaml.Node) error {
		switch {
		case k == "name" || k == "in" || k == "required" || k == "schema":
		case k == "description" || k == "example" || strings.HasPrefix(k, "x-"):
		case k == "style" || k == "explode" || k == "deprecated":
			set(out, k, plain(v))
		default:
			return fmt.Errorf("%s: key %q is not supported", where, k)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s, err := c.schema(get(p, "schema"), where)
	if err != nil {
		return nil, err
	}
	set(out, "schema", s)
	return out, nil
}

// serviceSchemaKeys are schema facts carried over as they are.
var serviceSchemaKeys = map[string]bool{
	"type": true, "format": true, "enum": true, "readOnly": true, "writeOnly": true, "required": true, "default": true,
	"nullable": true, "minimum": true, "maximum": true, "minLength": true, "maxLength": true, "pattern": true,
	"minItems": true, "maxItems": true, "uniqueItems": true, "multipleOf": true,
	"exclusiveMinimum": true, "exclusiveMaximum": true,
}

// schema converts an OpenAPI 3 schema: prose dropped, facts kept, unknown keys refused.
func (c *serviceConverter) schema(s *yaml.Node, where string) (*yaml.Node, error) {
	return c.convert(s, where, func(out *yaml.Node, k string, v *yaml.Node) error {
		switch {
		case droppedSchemaKeys[k] || strings.HasPrefix(k, "x-"):
		case serviceSchemaKeys[k]:
			set(out, k, plain(v))
		case k == "properties" || k == "items" || k == "not" || k == "additionalProperties" ||
			k == "allOf" || k == "oneOf" || k == "anyOf":
			return setSubschemas(out, k, v, where, c.schema)
		case k == "discriminator":
			set(out, k, plain(v))
		default:
			return fmt.Errorf("%s: schema key %q is not supported", where, k)
		}
		return nil
	})
}

// collectRefs notes the component schemas a converted schema refers to.
func (c *serviceConverter) collectRefs(s *yaml.Node) {
	if s == nil {
		return
	}
	if s.Kind == yaml.MappingNode {
		if ref := get(s, "$ref"); ref != nil && ref.Kind == yaml.ScalarNode {
			if name, ok := strings.CutPrefix(ref.Value, "#/components/schemas/"); ok && get(c.defs, name) != nil {
				c.refs[name] = true
			}
		}
	}
	for _, n := range s.Content {
		c.collectRefs(n)
	}
}

// sortMappingKeys sorts a mapping by key.
func sortMappingKeys(m *yaml.Node) {
	type kv struct{ k, v *yaml.Node }
	kvs := make([]kv, 0, len(m.Content)/2)
	for i := 0; i+1 < len(m.Content); i += 2 {
		kvs = append(kvs, kv{m.Content[i], m.Content[i+1]})
	}
	sort.SliceStable(kvs, func(i, j int) bool { return kvs[i].k.Value < kvs[j].k.Value })
	m.Content = m.Content[:0]
	for _, p := range kvs {
		m.Content = append(m.Content, p.k, p.v)
	}
}

// HoistInlineUnions moves every inline oneOf/anyOf schema of a request body or
// response (oapi-codegen sends an inline oneOf request body as {} and gives an inline
// oneOf response no usable type) into components/schemas and refers to it. The name
// is the alternatives' schema names joined with "Or" when they are all $refs
// ("GetOrdersResponseOrAnonymousGetOrdersResponse"), else the operation's Go name
// (from idOf) + "Body" for a request, + "Result" + status for a response. A name
// already taken by a different schema is an error.
func HoistInlineUnions(doc *yaml.Node, idOf func(path, method string, op *yaml.Node) string) error {
	comps := get(doc, "components")
	if comps == nil {
		comps = mapping()
		set(doc, "components", comps)
	}
	schemas := get(comps, "schemas")
	created := false
	if schemas == nil {
		schemas = mapping()
		created = true
	}
	hoist := func(media *yaml.Node, fallback string) error {
		s := get(media, "schema")
		if s == nil || get(s, "$ref") != nil {
			return nil
		}
		key := "oneOf"
		alts := contentOf(get(s, key))
		if alts == nil {
			key = "anyOf"
			alts = contentOf(get(s, key))
		}
		if alts == nil {
			return nil
		}
		var names []string
		for _, a := range alts {
			n, ok := strings.CutPrefix(scalar(get(a, "$ref")), "#/components/schemas/")
			if !ok {
				names = nil
				break
			}
			names = append(names, n)
		}
		name := fallback
		if len(names) == len(alts) {
			name = strings.Join(names, "Or")
		}
		if prev := get(schemas, name); prev != nil {
			a, _ := yaml.Marshal(prev)
			b, _ := yaml.Marshal(s)
			if string(a) != string(b) {
				return fmt.Errorf("inline %s moved to components/schemas/%s, which holds another schema", key, name)
			}
		} else {
			set(schemas, name, s)
		}
		ref := mapping()
		set(ref, "$ref", str("#/components/schemas/"+name))
		set(media, "schema", ref)
		return nil
	}
	err := pairs(get(doc, "paths"), func(p string, item *yaml.Node) error {
		return pairs(item, func(method string, op *yaml.Node) error {
			if !isMethod(method) {
				return nil
			}
			goID := pascal(idOf(p, method, op))
			if err := pairs(get(get(op, "requestBody"), "content"), func(_ string, media *yaml.Node) error {
				return hoist(media, goID+"Body")
			}); err != nil {
				return fmt.Errorf("%s %s: %w", strings.ToUpper(method), p, err)
			}
			return pairs(get(op, "responses"), func(code string, r *yaml.Node) error {
				return pairs(get(r, "content"), func(_ string, media *yaml.Node) error {
					if err := hoist(media, goID+"Result"+code); err != nil {
						return fmt.Errorf("%s %s: response %s: %w", strings.ToUpper(method), p, code, err)
					}
					return nil
				})
			})
		})
	})
	if err != nil {
		return err
	}
	if created && len(schemas.Content) > 0 {
		set(comps, "schemas", schemas)
	}
	return nil
}

var templateParam = regexp.MustCompile(`\{[^}]*\}`)

// MergeEquivalentPaths joins path items whose templates differ only in parameter
// names ("/boxes/{shipmentId}" and "/boxes/{shipmentBoxId}"), which OpenAPI forbids
// and routers cannot tell apart: the operations of the later path move into the
// first one, their path parameters renamed to the first path's names (a path
// parameter's name is not sent). Operation ids are derived before this, so they
// keep naming the upstream path. Two operations with the same method are an error.
func MergeEquivalentPaths(doc *yaml.Node) error {
	paths := get(doc, "paths")
	if paths == nil {
		return nil
	}
	first := map[string]string{}
	var keep []*yaml.Node
	for i := 0; i+1 < len(paths.Content); i += 2 {
		p, item := paths.Content[i].Value, paths.Content[i+1]
		key := templateParam.ReplaceAllString(p, "{}")
		target, dup := first[key]
		if !dup {
			first[key] = p
			keep = append(keep, paths.Content[i], item)
			continue
		}
		targetItem := get(paths, target)
		from := templateParam.FindAllString(p, -1)
		to := templateParam.FindAllString(target, -1)
		rename := map[string]string{}
		for j := range from {
			rename[strings.Trim(from[j], "{}")] = strings.Trim(to[j], "{}")
		}
		if err := pairs(item, func(method string, op *yaml.Node) error {
			if !isMethod(method) {
				return fmt.Errorf("%s: path-level %q cannot be merged into %s", p, method, target)
			}
			if get(targetItem, method) != nil {
				return fmt.Errorf("%s %s and %s %s cannot both exist", strings.ToUpper(method), p, strings.ToUpper(method), target)
			}
			for _, param := range contentOf(get(op, "parameters")) {
				if scalar(get(param, "in")) == "path" {
					if n, ok := rename[scalar(get(param, "name"))]; ok {
						set(param, "name", str(n))
					}
				}
			}
			set(targetItem, method, op)
			return nil
		}); err != nil {
			return err
		}
		orderKeys(targetItem, methodRank, len(httpMethods))
	}
	paths.Content = keep
	return nil
}

// RelaxInheritance drops `additionalProperties: false` from the schemas that take
// part in inheritance: a schema with both allOf and properties of its own, and the
// schemas its allOf refers to. ASP.NET's generator writes the keyword on every class,
// but in JSON Schema a parent that forbids additional properties rejects every child
// object (whose own fields are additional to it), and a child that forbids them
// rejects the fields it inherits: no answer could be valid.
func RelaxInheritance(doc *yaml.Node) {
	schemas := get(get(doc, "components"), "schemas")
	relax := func(s *yaml.Node) {
		if ap := get(s, "additionalProperties"); ap != nil && ap.Kind == yaml.ScalarNode && ap.Value == "false" {
			del(s, "additionalProperties")
		}
	}
	_ = pairs(schemas, func(_ string, s *yaml.Node) error {
		all := contentOf(get(s, "allOf"))
		if len(all) == 0 || get(s, "properties") == nil {
			return nil
		}
		relax(s)
		for _, part := range all {
			if name, ok := strings.CutPrefix(scalar(get(part, "$ref")), "#/components/schemas/"); ok {
				relax(get(schemas, name))
			}
		}
		return nil
	})
}

// Visit calls fn with the path, method and our operationId of every operation of
// an upstream service, in upstream order.
func Visit(u ServiceUpstream, fn func(path, method, operationID string)) error {
	return pairs(get(u.Root, "paths"), func(p string, item *yaml.Node) error {
		return pairs(item, func(method string, op *yaml.Node) error {
			if isMethod(method) {
				fn(p, method, ServiceOperationID(p, method, op))
			}
			return nil
		})
	})
}
