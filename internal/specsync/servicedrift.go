package specsync

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// UpstreamService returns an upstream REST service as a YAML mapping in the shape
// our document has before prose is dropped: operationIds set (ServiceOperationID),
// equivalent paths merged (MergeEquivalentPaths), inline oneOf bodies moved to
// components (HoistInlineUnions) and inherited schemas relaxed (RelaxInheritance).
// These are the structural steps of the importer, all of them renamings or
// corrections the generator and validators need; the facts are compared after them.
func UpstreamService(u ServiceUpstream) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(u.Data, &doc); err != nil {
		return nil, fmt.Errorf("specsync: %s: %w", u.Name, err)
	}
	root := doc.Content[0]
	_ = pairs(get(root, "paths"), func(p string, item *yaml.Node) error {
		return pairs(item, func(method string, op *yaml.Node) error {
			if isMethod(method) {
				set(op, "operationId", str(ServiceOperationID(p, method, op)))
			}
			return nil
		})
	})
	if err := MergeEquivalentPaths(root); err != nil {
		return nil, fmt.Errorf("specsync: %s: %w", u.Name, err)
	}
	if err := HoistInlineUnions(root, func(_, _ string, op *yaml.Node) string { return scalar(get(op, "operationId")) }); err != nil {
		return nil, fmt.Errorf("specsync: %s: %w", u.Name, err)
	}
	RelaxInheritance(root)
	return root, nil
}

// DriftServices compares the upstream REST services with openapi/services/*.yaml:
// for each service, the facts of UpstreamService with the service's overlay applied
// against the facts of our document (operations, servers, security, parameters,
// bodies and the fields of every schema they reach, oneOf alternatives included).
func DriftServices(upstreamDir, openapiDir string) (*Report, error) {
	ups, err := ReadServices(upstreamDir)
	if err != nil {
		return nil, err
	}
	overlays, err := LoadServiceOverlays(openapiDir)
	if err != nil {
		return nil, err
	}
	ours := map[string]map[string]any{}
	files, _ := filepath.Glob(filepath.Join(openapiDir, ServicesDir, "*.yaml"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("specsync: %w", err)
		}
		var doc map[string]any
		if err := yaml.Unmarshal(data, &doc); err != nil {
			return nil, fmt.Errorf("specsync: %s: %w", filepath.Base(f), err)
		}
		ours[strings.TrimSuffix(filepath.Base(f), ".yaml")] = doc
	}
	return CompareServices(ups, overlays, ours)
}

// CompareServices is DriftServices against already loaded documents, keyed by
// service name (for example the embedded specs of the gen/ service packages).
func CompareServices(ups []ServiceUpstream, overlays map[string]*Overlay, ours map[string]map[string]any) (*Report, error) {
	rep := &Report{Noun: "REST services"}
	seen := map[string]bool{}
	for _, u := range ups {
		seen[u.Name] = true
		up, err := UpstreamService(u)
		if err != nil {
			return nil, err
		}
		upDoc, err := rep.overlaid(u.Name, up, overlays[u.Name])
		if err != nil {
			return nil, err
		}
		our := ours[u.Name]
		if our == nil {
			our = map[string]any{}
		}
		rep.compare(u.Name, ServiceFacts(upDoc), ServiceFacts(our))
	}
	for name := range overlays {
		if !seen[name] {
			return nil, fmt.Errorf("specsync: overlay services/%s.yaml has no upstream service %s", name, name)
		}
	}
	for name, doc := range ours {
		if !seen[name] {
			rep.add(name, Facts{}, ServiceFacts(doc))
		}
	}
	rep.sort()
	return rep, nil
}
