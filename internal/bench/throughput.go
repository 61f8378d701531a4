package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/evaluate"
)

// Candidate is one evaluation of a throughput workload: code for a
// problem, under a name for the report.
type Candidate struct {
	Problem *datasets.Problem
	Name    string
	Code    string
}

// SuiteWorkload is the evaluations `datasets check` makes of ps: each
// problem's own code as its candidate, then each of its known solutions
// (faster, slower, incorrect, not compilable), a mix like a run's.
func SuiteWorkload(ps []*datasets.Problem) []Candidate {
	var cs []Candidate
	for _, p := range ps {
		cs = append(cs, Candidate{p, evaluate.IdentityName, p.BaselineCode})
		for _, s := range p.Solutions {
			cs = append(cs, Candidate{p, s.Name, s.Code})
		}
	}
	return cs
}

// OwnCodeWorkload is each problem's own code as its candidate (ParEval's
// problems bring no known solutions).
func OwnCodeWorkload(ps []*datasets.Problem) []Candidate {
	cs := make([]Candidate, len(ps))
	for i, p := range ps {
		cs[i] = Candidate{p, evaluate.IdentityName, p.BaselineCode}
	}
	return cs
}

// Variant is an evaluator configuration whose throughput is measured, and
// how many evaluations it is given at once.
type Variant struct {
	Name   string
	Config evaluate.Config
	Jobs   int
}

// BeforeAndNow are the two variants `lessonl bench throughput` compares:
// the evaluator as it was before issue 27 (the checked build first for
// every candidate that compiles, one evaluation at a time, as `datasets
// check` and `bench pareval` ran them) and as it is, with jobs
// evaluations at once so that compiles and validation overlap another's
// exclusive timing slot. Both evaluate every candidate afresh.
func BeforeAndNow(cfg evaluate.Config, jobs int) (before, now Variant) {
	cfg.Fresh = true
	old := cfg
	old.CheckedFirst = true
	return Variant{"before", old, 1}, Variant{"now", cfg, max(jobs, 1)}
}

// Phases are the mean seconds per evaluation of each phase, over every
// evaluation of a run (a phase an evaluation did not reach counts 0).
// Evaluations run at once overlap, so the phases need not add up to the
// wall time per evaluation.
type Phases struct {
	Compile  float64 `json:"compile"`
	Checked  float64 `json:"checked"`
	Validate float64 `json:"validate"`
	Timing   float64 `json:"timing"`
	Queue    float64 `json:"queue"`
}

// ThroughputRun is one variant's evaluation of a workload.
type ThroughputRun struct {
	Variant     string  `json:"variant"`
	Jobs        int     `json:"jobs"`
	Evaluations int     `json:"evaluations"`
	WallS       float64 `json:"wall_s"`
	PerHour     float64 `json:"per_hour"`
	PerEvalS    float64 `json:"per_eval_s"` // wall time per evaluation
	Phases      Phases  `json:"phases"`
	// Builds counts what the evaluator built (evaluate.BuildCounts).
	Builds evaluate.BuildCounts `json:"builds"`
	// Statuses are the candidates' verdicts in workload order ("error"
	// where the evaluation could not be made).
	Statuses []evaluate.Status `json:"statuses"`
}

// ThroughputSuite is a workload measured under both variants in turn.
type ThroughputSuite struct {
	Suite    string        `json:"suite"`
	Problems int           `json:"problems"`
	Before   ThroughputRun `json:"before"`
	Now      ThroughputRun `json:"now"`
}

// Agree counts the candidates with the same verdict under both variants.
func (s ThroughputSuite) Agree() int {
	n := 0
	for i, st := range s.Now.Statuses {
		if i < len(s.Before.Statuses) && s.Before.Statuses[i] == st {
			n++
		}
	}
	return n
}

// Ratio is now's figure over before's, 0 when before's is 0.
func Ratio(now, before float64) float64 {
	if before == 0 {
		return 0
	}
	return now / before
}

// ThroughputReport is `lessonl bench throughput`'s result.
type ThroughputReport struct {
	Machine string            `json:"machine"`
	Mode    string            `json:"mode"`
	Suites  []ThroughputSuite `json:"suites"`
}

// Throughput evaluates cands under before and then under now, each with
// an evaluator of its own (so each builds the problems afresh); each, when
// not nil, hears of every evaluation as it ends.
func Throughput(ctx context.Context, suite string, problems int, cands []Candidate, before, now Variant, each Progress) (ThroughputSuite, error) {
	s := ThroughputSuite{Suite: suite, Problems: problems}
	var err error
	if s.Before, err = Measure(ctx, cands, before, each); err != nil {
		return s, err
	}
	s.Now, err = Measure(ctx, cands, now, each)
	return s, err
}

// Progress hears of one evaluation of a throughput run as it ends: the
// variant, the candidate, and its outcome or the error that stopped it.
// It may be called from several goroutines at once.
type Progress func(variant string, c Candidate, out evaluate.Outcome, err error)

// Measure evaluates cands with a new evaluator of v's configuration, v.Jobs
// at a time, and says what it cost; each, when not nil, hears of every
// evaluation as it ends. An evaluation that could not be made
// (its problem does not build) counts with status "error"; only a
// cancelled context stops the run.
func Measure(ctx context.Context, cands []Candidate, v Variant, each Progress) (ThroughputRun, error) {
	ev, err := evaluate.New(v.Config)
	if err != nil {
		return ThroughputRun{}, err
	}
	defer ev.Close()
	jobs := max(v.Jobs, 1)
	outs := make([]evaluate.Outcome, len(cands))
	errs := make([]error, len(cands))
	next := make(chan int)
	var wg sync.WaitGroup
	start := time.Now()
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				outs[i], errs[i] = ev.Evaluate(ctx, cands[i].Problem, cands[i].Code)
				if each != nil {
					each(v.Name, cands[i], outs[i], errs[i])
				}
			}
		}()
	}
	for i := range cands {
		next <- i
	}
	close(next)
	wg.Wait()
	wall := time.Since(start)
	if err := ctx.Err(); err != nil {
		return ThroughputRun{}, err
	}
	r := ThroughputRun{Variant: v.Name, Jobs: jobs, Evaluations: len(cands), WallS: wall.Seconds(), Builds: ev.Builds()}
	var ms [5]int64
	for i, o := range outs {
		st := o.Status
		if errs[i] != nil {
			st = "error"
		}
		r.Statuses = append(r.Statuses, st)
		for j, x := range []int64{o.CompileMS, o.CheckMS, o.ValidateMS, o.TimeMS, o.QueueMS} {
			ms[j] += x
		}
	}
	if n := len(cands); n > 0 {
		mean := func(x int64) float64 { return float64(x) / 1000 / float64(n) }
		r.Phases = Phases{mean(ms[0]), mean(ms[1]), mean(ms[2]), mean(ms[3]), mean(ms[4])}
		r.PerEvalS = r.WallS / float64(n)
		r.PerHour = float64(n) / wall.Hours()
	}
	return r, nil
}

// Calibration is what an evaluation costs on a machine, written by
// `lessonl bench throughput --calibrate FILE` and read by `lessonl plan`
// to say what a run will cost there. Phases holds the mean seconds per
// evaluation of each phase (the keys of the Phase constants); PerEval is
// the wall time per evaluation at the measured concurrency, the figure to
// plan with: phases of evaluations run at once overlap, so they need not
// add up to it.
type Calibration struct {
	Machine string             `json:"machine"`
	Mode    string             `json:"mode"` // serial or openmp
	Phases  map[string]float64 `json:"phases"`
	PerEval float64            `json:"per_eval"`
	// Suite is the workload measured (builtin or pareval); Jobs the
	// evaluations at once; Evaluations how many.
	Suite       string `json:"suite,omitempty"`
	Jobs        int    `json:"jobs,omitempty"`
	Evaluations int    `json:"evaluations,omitempty"`
}

// The keys of Calibration.Phases.
const (
	PhaseCompile  = "compile"
	PhaseChecked  = "checked"
	PhaseValidate = "validate"
	PhaseTiming   = "timing"
	PhaseQueue    = "queue"
)

// Calibrate is the calibration a run measured on machine in mode.
func Calibrate(machine, mode, suite string, r ThroughputRun) Calibration {
	return Calibration{Machine: machine, Mode: mode, Suite: suite, Jobs: r.Jobs, Evaluations: r.Evaluations, PerEval: r.PerEvalS,
		Phases: map[string]float64{PhaseCompile: r.Phases.Compile, PhaseChecked: r.Phases.Checked,
			PhaseValidate: r.Phases.Validate, PhaseTiming: r.Phases.Timing, PhaseQueue: r.Phases.Queue}}
}

// WriteCalibration writes c to path as JSON.
func WriteCalibration(path string, c Calibration) error {
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return fmt.Errorf("calibration: %w", err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write calibration: %w", err)
	}
	return nil
}

// ReadCalibration reads a calibration WriteCalibration wrote.
func ReadCalibration(path string) (Calibration, error) {
	var c Calibration
	b, err := os.ReadFile(path)
	if err != nil {
		return c, fmt.Errorf("read calibration: %w", err)
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("read calibration %s: %w", path, err)
	}
	if c.PerEval <= 0 {
		return c, fmt.Errorf("read calibration %s: no per_eval", path)
	}
	return c, nil
}

// Machine names this machine for a calibration: host name, CPU model and
// number of CPUs.
func Machine() string {
	host, _ := os.Hostname()
	model := runtime.GOARCH
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	return fmt.Sprintf("%s, %s, %d CPUs", host, model, runtime.NumCPU())
}
