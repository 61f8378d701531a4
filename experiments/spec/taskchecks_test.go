package spec

import (
	"strings"
	"sync"
	"testing"

	"github.com/lessonlab/lessonl/datasets"
)

// TestSpecAsksTheTask: the dataset block's checks that differ by task
// come from the task: generate problems have no categories, whether the
// block names them by its generate key or by source:, and a kind that
// does not solve them is refused with what the dataset is.
func TestSpecAsksTheTask(t *testing.T) {
	for _, tt := range []struct {
		name, dataset, kind string
		fragments           []string
	}{
		{"categories by key", "  humaneval: {path: " + heFixture + "}\n  categories: [sort]\n", "single",
			[]string{"dataset.categories: generate problems have no optimization categories"}},
		{"categories by source", "  source: humaneval\n  path: " + heFixture + "\n  categories: [sort]\n", "single",
			[]string{"dataset.categories: generate problems have no optimization categories"}},
		{"kind", "  suite: pysuite\n", "voting",
			[]string{"kind voting does not solve generate problems (the dataset is Python code generation); use one of"}},
		{"optimize category", "  suite: codeopt\n  categories: [sort, sorting]\n", "single",
			[]string{`dataset.categories[1]: unknown category "sorting" (want one of dense_la, fft,`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			spec := strings.Replace(goodSpec, "  suite: codeopt\n  limit: 2\n", tt.dataset, 1)
			spec = strings.Replace(spec, "kind: single", "kind: "+tt.kind, 1)
			_, err := Parse("t.yaml", []byte(spec), testEnv)
			if err == nil {
				t.Fatal("no error")
			}
			for _, f := range tt.fragments {
				if !strings.Contains(err.Error(), f) {
					t.Errorf("error %q lacks %q", err, f)
				}
			}
		})
	}
}

// shelfTask is a task of this test whose problems are filed under two
// categories (datasets.TaskCategories).
type shelfTask struct{}

func (shelfTask) Name() string             { return "spec-shelf" }
func (shelfTask) Categories() []string     { return []string{"left", "right"} }
func (shelfTask) IsCategory(c string) bool { return c == "left" || c == "right" }

var registerShelf sync.Once

// TestSpecTaskCategories: a task registered with categories has a
// dataset block's categories checked against its own.
func TestSpecTaskCategories(t *testing.T) {
	registerShelf.Do(func() {
		datasets.RegisterTask(shelfTask{})
		datasets.RegisterSource(datasets.Source{Name: "spec-shelf", Task: "spec-shelf", Usage: "test problems",
			Load: func(datasets.Settings) ([]*datasets.Problem, error) { return nil, nil }})
	})
	for _, tt := range []struct {
		categories, want string // want "": no category error
	}{
		{"[left, right]", ""},
		{"[left, middle]", `dataset.categories[1]: unknown category "middle" (want one of left, right)`},
		{"[sort]", `dataset.categories[0]: unknown category "sort" (want one of left, right)`},
	} {
		spec := strings.Replace(goodSpec, "  suite: codeopt\n  limit: 2\n", "  source: spec-shelf\n  categories: "+tt.categories+"\n", 1)
		// The spec's kinds solve no spec-shelf problems: Parse fails on
		// them whatever the categories.
		_, err := Parse("t.yaml", []byte(spec), testEnv)
		if err == nil {
			t.Fatalf("%s: no error", tt.categories)
		}
		switch got := err.Error(); {
		case tt.want == "" && strings.Contains(got, "dataset.categories"):
			t.Errorf("%s: %q, want no category error", tt.categories, got)
		case tt.want != "" && !strings.Contains(got, tt.want):
			t.Errorf("%s: %q lacks %q", tt.categories, got, tt.want)
		}
	}
}
