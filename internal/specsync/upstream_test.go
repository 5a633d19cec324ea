package specsync

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadUpstreamAcceptsTheFolderOrItsParent(t *testing.T) {
	parent := t.TempDir()
	if err := os.Rename(copyDir(t, "testdata/upstream"), filepath.Join(parent, "1.0")); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{parent, filepath.Join(parent, "1.0")} {
		ups, skipped, err := ReadUpstream(dir)
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		var names []string
		for _, u := range ups {
			names = append(names, u.File)
		}
		if got := strings.Join(names, ","); got != "login,widgets" {
			t.Errorf("%s: read %s, want login,widgets", dir, got)
		}
		if len(skipped) != 1 || skipped[0] != "rest-service.json" {
			t.Errorf("%s: skipped %v", dir, skipped)
		}
	}
}

func TestReadUpstreamErrors(t *testing.T) {
	empty := t.TempDir()
	notJSON := t.TempDir()
	if err := os.WriteFile(filepath.Join(notJSON, "x.json"), []byte("[1, 2"), 0o644); err != nil {
		t.Fatal(err)
	}
	onlyV3 := t.TempDir()
	if err := os.WriteFile(filepath.Join(onlyV3, "x.json"), []byte(`{"openapi": "3.0.1"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ dir, want string }{
		{"", "no upstream folder"},
		{filepath.Join(empty, "missing"), "missing"},
		{empty, "no *.json files"},
		{notJSON, "x.json"},
		{onlyV3, "no Swagger 2.0 files"},
	}
	for _, tt := range tests {
		_, _, err := ReadUpstream(tt.dir)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ReadUpstream(%q) = %v, want an error mentioning %q", tt.dir, err, tt.want)
		}
	}
}
