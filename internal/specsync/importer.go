package specsync

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// ImportResult says what an import did.
type ImportResult struct {
	// Written lists the controller files written, relative to the openapi folder.
	Written []string
	// Skipped lists upstream files that are not Swagger 2.0 (not the classic API).
	Skipped []string
	// Unmatched lists controller files with no upstream counterpart, left untouched.
	Unmatched []string
	// Notes are overlay actions that no longer change anything.
	Notes []string
}

// Build converts every upstream controller and applies its overlay, in memory.
// summaries come from the current document under openapiDir so that our own
// wording of existing operations survives a re-import.
func Build(upstreamDir, openapiDir string) ([]*Controller, *ImportResult, error) {
	ups, skipped, err := ReadUpstream(upstreamDir)
	if err != nil {
		return nil, nil, err
	}
	overlays, err := LoadOverlays(openapiDir)
	if err != nil {
		return nil, nil, err
	}
	res := &ImportResult{Skipped: skipped}
	seen := map[string]bool{}
	var out []*Controller
	for _, u := range ups {
		seen[u.File] = true
		summaries, err := readSummaries(filepath.Join(openapiDir, "controllers", u.File+".yaml"))
		if err != nil {
			return nil, nil, err
		}
		c, err := Convert(u, summaries)
		if err != nil {
			return nil, nil, err
		}
		if err := overlays[u.File].applyTo(c.Doc, &res.Notes); err != nil {
			return nil, nil, err
		}
		Normalize(c.Doc)
		out = append(out, c)
	}
	if err := checkSharedSchemas(out); err != nil {
		return nil, nil, err
	}
	for name := range overlays {
		if !seen[name] {
			return nil, nil, fmt.Errorf("specsync: overlay %s.yaml has no upstream controller file %s.json", name, name)
		}
	}
	res.Unmatched = unmatched(openapiDir, "controllers", seen)
	return out, res, nil
}

// unmatched lists, sorted and relative to openapiDir, the files openapiDir/sub/*.yaml
// whose base name is not in seen.
func unmatched(openapiDir, sub string, seen map[string]bool) []string {
	var out []string
	existing, _ := filepath.Glob(filepath.Join(openapiDir, sub, "*.yaml"))
	for _, f := range existing {
		if !seen[strings.TrimSuffix(filepath.Base(f), ".yaml")] {
			out = append(out, filepath.Join(sub, filepath.Base(f)))
		}
	}
	sort.Strings(out)
	return out
}

// Import converts every upstream controller, applies the overlays, and writes
// openapiDir/controllers/<file>.yaml. Controller files without an upstream
// counterpart are left as they are and listed in the result.
func Import(upstreamDir, openapiDir string) (*ImportResult, error) {
	ctrls, res, err := Build(upstreamDir, openapiDir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(openapiDir, "controllers"), 0o755); err != nil {
		return nil, fmt.Errorf("specsync: %w", err)
	}
	for _, c := range ctrls {
		rel := filepath.Join("controllers", c.File+".yaml")
		if err := writeDoc(openapiDir, rel, c.File, c.Doc); err != nil {
			return nil, err
		}
		res.Written = append(res.Written, rel)
	}
	return res, nil
}

// writeDoc encodes doc and writes it to openapiDir/rel; name says which document
// failed to encode.
func writeDoc(openapiDir, rel, name string, doc *yaml.Node) error {
	data, err := Encode(doc)
	if err != nil {
		return fmt.Errorf("specsync: %s: %w", name, err)
	}
	if err := os.WriteFile(filepath.Join(openapiDir, rel), data, 0o644); err != nil {
		return fmt.Errorf("specsync: %w", err)
	}
	return nil
}

// Encode writes a controller document as YAML with two-space indentation.
func Encode(doc *yaml.Node) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{doc}}); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// readSummaries returns operationId → summary of an existing controller file, or
// an empty map when there is none.
func readSummaries(file string) (map[string]string, error) {
	out := map[string]string{}
	data, err := os.ReadFile(file)
	if os.IsNotExist(err) {
		return out, nil
	}
	if err != nil {
		return nil, fmt.Errorf("specsync: %w", err)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string `yaml:"operationId"`
			Summary     string `yaml:"summary"`
		} `yaml:"paths"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("specsync: %s: %w", filepath.Base(file), err)
	}
	for _, item := range doc.Paths {
		for _, op := range item {
			if op.OperationID != "" && op.Summary != "" {
				out[op.OperationID] = op.Summary
			}
		}
	}
	return out, nil
}

var (
	operationRank = map[string]int{
		"operationId": 0, "tags": 1, "summary": 2, "description": 3, "deprecated": 4,
		"x-linnworks-rate-limit": 5, "parameters": 6, "requestBody": 7, "responses": 8, "security": 9,
	}
	requestBodyRank = map[string]int{"description": 0, "required": 1, "content": 2}
	// schemaRank keeps upstream order for the facts of a schema ("format, type") and
	// puts required, then the structure, after them.
	schemaRank = map[string]int{
		"$ref": 0, "required": 2, "properties": 3, "additionalProperties": 3, "items": 3, "allOf": 3,
	}
)

// Normalize puts keys that overlays may have appended back into the document's
// conventional order: operation keys, request body keys, and within schemas the
// facts first, then required, then properties/items.
func Normalize(doc *yaml.Node) {
	_ = pairs(get(doc, "paths"), func(_ string, item *yaml.Node) error {
		return pairs(item, func(_ string, op *yaml.Node) error {
			if op.Kind != yaml.MappingNode {
				return nil
			}
			orderKeys(op, operationRank, 10)
			if rb := get(op, "requestBody"); rb != nil && rb.Kind == yaml.MappingNode {
				orderKeys(rb, requestBodyRank, 3)
				_ = pairs(get(rb, "content"), func(_ string, media *yaml.Node) error {
					normalizeSchema(get(media, "schema"))
					return nil
				})
			}
			for _, p := range contentOf(get(op, "parameters")) {
				normalizeSchema(get(p, "schema"))
			}
			_ = pairs(get(op, "responses"), func(_ string, r *yaml.Node) error {
				return pairs(get(r, "content"), func(_ string, media *yaml.Node) error {
					normalizeSchema(get(media, "schema"))
					return nil
				})
			})
			return nil
		})
	})
	_ = pairs(get(get(doc, "components"), "schemas"), func(_ string, s *yaml.Node) error {
		normalizeSchema(s)
		return nil
	})
}

func normalizeSchema(s *yaml.Node) {
	if s == nil || s.Kind != yaml.MappingNode {
		return
	}
	orderKeys(s, schemaRank, 1)
	dedupe(get(s, "required"))
	_ = pairs(get(s, "properties"), func(_ string, p *yaml.Node) error {
		normalizeSchema(p)
		return nil
	})
	normalizeSchema(get(s, "items"))
	normalizeSchema(get(s, "additionalProperties"))
	for _, x := range contentOf(get(s, "allOf")) {
		normalizeSchema(x)
	}
}

// dedupe drops repeated scalars from a sequence. An overlay update appends to a
// list, so a required name that upstream later states too would otherwise appear twice.
func dedupe(list *yaml.Node) {
	if list == nil || list.Kind != yaml.SequenceNode {
		return
	}
	seen := map[string]bool{}
	out := list.Content[:0]
	for _, n := range list.Content {
		if n.Kind == yaml.ScalarNode {
			if seen[n.Value] {
				continue
			}
			seen[n.Value] = true
		}
		out = append(out, n)
	}
	list.Content = out
}

// checkSharedSchemas fails when a schema that several controllers use comes out
// different in two of them (the bundler would refuse the document), which happens
// when an overlay corrects it in one controller only.
func checkSharedSchemas(ctrls []*Controller) error {
	type origin struct {
		file string
		data []byte
	}
	seen := map[string]origin{}
	for _, c := range ctrls {
		err := pairs(get(get(c.Doc, "components"), "schemas"), func(name string, s *yaml.Node) error {
			data, err := yaml.Marshal(s)
			if err != nil {
				return err
			}
			if prev, ok := seen[name]; ok && !bytes.Equal(prev.data, data) {
				return fmt.Errorf("specsync: schema %s differs between controllers/%s.yaml and controllers/%s.yaml after overlays: correct it in both overlays", name, prev.file, c.File)
			}
			seen[name] = origin{c.File, data}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
