package lessons

import "testing"

// TestPaperOrder: the authors keep the speedup picks in bank order unless
// more than ⌈k/2⌉ lessons qualify, when they sort them; the relevance
// picks follow unchanged.
func TestPaperOrder(t *testing.T) {
	mk := func(speedups ...float64) []*Lesson {
		var b []*Lesson
		for i, s := range speedups {
			b = append(b, &Lesson{ID: string(rune('a' + i)), Speedup: s, Factor: 1})
		}
		return b
	}
	tests := []struct {
		name string
		bank []*Lesson
		want string
	}{
		{"two qualify: bank order", mk(1.2, 0.5, 3, 0.9, 0.1), "a c "},
		{"three qualify: sorted", mk(1.2, 0.5, 3, 2, 0.1), "c d "},
	}
	for _, tt := range tests {
		rel := make([]float64, len(tt.bank))
		for i := range rel {
			rel[i] = float64(len(rel) - i)
		}
		picks := paperOrder(Select(tt.bank, rel, 4, PolicyPaper, nil), tt.bank, 4)
		got := ""
		for _, p := range picks[:2] {
			if p.Reason != ReasonSpeedup {
				t.Fatalf("%s: pick %s by %s, want two speedup picks first", tt.name, p.Lesson.ID, p.Reason)
			}
			got += p.Lesson.ID + " "
		}
		if got != tt.want || len(picks) != 4 {
			t.Errorf("%s: speedup picks %q of %d, want %q of 4", tt.name, got, len(picks), tt.want)
		}
	}
}
