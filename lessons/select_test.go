package lessons

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// bankOf banks lessons with the given speedups, all of round 0, with IDs
// "a", "b", ... in order.
func bankOf(speedups ...float64) *Bank {
	var b Bank
	for i, s := range speedups {
		k := Significant
		switch {
		case s == 0:
			k = NotEquivalent
		case s < 1:
			k = Degrades
		case s < Threshold:
			k = Slight
		}
		b.Add(Lesson{ID: string(rune('a' + i)), Speedup: s, Kind: k})
	}
	return &b
}

func ids(picks []Pick) []string {
	var out []string
	for _, p := range picks {
		out = append(out, p.Lesson.ID+":"+p.Reason)
	}
	return out
}

func TestSelect(t *testing.T) {
	rel := []float64{0.1, 0.9, 0.5, 0.7, 0.3, 0.8}
	tests := []struct {
		name     string
		speedups []float64
		rel      []float64
		k        int
		policy   Policy
		want     []string
	}{
		{"fewer than k: all, in order", []float64{2, 0}, rel[:2], 4, PolicyPaper, []string{"a:all", "b:all"}},
		{"exactly k: all", []float64{2, 0, 1.5, 1}, rel[:4], 4, PolicyPaper, []string{"a:all", "b:all", "c:all", "d:all"}},
		// ⌈4/2⌉ = 2 by speedup (a 3.0, f 1.2), then 2 by relevance among the rest (b 0.9, d 0.7).
		{"paper, k=4", []float64{3, 0, 1.05, 0.8, 0, 1.2}, rel, 4, PolicyPaper, []string{"a:speedup", "f:speedup", "b:relevance", "d:relevance"}},
		// Odd k = 3: ⌈3/2⌉ = 2 speedup slots.
		{"paper, odd k=3", []float64{3, 0, 1.05, 0.8, 0, 1.2}, rel, 3, PolicyPaper, []string{"a:speedup", "f:speedup", "b:relevance"}},
		// Only one lesson reaches 1.1: the empty speedup slot goes to relevance.
		{"paper, one above threshold", []float64{1.5, 0, 1.05, 0.8, 0, 1.0}, rel, 4, PolicyPaper, []string{"a:speedup", "b:relevance", "f:relevance", "d:relevance"}},
		// Everything failed: all k by relevance.
		{"paper, all failed", []float64{0, 0, 0, 0, 0, 0}, rel, 4, PolicyPaper, []string{"b:relevance", "f:relevance", "d:relevance", "c:relevance"}},
		// Ties in speedup: earlier first.
		{"paper, ties", []float64{2, 2, 2, 0, 0, 0}, rel, 4, PolicyPaper, []string{"a:speedup", "b:speedup", "f:relevance", "d:relevance"}},
		// Ties in relevance: earlier first.
		{"relevance ties", []float64{0, 0, 0, 0, 0}, []float64{0.5, 0.5, 0.9, 0.5, 0.1}, 3, PolicyRelevance, []string{"c:relevance", "a:relevance", "b:relevance"}},
		{"speedup only, no threshold", []float64{3, 0, 1.05, 0.8, 0, 1.2}, rel, 4, PolicySpeedup, []string{"a:speedup", "f:speedup", "c:speedup", "d:speedup"}},
		{"relevance only", []float64{3, 0, 1.05, 0.8, 0, 1.2}, rel, 4, PolicyRelevance, []string{"b:relevance", "f:relevance", "d:relevance", "c:relevance"}},
		{"recent", []float64{3, 0, 1.05, 0.8, 0, 1.2}, rel, 2, PolicyRecent, []string{"f:recent", "e:recent"}},
		{"none", []float64{3, 0}, rel[:2], 4, PolicyNone, nil},
		{"none, big bank", []float64{3, 0, 1.05, 0.8, 0, 1.2}, rel, 4, PolicyNone, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := bankOf(tt.speedups...)
			got := ids(Select(b.Lessons(), tt.rel, tt.k, tt.policy, rand.New(rand.NewPCG(1, 1))))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSelectRandom(t *testing.T) {
	b := bankOf(3, 0, 1.05, 0.8, 0, 1.2)
	rel := make([]float64, 6)
	seen := map[string]int{}
	for seed := uint64(0); seed < 600; seed++ {
		picks := Select(b.Lessons(), rel, 2, PolicyRandom, rand.New(rand.NewPCG(seed, 0)))
		if len(picks) != 2 || picks[0].Lesson == picks[1].Lesson {
			t.Fatalf("seed %d: picks %v, want 2 distinct", seed, ids(picks))
		}
		for _, p := range picks {
			seen[p.Lesson.ID]++
		}
	}
	// Each of 6 lessons is picked 200 times in expectation.
	for id, n := range seen {
		if n < 140 || n > 260 {
			t.Errorf("lesson %s picked %d times in 600 draws of 2, want about 200", id, n)
		}
	}
	again := Select(b.Lessons(), rel, 2, PolicyRandom, rand.New(rand.NewPCG(5, 0)))
	once := Select(b.Lessons(), rel, 2, PolicyRandom, rand.New(rand.NewPCG(5, 0)))
	if !reflect.DeepEqual(ids(again), ids(once)) {
		t.Error("the same seed chose differently")
	}
}

// TestAdjustTwoRounds follows one bank through two rounds by hand.
func TestAdjustTwoRounds(t *testing.T) {
	b := bankOf(1.5, 0, 2.0)
	shown := Select(b.Lessons(), []float64{0, 0, 0}, 4, PolicyPaper, nil)

	// Round 1 candidates: 1.8, 0 (failed), 2.5.
	// a (1.5): beaten by 1.8 and 2.5 → (1.1+0.9+1.1)/3 = 3.1/3.
	// b (0):   beaten by 1.8 and 2.5, tie with 0 → (1.1+0.9+1.1)/3.
	// c (2.0): beaten by 2.5 only → (0.9+0.9+1.1)/3 = 2.9/3.
	Adjust(shown, []float64{1.8, 0, 2.5}, Epsilon)
	want := map[string]float64{"a": 3.1 / 3, "b": 3.1 / 3, "c": 2.9 / 3}
	for _, l := range b.Lessons() {
		if math.Abs(l.Factor-want[l.ID]) > 1e-12 {
			t.Errorf("round 1: %s factor %g, want %g", l.ID, l.Factor, want[l.ID])
		}
	}
	if got := b.Lessons()[2].Adjusted(); math.Abs(got-2.0*2.9/3) > 1e-12 {
		t.Errorf("round 1: c adjusted %g, want %g", got, 2.0*2.9/3)
	}

	// Round 2 candidates: 1.0, 1.0, 1.0 beat only b: factors are recomputed, not multiplied.
	Adjust(shown, []float64{1, 1, 1}, Epsilon)
	want = map[string]float64{"a": 0.9, "b": 1.1, "c": 0.9}
	for _, l := range b.Lessons() {
		if math.Abs(l.Factor-want[l.ID]) > 1e-12 {
			t.Errorf("round 2: %s factor %g, want %g", l.ID, l.Factor, want[l.ID])
		}
	}
	// A round without candidates keeps the factors.
	Adjust(shown, nil, Epsilon)
	if b.Lessons()[1].Factor != 1.1 {
		t.Errorf("empty round changed a factor to %g", b.Lessons()[1].Factor)
	}
}

// TestAdjustmentChangesSelection: a lesson whose speedup others keep
// beating falls below the threshold and loses its speedup slot.
func TestAdjustmentChangesSelection(t *testing.T) {
	b := bankOf(1.15, 1.5, 0, 0, 0)
	rel := []float64{0, 0, 0.3, 0.2, 0.1}
	shown := []Pick{{Lesson: b.Lessons()[0]}, {Lesson: b.Lessons()[1]}}
	Adjust(shown, []float64{2, 2, 2}, Epsilon) // both beaten: factor 1.1
	if got := ids(Select(b.Lessons(), rel, 4, PolicyPaper, nil))[:2]; !reflect.DeepEqual(got, []string{"b:speedup", "a:speedup"}) {
		t.Errorf("after factor 1.1: %v", got)
	}
	Adjust(shown, []float64{0, 0, 0}, Epsilon) // none beaten: factor 0.9, a is 1.035 < 1.1
	got := ids(Select(b.Lessons(), rel, 4, PolicyPaper, nil))
	if !reflect.DeepEqual(got, []string{"b:speedup", "c:relevance", "d:relevance", "e:relevance"}) {
		t.Errorf("after factor 0.9: %v", got)
	}
}

func TestBankFailedLessonsHaveZeroSpeedup(t *testing.T) {
	var b Bank
	l := b.Add(Lesson{Kind: NotCompilable, Speedup: 1.7, Author: "x"})
	if l.Speedup != 0 || l.Factor != 1 || l.ID == "" {
		t.Errorf("banked %+v, want speedup 0, factor 1 and an ID", *l)
	}
}

func TestKindOf(t *testing.T) {
	tests := []struct {
		status  string
		speedup float64
		want    Kind
	}{
		{"correct", 1.1, Significant}, {"correct", 3, Significant}, {"correct", 1.0999, Slight},
		{"correct", 1, Slight}, {"correct", 0.99, Degrades}, {"incorrect", 0, NotEquivalent},
		{"runtime_error", 0, NotEquivalent}, {"timeout", 0, NotEquivalent},
		{"not_compilable", 0, NotCompilable}, {"no_code", 0, NotCompilable},
	}
	for _, tt := range tests {
		if got := KindOf(tt.status, tt.speedup); got != tt.want {
			t.Errorf("KindOf(%s, %g) = %s, want %s", tt.status, tt.speedup, got, tt.want)
		}
	}
}

func TestTFIDF(t *testing.T) {
	code := "void sort_ints(std::vector<int>& a) { for (size_t i = 1; i < a.size(); ++i) { int x = a[i]; } }"
	lessons := []string{
		"Replacing the insertion sort loop with std::sort on the vector made sortInts much faster.",
		"Blocking the matrix multiply over tiles of 64 improved cache reuse.",
		"",
	}
	s, err := TFIDF{}.Scores(context.Background(), code, lessons)
	if err != nil {
		t.Fatal(err)
	}
	if !(s[0] > s[1] && s[1] >= 0 && s[2] == 0 && s[0] <= 1) {
		t.Errorf("scores %v: want the sort lesson above the matrix lesson, empty at 0, all in [0, 1]", s)
	}
	if got := Tokens("sortInts my_vector2 HTTPServer x"); !reflect.DeepEqual(got, []string{"sort", "ints", "my", "vector", "httpserver"}) {
		t.Errorf("Tokens = %v", got)
	}
}

func TestEmbeddings(t *testing.T) {
	vec := map[string][]float64{"code": {1, 0}, "l1": {1, 1}, "l2": {1, 2}, "l3": {0, 1}}
	var calls [][]string
	emb := NewEmbeddings(func(_ context.Context, texts []string) ([][]float64, error) {
		calls = append(calls, texts)
		out := make([][]float64, len(texts))
		for i, x := range texts {
			if vec[x] == nil {
				return nil, errors.New("no vector for " + x)
			}
			out[i] = vec[x]
		}
		return out, nil
	})
	steps := []struct {
		lessons []string
		want    []float64 // cos with (1, 0)
		sent    []string  // the texts embedded by this call
	}{
		{[]string{"l1", "l2", "l1"}, []float64{1 / math.Sqrt2, 1 / math.Sqrt(5), 1 / math.Sqrt2}, []string{"code", "l1", "l2"}},
		{[]string{"l1", "l2", "l3"}, []float64{1 / math.Sqrt2, 1 / math.Sqrt(5), 0}, []string{"l3"}},
		{[]string{"l3", "l1"}, []float64{0, 1 / math.Sqrt2}, nil},
	}
	for i, st := range steps {
		before := len(calls)
		s, err := emb.Scores(context.Background(), "code", st.lessons)
		if err != nil {
			t.Fatal(err)
		}
		for j := range st.want {
			if math.Abs(s[j]-st.want[j]) > 1e-12 {
				t.Errorf("step %d: scores %v, want %v", i, s, st.want)
				break
			}
		}
		var sent []string
		if len(calls) > before {
			sent = calls[len(calls)-1]
		}
		if len(calls)-before > 1 || !reflect.DeepEqual(sent, st.sent) {
			t.Errorf("step %d: embedded %v in %d calls, want %v in one (each text once)", i, sent, len(calls)-before, st.sent)
		}
	}
	if _, err := emb.Scores(context.Background(), "code", []string{"unknown"}); err == nil || !strings.Contains(err.Error(), "embed lessons: no vector for unknown") {
		t.Errorf("a failing endpoint: %v", err)
	}
	short := NewEmbeddings(func(context.Context, []string) ([][]float64, error) { return [][]float64{{1}}, nil })
	if _, err := short.Scores(context.Background(), "code", []string{"l1"}); err == nil || !strings.Contains(err.Error(), "got 1 vectors for 2 texts") {
		t.Errorf("too few vectors: %v", err)
	}
}
