package specsync

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"gopkg.in/yaml.v3"
)

// copyDir copies the fixture folder src into a new temporary folder.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// fixtureUpstream reads one fixture upstream file.
func fixtureUpstream(t *testing.T, name string) Upstream {
	t.Helper()
	ups, _, err := ReadUpstream("testdata/upstream")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range ups {
		if u.File == name {
			return u
		}
	}
	t.Fatalf("no fixture %s", name)
	return Upstream{}
}

// decode turns a converted document into generic maps for assertions.
func decode(t *testing.T, n *yaml.Node) map[string]any {
	t.Helper()
	data, err := Encode(n)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := yaml.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// dig walks nested maps by keys.
func dig(t *testing.T, v any, keys ...string) any {
	t.Helper()
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("at %q: not a mapping (%T)", k, v)
		}
		v, ok = m[k]
		if !ok {
			t.Fatalf("no key %q (have %v)", k, keysOf(m))
		}
	}
	return v
}

func keysOf(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
