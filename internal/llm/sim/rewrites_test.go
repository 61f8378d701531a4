package sim

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/evaluate"
	"github.com/lessonlab/lessonl/internal/llm"
)

// paretalRoot is the miniature ParEval checkout the datasets tests use.
const parevalRoot = "../../../datasets/testdata/pareval"

// rewriteCase is a snippet, its entry function, and the code each generic
// rewrite should give (by name without the sim-generic- prefix); a
// rewrite not listed must not apply.
type rewriteCase struct {
	name, fn, code string
	want           map[string]string
}

var rewriteCases = []rewriteCase{
	{
		name: "one loop",
		fn:   "total",
		code: `int total(const int* a, int n) {
    int s = 0;
    for (int i = 0; i < n; i++) {
        s += a[i];
    }
    return s;
}
`,
		want: map[string]string{
			"parallel-for": `int total(const int* a, int n) {
    int s = 0;
    #pragma omp parallel for
    for (int i = 0; i < n; i++) {
        s += a[i];
    }
    return s;
}
`,
			"unroll-hint": `int total(const int* a, int n) {
    int s = 0;
    #pragma GCC unroll 4
    for (int i = 0; i < n; i++) {
        s += a[i];
    }
    return s;
}
`,
			"pre-increment": `int total(const int* a, int n) {
    int s = 0;
    for (int i = 0; i < n; ++i) {
        s += a[i];
    }
    return s;
}
`,
			"off-by-one": `int total(const int* a, int n) {
    int s = 0;
    for (int i = 0; i + 1 < n; i++) {
        s += a[i];
    }
    return s;
}
`,
			"typo": `int total(const int* a, int n) {
    int s = 0;
    for (int i = 0; i < n; i++) {
        s += a[i];
    }
    return s
}
`,
		},
	},
	{
		// for loops, braces, "i++" and ";" in comments and literals are
		// not code; the only loop is the real one, written on one line.
		name: "loops in comments and strings",
		fn:   "count",
		code: `#include <cstring>
// for (int i = 0; i < n; i++) { sum += a[i]; }
long count(const char* a, int n) {
    /* for (int j = 0; j < n; j++) { */
    const char* msg = "for (int k = 0; k < n; k++) {";
    long t = msg[0] == '{' ? 0 : 1;
    for (int i = 0; i < n; i++) t += a[i] == 'x'; // i++ < n; }
    return t + std::strlen(";}");
}
`,
		want: map[string]string{
			"parallel-for": `#include <cstring>
// for (int i = 0; i < n; i++) { sum += a[i]; }
long count(const char* a, int n) {
    /* for (int j = 0; j < n; j++) { */
    const char* msg = "for (int k = 0; k < n; k++) {";
    long t = msg[0] == '{' ? 0 : 1;
    #pragma omp parallel for
    for (int i = 0; i < n; i++) t += a[i] == 'x'; // i++ < n; }
    return t + std::strlen(";}");
}
`,
			"unroll-hint": `#include <cstring>
// for (int i = 0; i < n; i++) { sum += a[i]; }
long count(const char* a, int n) {
    /* for (int j = 0; j < n; j++) { */
    const char* msg = "for (int k = 0; k < n; k++) {";
    long t = msg[0] == '{' ? 0 : 1;
    #pragma GCC unroll 4
    for (int i = 0; i < n; i++) t += a[i] == 'x'; // i++ < n; }
    return t + std::strlen(";}");
}
`,
			"pre-increment": `#include <cstring>
// for (int i = 0; i < n; i++) { sum += a[i]; }
long count(const char* a, int n) {
    /* for (int j = 0; j < n; j++) { */
    const char* msg = "for (int k = 0; k < n; k++) {";
    long t = msg[0] == '{' ? 0 : 1;
    for (int i = 0; i < n; ++i) t += a[i] == 'x'; // i++ < n; }
    return t + std::strlen(";}");
}
`,
			"off-by-one": `#include <cstring>
// for (int i = 0; i < n; i++) { sum += a[i]; }
long count(const char* a, int n) {
    /* for (int j = 0; j < n; j++) { */
    const char* msg = "for (int k = 0; k < n; k++) {";
    long t = msg[0] == '{' ? 0 : 1;
    for (int i = 0; i + 1 < n; i++) t += a[i] == 'x'; // i++ < n; }
    return t + std::strlen(";}");
}
`,
			"typo": `#include <cstring>
// for (int i = 0; i < n; i++) { sum += a[i]; }
long count(const char* a, int n) {
    /* for (int j = 0; j < n; j++) { */
    const char* msg = "for (int k = 0; k < n; k++) {";
    long t = msg[0] == '{' ? 0 : 1;
    for (int i = 0; i < n; i++) t += a[i] == 'x'; // i++ < n; }
    return t + std::strlen(";}")
}
`,
		},
	},
	{
		// No loop at all (a raw string and a digit separator that look
		// like one): only the typo applies.
		name: "no loop",
		fn:   "twice",
		code: `#include <cstring>
int twice(int x) {
    const char* s = R"raw(for (;;) { x++; })raw";
    int big = 1'000'000;
    return 2 * x + (std::strlen(s) > 0 && big > 0 ? 0 : 1);
}
`,
		want: map[string]string{
			"typo": `#include <cstring>
int twice(int x) {
    const char* s = R"raw(for (;;) { x++; })raw";
    int big = 1'000'000;
    return 2 * x + (std::strlen(s) > 0 && big > 0 ? 0 : 1)
}
`,
		},
	},
	{
		// A template over nested vectors, unbraced nested loops: the unroll
		// hint goes on the inner loop, "<=" bounds are tightened too.
		name: "nested loops in a template",
		fn:   "scale",
		code: `#include <vector>
template <typename T>
void scale(std::vector<std::vector<T>>& m, T k) {
    for (std::size_t i = 0; i < m.size(); i++)
        for (std::size_t j = 1; j <= m[i].size(); j++)
            m[i][j - 1] *= k;
}
template void scale<double>(std::vector<std::vector<double>>&, double);
`,
		want: map[string]string{
			"parallel-for": `#include <vector>
template <typename T>
void scale(std::vector<std::vector<T>>& m, T k) {
    #pragma omp parallel for
    for (std::size_t i = 0; i < m.size(); i++)
        for (std::size_t j = 1; j <= m[i].size(); j++)
            m[i][j - 1] *= k;
}
template void scale<double>(std::vector<std::vector<double>>&, double);
`,
			"unroll-hint": `#include <vector>
template <typename T>
void scale(std::vector<std::vector<T>>& m, T k) {
    for (std::size_t i = 0; i < m.size(); i++)
        #pragma GCC unroll 4
        for (std::size_t j = 1; j <= m[i].size(); j++)
            m[i][j - 1] *= k;
}
template void scale<double>(std::vector<std::vector<double>>&, double);
`,
			"pre-increment": `#include <vector>
template <typename T>
void scale(std::vector<std::vector<T>>& m, T k) {
    for (std::size_t i = 0; i < m.size(); ++i)
        for (std::size_t j = 1; j <= m[i].size(); ++j)
            m[i][j - 1] *= k;
}
template void scale<double>(std::vector<std::vector<double>>&, double);
`,
			"off-by-one": `#include <vector>
template <typename T>
void scale(std::vector<std::vector<T>>& m, T k) {
    for (std::size_t i = 0; i + 1 < m.size(); i++)
        for (std::size_t j = 1; j <= m[i].size(); j++)
            m[i][j - 1] *= k;
}
template void scale<double>(std::vector<std::vector<double>>&, double);
`,
			"typo": `#include <vector>
template <typename T>
void scale(std::vector<std::vector<T>>& m, T k) {
    for (std::size_t i = 0; i < m.size(); i++)
        for (std::size_t j = 1; j <= m[i].size(); j++)
            m[i][j - 1] *= k
}
template void scale<double>(std::vector<std::vector<double>>&, double);
`,
		},
	},
	{
		// The entry is not the first function; a helper's loop is not
		// touched; the loop after "if (...)" gets a line of its own for
		// the pragma; the inner loop's "<=" is tightened since the outer
		// loop is a range-for; no "i++" in any header.
		name: "helper first, loop after if",
		fn:   "entry",
		code: `#include <vector>
static int helper(int x) { for (int i = 0; i < x; i++) x ^= i; return x; }
int entry(std::vector<int> const& v, int n) {
    int r = helper(n);
    if (r > 0) for (int e : v) for (int k = 0; k <= e; k += 2) r += k;
    return r;
}
`,
		want: map[string]string{
			"parallel-for": `#include <vector>
static int helper(int x) { for (int i = 0; i < x; i++) x ^= i; return x; }
int entry(std::vector<int> const& v, int n) {
    int r = helper(n);
    if (r > 0)
    #pragma omp parallel for
    for (int e : v) for (int k = 0; k <= e; k += 2) r += k;
    return r;
}
`,
			"unroll-hint": `#include <vector>
static int helper(int x) { for (int i = 0; i < x; i++) x ^= i; return x; }
int entry(std::vector<int> const& v, int n) {
    int r = helper(n);
    if (r > 0) for (int e : v)
    #pragma GCC unroll 4
    for (int k = 0; k <= e; k += 2) r += k;
    return r;
}
`,
			"off-by-one": `#include <vector>
static int helper(int x) { for (int i = 0; i < x; i++) x ^= i; return x; }
int entry(std::vector<int> const& v, int n) {
    int r = helper(n);
    if (r > 0) for (int e : v) for (int k = 0; k + 1 <= e; k += 2) r += k;
    return r;
}
`,
			"typo": `#include <vector>
static int helper(int x) { for (int i = 0; i < x; i++) x ^= i; return x; }
int entry(std::vector<int> const& v, int n) {
    int r = helper(n);
    if (r > 0) for (int e : v) for (int k = 0; k <= e; k += 2) r += k;
    return r
}
`,
		},
	},
	{
		// A loop that already has a pragma gets no second one and keeps its
		// bound (OpenMP wants "i < n" as it is); a shift is not a bound;
		// the empty statement after "}" is not the typo's.
		name: "pragma already there, shift, empty statement",
		fn:   "bits",
		code: `int bits(const double* v, int n) {
    double s = 0;
    #pragma omp simd reduction(+:s)
    for (int i = 0; i < n; i++) s += v[i];
    for (int k = 1; k << 2 < 64; k--) { s += k; };
}
`,
		want: map[string]string{
			"pre-increment": `int bits(const double* v, int n) {
    double s = 0;
    #pragma omp simd reduction(+:s)
    for (int i = 0; i < n; ++i) s += v[i];
    for (int k = 1; k << 2 < 64; --k) { s += k; };
}
`,
			"typo": `int bits(const double* v, int n) {
    double s = 0;
    #pragma omp simd reduction(+:s)
    for (int i = 0; i < n; i++) s += v[i];
    for (int k = 1; k << 2 < 64; k--) { s += k };
}
`,
		},
	},
	{
		name: "entry function not defined",
		fn:   "missing",
		code: "int missing(int x);\nint other(int x) { for (int i = 0; i < x; i++) x += missing(i); return x; }\n",
		want: map[string]string{},
	},
}

func TestSmallRewrites(t *testing.T) {
	for _, c := range rewriteCases {
		t.Run(c.name, func(t *testing.T) {
			got := map[string]datasets.Solution{}
			for _, s := range smallRewrites(&datasets.Problem{ID: "x", Function: c.fn, BaselineCode: c.code}) {
				name, ok := strings.CutPrefix(s.Name, genericPrefix)
				if !ok {
					t.Errorf("rewrite %q is not named %s...", s.Name, genericPrefix)
				}
				got[name] = s
			}
			for name, want := range c.want {
				s, ok := got[name]
				if !ok {
					t.Errorf("%s: missing", name)
					continue
				}
				if s.Code != want {
					t.Errorf("%s:\n%s\nwant:\n%s", name, s.Code, want)
				}
			}
			for name := range got {
				if _, ok := c.want[name]; !ok {
					t.Errorf("%s should not apply, got:\n%s", name, got[name].Code)
				}
			}
		})
	}
}

// The intent, family and note of each generic rewrite: the note is
// labelled, holds no outcome words (the sim reads those from lessons,
// which retell the note), and a lesson retelling it is about that rewrite
// alone.
func TestGenericRewriteLabels(t *testing.T) {
	ps, err := datasets.LoadParEval(datasets.ParEval{Root: parevalRoot})
	if err != nil {
		t.Fatal(err)
	}
	p := ps[0] // 00_reduce_sum_of_squares, where all five apply
	want := []struct {
		name     string
		expected datasets.Expected
		family   string
	}{
		{"parallel-for", datasets.ExpectFaster, FamilyParallel},
		{"unroll-hint", datasets.ExpectNotFaster, FamilyLoop},
		{"pre-increment", datasets.ExpectNotFaster, FamilyLoop},
		{"off-by-one", datasets.ExpectIncorrect, FamilyLoop},
		{"typo", datasets.ExpectNotCompilable, FamilyAlgorithm},
	}
	sols := smallRewrites(p)
	if len(sols) != len(want) {
		t.Fatalf("%d rewrites of %s, want %d", len(sols), p.ID, len(want))
	}
	sp := newSimProblem(p)
	if !sp.generic || len(sp.options) != len(want)+1 {
		t.Fatalf("sim problem: generic %v, %d options", sp.generic, len(sp.options))
	}
	for i, w := range want {
		s := sols[i]
		if s.Name != genericPrefix+w.name || s.Expected != w.expected || Family(s.Technique) != w.family {
			t.Errorf("rewrite %d: %s %s %q (%s), want %s%s %s family %s", i, s.Name, s.Expected, s.Technique, Family(s.Technique),
				genericPrefix, w.name, w.expected, w.family)
		}
		if !strings.HasPrefix(s.Note, genericNotePrefix) || strings.Contains(s.Note, "\n") {
			t.Errorf("%s: note %q is not one labelled line", s.Name, s.Note)
		}
		if k, _ := outcomeOf(s.Note); k != noOutcome {
			t.Errorf("%s: note %q reads as outcome %d", s.Name, s.Note, k)
		}
		if o := sp.retold("Lesson: Applying " + s.Technique + " made the code faster. " + s.Note); o == nil || o.name != s.Name {
			t.Errorf("%s: a lesson retelling its note is taken as about %v", s.Name, o)
		}
	}
}

// The built-in suite has known solutions for every problem: its sim
// problems are made of those alone, as before generic rewrites existed.
func TestKnownSolutionsAreNotGeneric(t *testing.T) {
	ps, err := datasets.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		sp := newSimProblem(p)
		if sp.generic || len(sp.options) != len(p.Solutions)+1 {
			t.Errorf("%s: generic %v, %d options for %d solutions", p.ID, sp.generic, len(sp.options), len(p.Solutions))
		}
		for i, s := range p.Solutions {
			if sp.options[i].solution != &p.Solutions[i] || strings.HasPrefix(s.Name, genericPrefix) {
				t.Errorf("%s: option %d is not its solution %s", p.ID, i, s.Name)
			}
		}
	}
}

// The paper's benchmarks (here the fixture checkout) have no known
// solutions: asked with an optimize prompt, the sim answers with the
// baseline or one of its small rewrites, some of the time a rewrite, and
// says that these are a simulator's generic rewrites.
func TestSimAnswersParEvalWithSmallRewrites(t *testing.T) {
	for _, suite := range []string{datasets.SuiteParEval, datasets.SuitePolyBench} {
		ps, err := datasets.LoadParEval(datasets.ParEval{Root: parevalRoot, Suite: suite})
		if err != nil {
			t.Fatal(err)
		}
		s := newSim(t, Config{Problems: ps})
		for _, p := range ps {
			t.Run(p.ID, func(t *testing.T) {
				if len(p.Solutions) != 0 {
					t.Fatalf("fixture problem has %d known solutions", len(p.Solutions))
				}
				options := map[string]string{norm(p.BaselineCode): "baseline"}
				for _, r := range smallRewrites(p) {
					options[norm(r.Code)] = r.Name
				}
				if len(options) < 4 {
					t.Fatalf("only %d options", len(options))
				}
				seen := map[string]int{}
				for _, model := range []string{"sim/coder-a", "sim/coder-b", "sim/coder-c", "sim/large"} {
					for seed := int64(1); seed <= 30; seed++ {
						resp := mustChat(t, s, llm.Request{Model: model, Messages: optimizePrompt(p, ""), Cues: optimizeCues(p), Temperature: 0.2, Seed: seed})
						code, ok := llm.ExtractCode(resp.Text, p.Function)
						if !ok {
							t.Fatalf("%s seed %d: no code in %q", model, seed, resp.Text)
						}
						name, ok := options[code]
						if !ok {
							t.Fatalf("%s seed %d: the answer is neither the baseline nor a small rewrite of it:\n%s", model, seed, code)
						}
						seen[name]++
						prose := resp.Text[:strings.Index(resp.Text, "```")]
						if !strings.Contains(prose, "simulator knows no rewrites") ||
							name != "baseline" && !strings.Contains(prose, genericLabel) {
							t.Errorf("%s seed %d: %s answered with %q", model, seed, name, prose)
						}
					}
				}
				if seen["baseline"] == 120 || len(seen) < 3 {
					t.Errorf("120 answers: %v", seen)
				}
				ch, _, err := s.Distribution(llm.Request{Model: "sim/large", Messages: optimizePrompt(p, ""), Cues: optimizeCues(p), Temperature: 0.2})
				if err != nil {
					t.Fatal(err)
				}
				total := 0.0
				for _, c := range ch {
					total += c.P
					if c.Solution != "baseline" && !strings.HasPrefix(c.Solution, genericPrefix) {
						t.Errorf("choice %q is not labelled generic", c.Solution)
					}
				}
				if total < 0.999 || total > 1.001 {
					t.Errorf("choices sum to %g", total)
				}
			})
		}
	}
}

// What the sim writes about generic rewrites names them as such, and a
// lesson of its own about one of them steers the next choice away from
// that rewrite only.
func TestSimTalksAboutGenericRewrites(t *testing.T) {
	ps, err := datasets.LoadParEval(datasets.ParEval{Root: parevalRoot})
	if err != nil {
		t.Fatal(err)
	}
	p := ps[0]
	s := newSim(t, Config{Problems: ps})
	var typo, cosmetic datasets.Solution
	for _, r := range smallRewrites(p) {
		switch r.Name {
		case genericPrefix + "typo":
			typo = r
		case genericPrefix + "pre-increment":
			cosmetic = r
		}
	}
	lesson := mustChat(t, s, render(facts{ask: llm.AskLesson, code: p.BaselineCode, cands: []shown{{typo.Code, "not_compilable"}}}, 0).request("sim/coder-a", 1)).Text
	if !strings.HasPrefix(lesson, "Lesson: Applying "+typo.Technique+" produced code that does not compile.") || !strings.Contains(lesson, typo.Note) {
		t.Errorf("lesson: %q", lesson)
	}
	optimize := func(lessons ...shown) llm.Request {
		return render(facts{ask: llm.AskOptimize, code: p.BaselineCode, lessons: lessons}, 0).request("sim/coder-c", 1)
	}
	before := requestProbs(t, s, optimize())
	after := requestProbs(t, s, optimize(shown{strings.TrimPrefix(lesson, "Lesson: "), "not_compilable"}))
	if after[typo.Name] >= before[typo.Name]*0.5 || after[cosmetic.Name] < before[cosmetic.Name] {
		t.Errorf("after the lesson: p(typo) %.3f → %.3f, p(pre-increment) %.3f → %.3f",
			before[typo.Name], after[typo.Name], before[cosmetic.Name], after[cosmetic.Name])
	}

	plans := mustChat(t, s, render(facts{ask: llm.AskPlan + ":3", code: p.BaselineCode}, 0).request("sim/coder-b", 1)).Text
	if n := strings.Count(plans, "("+genericLabel+")"); n != 3 {
		t.Errorf("%d of 3 plans say they are generic rewrites: %q", n, plans)
	}
	refl := mustChat(t, s, render(facts{ask: llm.AskReflect, code: p.BaselineCode, cands: []shown{{typo.Code, "not_compilable"}}}, 0).request("sim/coder-b", 1)).Text
	if !strings.Contains(refl, typo.Technique+" ("+genericLabel+")") || !strings.Contains(refl, "does not compile") {
		t.Errorf("reflection: %q", refl)
	}
}

func TestSmallRewritesEvaluate(t *testing.T) {
	if _, err := exec.LookPath("g++"); err != nil {
		t.Skip("g++ not installed")
	}
	ps, err := datasets.LoadParEval(datasets.ParEval{Root: parevalRoot})
	if err != nil {
		t.Fatal(err)
	}
	p := ps[0]
	e, err := evaluate.New(evaluate.Config{MinReps: 3, MaxReps: 3, Budget: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	want := map[string]evaluate.Status{
		"baseline":                      evaluate.Correct,
		genericPrefix + "parallel-for":  evaluate.Correct,
		genericPrefix + "unroll-hint":   evaluate.Correct,
		genericPrefix + "pre-increment": evaluate.Correct,
		genericPrefix + "off-by-one":    evaluate.Incorrect,
		genericPrefix + "typo":          evaluate.NotCompilable,
	}
	cands := append([]datasets.Solution{{Name: "baseline", Code: p.BaselineCode}}, smallRewrites(p)...)
	if len(cands) != len(want) {
		t.Fatalf("%d candidates, want %d", len(cands), len(want))
	}
	for _, c := range cands {
		t.Run(c.Name, func(t *testing.T) {
			out, err := e.Evaluate(context.Background(), p, c.Code)
			if err != nil {
				t.Fatal(err)
			}
			if out.Status != want[c.Name] {
				t.Errorf("status %s (%s), want %s", out.Status, out.Detail, want[c.Name])
			}
		})
	}
}

// Every snippet rewrite but the typo is C++ that g++ accepts, with and
// without OpenMP; the typo is not.
func TestSmallRewritesParse(t *testing.T) {
	if _, err := exec.LookPath("g++"); err != nil {
		t.Skip("g++ not installed")
	}
	dir := t.TempDir()
	for _, c := range rewriteCases {
		for name, code := range c.want {
			path := filepath.Join(dir, "x.cpp")
			if err := os.WriteFile(path, []byte(code), 0o644); err != nil {
				t.Fatal(err)
			}
			for _, flags := range [][]string{{"-std=c++17"}, {"-std=c++17", "-fopenmp"}} {
				out, err := exec.Command("g++", append(flags, "-fsyntax-only", path)...).CombinedOutput()
				if (err == nil) == (name == "typo") {
					t.Errorf("%s / %s %v: g++ says %v\n%s\n%s", c.name, name, flags, err, out, code)
				}
			}
		}
	}
}
