package specbundle

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const testRoot = `openapi: 3.0.3
info: {title: t, version: "1"}
servers: [{url: "https://api.linnworks.net"}]
paths: {}
components:
  schemas:
    Error: {type: object}
`

func writeTree(t *testing.T, controllers map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "controllers"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "root.yaml"), []byte(testRoot), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, body := range controllers {
		if err := os.WriteFile(filepath.Join(dir, "controllers", name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func op(path, tag, schema string) string {
	return `paths:
  ` + path + `:
    get:
      operationId: x
      tags: [` + tag + `]
      responses: {'204': {description: none}}
components:
  schemas:
    ` + schema + `
`
}

func TestBundleMergesControllers(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"b.yaml": op("/api/B/Get", "B", "Shared: {type: string}"),
		"a.yaml": op("/api/A/Get", "A", "Shared: {type: string}"),
	})
	out, err := Bundle(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	if !strings.HasPrefix(s, Header) {
		t.Error("bundle does not start with the generated-code header")
	}
	if a, b := strings.Index(s, "/api/A/Get"), strings.Index(s, "/api/B/Get"); a < 0 || b < 0 || a > b {
		t.Errorf("paths missing or not in controller-file order:\n%s", s)
	}
	if !strings.Contains(s, "\npaths:\n  /api/A/Get:\n") {
		t.Errorf("paths are not written in block style:\n%s", s)
	}
	if strings.Count(s, "Shared:") != 1 {
		t.Errorf("an identical schema shared by two controllers must appear once:\n%s", s)
	}
	if !strings.Contains(s, "- name: A") || !strings.Contains(s, "- name: B") {
		t.Errorf("tags not derived from operations:\n%s", s)
	}
	again, _ := Bundle(dir)
	if string(again) != s {
		t.Error("bundling twice gave different output")
	}
}

func TestBundleRefusesConflicts(t *testing.T) {
	cases := map[string]struct {
		files map[string]string
		want  string
	}{
		"duplicate path": {map[string]string{
			"a.yaml": op("/api/A/Get", "A", "X: {type: string}"),
			"b.yaml": op("/api/A/Get", "A", "Y: {type: string}"),
		}, "path /api/A/Get is defined in both a.yaml and b.yaml"},
		"differing schema": {map[string]string{
			"a.yaml": op("/api/A/Get", "A", "X: {type: string}"),
			"b.yaml": op("/api/B/Get", "B", "X: {type: integer}"),
		}, "schema X differs between a.yaml and b.yaml"},
		"schema shadowing root": {map[string]string{
			"a.yaml": op("/api/A/Get", "A", "Error: {type: string}"),
		}, "schema Error differs between root.yaml and a.yaml"},
		"stray top-level key": {map[string]string{
			"a.yaml": "servers: []\n",
		}, `a.yaml: top-level key "servers" is not allowed`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Bundle(writeTree(t, tc.files))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}
