package datasets_test

import (
	"slices"
	"testing"

	"github.com/lessonlab/lessonl/datasets"
)

type namedTask string

func (t namedTask) Name() string { return string(t) }

// TestRegisterTask: a registered task is found by its name and listed;
// a task without a name, nil, or a name registered twice panics.
func TestRegisterTask(t *testing.T) {
	datasets.RegisterTask(namedTask("registry-test"))
	got, ok := datasets.LookupTask("registry-test")
	if !ok || got.Name() != "registry-test" {
		t.Fatalf("lookup: %v %v", got, ok)
	}
	if _, ok := datasets.LookupTask("never-registered"); ok {
		t.Error("found a task never registered")
	}
	if !slices.Contains(datasets.TaskNames(), "registry-test") || !slices.IsSorted(datasets.TaskNames()) {
		t.Errorf("names %v: want registry-test among them, sorted", datasets.TaskNames())
	}
	for _, tt := range []struct {
		name string
		task datasets.TaskKind
	}{
		{"nil", nil},
		{"empty name", namedTask("")},
		{"twice", namedTask("registry-test")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("registering %v did not panic", tt.task)
				}
			}()
			datasets.RegisterTask(tt.task)
		})
	}
}
