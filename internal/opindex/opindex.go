// Package opindex maps a request's method and path to the operation of the
// embedded OpenAPI documents that it calls: its operationId, its
// x-linnworks-rate-limit and its HTTP method.
//
// Embedded indexes the classic API (package gen); All indexes it together with
// the REST services (gen/ordersv2, gen/pickingv2, gen/warehousetransferv1,
// gen/warehousetransferv2), whose operations are named "<package>.<operationId>"
// ("ordersv2.Orders_GetOrders", as the mock and the CLI name them) and whose
// paths carry the path of their server (/v2/orders). Each index is built once per
// process from the GetSpecJSON of the packages, decoding only the fields it needs;
// lookups take no lock and allocate nothing.
package opindex

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"

	"github.com/linnworks-go/linnworks/gen"
	"github.com/linnworks-go/linnworks/gen/ordersv2"
	"github.com/linnworks-go/linnworks/gen/pickingv2"
	"github.com/linnworks-go/linnworks/gen/warehousetransferv1"
	"github.com/linnworks-go/linnworks/gen/warehousetransferv2"
)

// RateLimitExtension is the operation extension that states its calls per minute.
const RateLimitExtension = "x-linnworks-rate-limit"

// Op is one operation of the document.
type Op struct {
	// ID is the operationId (Controller_Method), qualified with its service for
	// the operations of a REST service ("ordersv2.Orders_GetOrders").
	ID string
	// Service is the package of the REST service the operation belongs to
	// ("ordersv2"), or "" for the classic API.
	Service string
	// Method is the HTTP method, upper case.
	Method string
	// Path is the path template as sent, e.g. /api/Orders/GetOpenOrders, or
	// /v2/orders for a REST service (its server's path, then the document's path).
	Path string
	// RateLimit is the x-linnworks-rate-limit in calls per minute; 0 when absent.
	RateLimit int
	// Index is the position of the operation in Index.Ops, for per-operation
	// state kept in slices.
	Index int
}

// Index answers "which operation does this request call?".
type Index struct {
	// Ops lists every operation, sorted by ID; Op.Index is the position here.
	Ops       []*Op
	byID      map[string]*Op
	exact     map[string]*pathOps // paths without {parameters}
	templated node                // paths with {parameters}, one segment per level
}

// pathOps are the operations of one path, by method.
type pathOps struct {
	get, post, other []*Op
}

func (p *pathOps) add(op *Op) {
	switch op.Method {
	case http.MethodGet:
		p.get = append(p.get, op)
	case http.MethodPost:
		p.post = append(p.post, op)
	default:
		p.other = append(p.other, op)
	}
}

func (p *pathOps) find(method string) *Op {
	switch method {
	case http.MethodGet, "":
		if len(p.get) > 0 {
			return p.get[0]
		}
		return nil
	case http.MethodPost:
		if len(p.post) > 0 {
			return p.post[0]
		}
		return nil
	}
	for _, op := range p.other {
		if strings.EqualFold(op.Method, method) {
			return op
		}
	}
	return nil
}

// node is one segment of the tree of templated paths: literal segments by
// name, and a {parameter} segment matching any non-empty one.
type node struct {
	literal map[string]*node
	param   *node
	ops     *pathOps // the operations of the path ending here
}

// lookup finds the operation of the rest of a path (the segments after this
// node; end when there are none), preferring a literal segment to a parameter
// as routers do (/items/prep-categories before /items/{id}).
func (n *node) lookup(method, rest string, end bool) *Op {
	if end {
		if n.ops == nil {
			return nil
		}
		return n.ops.find(method)
	}
	seg, after, more := strings.Cut(rest, "/")
	if c := n.literal[seg]; c != nil {
		if op := c.lookup(method, after, !more); op != nil {
			return op
		}
	}
	if n.param != nil && seg != "" {
		return n.param.lookup(method, after, !more)
	}
	return nil
}

// Embedded returns the index of the document embedded in package gen, built on
// the first call.
var Embedded = sync.OnceValues(func() (*Index, error) {
	raw, err := gen.GetSpecJSON()
	if err != nil {
		return nil, fmt.Errorf("opindex: reading the embedded spec: %w", err)
	}
	return Build(raw)
})

// All returns the index of the classic API and of every REST service, built on
// the first call.
var All = sync.OnceValues(func() (*Index, error) {
	specs := []struct {
		service string
		json    func() ([]byte, error)
	}{
		{"", gen.GetSpecJSON},
		{"ordersv2", ordersv2.GetSpecJSON},
		{"pickingv2", pickingv2.GetSpecJSON},
		{"warehousetransferv1", warehousetransferv1.GetSpecJSON},
		{"warehousetransferv2", warehousetransferv2.GetSpecJSON},
	}
	docs := make([]Document, len(specs))
	for i, s := range specs {
		raw, err := s.json()
		if err != nil {
			return nil, fmt.Errorf("opindex: reading the embedded %s spec: %w", cmp.Or(s.service, "classic"), err)
		}
		docs[i] = Document{Service: s.service, JSON: raw}
	}
	return BuildAll(docs...)
})

var methods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// Document is one OpenAPI 3 document (JSON) of an index.
type Document struct {
	// Service is "" for the classic API, whose operations keep their
	// operationIds and paths. For a REST service it is the package name: the
	// operationIds become Service + "." + operationId and the paths are prefixed
	// with the path of the document's first server (/v2).
	Service string
	// JSON is the document.
	JSON []byte
}

// Build indexes an OpenAPI 3 document given as JSON. An operation without an
// operationId is indexed as "METHOD path"; a rate limit that is not a
// non-negative integer is an error naming the operation.
func Build(raw []byte) (*Index, error) { return BuildAll(Document{JSON: raw}) }

// BuildAll indexes several documents as one, see Document for the names and
// paths of a REST service's operations. An operationId used twice (after
// qualification) is an error.
func BuildAll(docs ...Document) (*Index, error) {
	x := &Index{byID: map[string]*Op{}, exact: map[string]*pathOps{}}
	for _, d := range docs {
		if err := x.add(d); err != nil {
			return nil, err
		}
	}
	sort.Slice(x.Ops, func(i, j int) bool { return x.Ops[i].ID < x.Ops[j].ID })
	for i, o := range x.Ops {
		o.Index = i
	}
	return x, nil
}

// add indexes the operations of one document.
func (x *Index) add(d Document) error {
	var doc struct {
		Servers []struct {
			URL string `json:"url"`
		} `json:"servers"`
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	what := "the document"
	if d.Service != "" {
		what = "the " + d.Service + " document"
	}
	if err := json.Unmarshal(d.JSON, &doc); err != nil {
		return fmt.Errorf("opindex: decoding %s: %w", what, err)
	}
	prefix, qualifier := "", ""
	if d.Service != "" {
		if len(doc.Servers) == 0 {
			return fmt.Errorf("opindex: %s has no servers", what)
		}
		u, err := url.Parse(doc.Servers[0].URL)
		if err != nil {
			return fmt.Errorf("opindex: the server of %s: %w", what, err)
		}
		prefix, qualifier = strings.TrimSuffix(u.Path, "/"), d.Service+"."
	}
	for docPath, item := range doc.Paths {
		path := prefix + docPath
		for _, m := range methods {
			rawOp, ok := item[m]
			if !ok {
				continue
			}
			var op struct {
				ID        string           `json:"operationId"`
				RateLimit *json.RawMessage `json:"x-linnworks-rate-limit"`
			}
			if err := json.Unmarshal(rawOp, &op); err != nil {
				return fmt.Errorf("opindex: decoding %s %s: %w", strings.ToUpper(m), path, err)
			}
			o := &Op{ID: op.ID, Service: d.Service, Method: strings.ToUpper(m), Path: path}
			if o.ID == "" {
				o.ID = o.Method + " " + path
			}
			o.ID = qualifier + o.ID
			if op.RateLimit != nil {
				var n int
				if err := json.Unmarshal(*op.RateLimit, &n); err != nil || n < 0 {
					return fmt.Errorf("opindex: %s: %s is %s, want a non-negative integer", o.ID, RateLimitExtension, *op.RateLimit)
				}
				o.RateLimit = n
			}
			if _, dup := x.byID[o.ID]; dup {
				return fmt.Errorf("opindex: operationId %s is used twice", o.ID)
			}
			x.byID[o.ID] = o
			x.Ops = append(x.Ops, o)
			if !strings.Contains(path, "{") {
				p := x.exact[path]
				if p == nil {
					p = &pathOps{}
					x.exact[path] = p
				}
				p.add(o)
				continue
			}
			x.addTemplated(path, o)
		}
	}
	return nil
}

func (x *Index) addTemplated(path string, o *Op) {
	n := &x.templated
	for _, seg := range strings.Split(strings.TrimPrefix(path, "/"), "/") {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			if n.param == nil {
				n.param = &node{}
			}
			n = n.param
			continue
		}
		c := n.literal[seg]
		if c == nil {
			if n.literal == nil {
				n.literal = map[string]*node{}
			}
			c = &node{}
			n.literal[seg] = c
		}
		n = c
	}
	if n.ops == nil {
		n.ops = &pathOps{}
	}
	n.ops.add(o)
}

// ByID returns the operation with this operationId, or nil.
func (x *Index) ByID(id string) *Op { return x.byID[id] }

// Lookup returns the operation a request with this method and path calls, or
// nil when the document has none. Paths compare exactly (Linnworks' paths are
// case-insensitive on the server, but the generated client always sends the
// document's spelling).
func (x *Index) Lookup(method, path string) *Op {
	if p := x.exact[path]; p != nil {
		if op := p.find(method); op != nil {
			return op
		}
	}
	if rest, ok := strings.CutPrefix(path, "/"); ok {
		return x.templated.lookup(method, rest, false)
	}
	return nil
}
