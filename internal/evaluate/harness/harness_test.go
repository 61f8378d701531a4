package harness

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestMembersCarryChanges compiles testdata/members.cc against the
// embedded header and runs it: a member is sent after a call exactly when
// its bytes changed (-0.0 for 0.0 is a change, an untouched NaN is not),
// unchanged members are restored from the copy kept before the call, and
// a kept member of another type is a malformed state.
func TestMembersCarryChanges(t *testing.T) {
	if _, err := exec.LookPath("g++"); err != nil {
		t.Skip("g++ not installed")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, HeaderName), []byte(Header), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "members")
	build := exec.Command("g++", "-std=c++17", "-O1", "-I", dir, "testdata/members.cc", "-o", bin)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin).CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
}
