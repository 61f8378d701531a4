package datasets

import (
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// gzipped writes src compressed into a temp folder, as users ship
// HumanEval.jsonl.gz.
func gzipped(t *testing.T, src string) string {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), filepath.Base(src)+".gz")
	f, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestLoadGenerateFixtures(t *testing.T) {
	tests := []struct {
		name      string
		load      func(string) ([]*GenProblem, error)
		path      string
		suite     string
		n         int
		base      []int // base inputs per problem (0: check() tests)
		plus      []int
		oracle    map[string]string
		convert   map[string]string
		canonical string // a substring of the first problem's canonical program
	}{
		{"humaneval", LoadHumanEval, "testdata/generate/humaneval-mini.jsonl", SuiteHumanEval, 2,
			[]int{0, 0}, []int{0, 0}, nil, nil, "def count_vowels(s: str) -> int:"},
		{"humaneval gz", LoadHumanEval, "gz:testdata/generate/humaneval-mini.jsonl", SuiteHumanEval, 2,
			[]int{0, 0}, []int{0, 0}, nil, nil, `return sum(1 for c in s.lower() if c in "aeiou")`},
		{"humaneval+", LoadHumanEval, "testdata/generate/humanevalplus-mini.jsonl", SuiteHumanEvalPlus, 4,
			[]int{3, 2, 2, 3}, []int{3, 2, 3, 1}, map[string]string{"Mini/1": OraclePolyRoot}, nil, "return sum(xs) / len(xs)"},
		{"mbpp+", LoadMBPP, "testdata/generate/mbppplus-mini.jsonl", SuiteMBPPPlus, 2,
			[]int{2, 2}, []int{2, 2}, map[string]string{"Mbpp/2": OracleSetEq},
			map[string]string{"Mbpp/2": ConvertArgsTuple}, "def similar_elements(a, b):"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.path
			if p, ok := strings.CutPrefix(path, "gz:"); ok {
				path = gzipped(t, p)
			}
			ps, err := tc.load(path)
			if err != nil {
				t.Fatal(err)
			}
			if len(ps) != tc.n {
				t.Fatalf("%d problems, want %d", len(ps), tc.n)
			}
			for i, p := range ps {
				if p.Suite != tc.suite {
					t.Errorf("%s: suite %q, want %q", p.ID, p.Suite, tc.suite)
				}
				if p.Tests.BaseCount != tc.base[i] || p.Tests.PlusCount != tc.plus[i] {
					t.Errorf("%s: %d base and %d plus inputs, want %d and %d", p.ID, p.Tests.BaseCount, p.Tests.PlusCount, tc.base[i], tc.plus[i])
				}
				if tc.base[i] == 0 && !strings.Contains(p.Tests.Check, "def check(candidate)") {
					t.Errorf("%s: no check() in %q", p.ID, p.Tests.Check)
				}
				if p.Tests.Oracle != tc.oracle[p.ID] || p.Tests.Convert != tc.convert[p.ID] {
					t.Errorf("%s: oracle %q convert %q, want %q %q", p.ID, p.Tests.Oracle, p.Tests.Convert, tc.oracle[p.ID], tc.convert[p.ID])
				}
				if len(p.Solutions) != 1 || p.Solutions[0].Code != p.Canonical || !p.Solutions[0].Pass {
					t.Errorf("%s: solutions %+v, want the canonical one", p.ID, p.Solutions)
				}
				if p.EntryPoint == "" || !strings.Contains(p.Canonical, "def "+p.EntryPoint) {
					t.Errorf("%s: entry point %q not defined by the canonical program", p.ID, p.EntryPoint)
				}
			}
			if !strings.Contains(ps[0].Canonical, tc.canonical) {
				t.Errorf("canonical program %q lacks %q", ps[0].Canonical, tc.canonical)
			}
		})
	}
}

func TestHumanEvalPlusKeepsNonFiniteFloats(t *testing.T) {
	ps, err := LoadHumanEval("testdata/generate/humanevalplus-mini.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	p, err := FindGen(ps, "Mini/2")
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"` + FloatMarker + `":"inf"}, 0.0, 10.0], [{"` + FloatMarker + `":"-inf"}, -3.0, 3.0]`
	if !strings.Contains(string(p.Tests.Plus), want) {
		t.Errorf("plus inputs %s lack %s", p.Tests.Plus, want)
	}
}

func TestSanitizeJSON(t *testing.T) {
	tests := []struct{ in, want string }{
		{`[1, 2]`, `[1, 2]`},
		{`[NaN, -Infinity, Infinity]`, `[{"$lessonl_float":"nan"}, {"$lessonl_float":"-inf"}, {"$lessonl_float":"inf"}]`},
		{`["NaN", "a\"Infinity"]`, `["NaN", "a\"Infinity"]`},
		{`{"s": "x\\", "v": NaN}`, `{"s": "x\\", "v": {"$lessonl_float":"nan"}}`},
	}
	for _, tc := range tests {
		if got := string(SanitizeJSON([]byte(tc.in))); got != tc.want {
			t.Errorf("SanitizeJSON(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestLoadGenerateErrors(t *testing.T) {
	tests := []struct {
		name, load, text, want string
	}{
		{"not json", "humaneval", "{\"task_id\": \"A/0\"\n", ".jsonl:1: not a JSON object"},
		{"no prompt", "humaneval", `{"task_id": "A/0", "entry_point": "f", "canonical_solution": "  return 1\n", "test": "def check(c): pass"}`, ".jsonl:1: field prompt: missing"},
		{"no tests", "humaneval", `{"task_id": "A/0", "prompt": "def f():\n", "entry_point": "f", "canonical_solution": "  return 1\n"}`, "field test: missing"},
		{"duplicate", "humaneval", `{"task_id": "A/0", "prompt": "def f():\n", "entry_point": "f", "canonical_solution": "  return 1\n", "test": "x"}` + "\n\n" +
			`{"task_id": "A/0", "prompt": "def f():\n", "entry_point": "f", "canonical_solution": "  return 1\n", "test": "x"}`, `.jsonl:3: field task_id: "A/0" already on line 1`},
		{"input not a list", "humaneval", `{"task_id": "A/0", "prompt": "def f(x):\n", "entry_point": "f", "canonical_solution": "  return 1\n", "base_input": [[1], 2]}`, "field base_input[1]: want a list of arguments"},
		{"negative atol", "humaneval", `{"task_id": "A/0", "prompt": "def f(x):\n", "entry_point": "f", "canonical_solution": "  return 1\n", "base_input": [[1]], "atol": -1}`, "field atol: must not be negative"},
		{"mbpp without inputs", "mbpp", `{"task_id": "Mbpp/1", "prompt": "x", "entry_point": "f", "canonical_solution": "def f(): pass"}`, "field base_input: missing: MBPP problems are read in EvalPlus's MBPP+ format"},
		{"empty", "mbpp", "\n", "no problems"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "x.jsonl")
			if err := os.WriteFile(path, []byte(tc.text), 0o644); err != nil {
				t.Fatal(err)
			}
			load := LoadHumanEval
			if tc.load == "mbpp" {
				load = LoadMBPP
			}
			_, err := load(path)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// realHumanEval is the authors' copy of HumanEval, when this machine has it.
const realHumanEval = "/work/ext/LessonL/code-gen/human-eval/data/HumanEval.jsonl.gz"

func TestLoadRealHumanEval(t *testing.T) {
	if _, err := os.Stat(realHumanEval); err != nil {
		t.Skip("no HumanEval at " + realHumanEval)
	}
	ps, err := LoadHumanEval(realHumanEval)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 164 {
		t.Fatalf("%d problems, want 164", len(ps))
	}
	if ps[0].ID != "HumanEval/0" || ps[0].EntryPoint != "has_close_elements" || ps[163].ID != "HumanEval/163" {
		t.Errorf("first %s (%s), last %s", ps[0].ID, ps[0].EntryPoint, ps[163].ID)
	}
	for _, p := range ps {
		if p.Suite != SuiteHumanEval || !strings.Contains(p.Tests.Check, "def check(") {
			t.Errorf("%s: suite %s, check %.40q", p.ID, p.Suite, p.Tests.Check)
		}
	}
}

func TestAddGenSolutions(t *testing.T) {
	ps, err := LoadHumanEval("testdata/generate/humaneval-mini.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(t.TempDir(), "s.jsonl")
	os.WriteFile(good, []byte(`{"task_id": "Mini/0", "name": "none", "pass": false, "completion": "    return 0\n"}`+"\n"+
		`{"task_id": "Mini/1", "name": "whole", "pass": true, "solution": "def decode_pairs(s):\n    return s\n"}`+"\n"), 0o644)
	if err := AddGenSolutions(ps, good); err != nil {
		t.Fatal(err)
	}
	if s := ps[0].Solutions[1]; s.Name != "none" || s.Pass || s.Code != ps[0].Prompt+"    return 0\n" {
		t.Errorf("completion solution %+v", s)
	}
	if s := ps[1].Solutions[1]; s.Name != "whole" || !s.Pass || s.Code != "def decode_pairs(s):\n    return s\n" {
		t.Errorf("whole-program solution %+v", s)
	}
	for _, tc := range []struct{ text, want string }{
		{`{"task_id": "Mini/9", "name": "x", "pass": false, "completion": "x"}`, `s.jsonl:1: field task_id: no problem "Mini/9" among the 2 loaded`},
		{`{"task_id": "Mini/0", "name": "y", "completion": "x"}`, "field pass: missing"},
		{`{"task_id": "Mini/0", "name": "y", "pass": true}`, "field completion: give exactly one"},
		{"\n" + `{"task_id": "Mini/0", "name": "none", "pass": true, "completion": "x"}`, `s.jsonl:2: field name: Mini/0 already has a solution "none"`},
	} {
		bad := filepath.Join(t.TempDir(), "s.jsonl")
		os.WriteFile(bad, []byte(tc.text), 0o644)
		if err := AddGenSolutions(ps, bad); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %v, want %q", err, tc.want)
		}
	}
}
