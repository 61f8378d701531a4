package bench

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/evaluate"
	"github.com/lessonlab/lessonl/internal/table"
)

// CheckTable writes datasets check's table as Check's rows come: its
// header at once, then each problem's rows when they are known.
type CheckTable struct{ s *table.Stream }

// NewCheckTable writes the header of datasets check's table to w.
func NewCheckTable(w io.Writer) *CheckTable {
	return &CheckTable{table.NewStream(w, "PROBLEM", "SOLUTION", "EXPECTED", "STATUS", "SPEEDUP", "95% CI", "BASELINE", "OK")}
}

// Rows writes one problem's rows (Check's each).
func (t *CheckTable) Rows(rs []evaluate.CheckRow) {
	for _, r := range rs {
		t.s.Add(r.ID, r.Solution, string(r.Expected), string(r.Status),
			speedupText(r.Status, r.Speedup), ciText(r.Status, r.CILow, r.CIHigh), msText(r.Status, r.BaselineMS), verdictText(r))
	}
	t.s.Flush()
}

// WriteCheckSummary writes what follows datasets check's table: the
// counts, the evaluations' wall time and the source benchmark's known
// defects among the problems.
func WriteCheckSummary(w io.Writer, rep *CheckReport) {
	fmt.Fprintf(w, "\n%d problems, %d evaluations, %d mismatches\n", len(rep.Problems), len(rep.Rows), rep.Mismatches)
	if s := evaluate.SummarizeCost(rep.Rows); s.Evaluations > 0 {
		fmt.Fprintf(w, "evaluation wall time: median %.1f s, quartiles %.1f s and %.1f s, max %.1f s over %d evaluations\n",
			s.MedianS, s.Q1S, s.Q3S, s.MaxS, s.Evaluations)
	}
	WriteDefects(w, rep.Problems)
}

// ParEvalTable writes bench pareval's table as ParEval's rows come.
type ParEvalTable struct {
	w io.Writer
	s *table.Stream
}

// NewParEvalTable writes the header of bench pareval's table to w.
func NewParEvalTable(w io.Writer) *ParEvalTable {
	return &ParEvalTable{w, table.NewStream(w, "SUITE", "PROBLEM", "STATUS", "SPEEDUP", "95% CI", "BASELINE", "EVALUATION", "IDENTITY")}
}

// Row writes one problem's row (ParEval's each).
func (t *ParEvalTable) Row(r ParEvalRow) {
	t.s.Add(r.Suite, r.ID, string(r.Status), speedupText(r.Status, r.Speedup),
		ciText(r.Status, r.CILow, r.CIHigh), msText(r.Status, r.BaselineMS), fmt.Sprintf("%.1f s", float64(r.EvalMS)/1000), verdictText(r.CheckRow))
	t.s.Flush()
}

// Summary writes the passing count and the cost beside the authors'
// driver's, after the table.
func (t *ParEvalTable) Summary(res *ParEvalCost) {
	w, a := t.w, res.Authors
	fmt.Fprintf(w, "\n%d of %d problems' own code passes as its own candidate (correct, interval reaching 1.05 or below)\n", res.Passing(), len(res.Rows))
	fmt.Fprintf(w, "evaluation wall time, each problem's own code as its candidate:\n")
	built := 0
	for _, r := range res.Rows {
		if r.Builds {
			built++
		}
	}
	fmt.Fprintf(w, "  lessonl, the %d problems whose published code builds: %s\n", built, costText(res.Built))
	fmt.Fprintf(w, "  lessonl, all %d (published code fixed where it does not build): %s\n", len(res.Rows), costText(res.All))
	fmt.Fprintf(w, "  the authors' driver, measured on this kind of machine over %d problems (not run here): median %.0f s, quartiles %.0f s and %.0f s, %d past its %.0f s limit, %d failing its own validation\n",
		a.Problems, a.MedianS, a.Q1S, a.Q3S, a.PastLimit, a.LimitS, a.FailedValidation)
	if res.Built.MedianS > 0 {
		fmt.Fprintf(w, "  median ratio, the authors' driver to lessonl: %.1f× (target: at least 5×)\n", a.MedianS/res.Built.MedianS)
	}
}

func costText(s evaluate.CostSummary) string {
	return fmt.Sprintf("median %.1f s, quartiles %.1f s and %.1f s, max %.1f s; %d timed out, %d failed",
		s.MedianS, s.Q1S, s.Q3S, s.MaxS, s.Timeouts, s.Failed)
}

// WriteGenCheck writes datasets check's table and counts for the generate
// task.
func WriteGenCheck(w io.Writer, rep *GenCheckReport) {
	t := &table.Table{Columns: table.Cols("PROBLEM", "SOLUTION", "EXPECT", "STATUS", "PASSED", "WALL", "OK")}
	for _, r := range rep.Rows {
		ok := "ok"
		if !r.OK {
			ok = "MISMATCH: " + firstLine(r.Err+r.Verdict.Failure+" "+r.Verdict.Detail)
		}
		t.AddTexts(r.ID, r.Solution, r.Expect, string(r.Verdict.Status), fmt.Sprintf("%d/%d", r.Verdict.Passed, r.Verdict.Total),
			fmt.Sprintf("%d ms", r.Verdict.WallMS), ok)
	}
	t.WriteText(w)
	fmt.Fprintf(w, "\n%d problems: %d/%d reference solutions pass; %d evaluations, %d mismatches; %.1f s wall with %d at a time\n",
		rep.Problems, rep.ReferenceOK, rep.Reference, len(rep.Rows), rep.Mismatches, rep.Wall.Seconds(), rep.Jobs)
}

// verdictText is "ok" or the mismatch and its reason.
func verdictText(r evaluate.CheckRow) string {
	if r.OK {
		return "ok"
	}
	return "MISMATCH: " + reason(r.Detail)
}

func speedupText(s evaluate.Status, v float64) string {
	if s != evaluate.Correct {
		return "-"
	}
	return fmt.Sprintf("%.2fx", v)
}

func ciText(s evaluate.Status, lo, hi float64) string {
	if s != evaluate.Correct {
		return "-"
	}
	return fmt.Sprintf("[%.3f, %.3f]", lo, hi)
}

// msText shows the baseline's median call time, or "-" when nothing was
// timed.
func msText(s evaluate.Status, ms float64) string {
	if s != evaluate.Correct {
		return "-"
	}
	return fmt.Sprintf("%.1f ms", ms)
}

// reason is the informative line of a failure's detail: the first compiler
// error when there is one, else the first line.
func reason(detail string) string {
	for _, l := range strings.Split(detail, "\n") {
		if strings.Contains(l, "error:") {
			return strings.TrimSpace(l)
		}
	}
	return firstLine(detail)
}

// firstLine is s's first line, cut at 120 bytes.
func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return s
}

// WriteDefects lists the source benchmark's known defects among ps and
// what was done about each.
func WriteDefects(w io.Writer, ps []*datasets.Problem) {
	first := true
	for _, p := range ps {
		for _, d := range p.Defects {
			if first {
				fmt.Fprintln(w, "\nknown defects of the source benchmark:")
				first = false
			}
			state := "kept (--faithful)"
			if d.Fixed {
				state = "fixed"
			}
			fmt.Fprintf(w, "  %-40s %-28s %-18s %s\n", p.ID, d.Class, state, d.Note)
		}
	}
}

// WriteValidationDiffs lists the problems whose validate() differs from
// ParEval's original: the weaker ones first, then those that compare part
// of the output, then other changes.
func WriteValidationDiffs(w io.Writer, diffs []datasets.ValidationDiff) {
	groups := []struct {
		title string
		keep  func(datasets.ValidationDiff) bool
	}{
		{"validate() weaker than ParEval's original", func(d datasets.ValidationDiff) bool { return d.Weaker }},
		{"validate() compares part of the output, as ParEval's original does (use --strict-validation)", func(d datasets.ValidationDiff) bool { return !d.Weaker && d.Partial }},
		{"validate() compares differently from ParEval's original", func(d datasets.ValidationDiff) bool { return !d.Weaker && !d.Partial && len(d.Findings) > 0 }},
	}
	for _, g := range groups {
		var n int
		for _, d := range diffs {
			if !g.keep(d) {
				continue
			}
			if n == 0 {
				fmt.Fprintf(w, "\n%s:\n", g.title)
			}
			n++
			fmt.Fprintf(w, "  %-45s %s\n", d.Problem, strings.Join(d.Findings, "; "))
		}
	}
	var resized []string
	for _, d := range diffs {
		if d.Size != "" {
			resized = append(resized, fmt.Sprintf("%s (%s)", d.Problem, d.OriginalSize))
		}
	}
	if len(resized) > 0 {
		fmt.Fprintf(w, "\nvalidate() runs at DRIVER_PROBLEM_SIZE, the size lessonl validates at, where ParEval's original used a constant (in parentheses), in %d problems:\n  %s\n",
			len(resized), strings.Join(resized, ", "))
	}
	if len(diffs) == 0 {
		fmt.Fprintln(w, "\nevery validate() checks what ParEval's original checks")
	}
}

// WritePrecision writes bench precision's table of evaluate.Precision's
// rows and the targets they are held to; runToRun is the run-to-run SD the
// intervals include (evaluate.Config.RunToRun).
func WritePrecision(w io.Writer, rows []evaluate.PrecisionRow, runToRun float64) error {
	t := &table.Table{Columns: table.Cols("PROBLEM", "CATEGORY", "POINT IN [0.97,1.03]", "CI COVERS 1.0", "MEDIAN CI WIDTH", "POINT RANGE",
		"RUN-TO-RUN SD", "MEDIAN WALL/EVAL", "PROCESSES/EVAL")}
	for _, r := range rows {
		t.AddTexts(r.ID, r.Category, fmt.Sprintf("%d/%d", r.PointsWithin, r.Runs), fmt.Sprintf("%d/%d", r.CIsCovering, r.Runs),
			fmt.Sprintf("%.4f", r.MedianWidth), fmt.Sprintf("[%.3f, %.3f]", r.MinPoint, r.MaxPoint), fmt.Sprintf("%.4f", r.RunToRunSD),
			fmt.Sprintf("%.1f s", r.MedianSeconds), fmt.Sprintf("%.2f", r.MeanProcesses))
	}
	if err := t.WriteText(w); err != nil {
		return err
	}
	fmt.Fprintf(w, "\ntargets: point in range ≥ 19/20, CI covers 1.0 ≥ 17/20, median CI width ≤ 0.06 (each problem)\n")
	fmt.Fprintf(w, "intervals include a run-to-run SD of %g (--run-to-run); RUN-TO-RUN SD is what these runs measured\n", runToRun)
	return nil
}

// WriteThroughput writes bench throughput's report: per suite, each
// variant's evaluations per hour, wall time per evaluation and mean phase
// times, then now's figures over before's, what each built, and whether
// their verdicts agree.
func WriteThroughput(w io.Writer, rep *ThroughputReport) {
	fmt.Fprintf(w, "evaluation throughput, %s mode, on %s\n", rep.Mode, rep.Machine)
	if len(rep.Suites) > 0 {
		s := rep.Suites[0]
		fmt.Fprintf(w, "before: the checked build for every candidate that compiles, before validation; %s at a time (the evaluator before issue 27)\n", evaluations(s.Before.Jobs))
		fmt.Fprintf(w, "now:    the checked build only for candidates whose plain build validated; %s at a time\n", evaluations(s.Now.Jobs))
	}
	fmt.Fprintln(w)
	t := &table.Table{Columns: table.Cols("SUITE", "VARIANT", "EVALS", "WALL", "EVALS/H", "S/EVAL", "COMPILE", "CHECKED", "VALIDATE", "TIMING", "QUEUE")}
	f2 := func(v float64) string { return fmt.Sprintf("%.2f", v) }
	for _, s := range rep.Suites {
		for _, r := range []ThroughputRun{s.Before, s.Now} {
			p := r.Phases
			t.AddTexts(s.Suite, r.Variant, strconv.Itoa(r.Evaluations), fmt.Sprintf("%.1f s", r.WallS), fmt.Sprintf("%.0f", r.PerHour),
				f2(r.PerEvalS), f2(p.Compile), f2(p.Checked), f2(p.Validate), f2(p.Timing), f2(p.Queue))
		}
		b, n := s.Before, s.Now
		t.AddTexts(s.Suite, "now/before", "", ratioText(n.WallS, b.WallS), ratioText(n.PerHour, b.PerHour),
			ratioText(n.PerEvalS, b.PerEvalS), ratioText(n.Phases.Compile, b.Phases.Compile), ratioText(n.Phases.Checked, b.Phases.Checked),
			ratioText(n.Phases.Validate, b.Phases.Validate), ratioText(n.Phases.Timing, b.Phases.Timing), ratioText(n.Phases.Queue, b.Phases.Queue))
	}
	t.WriteText(w)
	fmt.Fprintln(w)
	for _, s := range rep.Suites {
		fmt.Fprintf(w, "%s: %s; built before: %s; now: %s; verdicts agree on %d of %d\n", s.Suite, plural(s.Problems, "problem"),
			buildsText(s.Before.Builds), buildsText(s.Now.Builds), s.Agree(), len(s.Now.Statuses))
	}
	fmt.Fprintln(w, "phases are mean seconds per evaluation; evaluations at once overlap, so they need not add up to S/EVAL")
	fmt.Fprintln(w, "both variants ran in turn on this machine; where others share it, ratios from one run are noisy")
}

func evaluations(n int) string { return plural(n, "evaluation") }

// ratioText is now/before as a factor, "-" when before is 0.
func ratioText(now, before float64) string {
	if before == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f×", now/before)
}

func buildsText(b evaluate.BuildCounts) string {
	return fmt.Sprintf("%s (%d checked), %s (%d checked)", plural(int(b.Problems), "problem"), b.CheckedProblems, plural(int(b.Candidates), "candidate"), b.Checked)
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
