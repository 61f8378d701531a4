package golden

import (
	"os"
	"path/filepath"
	"testing"
)

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Helper()               {}
func (r *recorder) Errorf(string, ...any) { r.failed = true }
func (r *recorder) Fatalf(string, ...any) { r.failed = true; panic(r) }
func (r *recorder) Fatal(...any)          { r.failed = true; panic(r) }
func checkInto(r *recorder, path, got string, update bool) {
	defer func() {
		if p := recover(); p != nil && p != r {
			panic(p)
		}
	}()
	check(r, path, []byte(got), update)
}

// TestCheck: equal output passes, different output and a missing file
// fail, and update writes the file (its folder too) so the next check
// passes.
func TestCheck(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "testdata", "x.golden")
	for _, tt := range []struct {
		name   string
		got    string
		update bool
		fail   bool
	}{
		{"missing file", "a\n", false, true},
		{"update writes", "a\n", true, false},
		{"same", "a\n", false, false},
		{"different", "b\n", false, true},
	} {
		r := &recorder{TB: t}
		checkInto(r, path, tt.got, tt.update)
		if r.failed != tt.fail {
			t.Errorf("%s: failed = %v, want %v", tt.name, r.failed, tt.fail)
		}
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "a\n" {
		t.Errorf("file holds %q, %v; want the updated \"a\\n\"", b, err)
	}
}
