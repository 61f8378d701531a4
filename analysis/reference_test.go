package analysis

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// TestCompareReference: optimization cells alone compare by speedup and
// encode as the bare list of comparisons; generate cells alone by pass@1
// in the Table 2 layout, with no speedup comparison; both together give
// both parts, the generate table first.
func TestCompareReference(t *testing.T) {
	base := func(p int, s int64) float64 { return 1.5 + 0.1*float64(p) + 0.01*float64(s) }
	double := func(p int, s int64) float64 { return 2 * base(p, s) }
	opt := append(results("lessonl", "", []int64{1, 2}, double), results("single", "", []int64{1, 2}, base)...)
	tests := []struct {
		name        string
		results     []Result
		comparisons int
		generate    bool
		jsonStart   string // how the JSON form begins
		text        []string
	}{
		{"optimize", opt, 1, false, "[", []string{"lessonl"}},
		{"generate", genResults(), 0, true, `{"comparisons":null,"generate":`, []string{"pass@1"}},
		{"both", append(append([]Result(nil), opt...), genResults()...), 1, true, `{"comparisons":[`, []string{"pass@1", "lessonl"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := CompareReference(&Runs{Results: tt.results}, "single", Options{Resamples: 200})
			if err != nil {
				t.Fatal(err)
			}
			if len(a.Comparisons) != tt.comparisons || (a.Generate != nil) != tt.generate {
				t.Fatalf("%d comparisons, generate table %v; want %d and %v", len(a.Comparisons), a.Generate != nil, tt.comparisons, tt.generate)
			}
			if a.Comparisons != nil && (a.Comparisons[0].Label != "lessonl" || a.Comparisons[0].Reference != "single" || a.Comparisons[0].Ratio < 1.9) {
				t.Errorf("comparison %+v, want lessonl at about twice single", a.Comparisons[0])
			}
			b, err := json.Marshal(a)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(string(b), tt.jsonStart) {
				t.Errorf("JSON %.200s, want it to begin %s", b, tt.jsonStart)
			}
			var text bytes.Buffer
			a.Text(&text, false)
			at := -1
			for _, want := range tt.text {
				i := strings.Index(text.String(), want)
				if i <= at {
					t.Errorf("text lacks %q after the previous part:\n%s", want, text.String())
				}
				at = i
			}
		})
	}
}

func TestSplitTwo(t *testing.T) {
	var rs []Result
	rs = append(rs, keyed("single-a", "single", "sim/a", "lessonl", "2", 2)...)
	rs = append(rs, keyed("single-a", "single", "sim/a", "paper", "2", 3)...)
	old, new, err := SplitTwo(rs, "protocol")
	if err != nil || old.Name != "protocol=lessonl" || new.Name != "protocol=paper" {
		t.Errorf("SplitTwo by protocol: %q, %q, %v", old.Name, new.Name, err)
	}
	for key, want := range map[string]string{
		"run":         "--group-by run: the runs have one value of run (run=r); compare takes exactly two",
		"temperature": "have [k mode model protocol run selection]",
	} {
		if _, _, err := SplitTwo(rs, key); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("SplitTwo by %s: %v, want an error with %q", key, err, want)
		}
	}
	rs = append(rs, keyed("single-a", "single", "sim/a", "other", "2", 3)...)
	if _, _, err := SplitTwo(rs, "protocol"); err == nil || !strings.Contains(err.Error(), "3 values of protocol (protocol=lessonl, protocol=other, protocol=paper)") {
		t.Errorf("SplitTwo over three values: %v", err)
	}
}
