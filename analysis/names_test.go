package analysis

import (
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/internal/record"
)

// TestResolveName: a label is found with or without spaces and in any
// order of its parameters; an unknown one lists the names one per line
// with the closest as a did-you-mean.
func TestResolveName(t *testing.T) {
	have := []string{"single", "lessonl[k=4,selection=paper]", "lessonl[k=2,selection=paper]"}
	for _, c := range []struct{ name, want string }{
		{"lessonl[k=4,selection=paper]", "lessonl[k=4,selection=paper]"},
		{"lessonl [k=4, selection=paper]", "lessonl[k=4,selection=paper]"},
		{"lessonl[selection=paper,k=2]", "lessonl[k=2,selection=paper]"},
		{" single ", "single"},
	} {
		got, err := ResolveName(c.name, have)
		if err != nil || got != c.want {
			t.Errorf("%q: %q, %v; want %q", c.name, got, err, c.want)
		}
	}
	_, err := ResolveName("lessonl[k=8,selection=paper]", have)
	want := `no strategy "lessonl[k=8,selection=paper]" in the records; did you mean "lessonl[k=2,selection=paper]"? The strategies are:
  lessonl[k=2,selection=paper]
  lessonl[k=4,selection=paper]
  single`
	if err == nil || err.Error() != want {
		t.Errorf("unknown name:\n%v\nwant:\n%s", err, want)
	}
	if _, err := ResolveName("zzzzzzzzzzzzzzzzzz", have); err == nil || strings.Contains(err.Error(), "did you mean") {
		t.Errorf("a name like none: %v; want the list without a guess", err)
	}
}

// TestVariantLabelIsCanonical: a variant's label is printed in the one
// form the name parser gives back (no space before the bracket), and
// --strategies and --label take it however it is spelt.
func TestVariantLabelIsCanonical(t *testing.T) {
	runs := &Runs{Results: []Result{
		{Result: record.Result{Strategy: "lessonl", Variant: "k=4,selection=paper", ProblemID: "p", Seed: 1}},
		{Result: record.Result{Strategy: "lessonl", Variant: "k=2,selection=paper", ProblemID: "p", Seed: 1}},
	}}
	l := runs.Results[0].Label()
	if want := "lessonl[k=4,selection=paper]"; l != want || canonicalName(l) != l {
		t.Errorf("label %q, want %q (its canonical form)", l, want)
	}
	for _, name := range []string{"lessonl[k=4,selection=paper]", "lessonl [k=4, selection=paper]", "lessonl[selection=paper,k=4]"} {
		r, err := runs.Pick([]string{name}, map[string]string{name: "four"})
		if err != nil {
			t.Errorf("Pick %q: %v", name, err)
			continue
		}
		if len(r.Results) != 1 || r.Results[0].Label() != "four" {
			t.Errorf("Pick %q kept %v", name, r.Results)
		}
	}
}
