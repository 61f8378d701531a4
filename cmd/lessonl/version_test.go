package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/lessonlab/lessonl/internal/record"
)

// gitOut runs git in dir and returns its trimmed output.
func gitOut(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).Output()
	if err != nil {
		t.Skipf("git %v: %v", args, err)
	}
	return strings.TrimSpace(string(out))
}

// TestVersionFromCheckout builds lessonl from a fresh git clone of this
// commit: `lessonl version` and `--version` show the revision from the
// build information, and a run's manifest carries it, not dirty.
func TestVersionFromCheckout(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs a cell")
	}
	top := gitOut(t, ".", "rev-parse", "--show-toplevel")
	clone := filepath.Join(t.TempDir(), "lessonl")
	if out, err := exec.Command("git", "clone", "-q", top, clone).CombinedOutput(); err != nil {
		t.Skipf("git clone: %v\n%s", err, out)
	}
	head := gitOut(t, clone, "rev-parse", "HEAD")
	bin := filepath.Join(t.TempDir(), "lessonl")
	build := exec.Command("go", "build", "-buildvcs=true", "-o", bin, "./cmd/lessonl")
	build.Dir = clone
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, args := range [][]string{{"version"}, {"--version"}} {
		out, err := exec.Command(bin, args...).CombinedOutput()
		if err != nil || !strings.Contains(string(out), head) || strings.Contains(string(out), "dirty") {
			t.Errorf("lessonl %v: %v\n%s(want revision %s, clean)", args, err, out, head)
		}
	}
	spec := filepath.Join(t.TempDir(), "spec.yaml")
	text := fmt.Sprintf(`name: version
dataset: {path: %s, problems: [reduce-sum]}
evaluation: {repetitions: 3, warmup: 1, timeout: 30s}
agents: [{name: a, provider: sim, model: sim/coder-a}]
strategies: [{name: single, kind: single, agents: [a]}]
`, filepath.Join(clone, "experiments", "testdata", "mini"))
	if err := os.WriteFile(spec, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "run")
	if b, err := exec.Command(bin, "run", spec, "--out", out, "--plain").CombinedOutput(); err != nil {
		t.Fatalf("lessonl run: %v\n%s", err, b)
	}
	m, err := record.ReadManifest(out)
	if err != nil || m.GitCommit != head || m.Dirty || !strings.Contains(m.Tool, head) {
		t.Errorf("manifest git_commit %q, dirty %v, tool %q; want %s, clean: %v", m.GitCommit, m.Dirty, m.Tool, head, err)
	}
}

// TestCompletion completes words in a real bash with the script lessonl
// prints, and checks the zsh and fish scripts' shape.
func TestCompletion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "lessonl")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cases := []struct {
		words string
		want  string
	}{
		{"lessonl ru", "run"},
		{"lessonl re", "rerun report"},
		{"lessonl run --no-pre", "--no-preflight"},
		{"lessonl spec va", "validate"},
	}
	for _, c := range cases {
		script := fmt.Sprintf(`source <(lessonl completion bash)
COMP_WORDS=(%s); COMP_CWORD=$((${#COMP_WORDS[@]}-1))
_lessonl_complete
echo "${COMPREPLY[*]}"`, c.words)
		cmd := exec.Command("bash", "-c", script)
		cmd.Env = append(os.Environ(), "PATH="+dir+":"+os.Getenv("PATH"))
		out, err := cmd.CombinedOutput()
		if got := strings.TrimSpace(string(out)); err != nil || got != c.want {
			t.Errorf("completing %q: %q, %v; want %q", c.words, got, err, c.want)
		}
	}
	for shell, want := range map[string]string{"zsh": "compdef _lessonl lessonl", "fish": "complete -c lessonl"} {
		out, err := exec.Command(bin, "completion", shell).CombinedOutput()
		if err != nil || !strings.Contains(string(out), want) {
			t.Errorf("completion %s: %v\n%.300s", shell, err, out)
		}
	}
	if out, err := exec.Command(bin, "completion", "tcsh").CombinedOutput(); err == nil || !strings.Contains(string(out), "bash, zsh, fish") {
		t.Errorf("completion tcsh: %v, %s", err, out)
	}
}

// TestFlagDefaults renders every flag's help line: each shows at most one
// default, and a required flag shows none.
func TestFlagDefaults(t *testing.T) {
	var walk func(path string, cmds []*cli.Command)
	seen := 0
	walk = func(path string, cmds []*cli.Command) {
		for _, c := range cmds {
			p := path + " " + c.Name
			for _, f := range c.Flags {
				seen++
				line := fmt.Sprint(f)
				if n := strings.Count(strings.ToLower(line), "default"); n > 1 {
					t.Errorf("%s: %q shows %d defaults", p, line, n)
				}
				if r, ok := f.(cli.RequiredFlag); ok && r.IsRequired() && strings.Contains(line, "(default:") {
					t.Errorf("%s: required flag %q shows a default", p, line)
				}
			}
			walk(p, c.Subcommands)
		}
	}
	walk("lessonl", newApp().Commands)
	if seen < 50 {
		t.Errorf("only %d flags seen", seen)
	}
}
