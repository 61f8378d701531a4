package recorded

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/evaluate"
	"github.com/lessonlab/lessonl/internal/table"
)

// Metric is ParEval's build@1 and pass@1 for one category of problems.
type Metric struct {
	Build1 float64 `json:"build1"`
	Pass1  float64 `json:"pass1"`
}

// Metrics are the per-category figures of one model in one execution
// model, from ParEval's results/<hash>/<model>/metrics.csv.
type Metrics struct {
	Path       string            `json:"path"`
	Model      string            `json:"model"`
	Categories map[string]Metric `json:"categories"`
}

// LoadMetrics reads ParEval's metrics.csv (columns "model", "execution
// model", "problem type", "build@1", "pass@1", ...) and keeps the rows of
// lessonl's evaluation mode. The file must hold one model.
func LoadMetrics(path, mode string) (*Metrics, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("ParEval metrics: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("ParEval metrics %s: header: %w", path, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(h)] = i
	}
	for _, want := range []string{"model", "execution model", "problem type", "build@1", "pass@1"} {
		if _, ok := col[want]; !ok {
			return nil, fmt.Errorf("ParEval metrics %s: no column %q (a ParEval metrics.csv has model, execution model, problem type, build@1, pass@1)", path, want)
		}
	}
	m := &Metrics{Path: path, Categories: map[string]Metric{}}
	for line := 2; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("ParEval metrics %s: %w", path, err)
		}
		if rec[col["execution model"]] != parallelism[mode] {
			continue
		}
		if model := rec[col["model"]]; m.Model == "" {
			m.Model = model
		} else if model != m.Model {
			return nil, fmt.Errorf("ParEval metrics %s: line %d: model %q after %q; give a file of one model", path, line, model, m.Model)
		}
		var v [2]float64
		for i, name := range []string{"build@1", "pass@1"} {
			if v[i], err = strconv.ParseFloat(rec[col[name]], 64); err != nil || v[i] < 0 || v[i] > 1 {
				return nil, fmt.Errorf("ParEval metrics %s: line %d: %s %q is not a fraction", path, line, name, rec[col[name]])
			}
		}
		m.Categories[rec[col["problem type"]]] = Metric{Build1: v[0], Pass1: v[1]}
	}
	if len(m.Categories) == 0 {
		return nil, fmt.Errorf("ParEval metrics %s: no rows for execution model %s", path, parallelism[mode])
	}
	return m, nil
}

// An Estimate is lessonl's figure for a category beside ParEval's: the
// difference and the standard error of lessonl's figure as an estimate of
// the same figure over all the file's outputs of all the category's
// problems (only the first outputs of each problem, or only some
// problems, may have been judged).
type Estimate struct {
	Ours    float64 `json:"ours"`
	ParEval float64 `json:"pareval"`
	Diff    float64 `json:"diff"`
	SE      float64 `json:"se"`
	// Beyond says the difference is beyond sampling error: |Diff| > 1.96 SE.
	Beyond bool `json:"beyond"`
}

// CategoryRow compares one category's build@1 and pass@1 with ParEval's
// metrics and names the known causes of a difference.
type CategoryRow struct {
	Category string `json:"category"`
	// Problems were judged of Total in the benchmark's category; Outputs
	// were judged in all.
	Problems int      `json:"problems"`
	Total    int      `json:"total"`
	Outputs  int      `json:"outputs"`
	Build1   Estimate `json:"build1"`
	Pass1    Estimate `json:"pass1"`
	// Changed are the category's problems LessonL changed (Changed,
	// Resized), ChangedFailing their judged outputs that did not pass
	// here; Stricter the problems with outputs that failed a stricter
	// check of lessonl's, by check, and StricterFailing those outputs.
	Changed        []string `json:"changed,omitempty"`
	ChangedFailing int      `json:"changed_failing"`
	// ChangedPassing are the changed problems' judged outputs that passed
	// here, and PassedChanged those problems: where lessonl passes more
	// than ParEval, outputs ParEval's own reference or validate() may
	// have failed (ParEval's 11_geometry_convex_hull_perimeter reference
	// gives wrong perimeters; LessonL's fixed it).
	ChangedPassing int      `json:"changed_passing,omitempty"`
	PassedChanged  []string `json:"passed_changed,omitempty"`
	// NoResultPassing are the judged outputs that passed here whose runs
	// in ParEval's pipeline reported no validity (CauseNoResult), and
	// PassedNoResult their problems.
	NoResultPassing int                 `json:"no_result_passing,omitempty"`
	PassedNoResult  []string            `json:"passed_no_result,omitempty"`
	Stricter        map[string][]string `json:"stricter,omitempty"`
	StricterFailing map[string]int      `json:"stricter_failing,omitempty"`
	// Residual is the pass@1 difference once every such output is counted
	// as passing: what the known causes leave unexplained (0 when they can
	// account for all of a shortfall). Surplus is, for a pass@1 above
	// ParEval's beyond sampling error, what is left once every output that
	// passed on a changed problem is counted as failing (0 when those
	// account for all of it).
	Residual float64 `json:"residual"`
	Surplus  float64 `json:"surplus,omitempty"`
	Cause    string  `json:"cause"`
}

// stricterChecks name the checks of lessonl's that ParEval's pipeline does
// not make, by what an outcome's detail says when one failed.
var stricterChecks = []struct{ marker, name string }{
	{checkedMarker, "checked build"},
	{"strict validation:", "strict validation"},
	{"differs from the baseline's", "whole-output comparison"},
	{"defines outside its own code", "no definitions outside its namespace"},
}

// stricterCheck names the stricter check an outcome failed, "" for none.
func stricterCheck(out evaluate.Outcome) string {
	if out.Status == evaluate.Correct {
		return ""
	}
	if out.Status == evaluate.NotSerial {
		return "one thread in serial mode"
	}
	for _, c := range stricterChecks {
		if !strings.Contains(out.Detail, c.marker) {
			continue
		}
		// The checked build validates first, so a wrong answer fails
		// there too; only a crash or an overrun there is its own finding.
		if c.marker == checkedMarker && out.Status != evaluate.RuntimeError && out.Status != evaluate.Timeout {
			continue
		}
		return c.name
	}
	return ""
}

// checkedMarker starts the detail of an outcome that failed in the
// checked validation build.
const checkedMarker = "in the checked validation build"

// compareCategories fills rep.Categories from the judged rows and m, one
// row per category m has figures for; cfg.CategorySize gives each
// category's number of problems in the benchmark.
func (rep *BenchReport) compareCategories(problems []*datasets.Problem, g *Generations, cfg BenchConfig, m *Metrics) {
	category := map[string]string{}
	for _, p := range problems {
		category[p.ID] = p.Category
	}
	type prob struct {
		n, built, passed, failingKnown int
		population                     int
		changedFailing, changedPassing int
		noResultPassing                int
		stricterFailing                map[string]int
	}
	byCat := map[string]map[string]*prob{}
	stricter := map[string]map[string]map[string]bool{} // category → check → problems
	changedIn := map[string]map[string]bool{}           // category → problems
	for _, r := range rep.Rows {
		if r.Ours == StatusError {
			continue // no verdict
		}
		c := category[r.Problem]
		if byCat[c] == nil {
			byCat[c] = map[string]*prob{}
		}
		p := byCat[c][r.Problem]
		if p == nil {
			p = &prob{population: len(g.Outputs(r.Problem, cfg.Mode))}
			byCat[c][r.Problem] = p
		}
		p.n++
		if r.Ours != evaluate.NotCompilable {
			p.built++
		}
		if r.Ours == evaluate.Correct {
			p.passed++
			// Not a problem only resized: validating at a larger size
			// fails more, never less.
			if len(rep.Changed[r.Problem]) > 0 {
				p.changedPassing++
			} else if r.NoResult {
				p.noResultPassing++
			}
			continue
		}
		switch kind, check := rep.knownCause(r); kind {
		case CauseBenchmark:
			p.failingKnown++
			p.changedFailing++
			if changedIn[c] == nil {
				changedIn[c] = map[string]bool{}
			}
			changedIn[c][r.Problem] = true
		case CauseStricter:
			p.failingKnown++
			if p.stricterFailing == nil {
				p.stricterFailing = map[string]int{}
			}
			p.stricterFailing[check]++
			if stricter[c] == nil {
				stricter[c] = map[string]map[string]bool{}
			}
			if stricter[c][check] == nil {
				stricter[c][check] = map[string]bool{}
			}
			stricter[c][check][r.Problem] = true
		}
	}
	var cats []string
	for c := range byCat {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	rep.Metrics = m
	rep.Categories = nil
	for _, c := range cats {
		theirs, ok := m.Categories[c]
		if !ok {
			continue
		}
		row := CategoryRow{Category: c, Total: max(cfg.CategorySize[c], len(byCat[c]))}
		var build, pass []share
		known, knownPassing := 0.0, 0.0
		var names []string
		for name := range byCat[c] {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			p := byCat[c][name]
			row.Problems++
			row.Outputs += p.n
			row.ChangedFailing += p.changedFailing
			for check, n := range p.stricterFailing {
				if row.StricterFailing == nil {
					row.StricterFailing = map[string]int{}
				}
				row.StricterFailing[check] += n
			}
			build = append(build, share{p.built, p.n, p.population})
			pass = append(pass, share{p.passed, p.n, p.population})
			known += float64(p.failingKnown) / float64(p.n)
			knownPassing += float64(p.changedPassing+p.noResultPassing) / float64(p.n)
			if p.noResultPassing > 0 {
				row.NoResultPassing += p.noResultPassing
				row.PassedNoResult = append(row.PassedNoResult, name)
			}
			if p.changedPassing > 0 {
				row.ChangedPassing += p.changedPassing
				row.PassedChanged = append(row.PassedChanged, name)
			}
		}
		row.Build1 = estimate(build, row.Total, theirs.Build1)
		row.Pass1 = estimate(pass, row.Total, theirs.Pass1)
		known /= float64(row.Problems)
		knownPassing /= float64(row.Problems)
		for _, name := range names {
			if changedIn[c][name] {
				row.Changed = append(row.Changed, name)
			}
		}
		for check, ps := range stricter[c] {
			if row.Stricter == nil {
				row.Stricter = map[string][]string{}
			}
			for name := range ps {
				row.Stricter[check] = append(row.Stricter[check], name)
			}
			sort.Strings(row.Stricter[check])
		}
		// What the known causes leave of a shortfall beyond sampling error.
		if d := row.Pass1.Diff + known; row.Pass1.Diff < 0 && d < -1.96*row.Pass1.SE {
			row.Residual = d
		}
		// What they leave of a surplus beyond sampling error.
		if d := row.Pass1.Diff - knownPassing; row.Pass1.Beyond && row.Pass1.Diff > 0 && d > 1.96*row.Pass1.SE {
			row.Surplus = d
		}
		row.Cause = row.cause()
		rep.Categories = append(rep.Categories, row)
	}
}

// knownCause is what a failing row is put down to: the benchmark
// LessonL changed (any failure on a problem whose driver, prompt or
// validate() differs from ParEval's; a validation failure on one whose
// validate() only runs at a larger size), or a stricter check of ours
// (and which); "" for a passing row or none known.
func (rep *BenchReport) knownCause(r BenchRow) (kind, check string) {
	switch {
	case r.Ours == evaluate.Correct:
		return "", ""
	case len(rep.Changed[r.Problem]) > 0:
		return CauseBenchmark, ""
	case rep.Resized[r.Problem] != "" && failsAtLargerSize(r.Ours) && r.Stricter == "":
		return CauseBenchmark, ""
	case r.Stricter != "":
		return CauseStricter, r.Stricter
	}
	return "", ""
}

// failsAtLargerSize reports whether status is a failure that validating at
// the larger size LessonL's validate() runs at can cause: a wrong answer,
// or a crash on inputs the output was not written for.
func failsAtLargerSize(status evaluate.Status) bool {
	return status == evaluate.Incorrect || status == evaluate.RuntimeError
}

// share is one problem's count of outputs that built or passed, of n
// judged, of population in the file.
type share struct{ c, n, population int }

// estimate is the mean over problems of c/n beside ParEval's figure, with
// the standard error of that mean as an estimate of the mean over all of
// the file's outputs of total problems: within each problem, the first n
// of its population outputs are a sample without replacement (variance
// p(1-p)/n (N-n)/(N-1), with p shrunk to (c+1/2)/(n+1) so that a sample
// of a few equal verdicts is not taken as certain); when only some of the
// category's problems were judged, the spread between problems adds its
// own term.
func estimate(shares []share, total int, theirs float64) Estimate {
	k := float64(len(shares))
	var mean, within float64
	ps := make([]float64, len(shares))
	for i, s := range shares {
		ps[i] = float64(s.c) / float64(s.n)
		mean += ps[i]
		if s.population > s.n && s.population > 1 {
			p := (float64(s.c) + 0.5) / (float64(s.n) + 1)
			within += p * (1 - p) / float64(s.n) * float64(s.population-s.n) / float64(s.population-1)
		}
	}
	mean /= k
	variance := within / (k * k)
	if K := float64(total); K > k {
		// With fewer than three problems the spread between them is not
		// measured but bounded: a fraction of mean p varies by at most
		// p(1-p), with p shrunk as above.
		p := (mean*k + 0.5) / (k + 1)
		between := p * (1 - p)
		if len(shares) > 2 {
			between = 0
			for _, p := range ps {
				between += (p - mean) * (p - mean)
			}
			between /= k - 1
		}
		variance += between / k * (K - k) / (K - 1)
	}
	e := Estimate{Ours: mean, ParEval: theirs, Diff: mean - theirs, SE: math.Sqrt(variance)}
	e.Beyond = math.Abs(e.Diff) > 1.96*e.SE+1e-9
	return e
}

// cause is the row's cause column: the known causes that touch the
// category, then what they leave unexplained.
func (r CategoryRow) cause() string {
	var parts []string
	if len(r.Changed) > 0 {
		parts = append(parts, fmt.Sprintf("%s: %s (%s)", CauseBenchmark, strings.Join(numbers(r.Changed), ", "), failing(r.ChangedFailing)))
	}
	var checks []string
	for c := range r.Stricter {
		checks = append(checks, c)
	}
	sort.Strings(checks)
	for _, c := range checks {
		parts = append(parts, fmt.Sprintf("%s (%s): %s (%s)", CauseStricter, c, strings.Join(numbers(r.Stricter[c]), ", "), failing(r.StricterFailing[c])))
	}
	if r.NoResultPassing > 0 {
		parts = append(parts, fmt.Sprintf("%s: %s (%s)", CauseNoResult, strings.Join(numbers(r.PassedNoResult), ", "), passing(r.NoResultPassing)))
	}
	switch {
	case r.Residual < 0:
		parts = append(parts, fmt.Sprintf("%s: %+.2f of pass@1 unexplained", CauseOurs, r.Residual))
	case r.Pass1.Beyond && r.Pass1.Diff > 0 && r.Surplus > 0:
		parts = append(parts, fmt.Sprintf("%s: lessonl passes more than ParEval, %+.2f of pass@1 unexplained", CauseOurs, r.Surplus))
	case r.Pass1.Beyond && r.Pass1.Diff > 0 && len(r.PassedChanged) > 0:
		parts = append(parts, fmt.Sprintf("%s: lessonl's surplus: %s (%s)", CauseBenchmark, strings.Join(numbers(r.PassedChanged), ", "), passing(r.ChangedPassing)))
	case !r.Pass1.Beyond && !r.Build1.Beyond && len(parts) == 0:
		parts = append(parts, "within sampling error")
	}
	return strings.Join(parts, "; ")
}

// passing says how many judged outputs passed here.
func passing(n int) string {
	if n == 1 {
		return "1 output passes"
	}
	return fmt.Sprintf("%d outputs pass", n)
}

// failing says how many judged outputs failed here.
func failing(n int) string {
	if n == 1 {
		return "1 output fails"
	}
	return fmt.Sprintf("%d outputs fail", n)
}

// numbers are problem names shortened to their numbers ("29" for
// 29_scan_...).
func numbers(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i], _, _ = strings.Cut(n, "_")
	}
	return out
}

// writeCategories prints rep.Categories as a table and lists how LessonL
// changed the problems it names.
func writeCategories(w io.Writer, rep *BenchReport) {
	m := rep.Metrics
	fmt.Fprintf(w, "\nper category, beside ParEval's %s (%s, %s):\n", m.Path, m.Model, rep.Mode)
	t := &table.Table{Columns: table.Cols("CATEGORY", "PROBLEMS", "OUTPUTS", "BUILD@1", "PAREVAL", "DIFF ± 1.96 SE", "PASS@1", "PAREVAL", "DIFF ± 1.96 SE", "CAUSE"),
		Notes: []string{"(* beyond sampling error: the difference exceeds 1.96 standard errors of lessonl's figure as an estimate over all of the file's outputs of the category's problems; build@1 counts every output that was not not_compilable)"}}
	diff := func(e Estimate) string {
		mark := ""
		if e.Beyond {
			mark = " *"
		}
		return fmt.Sprintf("%+.2f ± %.2f%s", e.Diff, 1.96*e.SE, mark)
	}
	f2 := func(v float64) string { return fmt.Sprintf("%.2f", v) }
	for _, r := range rep.Categories {
		t.AddTexts(r.Category, fmt.Sprintf("%d/%d", r.Problems, r.Total), strconv.Itoa(r.Outputs),
			f2(r.Build1.Ours), f2(r.Build1.ParEval), diff(r.Build1), f2(r.Pass1.Ours), f2(r.Pass1.ParEval), diff(r.Pass1), r.Cause)
	}
	t.WriteText(w)
	var changed []string
	for _, r := range rep.Categories {
		changed = append(changed, r.Changed...)
	}
	if len(changed) == 0 {
		return
	}
	sort.Strings(changed)
	fmt.Fprintln(w, "changed by LessonL:")
	for _, p := range changed {
		how := append([]string{}, rep.Changed[p]...)
		if s := rep.Resized[p]; s != "" {
			how = append(how, "validate() resized from ParEval's "+s+" to DRIVER_PROBLEM_SIZE")
		}
		fmt.Fprintf(w, "  %s: %s\n", p, strings.Join(how, "; "))
	}
}
