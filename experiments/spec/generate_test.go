package spec

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/datasets"
)

const heFixture = "../../datasets/testdata/generate/humaneval-mini.jsonl"

// TestSpecGenerateDataset: a humaneval or mbpp dataset block is checked
// and its file loaded (errors name the spec's line and the file's); a
// kind that does not solve generate problems is refused by name.
func TestSpecGenerateDataset(t *testing.T) {
	broken := filepath.Join(t.TempDir(), "broken.jsonl")
	os.WriteFile(broken, []byte(`{"task_id": "A/0", "prompt": "def f():\n", "entry_point": "f", "canonical_solution": "  return 1\n", "test": "x"}`+"\n{oops\n"), 0o644)
	tests := []struct {
		name, dataset string
		line          int
		fragments     []string
	}{
		{"no path", "  humaneval: {}\n", 3, []string{"dataset.humaneval.path", "missing"}},
		{"missing file", "  humaneval: {path: /no/such.jsonl.gz}\n", 3, []string{"dataset.humaneval.path", "/no/such.jsonl.gz", "no such file"}},
		{"malformed line", "  humaneval: {path: " + broken + "}\n", 3, []string{"dataset.humaneval.path", "broken.jsonl:2: not a JSON object"}},
		{"two sources", "  humaneval: {path: x}\n  mbpp: {path: y}\n", 4, []string{"dataset.mbpp", "one of humaneval and mbpp"}},
		{"with a suite", "  suite: codeopt\n  humaneval: {path: x}\n", 4, []string{"dataset.humaneval", "stands alone"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			spec := strings.Replace(goodSpec, "  suite: codeopt\n  limit: 2\n", tc.dataset, 1)
			_, err := Parse("t.yaml", []byte(spec), testEnv)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.HasPrefix(err.Error(), "t.yaml:"+itoa(tc.line)+":") {
				t.Errorf("error %q does not start with t.yaml:%d:", err, tc.line)
			}
			for _, f := range tc.fragments {
				if !strings.Contains(err.Error(), f) {
					t.Errorf("error %q lacks %q", err, f)
				}
			}
		})
	}
}

func TestSpecGenerateKinds(t *testing.T) {
	for _, ds := range []string{"  humaneval: {path: " + heFixture + "}\n", "  mbpp:\n    path: ../../datasets/testdata/generate/mbppplus-mini.jsonl\n", "  suite: pysuite\n  limit: 3\n"} {
		spec := strings.Replace(goodSpec, "  suite: codeopt\n  limit: 2\n", ds, 1)
		s, err := Parse("t.yaml", []byte(spec), testEnv)
		if err != nil {
			t.Fatalf("%s: %v", ds, err)
		}
		ps, err := s.Problems()
		if err != nil || len(ps) < 2 || ps[0].Gen == nil || ps[0].Task() != datasets.TaskGenerate {
			t.Fatalf("%s: problems %v, %v", ds, ps, err)
		}
	}
	spec := strings.Replace(goodSpec, "  suite: codeopt\n  limit: 2\n", "  suite: pysuite\n", 1)
	spec = strings.Replace(spec, "kind: single", "kind: voting", 1)
	_, err := Parse("t.yaml", []byte(spec), testEnv)
	if err == nil || !strings.Contains(err.Error(), "strategies[1].kind") || !strings.Contains(err.Error(), "kind voting does not solve generate problems") {
		t.Fatalf("voting on a generate dataset: %v", err)
	}
}

func TestGenProblemsSelects(t *testing.T) {
	d := DatasetSpec{HumanEval: &GenDataset{Path: heFixture}, Problems: []string{"Mini/1"}}
	if d.Task() != datasets.TaskGenerate || (DatasetSpec{}).Task() != datasets.TaskOptimize {
		t.Errorf("task kinds %s, %s", d.Task(), DatasetSpec{}.Task())
	}
	ps, err := d.GenProblems()
	if err != nil || len(ps) != 1 || ps[0].ID != "Mini/1" {
		t.Fatalf("%v %v", ps, err)
	}
	d = DatasetSpec{HumanEval: &GenDataset{Path: heFixture}, Limit: 1}
	if ps, err := d.GenProblems(); err != nil || len(ps) != 1 || ps[0].ID != "Mini/0" {
		t.Fatalf("limit: %v %v", ps, err)
	}
	d = DatasetSpec{HumanEval: &GenDataset{Path: heFixture}, Problems: []string{"Mini/7"}}
	if _, err := d.GenProblems(); err == nil || !strings.Contains(err.Error(), `no problem "Mini/7"`) {
		t.Fatalf("unknown problem: %v", err)
	}
}
