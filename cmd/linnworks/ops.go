package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path"
	"strconv"
	"strings"
	"text/tabwriter"
)

func opsCommand() *command {
	return &command{
		name:     "ops",
		synopsis: "list the operations of the embedded API description",
		help: `Usage: linnworks ops [--controller NAME] [--json] [PATTERN]

Lists the operations the client knows: id, HTTP method, path and rate limit (calls per
minute), sorted by id. PATTERN filters the ids, ignoring case: a glob when it contains
*, ? or [ (matched against the whole id), otherwise a substring.

Example:
  linnworks ops --controller Stock
  linnworks ops '*Order*' --json
`,
		run: runOps,
	}
}

// opInfo is the --json form of an operation.
type opInfo struct {
	ID         string `json:"id"`
	Controller string `json:"controller"`
	Method     string `json:"method"`
	Path       string `json:"path"`
	RateLimit  int    `json:"rateLimit,omitempty"`
	Summary    string `json:"summary,omitempty"`
}

func runOps(_ context.Context, s *streams, args []string) error {
	c := opsCommand()
	fs := newFlagSet(c.name)
	controller := fs.String("controller", "", "only the operations of this controller (tag), e.g. Orders")
	asJSON := fs.Bool("json", false, "print a JSON array instead of columns")
	pos, err := parseArgs(c, fs, s, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usageErr("expected at most one PATTERN, got %d arguments: %s", len(pos), strings.Join(pos, " "))
	}
	match, err := idMatcher(pos)
	if err != nil {
		return err
	}
	cat, err := loadCatalog()
	if err != nil {
		return err
	}
	if *controller != "" && !containsFold(cat.controllers(), *controller) {
		return usageErr("unknown controller %q; known: %s", *controller, strings.Join(cat.controllers(), ", "))
	}

	var selected []*operation
	for _, o := range cat.ops {
		if *controller != "" && !strings.EqualFold(o.Controller, *controller) {
			continue
		}
		if match(o.ID) {
			selected = append(selected, o)
		}
	}

	if *asJSON {
		infos := make([]opInfo, 0, len(selected))
		for _, o := range selected {
			infos = append(infos, opInfo{ID: o.ID, Controller: o.Controller, Method: o.Method, Path: o.fullPath(), RateLimit: o.RateLimit, Summary: o.Summary})
		}
		enc := json.NewEncoder(s.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(infos)
	}
	if len(selected) == 0 {
		fmt.Fprintln(s.stderr, "linnworks ops: no operation matches")
		return nil
	}
	tw := tabwriter.NewWriter(s.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tMETHOD\tPATH\tRATE/MIN")
	for _, o := range selected {
		rate := "-"
		if o.RateLimit > 0 {
			rate = strconv.Itoa(o.RateLimit)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", o.ID, o.Method, o.fullPath(), rate)
	}
	return tw.Flush()
}

// idMatcher turns the optional PATTERN into a case-insensitive predicate on ids.
func idMatcher(pos []string) (func(string) bool, error) {
	if len(pos) == 0 || pos[0] == "" {
		return func(string) bool { return true }, nil
	}
	pattern := strings.ToLower(pos[0])
	if !strings.ContainsAny(pattern, "*?[") {
		return func(id string) bool { return strings.Contains(strings.ToLower(id), pattern) }, nil
	}
	if _, err := path.Match(pattern, ""); err != nil {
		return nil, usageErr("bad PATTERN %q: %v", pos[0], err)
	}
	return func(id string) bool {
		ok, _ := path.Match(pattern, strings.ToLower(id))
		return ok
	}, nil
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}
