package specsync

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"gopkg.in/yaml.v3"

	"github.com/linnworks-go/linnworks/internal/specbundle"
)

// Report is the result of comparing upstream with our document, per controller.
type Report struct {
	// Controllers holds one entry per controller with differences, sorted by name.
	Controllers []ControllerDrift
	// Compared counts the controllers and upstream operations compared.
	ControllersCompared, OperationsCompared int
	// Noun names what Controllers holds in Write's summary line ("controllers"
	// when empty; "REST services" for DriftServices).
	Noun string
	// Notes are remarks that are not differences (overlay actions that no longer
	// change anything, skipped upstream files).
	Notes []string
	// Stale lists overlay actions whose target upstream no longer has (a removed
	// operation or schema a hand correction still points at): drift, to review.
	Stale []string
}

// ControllerDrift lists what upstream added, removed or changed in one controller.
type ControllerDrift struct {
	Name    string   // the controller (or service)
	Added   []Change // in upstream, not in our document
	Removed []Change // in our document, not upstream
	Changed []Change // in both, different
}

// Change is one differing fact: Key names the operation or schema and the detail
// ("operation POST /api/Auth/X: requestBody.Token"), the values say what each side has.
type Change struct {
	Key      string // the operation or schema and the detail
	Upstream string // what upstream has
	Ours     string // what our document has
}

// Clean reports whether there is no difference at all: none in the facts and no
// stale hand correction.
func (r *Report) Clean() bool { return len(r.Controllers) == 0 && len(r.Stale) == 0 }

// Write prints the report for people.
func (r *Report) Write(w io.Writer) {
	for _, c := range r.Controllers {
		fmt.Fprintf(w, "%s: %d added, %d removed, %d changed upstream\n", c.Name, len(c.Added), len(c.Removed), len(c.Changed))
		for _, a := range c.Added {
			fmt.Fprintf(w, "  + %s: %s\n", a.Key, a.Upstream)
		}
		for _, a := range c.Removed {
			fmt.Fprintf(w, "  - %s: %s\n", a.Key, a.Ours)
		}
		for _, a := range c.Changed {
			fmt.Fprintf(w, "  ~ %s: upstream %s, ours %s\n", a.Key, a.Upstream, a.Ours)
		}
	}
	for _, st := range r.Stale {
		fmt.Fprintf(w, "stale: %s matches nothing upstream any more\n", st)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	if r.Clean() {
		noun := r.Noun
		if noun == "" {
			noun = "controllers"
		}
		fmt.Fprintf(w, "no drift: %d %s, %d operations match upstream\n", r.ControllersCompared, noun, r.OperationsCompared)
	}
}

// Drift compares the upstream Swagger 2.0 files with our document (openapiDir,
// bundled as go generate bundles it). Upstream is converted independently of the
// importer, with kin-openapi's openapi2conv, then our overlays are applied to it, so
// the only differences allowed are the hand corrections. Facts compared: operations
// (path, method), rate limits, security, parameters, request/response bodies, and
// the field names, types, formats, enums and required lists of the schemas reached.
func Drift(upstreamDir, openapiDir string) (*Report, error) {
	if _, err := ResolveUpstreamDir(upstreamDir); err != nil {
		return nil, err
	}
	overlays, err := LoadOverlays(openapiDir)
	if err != nil {
		return nil, err
	}
	bundled, err := specbundle.Bundle(openapiDir)
	if err != nil {
		return nil, err
	}
	var ours map[string]any
	if err := yaml.Unmarshal(bundled, &ours); err != nil {
		return nil, fmt.Errorf("specsync: our document: %w", err)
	}
	return Compare(upstreamDir, overlays, ours)
}

// Compare is Drift against an already loaded document: ours is an OpenAPI 3
// document decoded into generic maps (for example the embedded spec of package gen).
func Compare(upstreamDir string, overlays map[string]*Overlay, ours map[string]any) (*Report, error) {
	ups, skipped, err := ReadUpstream(upstreamDir)
	if err != nil {
		return nil, err
	}
	rep := &Report{}
	for _, s := range skipped {
		rep.Notes = append(rep.Notes, "skipped "+s+" (not Swagger 2.0)")
	}
	seen := map[string]bool{}
	for _, u := range ups {
		up, err := UpstreamV3(u)
		if err != nil {
			return nil, err
		}
		upDoc, err := rep.overlaid(u.File, up, overlays[u.File])
		if err != nil {
			return nil, err
		}
		borrowSecuritySchemes(upDoc, ours)
		for _, name := range Controllers(upDoc) {
			seen[name] = true
			rep.compare(name, ControllerFacts(upDoc, name), ControllerFacts(ours, name))
		}
	}
	for name := range overlays {
		found := false
		for _, u := range ups {
			found = found || u.File == name
		}
		if !found {
			return nil, fmt.Errorf("specsync: overlay %s.yaml has no upstream controller file %s.json", name, name)
		}
	}
	for _, name := range Controllers(ours) {
		if !seen[name] {
			rep.add(name, Facts{}, ControllerFacts(ours, name))
		}
	}
	rep.sort()
	return rep, nil
}

// overlaid applies an upstream document's overlay, when there is one, noting what
// it says, and decodes the document into generic maps; name says which one failed.
func (r *Report) overlaid(name string, up *yaml.Node, o *Overlay) (map[string]any, error) {
	if o != nil {
		notes, stale, err := o.applyEach(up)
		if err != nil {
			return nil, err
		}
		r.Notes = append(r.Notes, notes...)
		r.Stale = append(r.Stale, stale...)
	}
	var doc map[string]any
	if err := up.Decode(&doc); err != nil {
		return nil, fmt.Errorf("specsync: %s: %w", name, err)
	}
	return doc, nil
}

// compare counts an upstream controller or service and its operations as compared
// and adds its differences from ours.
func (r *Report) compare(name string, up, ours Facts) {
	r.ControllersCompared++
	for k := range up {
		if strings.HasPrefix(k, "operation ") && strings.HasSuffix(k, "|") {
			r.OperationsCompared++
		}
	}
	r.add(name, up, ours)
}

// add records the differences between up and ours, if there are any.
func (r *Report) add(name string, up, ours Facts) {
	if d := diffFacts(name, up, ours); d != nil {
		r.Controllers = append(r.Controllers, *d)
	}
}

// sort puts the differing controllers or services in name order.
func (r *Report) sort() {
	sort.Slice(r.Controllers, func(i, j int) bool { return r.Controllers[i].Name < r.Controllers[j].Name })
}

// UpstreamV3 converts an upstream file to OpenAPI 3 with kin-openapi's openapi2conv,
// adding x-linnworks-rate-limit from each description, and returns it as a YAML
// mapping (ready for overlays).
func UpstreamV3(u Upstream) (*yaml.Node, error) {
	var d2 openapi2.T
	if err := json.Unmarshal(u.Data, &d2); err != nil {
		return nil, fmt.Errorf("specsync: %s: %w", u.File, err)
	}
	d3, err := openapi2conv.ToV3(&d2)
	if err != nil {
		return nil, fmt.Errorf("specsync: %s: openapi2conv: %w", u.File, err)
	}
	for _, item := range d3.Paths.Map() {
		for _, op := range item.Operations() {
			if n, ok := RateLimit(op.Description); ok {
				if op.Extensions == nil {
					op.Extensions = map[string]any{}
				}
				op.Extensions["x-linnworks-rate-limit"] = n
			}
		}
	}
	data, err := json.Marshal(d3)
	if err != nil {
		return nil, fmt.Errorf("specsync: %s: %w", u.File, err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("specsync: %s: %w", u.File, err)
	}
	return doc.Content[0], nil
}

// diffFacts compares two fact sets; details of an operation or schema that is
// wholly added or removed are folded into that one line.
func diffFacts(name string, up, ours Facts) *ControllerDrift {
	d := &ControllerDrift{Name: name}
	ownerOnly := func(f, other Facts, owner string) bool {
		_, a := f[owner+"|"]
		_, b := other[owner+"|"]
		return a && !b
	}
	keys := make([]string, 0, len(up)+len(ours))
	for k := range up {
		keys = append(keys, k)
	}
	for k := range ours {
		if _, ok := up[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		owner, detail, _ := strings.Cut(k, "|")
		label := owner
		if detail != "" {
			label = owner + ": " + detail
		}
		u, inUp := up[k]
		o, inOurs := ours[k]
		switch {
		case inUp && !inOurs:
			if detail != "" && ownerOnly(up, ours, owner) {
				continue
			}
			d.Added = append(d.Added, Change{Key: label, Upstream: u})
		case !inUp && inOurs:
			if detail != "" && ownerOnly(ours, up, owner) {
				continue
			}
			d.Removed = append(d.Removed, Change{Key: label, Ours: o})
		case u != o:
			d.Changed = append(d.Changed, Change{Key: label, Upstream: u, Ours: o})
		}
	}
	if len(d.Added)+len(d.Removed)+len(d.Changed) == 0 {
		return nil
	}
	return d
}

// borrowSecuritySchemes adds to the upstream document the security schemes of ours
// it does not define: overlays are written in our document's terms, so an operation
// an overlay adds refers to our scheme (SessionToken) by name.
func borrowSecuritySchemes(up, ours map[string]any) {
	oc, _ := ours["components"].(map[string]any)
	ourSchemes, _ := oc["securitySchemes"].(map[string]any)
	if len(ourSchemes) == 0 {
		return
	}
	uc, _ := up["components"].(map[string]any)
	if uc == nil {
		uc = map[string]any{}
		up["components"] = uc
	}
	us, _ := uc["securitySchemes"].(map[string]any)
	if us == nil {
		us = map[string]any{}
		uc["securitySchemes"] = us
	}
	for name, s := range ourSchemes {
		if _, ok := us[name]; !ok {
			us[name] = s
		}
	}
}
