package datasets

import (
	"fmt"
	"sort"
	"sync"
)

// TaskKind is one task as a single value: what a problem asks of a
// candidate and everything that differs per task. It is registered once
// (RegisterTask), by the package that defines it, and every layer that
// dispatches on a problem's or a cell's task looks it up here and asks the
// value for the part that layer needs, through a small interface defined
// where it is used (as io.Reader is):
//
//   - strategy.TaskKind: take a candidate's code out of a reply and score
//     it (the evaluator, hidden tests, or the task's own rule);
//   - analysis.Reporter: lay its results out, in analyze's output and in
//     the report (its score columns and their summary).
//
// Where the value comes from is a Source whose Task names it. Registering
// in this package, the lowest that every layer imports, keeps imports
// flowing one way: no layer below needs the types of a layer above.
// optimize and generate are registered by the strategies' package (their
// scoring needs the evaluators); analysis keeps their own report layouts.
type TaskKind interface {
	// Name is the task as specs, problems, sources and records name it
	// (Problem.Task, Source.Task, cells.task).
	Name() string
}

// DefaultTask is the task of a problem that names none and is no
// generate problem (Problem.Task). A source of it may hold problems that
// name their own task (Problem.TaskName), so a dataset's task binds its
// problems only when it is another.
const DefaultTask = TaskOptimize

// TaskCategories is a task's optional part: the categories a dataset of
// its problems can be narrowed to (a spec's dataset.categories), which a
// spec's validation checks each against. A task without it takes any
// category unchecked.
type TaskCategories interface {
	// Categories are its problems' categories as a message lists them;
	// none when its problems have none to narrow to.
	Categories() []string
	// IsCategory says whether c narrows its problems.
	IsCategory(c string) bool
}

// TaskDescriber is a task's optional part that says what its problems
// are, for messages ("Python code generation").
type TaskDescriber interface {
	Describe() string
}

var tasks struct {
	sync.RWMutex
	byName map[string]TaskKind
}

// RegisterTask adds a task; it panics on a nil task, an empty name or a
// name registered twice, which are programming errors found by every test
// run.
func RegisterTask(t TaskKind) {
	if t == nil || t.Name() == "" {
		panic("datasets.RegisterTask: a task needs a name")
	}
	tasks.Lock()
	defer tasks.Unlock()
	if _, dup := tasks.byName[t.Name()]; dup {
		panic(fmt.Sprintf("datasets.RegisterTask: task %q registered twice", t.Name()))
	}
	if tasks.byName == nil {
		tasks.byName = map[string]TaskKind{}
	}
	tasks.byName[t.Name()] = t
}

// LookupTask is the registered task of that name.
func LookupTask(name string) (TaskKind, bool) {
	tasks.RLock()
	defer tasks.RUnlock()
	t, ok := tasks.byName[name]
	return t, ok
}

// TaskNames are the registered tasks' names, sorted.
func TaskNames() []string {
	tasks.RLock()
	defer tasks.RUnlock()
	out := make([]string, 0, len(tasks.byName))
	for n := range tasks.byName {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
