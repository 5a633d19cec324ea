package main

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// minimalValue synthesises the smallest value valid for a request schema: objects
// with their required (non-readOnly) properties only, arrays with minItems elements,
// the first enum value, the first oneOf/anyOf alternative, allOf merged,
// format-shaped strings and numbers inside their bounds. Tests use it to call every
// operation without knowing any of them.
func minimalValue(ref *openapi3.SchemaRef, depth int) any {
	if ref == nil || ref.Value == nil || depth > 24 {
		return nil
	}
	s := ref.Value
	for _, v := range s.Enum {
		if v != nil {
			return v
		}
	}
	switch {
	case len(s.AllOf) > 0:
		merged := map[string]any{}
		var last any
		for _, sub := range s.AllOf {
			v := minimalValue(sub, depth+1)
			if m, ok := v.(map[string]any); ok {
				for k, x := range m {
					merged[k] = x
				}
				continue
			}
			last = v
		}
		for k, x := range minimalObject(s, depth) {
			merged[k] = x
		}
		if len(merged) == 0 && last != nil {
			return last
		}
		return merged
	case len(s.OneOf) > 0:
		return minimalValue(s.OneOf[0], depth+1)
	case len(s.AnyOf) > 0:
		return minimalValue(s.AnyOf[0], depth+1)
	}
	typ := ""
	for _, t := range s.Type.Slice() {
		if t != openapi3.TypeNull {
			typ = t
			break
		}
	}
	switch {
	case typ == "" && (len(s.Properties) > 0 || s.AdditionalProperties.Schema != nil):
		typ = openapi3.TypeObject
	case typ == "" && s.Items != nil:
		typ = openapi3.TypeArray
	}
	switch typ {
	case openapi3.TypeObject:
		return minimalObject(s, depth)
	case openapi3.TypeArray:
		items := make([]any, s.MinItems)
		for i := range items {
			items[i] = minimalValue(s.Items, depth+1)
		}
		return items
	case openapi3.TypeString:
		return minimalString(s)
	case openapi3.TypeInteger, openapi3.TypeNumber:
		v := 1.0
		if s.Min != nil && v < *s.Min {
			v = math.Ceil(*s.Min)
		}
		if s.Max != nil && v > *s.Max {
			v = math.Floor(*s.Max)
		}
		return int64(v)
	case openapi3.TypeBoolean:
		return true
	}
	if s.Nullable {
		return nil
	}
	return "x"
}

func minimalObject(s *openapi3.Schema, depth int) map[string]any {
	obj := map[string]any{}
	for _, name := range s.Required {
		if p := s.Properties[name]; p != nil && p.Value != nil && !p.Value.ReadOnly {
			obj[name] = minimalValue(p, depth+1)
		}
	}
	return obj
}

func minimalString(s *openapi3.Schema) string {
	v := "x"
	switch strings.ToLower(s.Format) {
	case "uuid":
		return "3f2504e0-4f89-41d3-9a0c-0305e82c3301"
	case "date-time":
		return "2024-01-02T03:04:05Z"
	case "date":
		return "2024-01-02"
	case "email":
		return "user@example.com"
	case "byte":
		return "eA=="
	case "uri", "url":
		return "https://example.com/"
	}
	for uint64(len(v)) < s.MinLength {
		v += "x"
	}
	return v
}

// minimalParam is minimalValue as a parameter's text: numbers and booleans printed,
// strings as they are; an array (form style, exploded: the name repeated) has one
// element.
func minimalParam(p *openapi3.Parameter) []string {
	if s := p.Schema; s != nil && s.Value != nil && s.Value.Type.Is(openapi3.TypeArray) {
		return []string{paramText(minimalValue(s.Value.Items, 0))}
	}
	return []string{paramText(minimalValue(p.Schema, 0))}
}

func paramText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case float64:
		return fmt.Sprint(int64(v))
	case nil:
		return "x"
	case map[string]any, []any:
		b, _ := json.Marshal(v)
		return string(b)
	default:
		return fmt.Sprint(v)
	}
}
