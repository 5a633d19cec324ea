package main

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/linnworks-go/linnworks/gen"
)

// rateLimitExtension is the vendor extension stating an operation's calls per minute.
const rateLimitExtension = "x-linnworks-rate-limit"

// defaultAuthServer is used when the document names no server.
const defaultAuthServer = "https://api.linnworks.net"

// operation is one operation of the embedded OpenAPI document.
type operation struct {
	ID         string // Controller_Method
	Method     string // upper case
	Path       string
	Controller string // first tag
	Summary    string
	RateLimit  int  // calls per minute; 0 when the document does not say
	Secured    bool // needs a session token (false for the Auth operations)
	Item       *openapi3.PathItem
	Op         *openapi3.Operation
}

// catalog is the parsed embedded document with its operations indexed by id.
type catalog struct {
	doc        *openapi3.T
	authServer string // the first server of the document
	ops        []*operation
	byID       map[string]*operation
	byFoldedID map[string]*operation
}

// loadCatalog parses the embedded document (gen.GetSpec parses on every call, so a
// command loads it once) and indexes its operations; it works for any number of them.
func loadCatalog() (*catalog, error) {
	doc, err := gen.GetSpec()
	if err != nil {
		return nil, fmt.Errorf("loading the embedded OpenAPI document: %w", err)
	}
	c := &catalog{
		doc:        doc,
		authServer: defaultAuthServer,
		byID:       map[string]*operation{},
		byFoldedID: map[string]*operation{},
	}
	if len(doc.Servers) > 0 && doc.Servers[0].URL != "" {
		c.authServer = strings.TrimRight(doc.Servers[0].URL, "/")
	}
	if doc.Paths != nil {
		for path, item := range doc.Paths.Map() {
			for method, op := range item.Operations() {
				o := &operation{
					ID:        op.OperationID,
					Method:    strings.ToUpper(method),
					Path:      path,
					Summary:   op.Summary,
					RateLimit: rateLimit(op.Extensions[rateLimitExtension]),
					Secured:   secured(doc, op),
					Item:      item,
					Op:        op,
				}
				if o.ID == "" {
					o.ID = o.Method + " " + path
				}
				if len(op.Tags) > 0 {
					o.Controller = op.Tags[0]
				}
				c.ops = append(c.ops, o)
			}
		}
	}
	slices.SortFunc(c.ops, func(a, b *operation) int { return strings.Compare(a.ID, b.ID) })
	for _, o := range c.ops {
		c.byID[o.ID] = o
		c.byFoldedID[strings.ToLower(o.ID)] = o
	}
	return c, nil
}

// rateLimit reads the x-linnworks-rate-limit extension, whatever number type the loader gave it.
func rateLimit(v any) int {
	switch n := v.(type) {
	case float64:
		if n >= 0 && n <= math.MaxInt32 {
			return int(n)
		}
	case int:
		return n
	case int64:
		return int(n)
	case json.Number:
		if i, err := n.Int64(); err == nil {
			return int(i)
		}
	}
	return 0
}

// secured reports whether op needs credentials: its own security requirements, or the
// document's when it states none; an empty list means no authentication.
func secured(doc *openapi3.T, op *openapi3.Operation) bool {
	reqs := doc.Security
	if op.Security != nil {
		reqs = *op.Security
	}
	for _, r := range reqs {
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

// suggest returns up to n operation ids containing id's method part (or all of id when it
// has no Controller_ prefix), ignoring case.
func (c *catalog) suggest(id string, n int) []string {
	needle := strings.ToLower(id)
	if _, method, ok := strings.Cut(needle, "_"); ok && method != "" {
		needle = method
	}
	if needle == "" {
		return nil
	}
	var out []string
	for _, o := range c.ops {
		if strings.Contains(strings.ToLower(o.ID), needle) {
			out = append(out, o.ID)
			if len(out) == n {
				break
			}
		}
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

// hasBody reports whether the operation's method carries a request body.
func (o *operation) hasBody() bool {
	return o.Op.RequestBody != nil && o.Op.RequestBody.Value != nil && o.Method != http.MethodGet
}

// parameters returns the operation's parameters, path-item ones overridden by the
// operation's own.
func (o *operation) parameters() []*openapi3.Parameter {
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
