package mock

import (
	"math"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// direction says which side of the exchange an example is for: requests leave out
// readOnly properties, responses leave out writeOnly ones.
type direction int

const (
	forRequest direction = iota
	forResponse
)

// maxExampleDepth bounds the nesting of a synthesised example; deeper or recursive
// schemas end in their smallest valid value.
const maxExampleDepth = 12

// Fixed values of the synthesised examples: deterministic, so two runs answer the same.
const (
	exampleUUID     = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"
	exampleDateTime = "2024-01-02T03:04:05Z"
	exampleDate     = "2024-01-02"
	exampleString   = "example"
)

// exampleOf synthesises a deterministic value valid for ref: objects with every
// property (readOnly/writeOnly left out by direction), arrays with one element (or
// minItems), maps with one entry, the first enum value, format-shaped strings and
// numbers inside their bounds. Recursive schemas stop at a depth limit.
func exampleOf(ref *openapi3.SchemaRef, dir direction) any {
	g := exampleGen{dir: dir, onPath: make(map[*openapi3.Schema]int)}
	return g.value(ref, 0)
}

type exampleGen struct {
	dir    direction
	onPath map[*openapi3.Schema]int // schemas being expanded, to cut recursion
}

func (g *exampleGen) value(ref *openapi3.SchemaRef, depth int) any {
	if ref == nil || ref.Value == nil {
		return exampleString
	}
	s := ref.Value
	if depth > 2*maxExampleDepth {
		return nil // a cycle through required properties: give up on this branch
	}
	if len(s.Enum) > 0 {
		for _, v := range s.Enum {
			if v != nil {
				return v
			}
		}
		return nil
	}
	if s.Const != nil {
		return s.Const
	}
	recursing := g.onPath[s] > 0 || depth > maxExampleDepth
	g.onPath[s]++
	defer func() { g.onPath[s]-- }()

	switch {
	case len(s.AllOf) > 0:
		return g.allOf(s, depth, recursing)
	case len(s.OneOf) > 0:
		return g.value(s.OneOf[0], depth+1)
	case len(s.AnyOf) > 0:
		return g.value(s.AnyOf[0], depth+1)
	}

	typ := schemaType(s)
	if recursing && s.Nullable {
		return nil
	}
	switch typ {
	case openapi3.TypeObject:
		return g.object(s, depth, recursing)
	case openapi3.TypeArray:
		n := 1
		if s.MinItems > 1 {
			n = int(s.MinItems)
		}
		if recursing && s.MinItems == 0 || s.MaxItems != nil && *s.MaxItems == 0 {
			return []any{}
		}
		items := make([]any, n)
		for i := range items {
			items[i] = g.value(s.Items, depth+1)
		}
		return items
	case openapi3.TypeString:
		return exampleStringFor(s)
	case openapi3.TypeInteger:
		return exampleNumber(s, true)
	case openapi3.TypeNumber:
		return exampleNumber(s, false)
	case openapi3.TypeBoolean:
		return true
	case openapi3.TypeNull:
		return nil
	}
	if s.Nullable {
		return nil
	}
	return exampleString
}

// schemaType is the single type of s, inferred from its keywords when not stated.
func schemaType(s *openapi3.Schema) string {
	if t := s.Type.Slice(); len(t) > 0 {
		for _, x := range t {
			if x != openapi3.TypeNull {
				return x
			}
		}
		return openapi3.TypeNull
	}
	switch {
	case len(s.Properties) > 0 || s.AdditionalProperties.Schema != nil || s.AdditionalProperties.Has != nil:
		return openapi3.TypeObject
	case s.Items != nil:
		return openapi3.TypeArray
	}
	return ""
}

func (g *exampleGen) object(s *openapi3.Schema, depth int, recursing bool) map[string]any {
	obj := make(map[string]any, len(s.Properties)+1)
	required := make(map[string]bool, len(s.Required))
	for _, name := range s.Required {
		required[name] = true
	}
	names := make([]string, 0, len(s.Properties))
	for name := range s.Properties {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		prop := s.Properties[name]
		if prop == nil || prop.Value == nil {
			continue
		}
		if g.dir == forRequest && prop.Value.ReadOnly || g.dir == forResponse && prop.Value.WriteOnly {
			continue
		}
		if recursing && !required[name] {
			continue
		}
		obj[name] = g.value(prop, depth+1)
	}
	if !recursing {
		switch ap := s.AdditionalProperties; {
		case ap.Schema != nil:
			obj["key"] = g.value(ap.Schema, depth+1)
		case ap.Has != nil && *ap.Has:
			obj["key"] = exampleString
		}
	}
	return obj
}

// allOf merges the examples of every sub-schema (and s's own properties) into one object.
func (g *exampleGen) allOf(s *openapi3.Schema, depth int, recursing bool) any {
	merged := map[string]any{}
	var last any
	for _, sub := range s.AllOf {
		v := g.value(sub, depth+1)
		if m, ok := v.(map[string]any); ok {
			for k, x := range m {
				merged[k] = x
			}
			continue
		}
		last = v
	}
	if len(s.Properties) > 0 {
		for k, x := range g.object(s, depth, recursing) {
			merged[k] = x
		}
	}
	if len(merged) == 0 && last != nil {
		return last
	}
	return merged
}

func exampleStringFor(s *openapi3.Schema) string {
	var v string
	switch strings.ToLower(s.Format) {
	case "uuid":
		return exampleUUID
	case "date-time":
		return exampleDateTime
	case "date":
		return exampleDate
	case "email":
		return "user@example.com"
	case "byte":
		v = "ZXhhbXBsZQ=="
	case "uri", "url":
		v = "https://example.com/"
	default:
		v = exampleString
	}
	for uint64(len(v)) < s.MinLength {
		v += "x"
	}
	if s.MaxLength != nil && uint64(len(v)) > *s.MaxLength {
		v = v[:*s.MaxLength]
	}
	return v
}

// exampleNumber returns 1 (integers) or 1.5 (numbers), moved inside the schema's bounds.
func exampleNumber(s *openapi3.Schema, integer bool) any {
	v := 1.5
	if integer {
		v = 1
	}
	step := 1.0
	if !integer {
		step = 0.5
	}
	if s.Min != nil {
		lo := *s.Min
		if s.ExclusiveMin.Bool != nil && *s.ExclusiveMin.Bool {
			lo += step
		}
		if v < lo {
			v = lo
		}
	}
	if s.ExclusiveMin.Value != nil && v <= *s.ExclusiveMin.Value {
		v = *s.ExclusiveMin.Value + step
	}
	if s.Max != nil {
		hi := *s.Max
		if s.ExclusiveMax.Bool != nil && *s.ExclusiveMax.Bool {
			hi -= step
		}
		if v > hi {
			v = hi
		}
	}
	if s.ExclusiveMax.Value != nil && v >= *s.ExclusiveMax.Value {
		v = *s.ExclusiveMax.Value - step
	}
	if s.MultipleOf != nil && *s.MultipleOf > 0 {
		v = math.Ceil(v / *s.MultipleOf) * *s.MultipleOf
	}
	if integer {
		return int64(math.Ceil(v))
	}
	return v
}
