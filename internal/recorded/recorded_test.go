package recorded

import (
	"context"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/llm"
)

func fixtureProblems(t *testing.T, ids ...string) []*datasets.Problem {
	t.Helper()
	ps, err := datasets.LoadParEval(datasets.ParEval{Root: "../../datasets/testdata/pareval"})
	if err != nil {
		t.Fatal(err)
	}
	var out []*datasets.Problem
	for _, id := range ids {
		p, err := datasets.Find(ps, id)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

func TestLoad(t *testing.T) {
	for _, tt := range []struct {
		file     string
		verdicts bool
	}{{"testdata/results.json", true}, {"testdata/outputs.json", false}} {
		t.Run(tt.file, func(t *testing.T) {
			g, err := Load(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(g.Problems("serial"), ","); got != "00_reduce_sum_of_squares,50_stencil_border_xor" {
				t.Errorf("serial problems %s", got)
			}
			outs := g.Outputs("00_reduce_sum_of_squares", "serial")
			if len(outs) != 4 || len(g.Outputs("00_reduce_sum_of_squares", "openmp")) != 2 {
				t.Fatalf("%d serial and %d openmp outputs, want 4 and 2", len(outs), len(g.Outputs("00_reduce_sum_of_squares", "openmp")))
			}
			if !strings.HasSuffix(outs[0].Code, "{\n"+outs[0].Generated) || !strings.HasPrefix(outs[0].Code, "/* Return the sum") {
				t.Errorf("code is not prompt + newline + output:\n%s", outs[0].Code)
			}
			if (outs[1].Verdicts != nil) != tt.verdicts {
				t.Fatalf("verdicts %+v, want present %v", outs[1].Verdicts, tt.verdicts)
			}
			if tt.verdicts {
				v := outs[1].Verdicts
				if !v.DidBuild || v.AreAllValid || outs[2].Verdicts.DidBuild || outs[0].Verdicts.Runtime != 0.001 || v.BestSequentialRuntime != 0.002 {
					t.Errorf("verdicts %+v %+v %+v", outs[0].Verdicts, v, outs[2].Verdicts)
				}
			}
		})
	}
	if _, err := Load("testdata/README.md"); err == nil || !strings.Contains(err.Error(), "testdata/README.md") {
		t.Errorf("a file that is not JSON: %v", err)
	}
}

func TestCheckNamesMissing(t *testing.T) {
	g, err := Load("testdata/results.json")
	if err != nil {
		t.Fatal(err)
	}
	ps := fixtureProblems(t, "00_reduce_sum_of_squares", "01_geometry_farthest_from_origin", "50_stencil_border_xor")
	err = g.Check(ps, "serial")
	if err == nil || !strings.Contains(err.Error(), "testdata/results.json have no serial outputs for 1 problems: 01_geometry_farthest_from_origin") {
		t.Errorf("serial: %v", err)
	}
	err = g.Check(ps[:1], "openmp")
	if err != nil {
		t.Errorf("openmp 00: %v", err)
	}
	if err := g.Check(ps[2:], "openmp"); err == nil || !strings.Contains(err.Error(), "no omp outputs") {
		t.Errorf("openmp 50: %v", err)
	}
}

// TestChatDrawsWithoutReplacement: one agent's calls in a cell get every
// recorded output once before any repeats, the reply is exactly a
// recorded output in a code block, and the draw depends only on seed,
// agent, problem and ordinal.
func TestChatDrawsWithoutReplacement(t *testing.T) {
	g, err := Load("testdata/results.json")
	if err != nil {
		t.Fatal(err)
	}
	ps := fixtureProblems(t, "00_reduce_sum_of_squares", "50_stencil_border_xor")
	pr, err := NewProvider(g, "serial", "codellama-test", ps)
	if err != nil {
		t.Fatal(err)
	}
	p := ps[0]
	msgs := []llm.Message{{Role: "user", Content: "Optimize this code:\n```cpp\n" + p.BaselineCode + "```\n"}}
	outs := g.Outputs(p.ID, "serial")
	seen := map[string]bool{}
	var first []string
	for ord := 1; ord <= 4; ord++ {
		r, err := pr.Chat(context.Background(), llm.Request{Messages: msgs, Seed: 7, Agent: "a", Ordinal: ord})
		if err != nil {
			t.Fatal(err)
		}
		code, ok := llm.ExtractCode(r.Text, p.Function)
		if !ok {
			t.Fatalf("no code in %q", r.Text)
		}
		match := -1
		for i, o := range outs {
			if strings.TrimSpace(code) == strings.TrimSpace(o.Code) {
				match = i
			}
		}
		if match < 0 {
			t.Fatalf("call %d: the code is no recorded output:\n%s", ord, code)
		}
		if r.FinishReason != "recorded:00_reduce_sum_of_squares:"+string(rune('0'+match)) {
			t.Errorf("finish reason %q for output %d", r.FinishReason, match)
		}
		if seen[code] {
			t.Errorf("call %d repeats an output before all were drawn", ord)
		}
		seen[code] = true
		first = append(first, code)
	}
	again, _ := pr.Chat(context.Background(), llm.Request{Messages: msgs, Seed: 7, Agent: "a", Ordinal: 2})
	if code, _ := llm.ExtractCode(again.Text, p.Function); code != first[1] {
		t.Error("the same seed, agent and ordinal drew another output")
	}
	differ := false
	for seed := int64(1); seed <= 20 && !differ; seed++ {
		differ = Draw(4, seed, "a", p.ID, 1) != Draw(4, 7, "a", p.ID, 1)
	}
	if !differ {
		t.Error("the first draw never changes with the seed")
	}
	other := []llm.Message{{Role: "user", Content: "hello"}}
	if _, err := pr.Chat(context.Background(), llm.Request{Messages: other, Ordinal: 1}); err == nil || !strings.Contains(err.Error(), Label) {
		t.Errorf("a request without a problem's code: %v", err)
	}
}

func TestVoteByAgreement(t *testing.T) {
	g, err := Load("testdata/outputs.json")
	if err != nil {
		t.Fatal(err)
	}
	ps := fixtureProblems(t, "00_reduce_sum_of_squares")
	pr, err := NewProvider(g, "serial", "m", ps)
	if err != nil {
		t.Fatal(err)
	}
	ballot := "Here is the original C++ code:\n\n```cpp\n" + ps[0].BaselineCode + "```\n" +
		"Here are candidate rewrites.\n\nCandidate 1:\n```cpp\nint a;\n```\n\nCandidate 2:\n```cpp\nint b;\n```\n\nCandidate 3:\n```cpp\nint b;\n```\n" +
		"\nWhich candidate? Answer with one line \"Vote: N\" (the candidate's number)."
	r, err := pr.Chat(context.Background(), llm.Request{Messages: []llm.Message{{Role: "user", Content: ballot}}, Ordinal: 4})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.Text, "Vote: 2\n") || r.FinishReason != "recorded:vote-by-agreement" {
		t.Errorf("vote %q (%s)", r.Text, r.FinishReason)
	}
}

// TestNoResult: an output ParEval built whose runs all lack is_valid (its
// run ended before validate() answered) is marked NoResult; one valid or
// invalid run, or no build, is not.
func TestNoResult(t *testing.T) {
	for _, tt := range []struct {
		name, raw string
		want      bool
	}{
		{"no validity in any run", `{"generated_output": "x", "did_build": true, "are_all_valid": false, "runs": [{"did_run": true, "is_valid": null, "runtime": null}]}`, true},
		{"one invalid run", `{"generated_output": "x", "did_build": true, "are_all_valid": false, "runs": [{"is_valid": null}, {"is_valid": false}]}`, false},
		{"valid", `{"generated_output": "x", "did_build": true, "are_all_valid": true, "runs": [{"is_valid": true, "runtime": 0.1}]}`, false},
		{"not built", `{"generated_output": "x", "did_build": false, "are_all_valid": false, "runs": []}`, false},
		{"built, never run", `{"generated_output": "x", "did_build": true, "are_all_valid": false, "runs": []}`, false},
	} {
		o, verdicts, err := parseOutput("p", []byte(tt.raw))
		if err != nil || !verdicts {
			t.Fatalf("%s: verdicts %v, error %v", tt.name, verdicts, err)
		}
		if o.Verdicts.NoResult != tt.want {
			t.Errorf("%s: NoResult %v, want %v", tt.name, o.Verdicts.NoResult, tt.want)
		}
	}
}
