// Package opindex maps a request's method and path to the operation of the
// embedded OpenAPI document (package gen) that it calls: its operationId, its
// x-linnworks-rate-limit and its HTTP method.
//
// The index of the embedded document is built once per process (Embedded) from
// gen.GetSpecJSON, decoding only the fields it needs; lookups take no lock and
// allocate nothing.
package opindex

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/linnworks-go/linnworks/gen"
)

// RateLimitExtension is the operation extension that states its calls per minute.
const RateLimitExtension = "x-linnworks-rate-limit"

// Op is one operation of the document.
type Op struct {
	// ID is the operationId (Controller_Method).
	ID string
	// Method is the HTTP method, upper case.
	Method string
	// Path is the path template, e.g. /api/Orders/GetOpenOrders.
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
	templated []templatedPath
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

type templatedPath struct {
	segments []string // "" marks a {parameter} segment
	ops      pathOps
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

var methods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// Build indexes an OpenAPI 3 document given as JSON. An operation without an
// operationId is indexed as "METHOD path"; a rate limit that is not a
// non-negative integer is an error naming the operation.
func Build(raw []byte) (*Index, error) {
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("opindex: decoding the document: %w", err)
	}
	x := &Index{byID: map[string]*Op{}, exact: map[string]*pathOps{}}
	for path, item := range doc.Paths {
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
				return nil, fmt.Errorf("opindex: decoding %s %s: %w", strings.ToUpper(m), path, err)
			}
			o := &Op{ID: op.ID, Method: strings.ToUpper(m), Path: path}
			if o.ID == "" {
				o.ID = o.Method + " " + path
			}
			if op.RateLimit != nil {
				var n int
				if err := json.Unmarshal(*op.RateLimit, &n); err != nil || n < 0 {
					return nil, fmt.Errorf("opindex: %s: %s is %s, want a non-negative integer", o.ID, RateLimitExtension, *op.RateLimit)
				}
				o.RateLimit = n
			}
			if _, dup := x.byID[o.ID]; dup {
				return nil, fmt.Errorf("opindex: operationId %s is used twice", o.ID)
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
	sort.Slice(x.Ops, func(i, j int) bool { return x.Ops[i].ID < x.Ops[j].ID })
	for i, o := range x.Ops {
		o.Index = i
	}
	return x, nil
}

func (x *Index) addTemplated(path string, o *Op) {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			segs[i] = ""
		}
	}
	for i := range x.templated {
		if equalSegments(x.templated[i].segments, segs) {
			x.templated[i].ops.add(o)
			return
		}
	}
	t := templatedPath{segments: segs}
	t.ops.add(o)
	x.templated = append(x.templated, t)
}

func equalSegments(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
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
	for i := range x.templated {
		t := &x.templated[i]
		if t.matches(path) {
			if op := t.ops.find(method); op != nil {
				return op
			}
		}
	}
	return nil
}

func (t *templatedPath) matches(path string) bool {
	rest, more := path, true
	for i, seg := range t.segments {
		if !more {
			return false
		}
		var cur string
		cur, rest, more = strings.Cut(rest, "/")
		switch {
		case i > 0 && seg == "": // a {parameter}: any non-empty segment
			if cur == "" {
				return false
			}
		case cur != seg:
			return false
		}
	}
	return !more
}
