package spec

import (
	"github.com/lessonlab/lessonl/datasets"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const goodSpec = `name: t
dataset:
  suite: codeopt
  limit: 2
evaluation:
  mode: serial
  timeout: 30s
agents:
  - name: a
    provider: sim
    model: sim/coder-a
  - name: big
    provider: openai
    base_url: ${TEST_URL}
    model: some/model
    api_key_env: TEST_KEY
strategies:
  - name: ll
    kind: lessonl
    agents: [a, big]
    params: {rounds: 2, k: 4}
  - name: one
    kind: single
    agents: [big]
matrix:
  ll:
    k: [2, 4]
    selection: [paper, none]
seeds: [1, 2]
`

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

var testEnv = env(map[string]string{"TEST_URL": "http://127.0.0.1:9/v1", "TEST_KEY": "secret"})

func TestParseGood(t *testing.T) {
	s, err := Parse("t.yaml", []byte(goodSpec), testEnv)
	if err != nil {
		t.Fatal(err)
	}
	if s.Agents[1].BaseURL != "http://127.0.0.1:9/v1" {
		t.Errorf("base_url %q: ${TEST_URL} not expanded", s.Agents[1].BaseURL)
	}
	if s.Output != "results/t" {
		t.Errorf("default output %q", s.Output)
	}
	if got := len(expandAxes(s.Matrix["ll"])); got != 4 {
		t.Errorf("matrix expands to %d variants, want 4", got)
	}
}

// TestParseBad breaks the good spec one way at a time: each gives one
// error naming the line and the field.
func TestParseBad(t *testing.T) {
	tests := []struct {
		name      string
		from, to  string
		env       map[string]string
		line      int
		fragments []string
		errors    int // lines of errors; 0 means 1
	}{
		{"unknown top-level field", "seeds: [1, 2]", "seeds: [1, 2]\nsedes: [3]", nil, 30, []string{"sedes"}, 0},
		{"unknown agent field", "    model: sim/coder-a", "    model: sim/coder-a\n    modle: x", nil, 12, []string{"modle"}, 0},
		{"wrong type", "  limit: 2", "  limit: two", nil, 4, []string{"limit"}, 0},
		{"bad duration", "timeout: 30s", "timeout: soon", nil, 7, []string{"duration"}, 0},
		{"unknown agent in strategy", "agents: [a, big]", "agents: [a, bog]", nil, 20, []string{"strategies[0].agents[1]", `unknown agent "bog"`}, 0},
		{"unknown kind", "kind: single", "kind: singel", nil, 23, []string{"strategies[1].kind", "singel"}, 0},
		{"unknown policy in matrix", "selection: [paper, none]", "selection: [paper, nope]", nil, 28, []string{"matrix.ll.selection", "nope"}, 0},
		{"k = 0", "params: {rounds: 2, k: 4}", "params: {rounds: 2, k: 0}", nil, 21, []string{"strategies[0].params.k", "at least 1"}, 0},
		{"unknown param", "params: {rounds: 2, k: 4}", "params: {rounds: 2, kk: 4}", nil, 21, []string{"strategies[0].params.kk", "unknown parameter"}, 0},
		{"no agents", "agents: [big]\n", "agents: []\n", nil, 24, []string{"strategies[1].agents", "missing"}, 0},
		{"missing environment variable", "", "", map[string]string{"TEST_KEY": "x"}, 14, []string{"TEST_URL", "not set"}, 0},
		{"missing API key variable", "", "", map[string]string{"TEST_URL": "http://x"}, 16, []string{"agents[1].api_key_env", "TEST_KEY"}, 0},
		{"bad mode", "mode: serial", "mode: parallel", nil, 6, []string{"evaluation.mode", "parallel"}, 0},
		{"bad timing", "mode: serial", "mode: serial\n  timing: nanobench", nil, 7, []string{"evaluation.timing", "nanobench"}, 0},
		{"bad run-to-run", "mode: serial", "mode: serial\n  run_to_run: 5", nil, 7, []string{"evaluation.run_to_run", "0.005"}, 0},
		// Renaming big to a duplicate also leaves the two references to big unknown.
		{"duplicate agent", "  - name: big", "  - name: a", nil, 12, []string{"agents[1].name", "twice", `strategies[1].agents[0]: unknown agent "big"`}, 3},
		{"matrix of unknown strategy", "matrix:\n  ll:", "matrix:\n  lx:", nil, 26, []string{"matrix.lx"}, 0},
		{"unknown category", "  limit: 2", "  limit: 2\n  categories: [sorting]", nil, 5, []string{"dataset.categories[0]", "sorting"}, 0},
		{"sim model not sim/", "model: sim/coder-a", "model: coder-a", nil, 11, []string{"agents[0].model"}, 0},
		{"single with two agents", "agents: [big]\n", "agents: [big, a]\n", nil, 24, []string{"strategies[1].agents", "takes 1"}, 0},
		{"bad yaml", "seeds: [1, 2]", "seeds: [1, 2", nil, 0, []string{"t.yaml"}, 0},
		{"suite and pareval", "  limit: 2", "  limit: 2\n  pareval: {root: /x}", nil, 5, []string{"dataset.pareval", "one of"}, 0},
		{"pareval without root", "  suite: codeopt\n", "  pareval: {suite: pareval}\n", nil, 3, []string{"dataset.pareval.root", "missing"}, 0},
		{"pareval unknown suite", "  suite: codeopt\n", "  pareval: {root: /x, suite: spec}\n", nil, 3, []string{"dataset.pareval.suite", "spec"}, 0},
		{"pareval mode twice", "  suite: codeopt\n", "  pareval: {root: /x, mode: openmp}\n", nil, 3, []string{"dataset.pareval.mode", "evaluation.mode"}, 0},
		{"unknown protocol", "seeds: [1, 2]", "seeds: [1, 2]\nprotocol: ours", nil, 30, []string{"protocol", "ours"}, 0},
		{"unknown seed policy", "seeds: [1, 2]", "seeds: [1, 2]\nseed: random", nil, 30, []string{"seed", "random"}, 0},
		{"strategy protocol", "params: {rounds: 2, k: 4}", "params: {rounds: 2, k: 4, protocol: paperr}", nil, 21, []string{"strategies[0].params.protocol", "paperr"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := testEnv
			if tt.env != nil {
				e = env(tt.env)
			}
			text := goodSpec
			if tt.from != "" {
				if !strings.Contains(text, tt.from) {
					t.Fatalf("test edit %q not found", tt.from)
				}
				text = strings.Replace(text, tt.from, tt.to, 1)
			}
			_, err := Parse("t.yaml", []byte(text), e)
			if err == nil {
				t.Fatal("parsed without error")
			}
			msg := err.Error()
			if want := max(tt.errors, 1); strings.Count(msg, "\n")+1 != want {
				t.Errorf("%d errors, want %d: %q", strings.Count(msg, "\n")+1, want, msg)
			}
			if tt.line > 0 && !strings.HasPrefix(msg, "t.yaml:"+itoa(tt.line)+":") {
				t.Errorf("error %q does not start with t.yaml:%d:", msg, tt.line)
			}
			for _, f := range tt.fragments {
				if !strings.Contains(msg, f) {
					t.Errorf("error %q lacks %q", msg, f)
				}
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestShippedSpecsParse(t *testing.T) {
	files, _ := filepath.Glob("../specs/*.yaml")
	if len(files) == 0 {
		t.Fatal("no shipped specs")
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Parse(f, raw, shippedEnv); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// shippedEnv gives the shipped specs' environment variables values: the
// endpoints of real models, the benchmarks' folder, recorded generations
// and the generate datasets' fixtures.
func shippedEnv(k string) (string, bool) {
	switch {
	case strings.HasSuffix(k, "_URL"):
		return "http://127.0.0.1:1/v1", true
	case strings.HasSuffix(k, "_KEY"):
		return "key", true
	case k == "LESSONL_BENCH":
		return "/bench", true
	case strings.HasSuffix(k, "_GENERATIONS"):
		return "../../internal/recorded/testdata/results.json", true
	case k == "LESSONL_HUMANEVAL":
		return "../../datasets/testdata/generate/humanevalplus-mini.jsonl", true
	case k == "LESSONL_MBPP":
		return "../../datasets/testdata/generate/mbppplus-mini.jsonl", true
	}
	return "", false
}

func TestCellsAndShards(t *testing.T) {
	s, err := Parse("t.yaml", []byte(goodSpec), testEnv)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := s.Problems()
	if err != nil {
		t.Fatal(err)
	}
	cells := s.Cells(ps)
	// ll: 4 variants, one: 1 variant; × problems × 2 seeds.
	if want := (4 + 1) * len(ps) * 2; len(cells) != want {
		t.Fatalf("%d cells, want %d", len(cells), want)
	}
	seen := map[string]bool{}
	for _, c := range cells {
		if seen[c.Key()] {
			t.Errorf("duplicate cell %s", c.Key())
		}
		seen[c.Key()] = true
	}
	// Shards cover every cell once and are balanced by planned cost: no
	// two shards' loads differ by more than the costliest cell.
	const n = 4
	shards := AssignShards(cells, n, datasets.TaskOptimize)
	load := make([]int, n+1)
	most := 0
	for _, c := range cells {
		i := shards[c.Key()]
		if i < 1 || i > n {
			t.Fatalf("cell %s in shard %d of %d", c.Key(), i, n)
		}
		calls, evals := CostOf(c.Kind, c.Params, len(c.Agents), datasets.TaskOptimize)
		load[i] += calls + evals
		most = max(most, calls+evals)
	}
	if len(shards) != len(cells) {
		t.Errorf("shards cover %d cells, want %d exactly once each", len(shards), len(cells))
	}
	lo, hi := slices.Min(load[1:]), slices.Max(load[1:])
	if hi-lo > most {
		t.Errorf("shard loads %v differ by more than the costliest cell (%d)", load[1:], most)
	}
	if again := AssignShards(cells, n, datasets.TaskOptimize); !maps.Equal(again, shards) {
		t.Error("the assignment is not the same twice")
	}
	if _, err := ParseShard("5/4"); err == nil {
		t.Error("shard 5/4 accepted")
	}
}

// A spec whose dataset is a ParEval checkout loads the paper's problems
// through the adapter, in the evaluation's mode.
func TestSpecParEvalDataset(t *testing.T) {
	text := strings.Replace(goodSpec, "  suite: codeopt\n  limit: 2\n", "  pareval: {root: ${BENCH}}\n", 1)
	text = strings.Replace(text, "mode: serial", "mode: openmp", 1)
	s, err := Parse("t.yaml", []byte(text), env(map[string]string{
		"TEST_URL": "http://x", "TEST_KEY": "k", "BENCH": "../../datasets/testdata/pareval"}))
	if err != nil {
		t.Fatal(err)
	}
	ps, err := s.Problems()
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 5 || ps[0].Suite != "pareval" || ps[0].Sizes.Timing != 1<<21 {
		t.Fatalf("%d problems, first %s of %s timing %d; want 5 ParEval problems at OpenMP sizes", len(ps), ps[0].ID, ps[0].Suite, ps[0].Sizes.Timing)
	}
}

func TestExpandDefaults(t *testing.T) {
	cases := []struct{ in, want string }{
		{"mode: ${MODE:-serial}", "mode: serial"},
		{"mode: ${SET:-serial}", "mode: openmp"},
		{"root: ${EMPTY:-}", "root: "},
		{"url: ${SET}", "url: openmp"},
	}
	lookup := env(map[string]string{"SET": "openmp"})
	for _, c := range cases {
		got, err := Expand("t.yaml", []byte(c.in), lookup)
		if err != nil || string(got) != c.want {
			t.Errorf("Expand(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	if _, err := Expand("t.yaml", []byte("a: 1\nurl: ${UNSET}"), lookup); err == nil || !strings.Contains(err.Error(), "t.yaml:2") {
		t.Errorf("unset variable without default: %v", err)
	}
}
