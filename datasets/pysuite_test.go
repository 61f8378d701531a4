package datasets

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestPySuite(t *testing.T) {
	ps, err := PySuite()
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) < 20 {
		t.Fatalf("%d problems, want at least 20", len(ps))
	}
	for _, p := range ps {
		wrong := 0
		for _, s := range p.Solutions[1:] {
			if !s.Pass {
				wrong++
			}
		}
		if wrong < 2 || p.Canonical != p.Solutions[0].Code || !strings.HasPrefix(p.Canonical, p.Prompt) {
			t.Errorf("%s: %d wrong solutions, canonical %q", p.ID, wrong, p.Canonical)
		}
		if !strings.Contains(p.Solutions[0].Code, "\n    ") {
			t.Errorf("%s: the body lost its indentation: %q", p.ID, p.Solutions[0].Code)
		}
	}
}

func TestLoadPySuiteErrors(t *testing.T) {
	good := "id: a\nentry_point: f\nprompt: |\n  def f(x):\n      \"\"\"x\"\"\"\ntests: |\n  def check(candidate):\n      assert candidate(1) == 1\nsolutions:\n  - {name: ok, pass: true, body: \"    return x\\n\"}\n  - {name: bad, pass: false, body: \"    return 0\\n\"}\n"
	tests := []struct{ name, text, want string }{
		{"unknown field", good + "extra: 1\n", `[12:1] unknown field "extra"`},
		{"no check", strings.Replace(good, "def check(candidate)", "def test()", 1), "field tests: missing: define check(candidate)"},
		{"wrong entry point", strings.Replace(good, "entry_point: f", "entry_point: g", 1), "field prompt: does not define g("},
		{"first fails", strings.Replace(good, "name: ok, pass: true", "name: ok, pass: false", 1), "field solutions[0].pass: the first solution is the canonical one"},
		{"one solution", strings.Split(good, "  - {name: bad")[0], "field solutions: want a correct solution first"},
		{"repeated name", strings.Replace(good, "name: bad", "name: ok", 1), `field solutions[1].name: missing or repeated: "ok"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{"s/a.yaml": {Data: []byte(tc.text)}}
			_, err := loadPySuite(fsys, "s")
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "s/a.yaml") {
				t.Fatalf("error %v, want s/a.yaml and %q", err, tc.want)
			}
		})
	}
	ps, err := loadPySuite(fstest.MapFS{"s/a.yaml": {Data: []byte(good)}}, "s")
	if err != nil || len(ps) != 1 || ps[0].Canonical != "def f(x):\n    \"\"\"x\"\"\"\n    return x\n" {
		t.Fatalf("good file: %v %+v", err, ps)
	}
}
