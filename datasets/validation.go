package datasets

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/lessonlab/lessonl/internal/cxx"
)

// ValidationDiff compares one problem's validate() in the LessonL
// benchmark with the same problem's in ParEval's original driver
// (parallelcodefoundry/ParEval, drivers/cpp/benchmarks): lessonl trusts the
// benchmark's validate(), so whatever it stopped checking, lessonl stops
// checking too, unless --strict-validation is on.
type ValidationDiff struct {
	Problem string `json:"problem"`
	// Weaker is true when LessonL's validate() checks less than the
	// original's: a looser tolerance, a planted special case dropped, a
	// comparison over part of the output where the original compared all.
	Weaker bool `json:"weaker"`
	// Partial is true when LessonL's validate() compares only part of the
	// output (a grid's interior, say), whether or not the original did.
	Partial bool `json:"partial"`
	// Findings say what differs, one sentence each.
	Findings []string `json:"findings"`
	// Size and OriginalSize are the input size validate() runs at
	// (TEST_SIZE) in LessonL's and in ParEval's driver, when they differ:
	// LessonL validates at DRIVER_PROBLEM_SIZE where ParEval used a
	// constant such as 1024, so lessonl, which sets the problem size,
	// validates on larger inputs, where, say, ties among random floats
	// occur. Not weaker; a reason a verdict can differ.
	Size         string `json:"size,omitempty"`
	OriginalSize string `json:"original_size,omitempty"`
}

var (
	reValidate    = regexp.MustCompile(`\bbool\s+validate\s*\(`)
	reTolerance   = regexp.MustCompile(`\b\d+(?:\.\d+)?e-\d+\b`)
	reCompareLine = regexp.MustCompile(`fequal|std::equal|!=|abs\s*\(`)
	reSpecialCase = regexp.MustCompile(`if\s*\(\s*(?:i|trialIter)\s*==\s*\d+\s*\)`)
	reTestSize    = regexp.MustCompile(`\bTEST_SIZE\s*=\s*([A-Za-z_0-9]+)`)
	rePartialLoop = regexp.MustCompile(`for\s*\([^;]*=\s*1\s*;[^;]*;|for\s*\([^;]*;[^;]*-\s*1\s*;`)
)

// CompareValidation compares validate() of every ParEval problem of a
// LessonL checkout (lessonlRoot, the ParEval-PolyBench-Code-Opt folder)
// with the original ParEval checkout's (parevalRoot), and returns the
// problems whose validation differs in a way that matters, by name.
func CompareValidation(lessonlRoot, parevalRoot string) ([]ValidationDiff, error) {
	ours := filepath.Join(lessonlRoot, "drivers", "cpp", "benchmarks")
	orig := filepath.Join(parevalRoot, "drivers", "cpp", "benchmarks")
	if _, err := os.Stat(orig); err != nil {
		return nil, fmt.Errorf("compare validation: ParEval's original drivers: %w", err)
	}
	dirs, err := filepath.Glob(filepath.Join(ours, "*", "*", "cpu.cc"))
	if err != nil || len(dirs) == 0 {
		return nil, fmt.Errorf("compare validation: no benchmarks under %s", ours)
	}
	sort.Strings(dirs)
	var out []ValidationDiff
	for _, path := range dirs {
		rel, _ := filepath.Rel(ours, path)
		other := filepath.Join(orig, rel)
		a, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		b, err := os.ReadFile(other)
		if errors.Is(err, os.ErrNotExist) {
			continue // PolyBench: no original in ParEval
		}
		if err != nil {
			return nil, err
		}
		name := filepath.Base(filepath.Dir(path))
		d, err := compareValidate(name, string(a), string(b))
		if err != nil {
			return nil, fmt.Errorf("compare validation: %s: %w", path, err)
		}
		if f, err := compareReference(string(a), filepath.Join(filepath.Dir(path), "baseline.hpp"), filepath.Join(filepath.Dir(other), "baseline.hpp")); err != nil {
			return nil, fmt.Errorf("compare validation: %s: %w", name, err)
		} else if f != "" {
			d.Findings = append(d.Findings, f)
		}
		if len(d.Findings) > 0 || d.Size != "" {
			out = append(out, d)
		}
	}
	return out, nil
}

// validateBody is the live text of validate() (comments blanked).
func validateBody(cpu string) (string, error) {
	bl := cxx.Blank(cpu)
	m := reValidate.FindStringIndex(bl)
	if m == nil {
		return "", errors.New("no validate()")
	}
	open := strings.IndexByte(bl[m[1]:], '{')
	if open < 0 {
		return "", errors.New("validate() has no body")
	}
	open += m[1]
	end := cxx.MatchingBracket(bl, open)
	if end < 0 {
		return "", errors.New("validate()'s body does not close")
	}
	return bl[open : end+1], nil
}

// comparisons are validate()'s lines that compare outputs, normalized.
func comparisons(body string) []string {
	var out []string
	for _, l := range strings.Split(body, "\n") {
		if reCompareLine.MatchString(l) && !strings.Contains(l, "for (") {
			l = strings.ReplaceAll(l, "submission::", "")
			out = append(out, strings.Join(strings.Fields(l), " "))
		}
	}
	return out
}

func loosest(lines []string) float64 {
	best := 0.0
	for _, l := range lines {
		for _, t := range reTolerance.FindAllString(l, -1) {
			if v, err := strconv.ParseFloat(t, 64); err == nil && v > best {
				best = v
			}
		}
	}
	return best
}

func compareValidate(name, ours, orig string) (ValidationDiff, error) {
	d := ValidationDiff{Problem: name}
	a, err := validateBody(ours)
	if err != nil {
		return d, err
	}
	b, err := validateBody(orig)
	if err != nil {
		return d, fmt.Errorf("ParEval's original: %w", err)
	}
	ca, cb := comparisons(a), comparisons(b)
	if ta, tb := loosest(ca), loosest(cb); ta > tb && tb > 0 {
		d.Weaker = true
		d.Findings = append(d.Findings, fmt.Sprintf("looser tolerance: %g where ParEval's has %g", ta, tb))
	}
	if reSpecialCase.MatchString(b) && !reSpecialCase.MatchString(a) {
		d.Weaker = true
		d.Findings = append(d.Findings, "ParEval's planted case (a trial that puts the sought value in the input) is gone")
	}
	pa, pb := rePartialLoop.MatchString(a), rePartialLoop.MatchString(b)
	if pa {
		d.Partial = true
		if !pb {
			d.Weaker = true
			d.Findings = append(d.Findings, "compares only part of the output, where ParEval's compared all of it")
		} else {
			d.Findings = append(d.Findings, "compares only part of the output (so does ParEval's): use --strict-validation")
		}
	}
	if sa, sb := reTestSize.FindStringSubmatch(a), reTestSize.FindStringSubmatch(b); sa != nil && sb != nil && sa[1] != sb[1] {
		d.Size, d.OriginalSize = sa[1], sb[1]
	}
	if !d.Weaker && strings.Join(ca, "\n") != strings.Join(cb, "\n") && len(ca) > 0 && len(cb) > 0 {
		d.Findings = append(d.Findings, fmt.Sprintf("the comparison changed: %q where ParEval's has %q", strings.Join(ca, " / "), strings.Join(cb, " / ")))
	}
	return d, nil
}

// compareReference compares the reference validate() checks against (the
// function best() calls in cpu, which LessonL's and ParEval's drivers
// name alike) in LessonL's baseline.hpp ours and ParEval's orig, comments,
// NO_INLINE and spacing aside: a finding when LessonL rewrote it (10's and
// 11's convex hulls, whose ParEval reference gives wrong perimeters), ""
// when they agree or either file or definition is missing.
func compareReference(cpu, ours, orig string) (string, error) {
	name := referenceName(cpu)
	if name == "" {
		return "", nil
	}
	a, err := os.ReadFile(ours)
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	b, err := os.ReadFile(orig)
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	da, db := definitionText(string(a), name), definitionText(string(b), name)
	if da == "" || db == "" || da == db {
		return "", nil
	}
	return fmt.Sprintf("checks against another reference: baseline.hpp's %s differs from ParEval's", name), nil
}

// definitionText is the file-scope definition of the function fn in code,
// from its head to its closing brace, with comments blanked, NO_INLINE
// dropped and spaces collapsed; "" when code defines no fn.
func definitionText(code, fn string) string {
	bl := cxx.Blank(code)
	d := cxx.Depths(bl)
	for _, m := range regexp.MustCompile(`\b`+regexp.QuoteMeta(fn)+`\s*\(`).FindAllStringIndex(bl, -1) {
		if d[m[0]] != 0 {
			continue
		}
		closeParen := cxx.MatchingBracket(bl, m[1]-1)
		if closeParen < 0 {
			continue
		}
		open := closeParen + 1 + len(bl[closeParen+1:]) - len(strings.TrimLeft(bl[closeParen+1:], " \t\r\n"))
		if open >= len(bl) || bl[open] != '{' {
			continue
		}
		end := cxx.MatchingBracket(bl, open)
		if end < 0 {
			return ""
		}
		start := m[0]
		for start > 0 && !strings.ContainsRune(";{}", rune(bl[start-1])) {
			start--
		}
		return strings.Join(strings.Fields(strings.ReplaceAll(bl[start:end+1], "NO_INLINE", "")), " ")
	}
	return ""
}
