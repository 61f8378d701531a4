// Package viewtest writes a small run folder for the run browser's tests:
// two strategies on two problems with two seeds, whose LessonL cell holds
// known candidates, lessons, selections and LLM calls, and hostile text
// (markup in a reply, a lesson, compiler output and the manifest) that the
// pages must show as text.
package viewtest

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/lessonlab/lessonl/internal/record"
)

// Hostile is the reply of the LessonL cell's first call: a script and
// markup that must appear as text, never run or render.
const Hostile = `Here is the code. <script>alert(1)</script><img src=x onerror="alert(2)"><b id="injected">bold</b>`

// HostileLesson is the text of the LessonL cell's first lesson.
const HostileLesson = `Merging in place beats the copy </td></tr><script>alert(3)</script> by 2.5x.`

// HostileDetail is the compiler output of the failing candidate.
const HostileDetail = "candidate.cpp:3: error: expected ';' <b>before</b> & \"}\" token"

// Baseline is every problem's baseline code.
const Baseline = `#include <vector>

// sum adds the elements of v.
long sum(const std::vector<int>& v) {
    long s = 0;
    for (size_t i = 0; i < v.size(); i++) {
        s += v[i];
    }
    return s;
}
`

// Improved is the fast candidate's code: Baseline with its loop unrolled.
const Improved = `#include <vector>

// sum adds the elements of v.
long sum(const std::vector<int>& v) {
    long s0 = 0, s1 = 0;
    size_t i = 0;
    for (; i + 1 < v.size(); i += 2) {
        s0 += v[i];
        s1 += v[i + 1];
    }
    if (i < v.size()) s0 += v[i];
    return s0 + s1;
}
`

// AddedLine is a line of Improved that Baseline lacks.
const AddedLine = "        s1 += v[i + 1];"

// The cell whose records are detailed.
const (
	Strategy = "lessonl"
	Problem  = "sort-merge"
	Category = "sort"
	Seed     = int64(1)
)

// Problems are the problems of the run with their categories.
var Problems = [][2]string{{"sort-merge", "sort"}, {"stencil-blur", "stencil"}}

// Strategies are the run's strategies; Seeds its seeds.
var (
	Strategies = []string{"lessonl", "single"}
	Seeds      = []int64{1, 2}
)

// Write writes the run folder into dir.
func Write(dir string) error {
	w, err := record.NewWriter(dir)
	if err != nil {
		return err
	}
	spec, _ := json.Marshal(map[string]any{"name": "viewtest", "evaluation": map[string]any{"mode": "serial"}})
	start := time.Date(2026, 11, 23, 6, 0, 0, 0, time.UTC)
	m := &record.Manifest{SchemaVersion: record.SchemaVersion, Name: "viewtest", SpecHash: "0123456789abcdef0123", Spec: spec,
		Tool: "test", Host: "testhost", OS: "linux/amd64", CPU: "test cpu", Cores: 2, Compiler: "g++ (test) 12",
		Sandbox: map[string]string{"user": "<i>nobody</i>"}, Started: start, Ended: start.Add(time.Minute),
		Cells: len(Problems) * len(Strategies) * len(Seeds)}
	if err := record.WriteManifest(dir, m); err != nil {
		return err
	}
	for si, s := range Strategies {
		for pi, p := range Problems {
			for _, seed := range Seeds {
				b := batch(s, p[0], p[1], seed, float64(1+si+pi)+0.25*float64(seed))
				if s == Strategy && p[0] == Problem && seed == Seed {
					detail(b)
				}
				if err := w.Write(b); err != nil {
					return fmt.Errorf("viewtest: %w", err)
				}
			}
		}
	}
	return nil
}

// batch is a cell with one correct candidate of the given speedup.
func batch(strategy, problem, category string, seed int64, speedup float64) *record.Batch {
	key := record.Key(strategy, "", problem, seed)
	cand := record.Candidate{CellRef: record.CellRef{Strategy: strategy, ProblemID: problem, Seed: seed}, CandidateID: "k001", Agent: "coder-a",
		CallID: "c001", Code: Improved, CodeHash: "h-improved", Status: "correct", Speedup: speedup, CILow: speedup * 0.95,
		CIHigh: speedup * 1.05, Repetitions: 10, CompileMS: 900, RunMS: 2000, FinalAnswer: true}
	return &record.Batch{
		Key: key,
		Cells: []record.Cell{{Strategy: strategy, Kind: strategy, ProblemID: problem, Category: category, Seed: seed,
			Agents: "coder-a,coder-b", Params: `{"rounds":2}`, Status: "done", Host: "testhost"}},
		Candidates: []record.Candidate{cand},
		LLMCalls: []record.LLMCall{{CellRef: record.CellRef{Strategy: strategy, ProblemID: problem, Seed: seed}, CallID: "c001", Agent: "coder-a",
			Provider: "sim", Model: "sim/coder-a", Purpose: "optimize", Prompt: prompt(), Reply: "```cpp\n" + Improved + "```"}},
		Results: []record.Result{{Strategy: strategy, Kind: strategy, ProblemID: problem, Category: category, Seed: seed,
			Status: "correct", Speedup: speedup, CILow: speedup * 0.95, CIHigh: speedup * 1.05, Compiled: true, Correct: true,
			FinalCandidateID: "k001", FinalAgent: "coder-a", LLMCalls: 1, PromptTokens: 100, CompletionTokens: 50,
			Evaluations: 1, WallMS: 1500, RoundBest: fmt.Sprintf("[%g]", speedup)}},
	}
}

// detail gives the LessonL cell two rounds: a failing candidate, lessons
// (one hostile), and the selections of round 1, reasons and scores.
func detail(b *record.Batch) {
	ref := record.CellRef{Strategy: Strategy, ProblemID: Problem, Seed: Seed}
	b.LLMCalls[0].Reply = Hostile + "\n```cpp\n" + Improved + "```"
	b.Candidates = append(b.Candidates,
		record.Candidate{CellRef: ref, CandidateID: "k002", Agent: "coder-b", CallID: "c002",
			Code: "long sum(const std::vector<int>& v) { return 0 }\n", CodeHash: "h-broken", Status: "not_compilable",
			Detail: HostileDetail, CompileMS: 300},
		record.Candidate{CellRef: ref, Round: 1, CandidateID: "k003", Agent: "coder-b", CallID: "c005",
			Code: Improved, CodeHash: "h-improved", Status: "correct", Speedup: 2.4, CILow: 2.3, CIHigh: 2.5, Cached: true})
	b.LLMCalls = append(b.LLMCalls,
		record.LLMCall{CellRef: ref, CallID: "c002", Agent: "coder-b", Provider: "sim", Model: "sim/coder-b",
			Purpose: "optimize", Prompt: prompt(), Reply: "```cpp\nlong sum(const std::vector<int>& v) { return 0 }\n```"},
		record.LLMCall{CellRef: ref, CallID: "c003", Agent: "coder-a", Provider: "sim", Model: "sim/coder-a",
			Purpose: "lesson", Prompt: `[{"role":"user","content":"Explain why it was faster."}]`, Reply: HostileLesson},
		record.LLMCall{CellRef: ref, CallID: "c004", Agent: "coder-b", Provider: "sim", Model: "sim/coder-b",
			Purpose: "lesson", Prompt: `[{"role":"user","content":"Explain why it failed."}]`, Reply: "A missing semicolon."},
		record.LLMCall{CellRef: ref, CallID: "c005", Round: 1, Agent: "coder-b", Provider: "sim", Model: "sim/coder-b",
			Purpose: "optimize", Prompt: prompt(), Reply: "```cpp\n" + Improved + "```"})
	b.Lessons = []record.Lesson{
		{CellRef: ref, LessonID: "r0-coder-a", Agent: "coder-a", CandidateID: "k001", CallID: "c003",
			Outcome: "significant", Speedup: b.Candidates[0].Speedup, Text: HostileLesson},
		{CellRef: ref, LessonID: "r0-coder-b", Agent: "coder-b", CandidateID: "k002", CallID: "c004",
			Outcome: "not_compilable", Text: "A missing semicolon broke the build."},
	}
	b.Selections = []record.Selection{
		{CellRef: ref, RoundShown: 1, Agent: "coder-a", LessonID: "r0-coder-a", Reason: "speedup", AdjustedSpeedup: 2.5, Factor: 1},
		{CellRef: ref, RoundShown: 1, Agent: "coder-b", LessonID: "r0-coder-a", Reason: "speedup", AdjustedSpeedup: 2.5, Factor: 1},
		{CellRef: ref, RoundShown: 1, Agent: "coder-a", LessonID: "r0-coder-b", Reason: "relevance", Relevance: 0.42, Factor: 1},
		{CellRef: ref, RoundShown: 1, Agent: "coder-b", LessonID: "r0-coder-b", Reason: "relevance", Relevance: 0.42, Factor: 1},
	}
	b.Results[0].LLMCalls = int64(len(b.LLMCalls))
	b.Results[0].RoundBest = fmt.Sprintf("[%g,%g]", b.Candidates[0].Speedup, b.Candidates[0].Speedup)
}

// prompt is an optimize prompt showing Baseline, as strategies send it.
func prompt() string {
	msgs := []map[string]string{
		{"role": "system", "content": "You are an expert C++ performance engineer."},
		{"role": "user", "content": "Optimize the following C++ code for speed.\n\n```cpp\n" + Baseline + "```\n\nAnswer with the complete optimized code in a single ```cpp block."},
	}
	b, _ := json.Marshal(msgs)
	return string(b)
}

// WriteCell adds one more cell (strategy single, the given problem and
// seed) to the run folder dir, as a run in progress would.
func WriteCell(dir, problem, category string, seed int64) error {
	w, err := record.NewWriter(dir)
	if err != nil {
		return err
	}
	return w.Write(batch("single", problem, category, seed, 1.5))
}
