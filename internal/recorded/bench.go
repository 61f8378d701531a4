package recorded

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/cxx"
	"github.com/lessonlab/lessonl/internal/evaluate"
	"github.com/lessonlab/lessonl/internal/table"
)

// The ParEval verdict classes of an output, from its results record.
const (
	ParEvalNotBuilt = "not_built"
	ParEvalInvalid  = "built_invalid"
	ParEvalValid    = "built_valid"
	ParEvalNone     = "no_verdict" // outputs/*.json carry none
)

// The causes a disagreement between lessonl's verdict and ParEval's is
// put down to (BenchRow.Cause starts with one of them).
const (
	CauseBenchmark = "benchmark changed by LessonL"
	CauseInclude   = "include context"
	CauseSignature = "signature"
	CauseStricter  = "stricter check of ours"
	CauseOurs      = "ours"
	// CauseNoResult is an output lessonl passes whose run in ParEval's
	// pipeline reported no validity (Verdicts.NoResult).
	CauseNoResult = "no result from ParEval's run"
)

// StatusError marks a row whose evaluation could not be done (not a
// verdict on the output); such rows count as disagreements of cause
// "ours".
const StatusError evaluate.Status = "eval_error"

// BenchConfig says which outputs `bench generations` evaluates.
type BenchConfig struct {
	Mode        string // serial (default) or openmp
	Samples     int    // outputs per problem, the first ones; 0: all
	Concurrency int    // evaluations at once; default 2
	// Original is a checkout of ParEval itself; when set, problems whose
	// validate() differs from the original's count as changed by LessonL.
	Original string
	// LessonLRoot is the ParEval-PolyBench-Code-Opt checkout the problems
	// came from (needed with Original).
	LessonLRoot string
	// Metrics are ParEval's per-category figures for the file's model
	// (LoadMetrics); when set, the report compares build@1 and pass@1 per
	// category with them.
	Metrics *Metrics
	// CategorySize is each category's number of problems in the
	// benchmark, for the sampling error when only some were judged.
	CategorySize map[string]int
}

// BenchRow is one output: ParEval's verdict, lessonl's, and, when they
// disagree on correct-or-not, why.
type BenchRow struct {
	Problem string          `json:"problem"`
	Sample  int             `json:"sample"`
	ParEval string          `json:"pareval"`
	Ours    evaluate.Status `json:"ours"`
	// Speedup is lessonl's (0 unless correct and timed); ParEvalSpeedup
	// the file's best sequential runtime over the output's fastest valid
	// run (0 unless valid).
	Speedup        float64 `json:"speedup"`
	ParEvalSpeedup float64 `json:"pareval_speedup"`
	Agree          bool    `json:"agree"`
	// Stricter names the check of lessonl's that ParEval's pipeline does
	// not make and the output failed (the checked build, say), if any.
	Stricter string `json:"stricter,omitempty"`
	// NoResult: ParEval's runs of the output reported no validity
	// (Verdicts.NoResult).
	NoResult bool   `json:"pareval_no_result,omitempty"`
	Cause    string `json:"cause,omitempty"`
	Detail   string `json:"detail,omitempty"`
	// SameAs is the sample of the same problem whose identical code was
	// evaluated for this one (-1 when this output was evaluated itself).
	SameAs int `json:"same_as"`
}

// BenchReport is what `bench generations` prints.
type BenchReport struct {
	File string `json:"file"`
	Mode string `json:"mode"`
	// Threads is the OpenMP threads lessonl ran outputs with (0 in serial
	// mode).
	Threads int        `json:"threads,omitempty"`
	Samples int        `json:"samples"` // per problem; 0: all
	Rows    []BenchRow `json:"rows"`
	// Evaluated is the number of evaluations run: one per distinct code of
	// a problem.
	Evaluated int `json:"evaluated"`
	// Matrix counts outputs by ParEval's verdict and lessonl's status.
	Matrix map[string]map[evaluate.Status]int `json:"matrix"`
	// Agreement counts outputs whose correct-or-not verdicts agree, of
	// those ParEval judged.
	Agreement int `json:"agreement"`
	Judged    int `json:"judged"`
	// Changed lists, per problem, how LessonL's benchmark differs from
	// ParEval's (from the two repositories and the prompts).
	Changed map[string][]string `json:"changed"`
	// Resized maps a problem whose validate() LessonL moved from a constant
	// input size to DRIVER_PROBLEM_SIZE to ParEval's constant: lessonl
	// validates such problems on larger inputs than ParEval did.
	Resized map[string]string `json:"resized,omitempty"`
	// Pass1 is pass@1 (the unbiased estimator c/n, averaged over problems)
	// from lessonl's verdicts and from ParEval's on the same outputs, and
	// from ParEval's on all of the file's outputs.
	Pass1Ours       float64 `json:"pass1_ours"`
	Pass1ParEval    float64 `json:"pass1_pareval"`
	Pass1ParEvalAll float64 `json:"pass1_pareval_all"`
	// Speedup1 is speedup@1: the mean over problems of the mean over
	// samples of the speedup, a failed sample counting 0; from lessonl's
	// timings (0 with --verdict-only) and from ParEval's runtimes.
	Speedup1Ours       float64       `json:"speedup1_ours"`
	Speedup1ParEval    float64       `json:"speedup1_pareval"`
	Speedup1ParEvalAll float64       `json:"speedup1_pareval_all"`
	Timed              bool          `json:"timed"`
	Wall               time.Duration `json:"wall_ns"`
	// Metrics and Categories: ParEval's per-category figures, when given,
	// and lessonl's beside them.
	Metrics    *Metrics      `json:"metrics,omitempty"`
	Categories []CategoryRow `json:"categories,omitempty"`
}

func parevalVerdict(o Output) string {
	switch {
	case o.Verdicts == nil:
		return ParEvalNone
	case !o.Verdicts.DidBuild:
		return ParEvalNotBuilt
	case !o.Verdicts.AreAllValid:
		return ParEvalInvalid
	}
	return ParEvalValid
}

func parevalSpeedup(o Output) float64 {
	if o.Verdicts == nil || !o.Verdicts.AreAllValid || o.Verdicts.Runtime <= 0 {
		return 0
	}
	return o.Verdicts.BestSequentialRuntime / o.Verdicts.Runtime
}

// Evaluator judges one candidate for a problem; *evaluate.Evaluator is
// one.
type Evaluator interface {
	Evaluate(ctx context.Context, p *datasets.Problem, code string) (evaluate.Outcome, error)
	Config() evaluate.Config
}

// Bench evaluates the recorded outputs of g for problems with ev and
// compares lessonl's verdicts with ParEval's. Outputs of a problem whose
// code is identical (a model at temperature 0.2 often repeats itself: 405
// distinct of CodeLlama-34B's 1,200 serial outputs) are evaluated once and
// share that evaluation's verdict and timing; each such row names the
// sample it shares with (BenchRow.SameAs).
func Bench(ctx context.Context, ev Evaluator, problems []*datasets.Problem, g *Generations, cfg BenchConfig) (*BenchReport, error) {
	start := time.Now()
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 2
	}
	if err := g.Check(problems, cfg.Mode); err != nil {
		return nil, err
	}
	rep := &BenchReport{File: g.Path, Mode: parallelism[cfg.Mode], Samples: cfg.Samples, Changed: map[string][]string{},
		Matrix: map[string]map[evaluate.Status]int{}, Timed: !ev.Config().VerdictOnly}
	if ev.Config().Mode == evaluate.ModeOpenMP {
		rep.Threads = ev.Config().Threads
	}
	if cfg.Original != "" {
		diffs, err := datasets.CompareValidation(cfg.LessonLRoot, cfg.Original)
		if err != nil {
			return nil, err
		}
		for _, d := range diffs {
			if len(d.Findings) > 0 && (d.Weaker || !d.Partial) {
				rep.Changed[d.Problem] = append(rep.Changed[d.Problem], "validate(): "+strings.Join(d.Findings, "; "))
			}
			if d.Size != "" {
				if rep.Resized == nil {
					rep.Resized = map[string]string{}
				}
				rep.Resized[d.Problem] = d.OriginalSize
			}
		}
	}
	type job struct {
		p *datasets.Problem
		i int
		o Output
	}
	var jobs []job
	for _, p := range problems {
		rep.Changed[p.ID] = append(changes(p, g.Prompt(p.ID, cfg.Mode)), rep.Changed[p.ID]...)
		if len(rep.Changed[p.ID]) == 0 {
			delete(rep.Changed, p.ID)
		}
		outs := g.Outputs(p.ID, cfg.Mode)
		if cfg.Samples > 0 && len(outs) > cfg.Samples {
			outs = outs[:cfg.Samples]
		}
		for i, o := range outs {
			jobs = append(jobs, job{p, i, o})
		}
	}
	// first[k] is the job whose evaluation job k shares: itself unless an
	// earlier output of the same problem has the same code.
	first := make([]int, len(jobs))
	seen := map[[2]string]int{}
	var distinct []int
	for k, j := range jobs {
		key := [2]string{j.p.ID, j.o.Code}
		if f, ok := seen[key]; ok {
			first[k] = f
			continue
		}
		seen[key] = k
		first[k] = k
		distinct = append(distinct, k)
	}
	rep.Evaluated = len(distinct)
	outs := make([]evaluate.Outcome, len(jobs))
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	next := make(chan int)
	for range cfg.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range next {
				j := jobs[k]
				out, err := ev.Evaluate(ctx, j.p, j.o.Code)
				if err != nil {
					if ctx.Err() != nil {
						errs[k] = fmt.Errorf("%s output %d: %w", j.p.ID, j.i, err)
						continue
					}
					// The evaluation itself failed (the problem's driver
					// did not build in time, say): a row of its own, not
					// the end of the bench.
					out = evaluate.Outcome{Status: StatusError, Detail: err.Error()}
				}
				outs[k] = out
			}
		}()
	}
	for _, k := range distinct {
		select {
		case next <- k:
		case <-ctx.Done():
		}
	}
	close(next)
	wg.Wait()
	rows := make([]BenchRow, len(jobs))
	for k, j := range jobs {
		rows[k] = rep.row(j.p, j.i, j.o, outs[first[k]])
		if f := first[k]; f != k {
			rows[k].SameAs = jobs[f].i
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	rep.Rows = rows
	rep.summarize(problems, g, cfg)
	if cfg.Metrics != nil {
		rep.compareCategories(problems, g, cfg, cfg.Metrics)
	}
	rep.Wall = time.Since(start)
	return rep, nil
}

var reMissingDecl = regexp.MustCompile(`did you forget to '#include|is not a member of 'std'|was not declared in this scope|does not name a template type|has initializer but incomplete type`)

func (rep *BenchReport) row(p *datasets.Problem, i int, o Output, out evaluate.Outcome) BenchRow {
	r := BenchRow{Problem: p.ID, Sample: i, SameAs: -1, ParEval: parevalVerdict(o), Ours: out.Status, Speedup: out.Speedup, ParEvalSpeedup: parevalSpeedup(o),
		Stricter: stricterCheck(out), NoResult: o.Verdicts != nil && o.Verdicts.NoResult}
	if out.Status != evaluate.Correct {
		r.Detail = firstLines(out.Detail, 3)
	}
	if r.ParEval == ParEvalNone {
		r.Agree = true
		return r
	}
	r.Agree = (r.ParEval == ParEvalValid) == (out.Status == evaluate.Correct) && out.Status != StatusError
	if r.Agree {
		return r
	}
	changed := rep.Changed[p.ID]
	switch {
	case out.Status == StatusError:
		r.Cause = CauseOurs + ": the evaluation failed: " + firstLines(out.Detail, 1)
	case out.Status == evaluate.NotCompilable && (strings.Contains(out.Detail, "another signature than the driver calls") || strings.Contains(out.Detail, "defines no function")):
		if sig := signatureChange(changed); sig != "" {
			r.Cause = CauseBenchmark + ": " + sig
		} else {
			r.Cause = CauseSignature + ": the output declares the entry function otherwise than the prompt"
		}
	case out.Status == evaluate.NotCompilable && reMissingDecl.MatchString(out.Detail):
		r.Cause = CauseInclude + ": " + firstError(out.Detail)
	case failsAtLargerSize(out.Status) && r.ParEval == ParEvalValid && rep.Resized[p.ID] != "":
		r.Cause = CauseBenchmark + ": validate() runs at DRIVER_PROBLEM_SIZE where ParEval's ran at " + rep.Resized[p.ID] + ", and fails there: " + firstError(out.Detail)
	case r.Stricter != "" && len(changed) == 0:
		r.Cause = CauseStricter + " (" + r.Stricter + "): " + firstError(out.Detail)
	case len(changed) > 0:
		r.Cause = CauseBenchmark + ": " + strings.Join(changed, "; ")
	case out.Status == evaluate.Correct && r.NoResult:
		r.Cause = CauseNoResult + ": ParEval built it, but none of its runs reported a validity (its run ended before validate() answered: a time limit or a crash), and ParEval counts that invalid; lessonl's run, within its limits, validated it"
	case out.Status == evaluate.Correct && rep.Threads > 0 && o.Verdicts.FirstInvalidThreads > rep.Threads:
		r.Cause = fmt.Sprintf("%s: threads: ParEval's runs were valid below %d threads and not from there on (a data race that shows with more threads); lessonl validated with %d",
			CauseOurs, o.Verdicts.FirstInvalidThreads, rep.Threads)
	case out.Status == evaluate.Correct:
		r.Cause = CauseOurs + ": lessonl's validation passes what ParEval's rejected"
	default:
		r.Cause = CauseOurs + ": " + string(out.Status) + ": " + firstError(out.Detail)
	}
	return r
}

// changes are the ways LessonL's version of p differs from ParEval's that
// the problem itself shows: its known defects and fixes, and a driver that
// calls another signature than ParEval's prompt declares.
func changes(p *datasets.Problem, prompt string) []string {
	var out []string
	for _, d := range p.Defects {
		if d.Class == datasets.DefectSharedTypeOrder {
			continue
		}
		out = append(out, string(d.Class)+" ("+d.Note+")")
	}
	if prompt != "" && p.Function != "" {
		want, err1 := cxx.Signature(p.BaselineCode, p.Function)
		got, err2 := cxx.Signature(prompt+"\n}\n", p.Function)
		if err1 == nil && err2 == nil && evaluate.ParamTypes(want) != evaluate.ParamTypes(got) {
			out = append(out, fmt.Sprintf("signature: the driver calls %s where ParEval's prompt declares %s", want, got))
		}
	}
	return out
}

func signatureChange(changed []string) string {
	for _, c := range changed {
		if strings.HasPrefix(c, "signature: ") {
			return c
		}
	}
	return ""
}

func firstLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}

// firstError is the first line of a detail that says what went wrong.
func firstError(detail string) string {
	for _, l := range strings.Split(detail, "\n") {
		if strings.Contains(l, "error") || strings.Contains(l, "ERROR") || strings.Contains(l, "differ") || strings.Contains(l, "rejects") {
			return strings.TrimSpace(l)
		}
	}
	return firstLines(detail, 1)
}

func (rep *BenchReport) summarize(problems []*datasets.Problem, g *Generations, cfg BenchConfig) {
	type acc struct {
		n, ours, theirs  int
		spOurs, spTheirs float64
	}
	by := map[string]*acc{}
	for _, r := range rep.Rows {
		if rep.Matrix[r.ParEval] == nil {
			rep.Matrix[r.ParEval] = map[evaluate.Status]int{}
		}
		rep.Matrix[r.ParEval][r.Ours]++
		if r.ParEval != ParEvalNone {
			rep.Judged++
			if r.Agree {
				rep.Agreement++
			}
		}
		a := by[r.Problem]
		if a == nil {
			a = &acc{}
			by[r.Problem] = a
		}
		a.n++
		if r.Ours == evaluate.Correct {
			a.ours++
			a.spOurs += r.Speedup
		}
		if r.ParEval == ParEvalValid {
			a.theirs++
			a.spTheirs += r.ParEvalSpeedup
		}
	}
	var np, nAll int
	for _, p := range problems {
		if a := by[p.ID]; a != nil && a.n > 0 {
			np++
			rep.Pass1Ours += float64(a.ours) / float64(a.n)
			rep.Pass1ParEval += float64(a.theirs) / float64(a.n)
			rep.Speedup1Ours += a.spOurs / float64(a.n)
			rep.Speedup1ParEval += a.spTheirs / float64(a.n)
		}
		outs := g.Outputs(p.ID, cfg.Mode)
		if len(outs) == 0 {
			continue
		}
		nAll++
		c, sp := 0, 0.0
		for _, o := range outs {
			if parevalVerdict(o) == ParEvalValid {
				c++
				sp += parevalSpeedup(o)
			}
		}
		rep.Pass1ParEvalAll += float64(c) / float64(len(outs))
		rep.Speedup1ParEvalAll += sp / float64(len(outs))
	}
	if np > 0 {
		rep.Pass1Ours /= float64(np)
		rep.Pass1ParEval /= float64(np)
		rep.Speedup1Ours /= float64(np)
		rep.Speedup1ParEval /= float64(np)
	}
	if nAll > 0 {
		rep.Pass1ParEvalAll /= float64(nAll)
		rep.Speedup1ParEvalAll /= float64(nAll)
	}
	sort.SliceStable(rep.Rows, func(i, j int) bool {
		if rep.Rows[i].Problem != rep.Rows[j].Problem {
			return rep.Rows[i].Problem < rep.Rows[j].Problem
		}
		return rep.Rows[i].Sample < rep.Rows[j].Sample
	})
}

// WriteBench prints a BenchReport as text: the agreement matrix, pass@1
// and speedup@1 side by side, and the disagreements by problem with
// their causes.
func WriteBench(w io.Writer, rep *BenchReport) {
	fmt.Fprintf(w, "%s, mode %s, %d outputs (%s per problem; %d distinct codes, each evaluated once), %s wall\n\n", rep.File, rep.Mode, len(rep.Rows),
		map[bool]string{true: "all", false: fmt.Sprint(rep.Samples)}[rep.Samples == 0], rep.Evaluated, rep.Wall.Round(time.Second))
	statuses := []evaluate.Status{evaluate.NotCompilable, evaluate.Incorrect, evaluate.RuntimeError, evaluate.Timeout, evaluate.NotSerial, evaluate.Correct}
	for _, row := range rep.Matrix {
		if row[StatusError] > 0 {
			statuses = append(statuses, StatusError)
			break
		}
	}
	matrix := &table.Table{RightText: true, Columns: []table.Column{{Name: "ParEval \\ lessonl"}}}
	for _, s := range statuses {
		matrix.Columns = append(matrix.Columns, table.Column{Name: string(s)})
	}
	matrix.Columns = append(matrix.Columns, table.Column{Name: "total"})
	for _, v := range []string{ParEvalNotBuilt, ParEvalInvalid, ParEvalValid, ParEvalNone} {
		row := rep.Matrix[v]
		if row == nil {
			continue
		}
		cells := []string{v}
		total := 0
		for _, s := range statuses {
			cells = append(cells, strconv.Itoa(row[s]))
			total += row[s]
		}
		matrix.AddTexts(append(cells, strconv.Itoa(total))...)
	}
	matrix.WriteText(w)
	if rep.Judged > 0 {
		fmt.Fprintf(w, "\ncorrect-or-not agrees with ParEval on %d of %d outputs (%.1f%%)\n", rep.Agreement, rep.Judged, 100*float64(rep.Agreement)/float64(rep.Judged))
	}
	na := func(ok bool, v float64, f string) string {
		if !ok {
			return "–"
		}
		return fmt.Sprintf(f, v)
	}
	fmt.Fprintf(w, "\n%-32s %10s %10s\n", "", "pass@1", "speedup@1")
	fmt.Fprintf(w, "%-32s %10s %10s\n", "lessonl's verdicts", na(true, rep.Pass1Ours, "%.3f"), na(rep.Timed, rep.Speedup1Ours, "%.2f"))
	fmt.Fprintf(w, "%-32s %10s %10s\n", "ParEval's, same outputs", na(rep.Judged > 0, rep.Pass1ParEval, "%.3f"), na(rep.Judged > 0, rep.Speedup1ParEval, "%.2f"))
	fmt.Fprintf(w, "%-32s %10s %10s\n", "ParEval's, all outputs in file", na(rep.Judged > 0, rep.Pass1ParEvalAll, "%.3f"), na(rep.Judged > 0, rep.Speedup1ParEvalAll, "%.2f"))
	fmt.Fprintln(w, "(pass@1: c/n per problem, the unbiased estimator for k = 1, averaged over problems; speedup@1: the mean speedup per sample, a failed sample counting 0)")
	if len(rep.Categories) > 0 {
		writeCategories(w, rep)
	}
	causes := map[string]int{}
	first := true
	for _, r := range rep.Rows {
		if r.Agree {
			continue
		}
		if first {
			fmt.Fprintln(w, "\ndisagreements:")
			first = false
		}
		kind, _, _ := strings.Cut(r.Cause, ":")
		causes[kind]++
		fmt.Fprintf(w, "  %-45s #%-2d ParEval %-13s lessonl %-14s %s\n", r.Problem, r.Sample, r.ParEval, r.Ours, r.Cause)
	}
	if len(causes) > 0 {
		var keys []string
		for k := range causes {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		fmt.Fprint(w, "\ncauses:")
		for _, k := range keys {
			fmt.Fprintf(w, " %s %d;", k, causes[k])
		}
		fmt.Fprintln(w)
	}
}
