package authn

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/linnworks-go/linnworks/gen"
)

// publicOps is the set of operations the embedded spec marks `security: []`
// (the Auth operations): EditRequest leaves their requests untouched. It is
// computed once per process from gen.GetSpecJSON and never changes afterwards.
//
// Only the security requirements are decoded (not the whole document through
// kin-openapi, which gen.GetSpec would re-parse on every call), so the cost stays
// small for hundreds of operations.
var publicOps = sync.OnceValues(func() (*opIndex, error) {
	raw, err := gen.GetSpecJSON()
	if err != nil {
		return nil, fmt.Errorf("authn: reading the embedded spec: %w", err)
	}
	return buildOpIndex(raw)
})

// methodBit maps HTTP methods (as OpenAPI path-item keys) to bits of a mask.
var methodBits = [...]string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

func methodBit(method string) uint8 {
	if method == "" {
		method = http.MethodGet
	}
	for i, m := range methodBits {
		if len(m) == len(method) && strings.EqualFold(m, method) {
			return 1 << i
		}
	}
	return 0
}

// opIndex answers "does method+path name a public operation?".
type opIndex struct {
	filter    [4]uint64        // bit pathSignature(p) set for every exact path p: most paths skip the map
	exact     map[string]uint8 // path without templates → method mask
	templated []templatedPath  // paths with {parameters}
}

type templatedPath struct {
	segments []string // "" marks a {parameter} segment
	methods  uint8
}

// security is an operation's (or the document's) security requirement list;
// nil when absent, an empty non-nil slice for `security: []`.
type security = *[]map[string][]string

type specOperation struct {
	Security security `json:"security"`
}

type specDocument struct {
	Security security                              `json:"security"`
	Paths    map[string]map[string]json.RawMessage `json:"paths"`
}

// buildOpIndex collects the operations whose effective security is empty.
func buildOpIndex(raw []byte) (*opIndex, error) {
	var doc specDocument
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("authn: decoding the embedded spec: %w", err)
	}
	idx := &opIndex{exact: map[string]uint8{}}
	for path, item := range doc.Paths {
		var mask uint8
		for key, rawOp := range item {
			bit := methodBit(key)
			if bit == 0 { // parameters, summary, servers, …
				continue
			}
			var op specOperation
			if err := json.Unmarshal(rawOp, &op); err != nil {
				return nil, fmt.Errorf("authn: decoding %s %s in the embedded spec: %w", strings.ToUpper(key), path, err)
			}
			effective := op.Security
			if effective == nil {
				effective = doc.Security
			}
			if effective != nil && len(*effective) == 0 {
				mask |= bit
			}
		}
		if mask == 0 {
			continue
		}
		if !strings.Contains(path, "{") {
			idx.exact[path] |= mask
			sig := pathSignature(path)
			idx.filter[sig/64] |= 1 << (sig % 64)
			continue
		}
		segs := strings.Split(path, "/")
		for i, s := range segs {
			if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
				segs[i] = ""
			}
		}
		idx.templated = append(idx.templated, templatedPath{segments: segs, methods: mask})
	}
	return idx, nil
}

// public reports whether a request with this method and path is a public operation.
func (x *opIndex) public(method, path string) bool {
	if sig := pathSignature(path); x.filter[sig/64]&(1<<(sig%64)) != 0 {
		if mask, ok := x.exact[path]; ok {
			return mask&methodBit(method) != 0
		}
	}
	for _, t := range x.templated {
		if t.methods&methodBit(method) != 0 && t.matches(path) {
			return true
		}
	}
	return false
}

// pathSignature is a cheap 8-bit digest of a path (its length, middle and last
// byte), so that EditRequest hashes a path only when a public path could match.
func pathSignature(p string) uint8 {
	n := len(p)
	if n == 0 {
		return 0
	}
	return uint8(n) + 31*p[n-1] + 7*p[n/2]
}

func (t templatedPath) matches(path string) bool {
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
