package view

import (
	"strings"
	"testing"
)

// TestPromptText: a search reads a prompt as its messages' text, not the
// JSON it is stored as, and cuts its snippets at character boundaries.
func TestPromptText(t *testing.T) {
	got := promptText(`[{"role":"system","content":"You optimize C++."},{"role":"user","content":"#include \u003cvector\u003e\nint f();"}]`)
	want := "[system] You optimize C++.\n\n[user] #include <vector>\nint f();"
	if got != want {
		t.Errorf("promptText = %q, want %q", got, want)
	}
	if got := promptText("not json"); got != "not json" {
		t.Errorf("a prompt that is not JSON reads %q", got)
	}
	s := "a×b"
	if i := runeStart(s, 2); i != 1 || !strings.HasPrefix(s[i:], "×") {
		t.Errorf("runeStart(%q, 2) = %d, want 1 (the start of ×)", s, i)
	}
}

// TestSpeedClass: speedups are coloured on a log scale, so 3×, 20×, 1,077×
// and 3,611× get different colours (the old scale stopped at ≥4×).
func TestSpeedClass(t *testing.T) {
	for _, tt := range []struct {
		correct bool
		x       float64
		want    string
	}{
		{false, 5, "sp-fail"}, {true, 0.5, "sp-slow"}, {true, 1, "sp-even"}, {true, 1.2, "sp-1"}, {true, 1.7, "sp-2"},
		{true, 3, "sp-3"}, {true, 10, "sp-4"}, {true, 20, "sp-5"}, {true, 100, "sp-6"}, {true, 300, "sp-7"}, {true, 1077, "sp-8"}, {true, 3611, "sp-9"},
	} {
		if got := speedClass(tt.correct, tt.x); got != tt.want {
			t.Errorf("speedClass(%v, %g) = %s, want %s", tt.correct, tt.x, got, tt.want)
		}
	}
}

// TestLabelIsCanonical: the browser names a variant as analysis does, in
// the form the name parser accepts (no space before the bracket).
func TestLabelIsCanonical(t *testing.T) {
	if got, want := label("lessonl", "k=4,selection=paper"), "lessonl[k=4,selection=paper]"; got != want {
		t.Errorf("label %q, want %q", got, want)
	}
	if got := label("single", ""); got != "single" {
		t.Errorf("label %q, want single", got)
	}
}
