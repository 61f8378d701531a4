package analysis

import (
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/record"
)

// quizResults are results of a task other than optimize and generate,
// "quiz", registered nowhere (so laid out by DefaultTaskReport): method a
// on problems p1..pn, correct on the first ok of them, each scoring its
// index; method b on p1 alone.
func quizResults(n, ok int) []Result {
	var rs []record.Result
	for i := 1; i <= n; i++ {
		rs = append(rs, record.Result{Strategy: "a", ProblemID: "p" + string(rune('0'+i)), Seed: 1, Correct: i <= ok, Score: float64(i), Status: "correct"})
	}
	rs = append(rs, record.Result{Strategy: "b", ProblemID: "p1", Seed: 1, Score: 0.5, Status: "incorrect"})
	return WrapTask("quiz", rs)
}

// TestDefaultTaskReport: per method, cells, problems, the share correct
// and the mean score, with a bootstrap interval from MinIntervalN
// problems on and with n below.
func TestDefaultTaskReport(t *testing.T) {
	for _, tt := range []struct {
		name  string
		rs    []Result
		wants []string
	}{
		{"few problems", quizResults(2, 1), []string{"a       2      2         0.500 (n=2)  1.500 (n=2)", "b       1      1         0.000 (n=1)  0.500 (n=1)"}},
		{"enough problems", quizResults(4, 4), []string{"a       4      4         1.000 [1.000, 1.000]  2.500 ["}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			if err := DefaultTaskReport.Table(tt.rs, nil, Options{}).WriteText(&b); err != nil {
				t.Fatal(err)
			}
			for _, want := range tt.wants {
				if !strings.Contains(b.String(), want) {
					t.Errorf("table lacks %q:\n%s", want, b.String())
				}
			}
		})
	}
}

// TestAnalyzeOtherTask: analyze prints the optimize rows' metrics table
// and then the other task's section; the other task's results make no
// metrics rows, no comparison and no delta, and runs of it alone print
// its section alone under the task's sim banner.
func TestAnalyzeOtherTask(t *testing.T) {
	opt := Wrap([]record.Result{{Strategy: "a", ProblemID: "p1", Seed: 1, Correct: true, Speedup: 2, Status: "correct"}})
	quiz := quizResults(2, 1)
	for _, tt := range []struct {
		name         string
		rs           []Result
		rows         int
		first, shows string
	}{
		{"mixed", append(append([]Result(nil), opt...), quiz...), 2, "STRATEGY", "\ntask quiz: Results\n"},
		{"quiz alone", quiz, 0, "task quiz: Results\n", "mean score"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			if err := Analyze(&b, &Runs{Results: tt.rs}, Options{}, false); err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(b.String(), tt.first) || !strings.Contains(b.String(), tt.shows) {
				t.Errorf("output does not start with %q and show %q:\n%s", tt.first, tt.shows, b.String())
			}
			if rows := Metrics(tt.rs, Options{}); len(rows) != tt.rows {
				t.Errorf("%d metrics rows, want %d (the optimize result's, overall and per category)", len(rows), tt.rows)
			}
		})
	}
	if cs, err := Compare(append(append([]Result(nil), opt...), quiz...), "a", Options{}); err != nil || len(cs) != 0 {
		t.Errorf("compare took the quiz results: %+v %v", cs, err)
	}
	if ds := Deltas(Side{Name: "old", Results: quiz}, Side{Name: "new", Results: quiz}, Options{}); len(ds) != 0 {
		t.Errorf("deltas of quiz results: %+v", ds)
	}
	if got := SimBannerFor(quiz); !strings.Contains(got, "scored by the quiz task's own rule") {
		t.Errorf("banner of quiz results: %s", got)
	}
	if got := SimBannerFor(append(append([]Result(nil), opt...), quiz...)); got != SimBanner {
		t.Errorf("banner of mixed results: %s", got)
	}
}

// TestReadResult: a result reads by its task: optimize's (and a record's
// without a task) timed, valued by its speedup when correct; generate's
// with its hidden tests passed; a task with a Read of its own by it; any
// other as its status.
func TestReadResult(t *testing.T) {
	slow := record.Result{Status: "correct", Correct: true, Speedup: 1.7}
	wrong := record.Result{Status: "incorrect", Speedup: 0.5}
	gen := record.Result{Status: "failed", Passed: 3, Total: 4}
	for _, tt := range []struct {
		name string
		r    record.Result
		task string
		want Reading
	}{
		{"optimize correct", slow, TaskOptimize, Reading{Text: "correct", Correct: true, Value: 1.7, Timed: true}},
		{"optimize incorrect", wrong, TaskOptimize, Reading{Text: "incorrect", Timed: true}},
		{"no task recorded", slow, "", Reading{Text: "correct", Correct: true, Value: 1.7, Timed: true}},
		{"generate", gen, TaskGenerate, Reading{Text: "failed 3/4", Value: 0.75}},
		{"a task's own reading", wrong, "readings", Reading{Text: "own incorrect", Value: 7}},
		{"a task without one", wrong, "quiz", Reading{Text: "incorrect"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := ReadResult(tt.r, tt.task); got != tt.want {
				t.Errorf("reading %+v, want %+v", got, tt.want)
			}
		})
	}
}

// readings is a task whose report reads its results its own way.
type readings struct{}

func (readings) Name() string { return "readings" }
func (readings) Report() TaskReport {
	return TaskReport{Title: "readings", Table: DefaultTaskReport.Table,
		Read: func(r record.Result) Reading { return Reading{Text: "own " + r.Status, Value: 7} }}
}

func init() { datasets.RegisterTask(readings{}) }
