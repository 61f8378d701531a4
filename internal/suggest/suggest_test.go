package suggest

import "testing"

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"abc", "", 3},
		{"lessonl", "lessonl", 0},
		{"lesonl", "lessonl", 1},       // insertion
		{"lessonll", "lessonl", 1},     // deletion
		{"lessonk", "lessonl", 1},      // substitution
		{"kitten", "sitting", 3},       // the textbook case
		{"größe", "grösse", 2},         // runes, not bytes
		{"reflexion", "reflection", 2}, // x→c, +t
	} {
		if got := Distance(c.a, c.b); got != c.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
		if got := Distance(c.b, c.a); got != c.want {
			t.Errorf("Distance(%q, %q) = %d, want %d (symmetric)", c.b, c.a, got, c.want)
		}
	}
}

func TestClosest(t *testing.T) {
	have := []string{"single", "voting", "debate", "reflexion", "lessonl[k=4,selection=paper]", "lessonl[k=2,selection=paper]"}
	for _, c := range []struct {
		name, want string
		ok         bool
	}{
		{"singel", "single", true},
		{"reflection", "reflexion", true},
		// Equally near: the first in have's order.
		{"lessonl[k=8,selection=paper]", "lessonl[k=4,selection=paper]", true},
		{"zzzzzzzzzzzzzzzzzz", "", false},
	} {
		got, ok := Closest(c.name, have)
		if ok != c.ok || ok && got != c.want {
			t.Errorf("Closest(%q) = %q, %v; want %q, %v", c.name, got, ok, c.want, c.ok)
		}
	}
	if _, ok := Closest("single", nil); ok {
		t.Error("Closest over no names suggested one")
	}
}
