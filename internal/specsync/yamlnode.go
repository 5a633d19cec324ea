package specsync

import (
	"slices"
	"strconv"

	"gopkg.in/yaml.v3"
)

// Small helpers over yaml.v3 nodes: the importer works on nodes rather than on
// typed models so that the upstream order of paths and properties survives.

func mapping() *yaml.Node { return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"} }

func str(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

func integer(n int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(n)}
}

func boolean(b bool) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(b)}
}

func sequence(items ...*yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: items}
}

// set appends key: value to the mapping m, or replaces the value when the key exists.
func set(m *yaml.Node, key string, value *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content[i+1] = value
			return
		}
	}
	m.Content = append(m.Content, str(key), value)
}

// get returns the value of key in the mapping m, or nil.
func get(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// del removes key from the mapping m.
func del(m *yaml.Node, key string) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content = slices.Delete(m.Content, i, i+2)
			return
		}
	}
}

// pairs calls fn for every key/value of a mapping, in order.
func pairs(m *yaml.Node, fn func(key string, value *yaml.Node) error) error {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if err := fn(m.Content[i].Value, m.Content[i+1]); err != nil {
			return err
		}
	}
	return nil
}

// plain returns a deep copy of n with every scalar in plain style, so that values
// parsed from JSON are written as ordinary YAML (the encoder still quotes where needed).
func plain(n *yaml.Node) *yaml.Node {
	if n == nil {
		return nil
	}
	c := *n
	c.Style = 0
	c.HeadComment, c.LineComment, c.FootComment = "", "", ""
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, k := range n.Content {
		c.Content[i] = plain(k)
	}
	return &c
}

// orderKeys stably reorders the keys of a mapping by rank; keys without a rank keep
// their relative order and sort at rank def.
func orderKeys(m *yaml.Node, rank map[string]int, def int) {
	type kv struct{ k, v *yaml.Node }
	kvs := make([]kv, 0, len(m.Content)/2)
	for i := 0; i+1 < len(m.Content); i += 2 {
		kvs = append(kvs, kv{m.Content[i], m.Content[i+1]})
	}
	r := func(k string) int {
		if n, ok := rank[k]; ok {
			return n
		}
		return def
	}
	slices.SortStableFunc(kvs, func(a, b kv) int { return r(a.k.Value) - r(b.k.Value) })
	m.Content = m.Content[:0]
	for _, p := range kvs {
		m.Content = append(m.Content, p.k, p.v)
	}
}
