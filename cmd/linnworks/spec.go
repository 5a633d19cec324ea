package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/linnworks-go/linnworks/gen"
	"github.com/linnworks-go/linnworks/gen/ordersv2"
	"github.com/linnworks-go/linnworks/gen/pickingv2"
	"github.com/linnworks-go/linnworks/gen/warehousetransferv1"
	"github.com/linnworks-go/linnworks/gen/warehousetransferv2"
)

// restServices are the REST services listed and called beside the classic API: the
// generated package's name (which prefixes their operation ids, "ordersv2.Orders_GetOrders")
// and its embedded document.
var restServices = []struct {
	pkg  string
	spec func() ([]byte, error)
}{
	{"ordersv2", ordersv2.GetSpecJSON},
	{"pickingv2", pickingv2.GetSpecJSON},
	{"warehousetransferv1", warehousetransferv1.GetSpecJSON},
	{"warehousetransferv2", warehousetransferv2.GetSpecJSON},
}

// rateLimitExtension is the vendor extension stating an operation's calls per minute.
const rateLimitExtension = "x-linnworks-rate-limit"

// defaultAuthServer is used when the document names no server.
const defaultAuthServer = "https://api.linnworks.net"

// operation is one operation of the embedded OpenAPI document, as listed by ops.
type operation struct {
	ID         string // Controller_Method
	Method     string // upper case
	Path       string
	Controller string // first tag
	Summary    string
	RateLimit  int  // calls per minute; 0 when the document does not say
	Secured    bool // needs a session token (false for the Auth operations)
	// Server is the base URL of a REST service operation (its document's first server,
	// https://eu-api.linnworks.net/v2: authn routes it to the session's region); ""
	// for the classic API, which goes to the session's Server.
	Server string

	doc *rawDocument // the document the operation comes from
}

// catalog indexes the operations of the embedded document by id. It decodes the
// document's JSON directly (a few ms for hundreds of operations) rather than loading it
// with kin-openapi, which resolves every reference of the whole document (~0.3 s at 631
// operations); resolve loads just the part one call needs.
type catalog struct {
	rawDoc     rawDocument
	authServer string // the first server of the document
	ops        []*operation
	byID       map[string]*operation
	byFoldedID map[string]*operation
}

// securityList is a list of security requirements; nil when absent, empty for `security: []`.
type securityList = *[]map[string][]string

type rawDocument struct {
	OpenAPI    string                                `json:"openapi"`
	Info       json.RawMessage                       `json:"info"`
	Servers    []struct{ URL string }                `json:"servers"`
	Security   securityList                          `json:"security"`
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components map[string]map[string]json.RawMessage `json:"components"`
}

type rawOperation struct {
	OperationID string       `json:"operationId"`
	Tags        []string     `json:"tags"`
	Summary     string       `json:"summary"`
	RateLimit   any          `json:"x-linnworks-rate-limit"`
	Security    securityList `json:"security"`
}

// httpMethods are the operation keys of an OpenAPI path item.
var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// loadCatalog indexes the embedded document; it works for any number of operations.
func loadCatalog() (*catalog, error) {
	raw, err := gen.GetSpecJSON()
	if err != nil {
		return nil, fmt.Errorf("reading the embedded OpenAPI document: %w", err)
	}
	c := &catalog{
		authServer: defaultAuthServer,
		byID:       map[string]*operation{},
		byFoldedID: map[string]*operation{},
	}
	if err := json.Unmarshal(raw, &c.rawDoc); err != nil {
		return nil, fmt.Errorf("decoding the embedded OpenAPI document: %w", err)
	}
	if s := c.rawDoc.Servers; len(s) > 0 && s[0].URL != "" {
		c.authServer = strings.TrimRight(s[0].URL, "/")
	}
	if err := c.index(&c.rawDoc, "", ""); err != nil {
		return nil, err
	}
	for _, svc := range restServices {
		raw, err := svc.spec()
		if err != nil {
			return nil, fmt.Errorf("reading the embedded %s document: %w", svc.pkg, err)
		}
		doc := &rawDocument{}
		if err := json.Unmarshal(raw, doc); err != nil {
			return nil, fmt.Errorf("decoding the embedded %s document: %w", svc.pkg, err)
		}
		if len(doc.Servers) == 0 {
			return nil, fmt.Errorf("the embedded %s document has no server", svc.pkg)
		}
		if err := c.index(doc, svc.pkg+".", strings.TrimRight(doc.Servers[0].URL, "/")); err != nil {
			return nil, err
		}
	}
	slices.SortFunc(c.ops, func(a, b *operation) int { return strings.Compare(a.ID, b.ID) })
	for _, o := range c.ops {
		c.byID[o.ID] = o
		c.byFoldedID[strings.ToLower(o.ID)] = o
	}
	return c, nil
}

// fullPath is the path a request has on the wire: the operation's path, after the
// version prefix of its server for a REST service ("/v2/orders").
func (o *operation) fullPath() string {
	if o.Server == "" {
		return o.Path
	}
	if u, err := url.Parse(o.Server); err == nil {
		return strings.TrimRight(u.Path, "/") + o.Path
	}
	return o.Path
}

// index adds the operations of doc, their ids prefixed with prefix, sent to server.
func (c *catalog) index(doc *rawDocument, prefix, server string) error {
	for path, item := range doc.Paths {
		for key, rawOp := range item {
			if !slices.Contains(httpMethods, key) {
				continue // parameters, summary, servers, extensions
			}
			var ro rawOperation
			if err := json.Unmarshal(rawOp, &ro); err != nil {
				return fmt.Errorf("decoding %s %s of the embedded OpenAPI document: %w", strings.ToUpper(key), path, err)
			}
			o := &operation{
				ID:        ro.OperationID,
				Method:    strings.ToUpper(key),
				Path:      path,
				Summary:   ro.Summary,
				RateLimit: rateLimit(ro.RateLimit),
				Secured:   secured(doc.Security, ro.Security),
				Server:    server,
				doc:       doc,
			}
			if o.ID == "" {
				o.ID = o.Method + " " + path
			}
			o.ID = prefix + o.ID
			if len(ro.Tags) > 0 {
				o.Controller = ro.Tags[0]
			}
			c.ops = append(c.ops, o)
		}
	}
	return nil
}

// rateLimit reads the x-linnworks-rate-limit extension, whatever number type it has.
func rateLimit(v any) int {
	switch n := v.(type) {
	case float64:
		if n >= 0 && n <= math.MaxInt32 {
			return int(n)
		}
	case json.Number:
		if i, err := n.Int64(); err == nil && i >= 0 && i <= math.MaxInt32 {
			return int(i)
		}
	}
	return 0
}

// secured reports whether an operation needs credentials: its own security requirements,
// or the document's when it states none; an empty list means no authentication.
func secured(doc, op securityList) bool {
	reqs := doc
	if op != nil {
		reqs = op
	}
	if reqs == nil {
		return false
	}
	for _, r := range *reqs {
		if len(r) > 0 {
			return true
		}
	}
	return false
}

// lookup finds an operation by id, ignoring case; the error suggests close ids.
func (c *catalog) lookup(id string) (*operation, error) {
	if o, ok := c.byID[id]; ok {
		return o, nil
	}
	if o, ok := c.byFoldedID[strings.ToLower(id)]; ok {
		return o, nil
	}
	msg := fmt.Sprintf("unknown operation %q", id)
	if s := c.suggest(id, 5); len(s) > 0 {
		msg += "; did you mean " + strings.Join(s, ", ") + "?"
	}
	return nil, usageErr("%s (run \"linnworks ops\" to list them)", msg)
}

// suggest returns up to n operation ids close to id, ignoring case: first those whose
// method part (after Controller_) equals id's method part, then those containing it.
func (c *catalog) suggest(id string, n int) []string {
	needle := strings.ToLower(id)
	if _, method, ok := strings.Cut(needle, "_"); ok && method != "" {
		needle = method
	}
	if needle == "" {
		return nil
	}
	var exact, partial []string
	for _, o := range c.ops {
		lower := strings.ToLower(o.ID)
		_, method, _ := strings.Cut(lower, "_")
		switch {
		case method == needle:
			exact = append(exact, o.ID)
		case strings.Contains(lower, needle):
			partial = append(partial, o.ID)
		}
	}
	out := append(exact, partial...)
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// controllers returns the distinct controllers (tags) of the document, sorted.
func (c *catalog) controllers() []string {
	var out []string
	for _, o := range c.ops {
		if o.Controller != "" && !slices.Contains(out, o.Controller) {
			out = append(out, o.Controller)
		}
	}
	slices.Sort(out)
	return out
}

// resolvedOp is one operation loaded by kin-openapi, with every reference resolved,
// ready for request validation.
type resolvedOp struct {
	*operation
	Doc  *openapi3.T
	Item *openapi3.PathItem
	Op   *openapi3.Operation
}

// resolve loads op with kin-openapi from a document holding only its path item and the
// components it references (transitively), so a call pays for one operation, not all.
func (c *catalog) resolve(ctx context.Context, op *operation) (*resolvedOp, error) {
	item, ok := op.doc.Paths[op.Path]
	if !ok {
		return nil, fmt.Errorf("path %s is not in the embedded document", op.Path)
	}
	components := map[string]map[string]json.RawMessage{}
	var queue []json.RawMessage
	for _, v := range item {
		queue = append(queue, v)
	}
	for len(queue) > 0 {
		next := queue[0]
		queue = queue[1:]
		var v any
		if err := json.Unmarshal(next, &v); err != nil {
			return nil, fmt.Errorf("decoding the embedded document: %w", err)
		}
		for _, ref := range componentRefs(v, nil) {
			kind, name := ref[0], ref[1]
			if _, done := components[kind][name]; done {
				continue
			}
			raw, ok := op.doc.Components[kind][name]
			if !ok {
				return nil, fmt.Errorf("%s references #/components/%s/%s, which the document lacks", op.ID, kind, name)
			}
			if components[kind] == nil {
				components[kind] = map[string]json.RawMessage{}
			}
			components[kind][name] = raw
			queue = append(queue, raw)
		}
	}
	// Security schemes are named, not referenced: keep them all (they are few).
	if s, ok := op.doc.Components["securitySchemes"]; ok {
		components["securitySchemes"] = s
	}
	part := map[string]any{
		"openapi":    op.doc.OpenAPI,
		"info":       op.doc.Info,
		"paths":      map[string]any{op.Path: item},
		"components": components,
	}
	if op.doc.Security != nil {
		part["security"] = op.doc.Security
	}
	data, err := json.Marshal(part)
	if err != nil {
		return nil, fmt.Errorf("extracting %s from the embedded document: %w", op.ID, err)
	}
	loader := openapi3.NewLoader()
	loader.Context = ctx
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("loading %s from the embedded document: %w", op.ID, err)
	}
	pi := doc.Paths.Value(op.Path)
	if pi == nil || pi.GetOperation(op.Method) == nil {
		return nil, fmt.Errorf("%s %s is not in the embedded document", op.Method, op.Path)
	}
	return &resolvedOp{operation: op, Doc: doc, Item: pi, Op: pi.GetOperation(op.Method)}, nil
}

// componentRefs appends the [kind, name] of every "#/components/kind/name" $ref in v.
func componentRefs(v any, out [][2]string) [][2]string {
	switch t := v.(type) {
	case map[string]any:
		for k, child := range t {
			if s, ok := child.(string); ok && k == "$ref" {
				if rest, ok := strings.CutPrefix(s, "#/components/"); ok {
					if kind, name, ok := strings.Cut(rest, "/"); ok {
						out = append(out, [2]string{kind, unescapePointer(name)})
					}
				}
				continue
			}
			out = componentRefs(child, out)
		}
	case []any:
		for _, child := range t {
			out = componentRefs(child, out)
		}
	}
	return out
}

// unescapePointer decodes a JSON pointer token (~1 is /, ~0 is ~).
func unescapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
}

// hasBody reports whether the operation's method carries a request body.
func (o *resolvedOp) hasBody() bool {
	return o.Op.RequestBody != nil && o.Op.RequestBody.Value != nil && o.Method != http.MethodGet
}

// parameters returns the operation's parameters, path-item ones overridden by the
// operation's own.
func (o *resolvedOp) parameters() []*openapi3.Parameter {
	var out []*openapi3.Parameter
	for _, ref := range o.Op.Parameters {
		if ref != nil && ref.Value != nil {
			out = append(out, ref.Value)
		}
	}
	for _, ref := range o.Item.Parameters {
		if ref == nil || ref.Value == nil {
			continue
		}
		if o.Op.Parameters.GetByInAndName(ref.Value.In, ref.Value.Name) == nil {
			out = append(out, ref.Value)
		}
	}
	return out
}
