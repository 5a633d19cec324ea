package specsync

import (
	"fmt"
	"os"
	"path/filepath"
)

// ServicesDir is the folder of the REST service documents, relative to the openapi folder.
const ServicesDir = "services"

// serviceOverlaysDir is the folder of the services' overlays, relative to the openapi folder.
var serviceOverlaysDir = filepath.Join("overlays", "services")

// LoadServiceOverlays reads every openapi/overlays/services/*.yaml, keyed by service name.
func LoadServiceOverlays(openapiDir string) (map[string]*Overlay, error) {
	return loadOverlays(filepath.Join(openapiDir, serviceOverlaysDir))
}

// BuildServices converts every upstream REST service and applies its overlay, in
// memory. Summaries of existing operations are kept from openapiDir/services/.
func BuildServices(upstreamDir, openapiDir string) ([]*ServiceDoc, *ImportResult, error) {
	ups, err := ReadServices(upstreamDir)
	if err != nil {
		return nil, nil, err
	}
	overlays, err := LoadServiceOverlays(openapiDir)
	if err != nil {
		return nil, nil, err
	}
	res := &ImportResult{}
	seen := map[string]bool{}
	var out []*ServiceDoc
	for _, u := range ups {
		seen[u.Name] = true
		summaries, err := readSummaries(filepath.Join(openapiDir, ServicesDir, u.Name+".yaml"))
		if err != nil {
			return nil, nil, err
		}
		d, err := ConvertService(u, summaries)
		if err != nil {
			return nil, nil, err
		}
		if err := overlays[u.Name].applyTo(d.Doc, &res.Notes); err != nil {
			return nil, nil, err
		}
		Normalize(d.Doc)
		out = append(out, d)
	}
	for name := range overlays {
		if !seen[name] {
			return nil, nil, fmt.Errorf("specsync: overlay services/%s.yaml has no upstream service %s", name, name)
		}
	}
	res.Unmatched = unmatched(openapiDir, ServicesDir, seen)
	return out, res, nil
}

// ImportServices converts every upstream REST service, applies the overlays, and
// writes openapiDir/services/<name>.yaml. Service files without an upstream
// counterpart are left as they are and listed in the result.
func ImportServices(upstreamDir, openapiDir string) (*ImportResult, error) {
	docs, res, err := BuildServices(upstreamDir, openapiDir)
	if err != nil {
		return nil, err
	}
	if len(docs) == 0 {
		return res, nil
	}
	if err := os.MkdirAll(filepath.Join(openapiDir, ServicesDir), 0o755); err != nil {
		return nil, fmt.Errorf("specsync: %w", err)
	}
	for _, d := range docs {
		rel := filepath.Join(ServicesDir, d.Name+".yaml")
		if err := writeDoc(openapiDir, rel, d.Name, d.Doc); err != nil {
			return nil, err
		}
		res.Written = append(res.Written, rel)
	}
	return res, nil
}
