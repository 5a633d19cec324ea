package specsync

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Upstream is one Swagger 2.0 controller file of Linnworks' public specification.
type Upstream struct {
	// File is the base name without extension ("auth"); our controller file is
	// controllers/<File>.yaml and its overlay overlays/<File>.yaml.
	File string
	// Path is where the file was read from.
	Path string
	// Data is the raw JSON.
	Data []byte
	// Root is the parsed document, in file order.
	Root *yaml.Node
}

// ResolveUpstreamDir accepts either the folder holding the Swagger 2.0 files (the
// "1.0" folder of LinnSystems/PublicApiSpecs) or its parent, and returns the former.
func ResolveUpstreamDir(dir string) (string, error) {
	if dir == "" {
		return "", fmt.Errorf("specsync: no upstream folder given")
	}
	st, err := os.Stat(dir)
	if err != nil {
		return "", fmt.Errorf("specsync: upstream folder: %w", err)
	}
	if !st.IsDir() {
		return "", fmt.Errorf("specsync: upstream %s is not a folder", dir)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*.json")); len(files) > 0 {
		return dir, nil
	}
	sub := filepath.Join(dir, "1.0")
	if files, _ := filepath.Glob(filepath.Join(sub, "*.json")); len(files) > 0 {
		return sub, nil
	}
	return "", fmt.Errorf("specsync: no *.json files in %s or %s", dir, sub)
}

// ReadUpstream reads every Swagger 2.0 file of dir (or dir/1.0), sorted by name.
// Files in another format (OpenAPI 3 services such as warehousetransfer-new.json)
// are not part of the classic API and are returned by name in skipped.
func ReadUpstream(dir string) (files []Upstream, skipped []string, err error) {
	dir, err = ResolveUpstreamDir(dir)
	if err != nil {
		return nil, nil, err
	}
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, nil, err
	}
	sort.Strings(paths)
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, nil, fmt.Errorf("specsync: %w", err)
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(data, &doc); err != nil {
			return nil, nil, fmt.Errorf("specsync: %s: %w", filepath.Base(p), err)
		}
		if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
			return nil, nil, fmt.Errorf("specsync: %s: not a JSON object", filepath.Base(p))
		}
		root := doc.Content[0]
		if v := get(root, "swagger"); v == nil || v.Value != "2.0" {
			skipped = append(skipped, filepath.Base(p))
			continue
		}
		files = append(files, Upstream{
			File: strings.TrimSuffix(filepath.Base(p), ".json"),
			Path: p,
			Data: data,
			Root: root,
		})
	}
	if len(files) == 0 {
		return nil, skipped, fmt.Errorf("specsync: no Swagger 2.0 files in %s", dir)
	}
	return files, skipped, nil
}
