package spec

import (
	"encoding/json"
	"fmt"
	"github.com/lessonlab/lessonl/internal/golden"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/internal/evaluate"
)

// TestShippedSpecsEvaluatorSettings decodes every shipped spec (and each
// under LESSONL_MODE=openmp and LESSONL_TIMING=paper, which the paper
// specs read) and compares the evaluator configuration it resolves to,
// defaults filled in, and the evaluation block the manifest records,
// with testdata/evalsettings.golden. The golden was written before the
// evaluator settings became one type (issue 26), so a spec parses to the
// same evaluator and manifest record as it did; the one change since is
// that a negative count is refused under its own key (evaluation.slots)
// instead of the whole block.
func TestShippedSpecsEvaluatorSettings(t *testing.T) {
	files, _ := filepath.Glob("../specs/*.yaml")
	if len(files) < 10 {
		t.Fatalf("found %d shipped specs, want at least 10", len(files))
	}
	t.Setenv("LESSONL_CACHE", "/default-cache")
	envs := []map[string]string{{}, {"LESSONL_MODE": "openmp", "LESSONL_TIMING": "paper"}}
	var b strings.Builder
	for _, env := range envs {
		lookup := func(k string) (string, bool) {
			if v, ok := env[k]; ok {
				return v, true
			}
			switch {
			case strings.HasSuffix(k, "_URL"):
				return "http://127.0.0.1:1/v1", true
			case strings.HasSuffix(k, "_KEY"):
				return "key", true
			case k == "LESSONL_HUMANEVAL":
				return "../../datasets/testdata/generate/humanevalplus-mini.jsonl", true
			case k == "LESSONL_MBPP":
				return "../../datasets/testdata/generate/mbppplus-mini.jsonl", true
			case strings.HasSuffix(k, "_GENERATIONS"):
				return "../../internal/recorded/testdata/outputs.json", true
			case k == "LESSONL_BENCH":
				return "/bench", true
			}
			return "", false
		}
		for _, f := range files {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "== %s %v\n", filepath.Base(f), env)
			writeSpecSettings(t, &b, f, raw, lookup)
		}
	}
	// Every key of the evaluation block, and the spec's cache_dir, on the
	// quickstart's other fields.
	base, err := os.ReadFile("../specs/quickstart.yaml")
	if err != nil {
		t.Fatal(err)
	}
	head, rest, _ := strings.Cut(string(base), "evaluation:\n")
	_, tail, _ := strings.Cut(rest, "agents:\n")
	for _, block := range []string{
		"evaluation: {}",
		"evaluation: {repetitions: 5, slots: 2, run_to_run: -1, strict_validation: true, fresh: true, memory_gib: 8}\ncache_dir: none",
		"evaluation: {timeout: 10s, repetitions: 50}\ncache_dir: /tmp/cache",
		"evaluation: {mode: openmp, warmup: 3, memory_gib: 2}",
		"evaluation: {mode: openmp, threads: 4, timing: paper, run_to_run: 0.005, compiler: clang++, flags: [-O2]}",
		"evaluation: {mode: serial, threads: 4, timing: paired, run_to_run: 0}",
		"evaluation: {repetitions: 2}",
		"evaluation: {run_to_run: 0.5, slots: -1}",
		"evaluation: {mode: gpu}",
		"evaluation: {min_reps: 3}",
	} {
		raw := head + block + "\nagents:\n" + tail
		fmt.Fprintf(&b, "== quickstart with %s\n", block)
		writeSpecSettings(t, &b, "spec.yaml", []byte(raw), os.LookupEnv)
	}
	golden.Check(t, filepath.Join("testdata", "evalsettings.golden"), []byte(b.String()))
}

// writeSpecSettings parses a spec and writes what its evaluation block
// resolves to: the manifest's record of it and the evaluator's filled
// settings, or the error that stops either.
func writeSpecSettings(t *testing.T, b *strings.Builder, name string, raw []byte, lookup func(string) (string, bool)) {
	t.Helper()
	s, err := Parse(name, raw, lookup)
	if err != nil {
		fmt.Fprintf(b, "error: %v\n", err)
		return
	}
	manifest, err := json.Marshal(s.Evaluation)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(b, "manifest %s\n", manifest)
	ev, err := evaluate.New(s.EvaluatorConfig())
	if err != nil {
		fmt.Fprintf(b, "evaluator error: %v\n", err)
		return
	}
	writeResolved(b, ev.Config())
	ev.Close()
}

// writeResolved writes every field of a resolved evaluator configuration,
// one a line.
func writeResolved(b *strings.Builder, c evaluate.Config) {
	for _, f := range []struct {
		name string
		v    any
	}{
		{"compiler", c.Compiler}, {"flags", c.Flags}, {"mode", c.Mode}, {"threads", c.Threads},
		{"timing", c.Timing}, {"warmup", c.Warmup}, {"min_reps", c.MinReps}, {"max_reps", c.MaxReps},
		{"target_width", c.TargetWidth}, {"budget", c.Budget}, {"run_to_run", c.RunToRun}, {"slots", c.Slots},
		{"fresh", c.Fresh}, {"cache_dir", c.CacheDir}, {"no_checked_build", c.NoCheckedBuild}, {"checked_first", c.CheckedFirst},
		{"strict_validation", c.StrictValidation}, {"verdict_only", c.VerdictOnly},
		{"run_limits", fmt.Sprintf("%+v", c.RunLimits)}, {"compile_limits", fmt.Sprintf("%+v", c.CompileLimits)},
		{"busy_wait", c.BusyWait}, {"work_dir", c.WorkDir},
	} {
		fmt.Fprintf(b, "  %s: %v\n", f.name, f.v)
	}
}
