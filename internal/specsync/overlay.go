package specsync

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/speakeasy-api/openapi/overlay"
	"gopkg.in/yaml.v3"
)

// Overlay is one controller's hand corrections: an OpenAPI Overlay 1.0 document
// (openapi/overlays/<controller file>.yaml) whose actions are applied, in order, to
// the imported controller document. Targets are RFC 9535 JSONPath expressions over
// the controller document (paths and components.schemas); every action states its
// reason in a one-line description.
type Overlay struct {
	// File is the controller file base name the overlay belongs to.
	File string
	// Path is where it was read from.
	Path string

	doc *overlay.Overlay
}

// Actions returns the targets and reasons of the overlay's actions, in order.
func (o *Overlay) Actions() []Action {
	out := make([]Action, len(o.doc.Actions))
	for i, a := range o.doc.Actions {
		out[i] = Action{Target: a.Target, Description: a.Description, Remove: a.Remove}
	}
	return out
}

// Action summarizes one overlay action.
type Action struct {
	// Target is the RFC 9535 JSONPath the action applies to.
	Target string
	// Description is the one-line reason for the correction.
	Description string
	// Remove is true for a removal, false for an update.
	Remove bool
}

// LoadOverlays reads every openapi/overlays/*.yaml, keyed by controller file base name.
// A missing overlays folder means no overlays.
func LoadOverlays(openapiDir string) (map[string]*Overlay, error) {
	return loadOverlays(filepath.Join(openapiDir, "overlays"))
}

// loadOverlays reads every dir/*.yaml, keyed by file base name.
func loadOverlays(dir string) (map[string]*Overlay, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	out := map[string]*Overlay{}
	for _, f := range files {
		o, err := ParseOverlay(f)
		if err != nil {
			return nil, err
		}
		out[o.File] = o
	}
	return out, nil
}

// ParseOverlay reads and checks one overlay file: version 1.0.x, at least one
// action, and each action with a target, a one-line description, and either
// update or remove.
func ParseOverlay(path string) (*Overlay, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("specsync: overlay: %w", err)
	}
	name := filepath.Base(path)
	doc, err := overlay.ParseReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("specsync: overlay %s: %w", name, err)
	}
	if !strings.HasPrefix(doc.Version, "1.0.") {
		return nil, fmt.Errorf("specsync: overlay %s: overlay version %q, want 1.0.x", name, doc.Version)
	}
	// The Overlay 1.0 specification defines targets as RFC 9535 JSONPath.
	doc.JSONPathVersion = overlay.JSONPathRFC9535
	if len(doc.Actions) == 0 {
		return nil, fmt.Errorf("specsync: overlay %s: no actions", name)
	}
	var errs []error
	for i, a := range doc.Actions {
		at := fmt.Sprintf("specsync: overlay %s: action %d", name, i+1)
		switch {
		case a.Target == "":
			errs = append(errs, fmt.Errorf("%s: no target", at))
		case strings.TrimSpace(a.Description) == "" || strings.Contains(strings.TrimSpace(a.Description), "\n"):
			errs = append(errs, fmt.Errorf("%s (%s): description must be a one-line reason", at, a.Target))
		case a.Remove && !a.Update.IsZero():
			errs = append(errs, fmt.Errorf("%s (%s): both update and remove", at, a.Target))
		case !a.Remove && a.Update.IsZero():
			errs = append(errs, fmt.Errorf("%s (%s): neither update nor remove", at, a.Target))
		case a.Copy != "":
			errs = append(errs, fmt.Errorf("%s (%s): copy is not supported (Overlay 1.0 has update and remove)", at, a.Target))
		}
		if _, err := doc.NewPath(a.Target, nil); err != nil {
			errs = append(errs, fmt.Errorf("%s: target %q: %w", at, a.Target, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return &Overlay{File: strings.TrimSuffix(name, ".yaml"), Path: path, doc: doc}, nil
}

// Apply applies the overlay to a controller document (a YAML mapping). Every action
// must select at least one node: a target that no longer exists upstream is an
// error, so a correction is never silently lost. Actions that change nothing (upstream
// now says the same) are returned as notes.
func (o *Overlay) Apply(doc *yaml.Node) (notes []string, err error) {
	root := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{doc}}
	warnings, err := o.doc.ApplyToStrict(root)
	if err != nil {
		return nil, fmt.Errorf("specsync: overlay %s: %w", filepath.Base(o.Path), err)
	}
	for _, w := range warnings {
		notes = append(notes, fmt.Sprintf("overlay %s: %s", filepath.Base(o.Path), w))
	}
	return notes, nil
}

// applyEach applies the overlay's actions one by one, as drift does: an action
// whose target no longer matches anything upstream does not stop the comparison;
// it is returned in stale (as "overlay FILE: TARGET") for the report to list as
// drift, and the other actions still apply.
func (o *Overlay) applyEach(doc *yaml.Node) (notes, stale []string, err error) {
	root := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{doc}}
	file := filepath.Base(o.Path)
	for _, a := range o.doc.Actions {
		one := *o.doc
		one.Actions = []overlay.Action{a}
		warnings, err := one.ApplyToStrict(root)
		if err != nil {
			if strings.Contains(err.Error(), "did not match any targets") {
				stale = append(stale, fmt.Sprintf("overlay %s: %s", file, a.Target))
				continue
			}
			return nil, nil, fmt.Errorf("specsync: overlay %s: %w", file, err)
		}
		for _, w := range warnings {
			notes = append(notes, fmt.Sprintf("overlay %s: %s", file, w))
		}
	}
	return notes, stale, nil
}

// applyTo applies the overlay, when there is one (o may be nil), and appends its
// notes to notes.
func (o *Overlay) applyTo(doc *yaml.Node, notes *[]string) error {
	if o == nil {
		return nil
	}
	n, err := o.Apply(doc)
	if err != nil {
		return err
	}
	*notes = append(*notes, n...)
	return nil
}
