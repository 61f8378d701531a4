package datasets

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/lessonlab/lessonl/internal/cxx"
)

// ParEval is where a checkout of the LessonL paper's benchmarks lives and
// which part of it to load. Users clone MITIBM-FastCoder/LessonL themselves
// and point Root at its code-opt/ParEval-PolyBench-Code-Opt folder; lessonl
// ships none of its files.
type ParEval struct {
	// Root is the ParEval-PolyBench-Code-Opt folder.
	Root string `json:"root" yaml:"root"`
	// Suite is "pareval" (60 problems, default) or "polybench" (30).
	Suite string `json:"suite,omitempty" yaml:"suite"`
	// Mode is "serial" (default) or "openmp": which problem sizes to use,
	// and whether the prompt asks for OpenMP.
	Mode string `json:"mode,omitempty" yaml:"mode"`
	// Faithful keeps the published benchmark's known defects instead of
	// fixing them (see DefectClass), for fidelity checks.
	Faithful bool `json:"faithful,omitempty" yaml:"faithful"`
}

// The suites a ParEval checkout holds.
const (
	SuiteParEval   = "pareval"
	SuitePolyBench = "polybench"
)

// OpenMPSentence is what OpenMP mode adds to a problem's description, the
// sentence of the paper's OpenMP prompts.
const OpenMPSentence = "Use OpenMP to compute in parallel."

// A DefectClass is one kind of known defect of the published benchmark.
type DefectClass string

// The defect classes, as listed in the adapter's issue and README.
const (
	// DefectOwnCodeBuild: the code shown to the LLM does not build with
	// the driver (it uses double where the driver passes int64_t), so even
	// the identity rewrite fails. Fixed: the shown code is the driver's
	// own reference (baseline.hpp) under the entry function's name.
	DefectOwnCodeBuild DefectClass = "own-code-does-not-build"
	// DefectOwnCodeInvalid: the code shown to the LLM fails validation
	// against the driver's reference. Fixed as DefectOwnCodeBuild.
	DefectOwnCodeInvalid DefectClass = "own-code-fails-validation"
	// DefectSharedTypeOrder: the driver includes the candidate before
	// baseline.hpp, so shared structs come from the candidate. lessonl
	// compiles a candidate in its own unit and always takes shared types
	// from the problem's own code; a rewrite that changes one is not
	// compilable. Listed in both modes.
	DefectSharedTypeOrder DefectClass = "shared-types-from-candidate"
	// DefectUnstableValidation: the benchmark's validate() rejects the
	// problem's own code at sizes below the published one (PolyBench
	// gramschmidt factors a rank-deficient matrix; rounding differences
	// between two builds of the same code exceed its tolerance). Fixed:
	// validated at the published size only.
	DefectUnstableValidation DefectClass = "validation-unstable-below-full-size"
)

// unstableValidation are the problems of DefectUnstableValidation, by name.
var unstableValidation = map[string]bool{"gramschmidt": true}

// knownDefects are the published benchmark's defects that no driver text
// reveals, by problem number (the name's prefix). The struct-order class is
// found by reading each cpu.cc.
var knownDefects = map[string]DefectClass{
	"29": DefectOwnCodeBuild, "30": DefectOwnCodeBuild, "32": DefectOwnCodeBuild,
	"49": DefectOwnCodeInvalid,
	// The shown code of these fails the authors' own validation too (07
	// calls a helper only baseline.hpp defines).
	"07": DefectOwnCodeInvalid, "10": DefectOwnCodeInvalid, "11": DefectOwnCodeInvalid, "34": DefectOwnCodeInvalid,
}

// Defect is a known defect that applies to one problem, and what lessonl
// did about it.
type Defect struct {
	Class DefectClass `json:"class"`
	// Fixed says whether lessonl corrected it (the default) or kept it
	// (ParEval.Faithful).
	Fixed bool   `json:"fixed"`
	Note  string `json:"note"`
}

// HasDefect reports whether p carries a known defect of class.
func (p *Problem) HasDefect(class DefectClass) bool {
	for _, d := range p.Defects {
		if d.Class == class {
			return true
		}
	}
	return false
}

// DriverCost is what a benchmark driver cost per evaluation, in wall time,
// with each problem's own code as the candidate.
type DriverCost struct {
	Problems         int     `json:"problems"` // evaluated: those whose own code builds
	MedianS          float64 `json:"median_s"`
	Q1S              float64 `json:"q1_s"`
	Q3S              float64 `json:"q3_s"`
	LimitS           float64 `json:"limit_s"`           // the driver's own time limit
	PastLimit        int     `json:"past_limit"`        // evaluations that ran past it
	FailedValidation int     `json:"failed_validation"` // own code rejected by its own validate()
}

// AuthorsDriverCost is the authors' own driver measured on a shared 2-core
// machine like lessonl's CI, over the 87 problems of both suites whose own
// code builds (the figures of the adapter's issue): the reference lessonl's
// evaluation cost is compared with when that driver is not run alongside.
var AuthorsDriverCost = DriverCost{Problems: 87, MedianS: 72, Q1S: 4, Q3S: 204, LimitS: 300, PastLimit: 16, FailedValidation: 5}

// parevalRecord is one entry of prompts/<suite>_code_opt.json.
type parevalRecord struct {
	Name        string `json:"name"`
	ProblemType string `json:"problem_type"`
	SrcCode     string `json:"src_code"`
	Prompt      string `json:"prompt"`
	OmpPrompt   string `json:"omp_prompt"`
}

func init() {
	RegisterSource(Source{Name: SourceParEval, Task: TaskOptimize, Usage: "load the paper's benchmarks from this ParEval-PolyBench-Code-Opt checkout",
		Flag: SourceParEval, Options: []Option{
			{Name: "suite", Default: SuiteParEval, Usage: "with --pareval: " + SuiteParEval + " or " + SuitePolyBench},
			{Name: "faithful", Bool: true, Usage: "with --pareval: keep the published benchmark's known defects instead of fixing them"},
		},
		Load: func(s Settings) ([]*Problem, error) {
			return LoadParEval(ParEval{Root: s.Path, Suite: s.String("suite"), Mode: s.Mode, Faithful: s.Bool("faithful")})
		},
		Label: func(s Settings) string {
			if suite := s.String("suite"); suite != "" {
				return suite
			}
			return SuiteParEval
		}})
}

// LoadParEval reads the problems of a ParEval-PolyBench-Code-Opt checkout
// as lessonl problems. Each problem's driver is lessonl's bridge to the
// benchmark's own cpu.cc and baseline.hpp, so lessonl's validation sizes,
// interleaved timing, containment and cache apply to the paper's problems.
// Errors name the file and the field.
func LoadParEval(src ParEval) ([]*Problem, error) {
	if src.Root == "" {
		return nil, errors.New("pareval: root is empty")
	}
	suite := src.Suite
	if suite == "" {
		suite = SuiteParEval
	}
	if suite != SuiteParEval && suite != SuitePolyBench {
		return nil, fmt.Errorf("pareval: suite %q: want %s or %s", suite, SuiteParEval, SuitePolyBench)
	}
	sizeKey := map[string]string{"": "serial", "serial": "serial", "openmp": "omp"}[src.Mode]
	if sizeKey == "" {
		return nil, fmt.Errorf("pareval: mode %q: want serial or openmp", src.Mode)
	}
	promptsPath := filepath.Join(src.Root, "prompts", suite+"_code_opt.json")
	var records []parevalRecord
	if err := readJSON(promptsPath, &records); err != nil {
		return nil, err
	}
	sizesPath := filepath.Join(src.Root, "drivers", "problem-sizes.json")
	var sizes map[string]map[string]string
	if err := readJSON(sizesPath, &sizes); err != nil {
		return nil, err
	}
	utilPath := filepath.Join(src.Root, "drivers", "cpp", "utilities.hpp")
	utilities, err := os.ReadFile(utilPath)
	if err != nil {
		return nil, fmt.Errorf("pareval: %w", err)
	}
	var out []*Problem
	seen := map[string]bool{}
	for i, r := range records {
		field := func(name string) string { return fmt.Sprintf("[%d].%s", i, name) }
		if r.Name == "" {
			return nil, &FieldError{File: promptsPath, Field: field("name"), Msg: "missing"}
		}
		if seen[r.Name] {
			return nil, &FieldError{File: promptsPath, Field: field("name"), Msg: fmt.Sprintf("duplicate problem %q", r.Name)}
		}
		seen[r.Name] = true
		category := r.ProblemType
		if !(suite == SuitePolyBench && category == SuitePolyBench) && !IsCategory(category) {
			return nil, &FieldError{File: promptsPath, Field: field("problem_type"),
				Msg: fmt.Sprintf("unknown category %q of %s (want one of %s)", category, r.Name, strings.Join(Categories, ", "))}
		}
		if strings.TrimSpace(r.SrcCode) == "" {
			return nil, &FieldError{File: promptsPath, Field: field("src_code"), Msg: "missing for " + r.Name}
		}
		sizeText, ok := sizes[r.Name][sizeKey]
		if !ok {
			return nil, &FieldError{File: sizesPath, Field: r.Name + "." + sizeKey, Msg: "missing"}
		}
		size, err := parseSizeExpr(sizeText)
		if err != nil {
			return nil, &FieldError{File: sizesPath, Field: r.Name + "." + sizeKey, Msg: err.Error()}
		}
		p, err := parevalProblem(src, suite, r, size, string(utilities))
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].ID < out[b].ID })
	return out, nil
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("pareval: %w", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return &FieldError{File: path, Msg: "not valid JSON: " + err.Error()}
	}
	return nil
}

var (
	reSubmissionCall = regexp.MustCompile(`submission::(\w+)\s*\(`)
	reBestBody       = regexp.MustCompile(`best\s*\(\s*Context\s*\*\s*\w+\s*\)\s*\{([^}]*)\}`)
	reCorrectCall    = regexp.MustCompile(`\b(correct\w*)\s*\(`)
	reSystemInclude  = regexp.MustCompile(`(?m)^\s*#\s*include\s*<([^>]+)>`)
	reAnyInclude     = regexp.MustCompile(`(?m)^\s*#\s*include\s*[<"]([^>"]+)[>"]`)
)

// parevalProblem turns one record and its driver folder into a Problem.
func parevalProblem(src ParEval, suite string, r parevalRecord, size int, utilities string) (*Problem, error) {
	dir := filepath.Join(src.Root, "drivers", "cpp", "benchmarks", r.ProblemType, r.Name)
	cpuPath, basePath := filepath.Join(dir, "cpu.cc"), filepath.Join(dir, "baseline.hpp")
	cpu, err := os.ReadFile(cpuPath)
	if err != nil {
		return nil, &FieldError{File: cpuPath, Msg: fmt.Sprintf("problem %s: the driver is missing: %v", r.Name, errors.Unwrap(err))}
	}
	base, err := os.ReadFile(basePath)
	if err != nil {
		return nil, &FieldError{File: basePath, Msg: fmt.Sprintf("problem %s: the reference is missing: %v", r.Name, errors.Unwrap(err))}
	}
	m := reSubmissionCall.FindStringSubmatch(string(cpu))
	if m == nil {
		return nil, &FieldError{File: cpuPath, Msg: "no call of submission::<function> in compute()"}
	}
	fn := m[1]
	extra, err := localHeaders(string(cpu), filepath.Join(src.Root, "drivers", "cpp"), dir)
	if err != nil {
		return nil, &FieldError{File: cpuPath, Msg: err.Error()}
	}
	code := r.SrcCode
	var defects []Defect
	number, _, _ := strings.Cut(r.Name, "_")
	if class, ok := knownDefects[number]; ok && suite == SuiteParEval {
		d := Defect{Class: class, Fixed: !src.Faithful}
		if d.Fixed {
			fixed, err := referenceAsOwnCode(string(base), string(cpu), fn)
			if err != nil {
				return nil, &FieldError{File: basePath, Msg: fmt.Sprintf("problem %s: %v", r.Name, err)}
			}
			code = fixed
			d.Note = "the code shown is baseline.hpp's reference under the name " + fn
		} else {
			d.Note = "the published src_code is shown as is; its identity rewrite fails"
		}
		defects = append(defects, d)
	}
	validate := validationSizes(size)
	if unstableValidation[r.Name] {
		d := Defect{Class: DefectUnstableValidation, Fixed: !src.Faithful,
			Note: "its validate() fails for its own code below the published size"}
		if d.Fixed {
			validate = []int{size, size}
			d.Note = "validated at the published size only"
		}
		defects = append(defects, d)
	}
	shared := cxx.Types(code)
	for _, t := range cxx.Types(r.SrcCode) {
		if !cxx.Defines(code, t.Name) {
			// The reference relies on a struct only the published code
			// defines (the candidate-first drivers): show it too.
			shared = append(shared, t)
			code = t.Definition + "\n\n" + code
		}
	}
	if includesCandidateFirst(string(cpu)) {
		defects = append(defects, Defect{Class: DefectSharedTypeOrder, Fixed: true,
			Note: "shared types come from the problem's own code, never from a candidate"})
	}
	sig, err := cxx.Signature(code, fn)
	if err != nil {
		return nil, &FieldError{File: filepath.Join(src.Root, "prompts", suite+"_code_opt.json"),
			Field: r.Name + ".src_code", Msg: err.Error()}
	}
	var missing []cxx.Type
	for _, t := range shared {
		if !cxx.Defines(string(base), t.Name) {
			missing = append(missing, t)
		}
	}
	// Either prompt may declare a helper (LessonL's serial prompt of
	// 05_fft_inverse_fft dropped ParEval's declaration of fft, its OpenMP
	// prompt kept it); what the authors' driver defines, a candidate sees.
	helpers := promptHelpers(fn, []string{string(base), string(cpu)}, r.Prompt, r.OmpPrompt)
	// And what the authors' driver defines before it includes the
	// generated code, a candidate calls as there (18_graph_count_components'
	// dfs, which baseline.hpp defines and no prompt declares).
	helpers = append(helpers, visibleHelpers(fn, string(cpu), utilities, string(base), extra, helpers)...)
	description := leadingComment(r.Prompt)
	if src.Mode == "openmp" {
		description = strings.TrimSpace(description + "\n" + OpenMPSentence)
	}
	files := map[string]string{
		"cpu.cc":             string(cpu),
		"baseline.hpp":       onlyOnce(string(base)),
		"utilities.hpp":      onlyOnce(utilities),
		"generated-code.hpp": "#pragma once\n// lessonl compiles the candidate in its own unit; see datasets/pareval.go.\n",
	}
	for name, text := range extra {
		files[name] = text
	}
	return &Problem{
		ID:           r.Name,
		Category:     r.ProblemType,
		Title:        strings.ReplaceAll(r.Name, "_", " "),
		Description:  description,
		Language:     "cpp",
		Function:     fn,
		Sizes:        Sizes{Validate: validate, Timing: size},
		Suite:        suite,
		BaselineCode: code,
		Prelude:      includeContext(string(cpu), utilities, string(base)) + Declarations(helpers),
		Helpers:      helpers,
		Driver:       bridgeDriver(string(cpu), fn, sig, missing, extra, src.Mode == "openmp", suite == SuiteParEval),
		Shared:       shared,
		Files:        files,
		Defects:      defects,
	}, nil
}

// onlyOnce makes a header safe to include twice (the bridge includes it
// before cpu.cc does), adding #pragma once when it lacks it.
func onlyOnce(header string) string {
	for _, l := range strings.Split(header, "\n") {
		if t := strings.TrimSpace(l); t == "#pragma once" {
			return header
		}
	}
	return "#pragma once\n" + header
}

// localHeaders are the headers cpu.cc includes from the benchmark's own
// folders (nanobench.h, say), other than the three the bridge handles, by
// name and text.
func localHeaders(cpu string, dirs ...string) (map[string]string, error) {
	out := map[string]string{}
	for _, m := range reAnyInclude.FindAllStringSubmatch(cpu, -1) {
		name := m[1]
		switch name {
		case "utilities.hpp", "baseline.hpp", "generated-code.hpp":
			continue
		}
		for _, d := range dirs {
			b, err := os.ReadFile(filepath.Join(d, name))
			if err == nil {
				out[name] = string(b)
				break
			}
			if !errors.Is(err, os.ErrNotExist) {
				return nil, err
			}
		}
		if _, ok := out[name]; !ok && strings.HasPrefix(m[0], "#include \"") {
			return nil, fmt.Errorf("includes %q, which is in neither %s", name, strings.Join(dirs, " nor "))
		}
	}
	return out, nil
}

// validationSizes are the sizes a ParEval candidate is validated at: a
// sixteenth and an eighth of the timing size, three seeds each. They stay
// powers of two, as every published size is and as the FFT problems need.
// The benchmark's validate() generates its inputs from the size, so these
// catch what the full size would at a fraction of its cost; the authors
// validated at the timing size itself.
func validationSizes(timing int) []int {
	a, b := max(1, timing/16), max(2, timing/8)
	return []int{a, b, a, b, a, b}
}

// referenceAsOwnCode is baseline.hpp with its reference function (the one
// best() calls) renamed to the entry function: the fix for problems whose
// published src_code does not build or validate.
func referenceAsOwnCode(base, cpu, fn string) (string, error) {
	name := ""
	names := []string{"correct" + strings.ToUpper(fn[:1]) + fn[1:], "correct_" + fn, "correct" + fn}
	if ref := referenceName(cpu); ref != "" {
		names = append([]string{ref}, names...)
	}
	for _, c := range names {
		if _, err := cxx.Signature(base, c); err == nil {
			name = c
			break
		}
	}
	if name == "" {
		return "", fmt.Errorf("baseline.hpp defines no reference for %s (correct%s)", fn, strings.ToUpper(fn[:1])+fn[1:])
	}
	ref := regexp.MustCompile(`\b` + regexp.QuoteMeta(name) + `\b`)
	var lines []string
	for _, l := range strings.Split(base, "\n") {
		if strings.TrimSpace(l) == "#pragma once" {
			continue
		}
		lines = append(lines, l)
	}
	code := strings.Join(lines, "\n")
	code = regexp.MustCompile(`\bNO_INLINE\s*`).ReplaceAllString(code, "")
	return strings.TrimSpace(ref.ReplaceAllString(code, fn)) + "\n", nil
}

// includesCandidateFirst reports whether cpu.cc includes the generated
// code before baseline.hpp.
func includesCandidateFirst(cpu string) bool {
	gen, base := -1, -1
	for i, m := range reAnyInclude.FindAllStringSubmatch(cpu, -1) {
		switch m[1] {
		case "generated-code.hpp":
			gen = i
		case "baseline.hpp":
			base = i
		}
	}
	return gen >= 0 && base >= 0 && gen < base
}

// leadingComment is the first /* ... */ comment of a prompt, the problem
// statement, without its delimiters.
func leadingComment(prompt string) string {
	start := strings.Index(prompt, "/*")
	end := strings.Index(prompt, "*/")
	if start < 0 || end < start {
		return ""
	}
	return strings.TrimSpace(prompt[start+2 : end])
}

// includeContext is what a candidate's unit starts with: the standard
// headers of the authors' driver unit, in their order: cpu.cc's own,
// utilities.hpp's and baseline.hpp's (also where cpu.cc includes the
// generated code first: ParEval built 22_histogram_count_quadrants'
// outputs, which use std::array without <array>, and only baseline.hpp
// names it). Code that builds in the authors' pipeline then builds here.
func includeContext(cpu, utilities, base string) string {
	return systemIncludes(cpu, utilities, base)
}

// systemIncludes are the standard <...> include lines of the given texts,
// each once, in order.
func systemIncludes(texts ...string) string {
	var b strings.Builder
	seen := map[string]bool{}
	for _, t := range texts {
		for _, m := range reSystemInclude.FindAllStringSubmatch(t, -1) {
			inc, name := strings.TrimSpace(m[0]), m[1]
			// Standard headers and OpenMP's; utilities.hpp also names
			// MPI, Kokkos, CUDA and HIP headers under #if.
			if strings.Contains(name, ".") && name != "omp.h" {
				continue
			}
			if !seen[inc] {
				seen[inc] = true
				b.WriteString(inc + "\n")
			}
		}
	}
	return b.String()
}

// bridgeDriver is the driver lessonl compiles for a ParEval problem: the
// benchmark's own cpu.cc, with submission::<fn> a forwarder that calls the
// baseline's or the candidate's function as the harness says, and
// DRIVER_PROBLEM_SIZE a variable, so that one binary with one context
// validates at small sizes and times both sides at the full one.
//
// The bridge's state() carries the entry function's result and, for the
// ParEval suite, every member of the benchmark's Context, so that a timed
// call's outputs are compared across processes (lessonl.hpp). PolyBench's
// kernels keep scratch arrays in their Context that a correct rewrite may
// leave unwritten, so there only the result is carried, and their
// validate() is the check.
func bridgeDriver(cpu, fn, sig string, missing []cxx.Type, extra map[string]string, openmp, members bool) string {
	var b strings.Builder
	model := "USE_SERIAL"
	if openmp {
		model = "USE_OMP"
	}
	fmt.Fprintf(&b, "// Generated by lessonl: a bridge from the harness to this benchmark's cpu.cc.\n#define %s 1\n", model)
	b.WriteString("#include \"lessonl.hpp\"\n#include <memory>\n#include <random>\n#include <stdexcept>\n#include <utility>\n")
	b.WriteString(systemIncludes(cpu))
	b.WriteString(`namespace lessonl_pareval {
inline std::size_t problem_size = 0;
inline bool candidate = false;  // which side submission:: calls
}
`)
	ret := resultType(sig, fn)
	if ret != "" {
		fmt.Fprintf(&b, "namespace lessonl_pareval { using result_type = std::decay_t<%s>; inline result_type result{}; }\n", ret)
	}
	b.WriteString(strictValidation)
	b.WriteString(`
#define DRIVER_PROBLEM_SIZE (::lessonl_pareval::problem_size)
#include "utilities.hpp"
`)
	var names []string
	for name := range extra {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(&b, "#include %q\n", name)
	}
	for _, t := range missing {
		b.WriteString(t.Definition + "\n")
	}
	fmt.Fprintf(&b, `#include "baseline.hpp"
namespace lessonl_baseline { %[1]s }
namespace lessonl_candidate { %[1]s }
namespace submission {
template <class... Args>
decltype(auto) %[2]s(Args&&... args) {
    if (::lessonl_pareval::candidate && ::lessonl_pareval::strict && ::lessonl_pareval::validating)
        return ::lessonl_pareval::strict_call(
            [](auto&&... a) -> decltype(auto) { return ::lessonl_baseline::%[2]s(std::forward<decltype(a)>(a)...); },
            [](auto&&... a) -> decltype(auto) { return ::lessonl_candidate::%[2]s(std::forward<decltype(a)>(a)...); },
            std::forward<Args>(args)...);
    if (::lessonl_pareval::candidate) {
%[3]s    }
    return ::lessonl_baseline::%[2]s(std::forward<Args>(args)...);
}
}  // namespace submission
#include "cpu.cc"
`, sig, fn, keepResult(ret, fn))
	checks, carried := stateOf(ret, cpu, members)
	decl, clearResult := "", ""
	if ret != "" {
		decl = "    ::lessonl_pareval::result_type result{};  // the entry function's result after a call\n"
		// A fresh input's state holds no call's result, in either
		// process: the state kept before a call is the same in both.
		clearResult = "        ::lessonl_pareval::result = {};\n        result = {};\n"
	}
	fmt.Fprintf(&b, `
struct Case {
    // Copies share the context; the last one destroys it.
    std::shared_ptr<Context> ctx;
    // The context as reset() left it from the seed, restored before every
    // call: both sides run on the same input, and a reset that costs more
    // than the call (00_dense_la_lu_decomp multiplies two N x N matrices)
    // runs once per input instead of once per call. Copying is how the
    // authors' own copy() duplicates every context.
    std::shared_ptr<Context> pristine;
    std::uint32_t seed = 0;
    // fresh: ctx is still as generate() left it, equal to pristine, so the
    // first reset copies nothing (the copy of a context of hundreds of
    // megabytes costs more than many calls).
    bool fresh = false;
%[3]s    void generate(std::size_t n, lessonl::Rng& rng) {
        generate_once(n, rng);
        pristine.reset(new Context(), destroy);
        *pristine = *ctx;
    }
    // generate_once is generate for an input that serves one call (the
    // timed protocol's): it keeps no pristine copy to restore.
    void generate_once(std::size_t n, lessonl::Rng& rng) {
        ::lessonl_pareval::problem_size = n;
        seed = std::uint32_t(rng.next());
%[4]s
        ctx.reset();
        pristine.reset();
        ctx.reset(init(), destroy);
        std::mt19937 engine(seed);
        ::reset(ctx.get(), engine);
        fresh = true;
    }
    void reset() { reset_for(false); }
    // reset_for restores the input before every call but the first; an
    // input made by generate_once has no second call.
    void reset_for(bool) {
        if (!fresh) {
            if (!pristine) throw std::logic_error("lessonl: a second call on an input made for one");
            *ctx = *pristine;
        }
        fresh = false;
    }
    void run(bool candidate) {
        ::lessonl_pareval::candidate = candidate;
        compute(ctx.get());
    }
    // The benchmark's validate() is the check at the validation sizes;
    // after a timed call, the result and the Context (ParEval) must be the
    // baseline's, within the tolerance (at least 1e-4, ParEval's own).
    bool check(const Case& ref, double tol, std::string& why) const {
        ::lessonl_pareval::check_tol = tol > 1e-4 ? tol : 1e-4;
        std::string where;
%[1]s        return true;
    }
    // state() carries the result and the Context between processes.
    template <class V> void state(V& v) {
        if (!ctx) ctx.reset(new Context(), destroy);
%[2]s    }
    static bool own_validate(std::size_t n, std::uint64_t seed, std::string& why) {
        std::size_t saved = ::lessonl_pareval::problem_size;
        ::lessonl_pareval::problem_size = n;
        ::lessonl_pareval::candidate = true;
        std::mt19937 engine(static_cast<std::uint32_t>(seed));
        Context* ctx = init();
        ::lessonl_pareval::validating = true;
        ::lessonl_pareval::mismatch.clear();
        bool ok = validate(ctx, engine);
        ::lessonl_pareval::validating = false;
        destroy(ctx);
        ::lessonl_pareval::problem_size = saved;
        if (!ok) why = "the benchmark's validate() rejects the output at size " + std::to_string(n);
        else if (!::lessonl_pareval::mismatch.empty()) {
            ok = false;
            why = "strict validation: at size " + std::to_string(n) + ", " + ::lessonl_pareval::mismatch;
        }
        return ok;
    }
};

LESSONL_MAIN(Case)
`, checks, carried, decl, clearResult)
	return b.String()
}

// strictValidation is the bridge's --strict-validation (LESSONL_STRICT=1
// in the driver's environment): while the benchmark's validate() runs, each
// call of the candidate is mirrored by a call of the baseline on copies of
// the same arguments, and every argument (the outputs written through
// references included) and the return value must come out the same, so a
// validate() that checks less than the problem states (the interior of a
// grid only, one value of several) cannot pass wrong code. Floating-point
// values agree within a relative 1e-6 (or the problem's tolerance, if
// larger); types it cannot compare (raw pointers, classes without ==
// that are not trivially copyable) are taken as equal.
//
//go:embed pareval/strict_validation.hpp
var strictValidation string

// parseSizeExpr evaluates a problem-sizes.json entry: integers, <<, *, +
// and parentheses, as in "(1<<18)".
func parseSizeExpr(s string) (int, error) {
	p := sizeParser{s: strings.TrimSpace(s)}
	v, err := p.shift()
	if err == nil && p.i < len(p.s) {
		err = fmt.Errorf("unexpected %q", p.s[p.i:])
	}
	if err == nil && (v < 1 || v > 1<<34) {
		err = fmt.Errorf("size %d out of range", v)
	}
	if err != nil {
		return 0, fmt.Errorf("size %q: %w", s, err)
	}
	return v, nil
}

type sizeParser struct {
	s string
	i int
}

func (p *sizeParser) skip() {
	for p.i < len(p.s) && p.s[p.i] == ' ' {
		p.i++
	}
}

func (p *sizeParser) shift() (int, error) {
	v, err := p.sum()
	for err == nil {
		p.skip()
		if !strings.HasPrefix(p.s[p.i:], "<<") {
			break
		}
		p.i += 2
		var r int
		if r, err = p.sum(); err == nil {
			if r < 0 || r > 40 {
				return 0, fmt.Errorf("shift by %d", r)
			}
			v <<= r
		}
	}
	return v, err
}

func (p *sizeParser) sum() (int, error) {
	v, err := p.product()
	for err == nil {
		p.skip()
		if p.i >= len(p.s) || p.s[p.i] != '+' {
			break
		}
		p.i++
		var r int
		if r, err = p.product(); err == nil {
			v += r
		}
	}
	return v, err
}

func (p *sizeParser) product() (int, error) {
	v, err := p.atom()
	for err == nil {
		p.skip()
		if p.i >= len(p.s) || p.s[p.i] != '*' {
			break
		}
		p.i++
		var r int
		if r, err = p.atom(); err == nil {
			v *= r
		}
	}
	return v, err
}

func (p *sizeParser) atom() (int, error) {
	p.skip()
	if p.i < len(p.s) && p.s[p.i] == '(' {
		p.i++
		v, err := p.shift()
		if err != nil {
			return 0, err
		}
		p.skip()
		if p.i >= len(p.s) || p.s[p.i] != ')' {
			return 0, errors.New("missing )")
		}
		p.i++
		return v, nil
	}
	start := p.i
	for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		p.i++
	}
	if start == p.i || p.i-start > 12 {
		return 0, fmt.Errorf("want a number at %q", p.s[start:])
	}
	v := 0
	for _, c := range p.s[start:p.i] {
		v = v*10 + int(c-'0')
	}
	return v, nil
}

// resultType is the return type of fn in its signature sig, "" for void.
func resultType(sig, fn string) string {
	i := strings.Index(sig, fn+"(")
	if i < 0 {
		return ""
	}
	ret := strings.TrimSpace(sig[:i])
	for _, w := range []string{"inline ", "static ", "constexpr "} {
		ret = strings.TrimSpace(strings.ReplaceAll(ret, w, ""))
	}
	if ret == "void" {
		return ""
	}
	return ret
}

// keepResult is the forwarder's candidate branch: it calls the side in the
// candidate's place and, for a function with a result, keeps the result
// for state() (the benchmark's compute() discards it).
func keepResult(ret, fn string) string {
	if ret == "" {
		return fmt.Sprintf("        return ::lessonl_candidate::%s(std::forward<Args>(args)...);\n", fn)
	}
	return fmt.Sprintf("        decltype(auto) r = ::lessonl_candidate::%s(std::forward<Args>(args)...);\n"+
		"        ::lessonl_pareval::result = r;\n        return r;\n", fn)
}

// stateOf is the bridge Case's check() body and state() body: the result,
// then, with members, each member of the benchmark's Context.
func stateOf(ret, cpu string, members bool) (checks, carried string) {
	var c, v strings.Builder
	if ret != "" && reNotFound.MatchString(cpu) {
		// validate() maps "not found" (the type's maximum or a negative
		// value) to -1 on both sides before comparing, as 19's does: a
		// rewrite that returns -1 where the baseline returns INT_MAX is
		// correct by the benchmark's own rule.
		c.WriteString("        auto found = [](::lessonl_pareval::result_type x) { return x == std::numeric_limits<::lessonl_pareval::result_type>::max() || x < 0 ? ::lessonl_pareval::result_type(-1) : x; };\n" +
			"        if (!::lessonl_pareval::same(found(ref.result), found(result), where)) { why = \"the result differs from the baseline's\" + where; return false; }\n")
	} else if ret != "" {
		c.WriteString("        if (!::lessonl_pareval::same(ref.result, result, where)) { why = \"the result differs from the baseline's\" + where; return false; }\n")
		v.WriteString("        if constexpr (!::lessonl::reads_state<V>::value) result = ::lessonl_pareval::result;\n        v(result);\n")
	}
	if members {
		for _, m := range ContextMembers(cpu) {
			fmt.Fprintf(&c, "        if constexpr (::lessonl::carriable<decltype(Context::%[1]s)>::value)\n"+
				"            if (!::lessonl_pareval::same(ref.ctx->%[1]s, ctx->%[1]s, where)) { why = \"%[1]s differs from the baseline's\" + where; return false; }\n", m)
			fmt.Fprintf(&v, "        if constexpr (::lessonl::carriable<decltype(Context::%[1]s)>::value) v(ctx->%[1]s);\n", m)
		}
	}
	return c.String(), v.String()
}

// ContextMembers lists the data members of a ParEval benchmark's struct
// Context, in declaration order.
func ContextMembers(cpu string) []string {
	m := reContext.FindStringSubmatch(cpu)
	if m == nil {
		return nil
	}
	body := reLineComment.ReplaceAllString(m[1], "")
	var names []string
	for _, decl := range strings.Split(body, ";") {
		decl = strings.TrimSpace(decl)
		if decl == "" || strings.Contains(decl, "(") {
			continue
		}
		for i, part := range splitTopLevel(decl) {
			if j := strings.IndexAny(part, "={["); j >= 0 {
				part = part[:j]
			}
			f := strings.Fields(strings.NewReplacer("*", " ", "&", " ").Replace(part))
			if len(f) == 0 || i == 0 && len(f) < 2 {
				continue
			}
			names = append(names, f[len(f)-1])
		}
	}
	return names
}

// reNotFound finds a validate() that normalizes "not found" results
// before comparing them: `if (x == std::numeric_limits<int>::max() || x <
// 0) { x = -1; }`.
var reNotFound = regexp.MustCompile(`==\s*std::numeric_limits<\w+>::max\(\)\s*\|\|\s*\w+\s*<\s*0\s*\)\s*\{?\s*\w+\s*=\s*-1\s*;`)

var (
	reContext     = regexp.MustCompile(`(?s)struct\s+Context\s*\{(.*?)\n\};`)
	reLineComment = regexp.MustCompile(`//[^\n]*`)
)

// splitTopLevel splits a declaration at the commas outside template
// brackets: "std::pair<int, int> a, b" is two parts.
func splitTopLevel(decl string) []string {
	var parts []string
	depth, start := 0, 0
	for i, r := range decl {
		switch r {
		case '<', '(', '{':
			depth++
		case '>', ')', '}':
			depth--
		case ',':
			if depth == 0 {
				parts = append(parts, decl[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, decl[start:])
}
