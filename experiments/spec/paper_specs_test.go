package spec

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPaperSpecsEvaluationStated: every shipped code-opt paper spec runs
// protocol paper, names its timing protocol instead of taking the
// default, states how its evaluation differs from the authors' driver,
// and shows ParEval's published src_code as is (faithful: true).
func TestPaperSpecsEvaluationStated(t *testing.T) {
	files, _ := filepath.Glob("../specs/paper*.yaml")
	checked := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s, err := Parse(f, raw, shippedEnv)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if s.Protocol != "paper" {
			t.Errorf("%s: protocol %q, want paper", f, s.Protocol)
		}
		pe := s.Dataset.ParEval
		if pe == nil {
			continue
		}
		checked++
		if s.Evaluation.Timing == "" {
			t.Errorf("%s: no explicit timing protocol", f)
		}
		for _, word := range []string{"timing", "validation", "checked", "identical"} {
			if !strings.Contains(string(raw), "#   "+word) {
				t.Errorf("%s: does not state how its %s differs from the authors' driver", f, word)
			}
		}
		if pe.Suite != "polybench" && !pe.Faithful {
			t.Errorf("%s: ParEval without faithful: true shows other code than the published src_code", f)
		}
	}
	if checked < 3 {
		t.Errorf("%d code-opt paper specs checked, want paper-pareval, -sim and -polybench", checked)
	}
}
