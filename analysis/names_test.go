package analysis

import (
	"strings"
	"testing"
)

// TestResolveName: a label is found with or without spaces and in any
// order of its parameters; an unknown one lists the names one per line
// with the closest as a did-you-mean.
func TestResolveName(t *testing.T) {
	have := []string{"single", "lessonl [k=4,selection=paper]", "lessonl [k=2,selection=paper]"}
	for _, c := range []struct{ name, want string }{
		{"lessonl[k=4,selection=paper]", "lessonl [k=4,selection=paper]"},
		{"lessonl [k=4, selection=paper]", "lessonl [k=4,selection=paper]"},
		{"lessonl[selection=paper,k=2]", "lessonl [k=2,selection=paper]"},
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
