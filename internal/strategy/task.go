package strategy

import (
	"context"
	"fmt"
	"io"
	"reflect"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/evaluate"
)

// TaskKind is the strategies' part of a task (datasets.TaskKind, the one
// value a task is, registered once with datasets.RegisterTask): how a
// candidate's code is taken out of a reply and how it is scored. optimize
// (C++ made faster, judged by the evaluator's build, validation and
// timing) and generate (Python written from a prompt, judged by tests) are
// two, registered here; the Env dispatches on the problem's task rather
// than on the problem's shape. Which kinds solve it is the kinds' trait
// (Kind.Tasks), and what a kind's cell costs on it is the kind's
// (Config.Cost).
type TaskKind interface {
	datasets.TaskKind
	// Extract takes the candidate's code out of a reply about env's
	// problem; false when the reply holds none.
	Extract(env *Env, reply string) (code string, ok bool)
	// Score judges cand.Code for env's problem; a candidate whose reply
	// held no code comes with Status NoCode, which Score keeps (it may
	// still fill the task's empty outcome). It returns the candidate as
	// recorded, with its Status and the task's outcome, and the candidate
	// as the strategy is shown it, which may hide what only the records
	// see (generate's hidden tests).
	Score(ctx context.Context, env *Env, cand Candidate, how Scoring) (recorded, shown Candidate, err error)
}

// Evaluators are a run's evaluators, one per task that scores with one,
// by the task's name. Each task's Score asks for its own (EvaluatorOf),
// so a new task with an evaluator of its own adds an entry, not a field.
type Evaluators map[string]any

// EvaluatorOf is env's evaluator for task as the type T its Score uses;
// an error when the run has none of that type.
func EvaluatorOf[T any](e *Env, task string) (T, error) {
	ev, ok := e.Evaluators[task].(T)
	if !ok {
		return ev, fmt.Errorf("no evaluator for %s problems (want a %v, have %T)", task, reflect.TypeFor[T](), e.Evaluators[task])
	}
	return ev, nil
}

// Answer is a finished cell's answer as its task reads it, as the run's
// progress shows it: a verdict and whether it is correct, or, for a task
// whose answers are timed (optimize), a speedup.
type Answer struct {
	// Verdict is the answer in a word or two ("passed", "incorrect", "no
	// answer"); "" for a task whose answers read as their Speedup.
	Verdict string
	Correct bool
	// Speedup is a timed answer's speedup, 0 when it is not correct.
	Speedup float64
	// Share names the running share of correct answers ("pass@1");
	// "correct" when "".
	Share string
}

// EvaluatorOpener is a task's optional part that opens, for a run of its
// problems, the evaluator its Score looks up (EvaluatorOf), from the
// run's evaluation settings (a spec's evaluation block). A task without
// it scores with no evaluator of its own, or with one its caller gives.
type EvaluatorOpener interface {
	OpenEvaluator(cfg evaluate.Config) (OpenedEvaluator, error)
}

// OpenedEvaluator is an evaluator a task opened: the run closes it when
// it ends, and its manifest says what it enforces.
type OpenedEvaluator interface {
	io.Closer
	// Enforced says what the evaluator enforces on the code it runs (its
	// sandbox's limits, and how it measures), for the run's manifest.
	Enforced() map[string]string
}

// OpenEvaluator opens the evaluator of the task named task for a run
// with evaluation settings cfg (EvaluatorOpener); nil with no error when
// the task opens none (it is not registered, or has no opener).
func OpenEvaluator(task string, cfg evaluate.Config) (OpenedEvaluator, error) {
	t, ok := LookupTask(task)
	if !ok {
		return nil, nil
	}
	o, ok := t.(EvaluatorOpener)
	if !ok {
		return nil, nil
	}
	ev, err := o.OpenEvaluator(cfg)
	if err != nil {
		return nil, fmt.Errorf("open the %s task's evaluator: %w", task, err)
	}
	return ev, nil
}

// AnswerReader is a task's optional part that reads a finished cell's
// answer: final is the strategy's answer (nil for none), recorded the
// cell's candidates as recorded, which hold what the strategy was not
// shown (generate's hidden tests). A task without it reads as
// DefaultAnswer.
type AnswerReader interface {
	Answer(final *Candidate, recorded []Candidate) Answer
}

// AnswerOf is a finished cell's answer as task reads it (DefaultAnswer
// when task is nil or has no AnswerReader).
func AnswerOf(task TaskKind, final *Candidate, recorded []Candidate) Answer {
	if r, ok := task.(AnswerReader); ok {
		return r.Answer(final, recorded)
	}
	return DefaultAnswer(final)
}

// DefaultAnswer is final's status as its verdict ("no answer" for none),
// correct when the candidate is (Candidate.OK).
func DefaultAnswer(final *Candidate) Answer {
	if final == nil {
		return Answer{Verdict: "no answer"}
	}
	return Answer{Verdict: final.Status, Correct: final.OK()}
}

// NoCode is the status of a candidate whose reply held no code.
const NoCode = "no_code"

// Scoring is how a candidate is to be scored.
type Scoring struct {
	// Fresh measures anew instead of answering from a cache of identical
	// code (optimize's final re-evaluation).
	Fresh bool
	// Tests are LLM-written tests the strategy also wants the candidate
	// run on (generate); nil for none.
	Tests []string
}

// LookupTask returns the registered task of that name
// (datasets.LookupTask) when it scores candidates; false when no task of
// that name is registered or it has no scoring (no TaskKind).
func LookupTask(name string) (TaskKind, bool) {
	t, ok := datasets.LookupTask(name)
	if !ok {
		return nil, false
	}
	k, ok := t.(TaskKind)
	return k, ok
}

// TaskNames returns the names of the registered tasks that score
// candidates, sorted.
func TaskNames() []string {
	var out []string
	for _, n := range datasets.TaskNames() {
		if _, ok := LookupTask(n); ok {
			out = append(out, n)
		}
	}
	return out
}

// The tasks this package registers.
const (
	TaskOptimize = string(datasets.TaskOptimize)
	TaskGenerate = string(datasets.TaskGenerate)
)

func init() {
	datasets.RegisterTask(optimizeTask{})
	datasets.RegisterTask(generateTask{})
}

// TaskOf is the task of env's problem: the registered task its
// datasets.Problem.Task names.
func (e *Env) TaskOf() (TaskKind, error) {
	name := string(e.Problem.Task())
	t, ok := LookupTask(name)
	if !ok {
		if _, known := datasets.LookupTask(name); known {
			return nil, fmt.Errorf("problem %s: task %q scores no candidates (its registered value implements no strategy.TaskKind)", e.Problem.ID, name)
		}
		return nil, fmt.Errorf("problem %s: unknown task %q (want one of %v)", e.Problem.ID, name, TaskNames())
	}
	return t, nil
}

// optimizeTask is the paper's code optimization: C++ out of the reply,
// scored by the Evaluator (build, validate, time against the baseline).
type optimizeTask struct{}

func (optimizeTask) Name() string { return TaskOptimize }

func (optimizeTask) Extract(e *Env, reply string) (string, bool) {
	return e.Extract(reply, e.Problem.Function)
}

// OpenEvaluator implements EvaluatorOpener: the C++ evaluator of cfg.
func (optimizeTask) OpenEvaluator(cfg evaluate.Config) (OpenedEvaluator, error) {
	return evaluate.New(cfg)
}

// Categories implements datasets.TaskCategories: the paper's
// optimization categories.
func (optimizeTask) Categories() []string { return datasets.Categories }

// IsCategory implements datasets.TaskCategories: one of the categories,
// or PolyBench's suite (its problems' category).
func (optimizeTask) IsCategory(c string) bool {
	return datasets.IsCategory(c) || c == datasets.SuitePolyBench
}

// Answer implements AnswerReader: a timed answer reads as its speedup.
func (optimizeTask) Answer(final *Candidate, _ []Candidate) Answer {
	return Answer{Correct: final.OK(), Speedup: final.Speedup()}
}

func (optimizeTask) Score(ctx context.Context, e *Env, cand Candidate, how Scoring) (Candidate, Candidate, error) {
	if cand.Status == NoCode {
		return cand, cand, nil
	}
	ev, err := EvaluatorOf[Evaluator](e, TaskOptimize)
	if err != nil {
		return cand, cand, err
	}
	var out evaluate.Outcome
	if fe, can := ev.(FreshEvaluator); (how.Fresh || e.Fresh) && can {
		out, err = fe.EvaluateFresh(ctx, e.Problem, cand.Code)
	} else {
		out, err = ev.Evaluate(ctx, e.Problem, cand.Code)
	}
	if err != nil {
		return cand, cand, err
	}
	cand.Outcome, cand.Status = Timed{out}, string(out.Status)
	return cand, cand, nil
}
