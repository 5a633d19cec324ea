package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const fixtures = "../../specsync/testdata"

func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func runCmd(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{nil, "usage: specsync import"},
		{[]string{"frobnicate", "-upstream", "x"}, "usage: specsync import"},
		{[]string{"import"}, "-upstream is required"},
		{[]string{"drift", "-upstream", "x", "extra"}, "unexpected arguments"},
		{[]string{"drift", "-nope"}, "flag provided but not defined"},
	}
	for _, tt := range tests {
		code, _, stderr := runCmd(tt.args...)
		if code != 2 || !strings.Contains(stderr, tt.want) {
			t.Errorf("run(%q) = %d, stderr %q; want 2 and %q", tt.args, code, stderr, tt.want)
		}
	}
}

func TestImportThenDrift(t *testing.T) {
	openapi := copyDir(t, filepath.Join(fixtures, "openapi"))
	upstream := filepath.Join(fixtures, "upstream")

	code, stdout, stderr := runCmd("import", "-upstream", upstream, "-openapi", openapi)
	if code != 0 {
		t.Fatalf("import exit %d: %s", code, stderr)
	}
	for _, want := range []string{"wrote 2 controller files", "skipped rest-service.json", "wrote 1 REST service files"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("import output lacks %q:\n%s", want, stdout)
		}
	}
	if _, err := os.Stat(filepath.Join(openapi, "controllers", "widgets.yaml")); err != nil {
		t.Fatal(err)
	}

	code, stdout, _ = runCmd("drift", "-upstream", upstream, "-openapi", openapi)
	if code != 0 || !strings.Contains(stdout, "no drift: 2 controllers, 4 operations") ||
		!strings.Contains(stdout, "no drift: 1 REST services, 5 operations") {
		t.Errorf("drift after import: exit %d\n%s", code, stdout)
	}

	// Upstream raises a rate limit: drift says so and exits 1.
	changed := copyDir(t, upstream)
	file := filepath.Join(changed, "widgets.json")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, bytes.Replace(data, []byte("<b>250</b>"), []byte("<b>300</b>"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, _ = runCmd("drift", "-upstream", changed, "-openapi", openapi)
	if code != 1 || !strings.Contains(stdout, "Widgets: 0 added, 0 removed, 1 changed upstream") ||
		!strings.Contains(stdout, "rate limit: upstream 300, ours 250") {
		t.Errorf("drift after an upstream change: exit %d\n%s", code, stdout)
	}
}

func TestBadUpstreamFolder(t *testing.T) {
	for _, cmd := range []string{"import", "drift"} {
		code, _, stderr := runCmd(cmd, "-upstream", t.TempDir(), "-openapi", t.TempDir())
		if code != 1 || !strings.Contains(stderr, "no *.json files") {
			t.Errorf("%s on an empty folder: exit %d, stderr %q", cmd, code, stderr)
		}
	}
}
