package datasets

import "testing"

// TestContentHash: the hash is stable for the same problem, differs
// between problems, and changes with any part that defines one: code, a
// driver's file, a generate problem's tests.
func TestContentHash(t *testing.T) {
	ps, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	again, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	for i, p := range ps {
		h := p.ContentHash()
		if len(h) != 64 || h != again[i].ContentHash() {
			t.Fatalf("%s: hash %q not stable (%q)", p.ID, h, again[i].ContentHash())
		}
		if other, dup := seen[h]; dup {
			t.Errorf("%s and %s share a hash", p.ID, other)
		}
		seen[h] = p.ID
	}
	p := *ps[0]
	base := p.ContentHash()
	moved := p
	moved.Suite = "/elsewhere/problems"
	if moved.ContentHash() != base {
		t.Error("the folder a problem was read from changes its hash")
	}
	for name, change := range map[string]func(q *Problem){
		"code":  func(q *Problem) { q.BaselineCode += " " },
		"files": func(q *Problem) { q.Files = map[string]string{"cpu.cc": "int x;"} },
		"tests": func(q *Problem) { q.Gen = &GenProblem{Tests: GenTests{Check: "def check(f): assert f() == 1"}} },
	} {
		q := p
		change(&q)
		if q.ContentHash() == base {
			t.Errorf("a change of %s keeps the hash", name)
		}
	}
}
