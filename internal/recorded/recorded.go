package recorded

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"strings"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/llm"
)

// Label is how reports name these agents.
const Label = "recorded generations"

// Mode names as ParEval's files spell them (parallelism_model), by
// lessonl's evaluation mode.
var parallelism = map[string]string{"": "serial", "serial": "serial", "openmp": "omp"}

// Output is one recorded generation and, where the file has them, the
// ParEval authors' verdicts on it.
type Output struct {
	// Code is the candidate as ParEval compiles it: prompt, newline,
	// generated output.
	Code string `json:"code"`
	// Generated is the model's output alone.
	Generated string `json:"generated"`
	// Verdicts are nil when the file has none (outputs/*.json).
	Verdicts *Verdicts `json:"verdicts,omitempty"`
}

// Verdicts are ParEval's own judgement of one output (results/*/*.json).
type Verdicts struct {
	DidBuild    bool `json:"did_build"`
	AreAllValid bool `json:"are_all_valid"`
	// BestSequentialRuntime is ParEval's baseline time, seconds; Runtime the
	// output's fastest valid run (0 when none).
	BestSequentialRuntime float64 `json:"best_sequential_runtime"`
	Runtime               float64 `json:"runtime"`
	// FirstInvalidThreads is the fewest threads of a run ParEval did not
	// find valid, 0 when every run was valid or runs name no threads:
	// OpenMP outputs with a data race pass at 1 to 8 threads and fail at
	// 16 or more.
	FirstInvalidThreads int `json:"first_invalid_threads,omitempty"`
	// NoResult is an output ParEval built and ran, but no run of which
	// reported a validity (is_valid null in every run): its run ended
	// before validate() answered, at the pipeline's time limit or in a
	// crash, and ParEval counts it invalid.
	NoResult bool `json:"no_result,omitempty"`
}

// Generations are one file's outputs by problem name and parallelism model.
type Generations struct {
	Path    string
	byKey   map[string][]Output
	prompts map[string]string
}

type record struct {
	Name             string            `json:"name"`
	ParallelismModel string            `json:"parallelism_model"`
	Prompt           string            `json:"prompt"`
	Outputs          []json.RawMessage `json:"outputs"`
}

type resultOutput struct {
	GeneratedOutput       string   `json:"generated_output"`
	DidBuild              *bool    `json:"did_build"`
	AreAllValid           *bool    `json:"are_all_valid"`
	BestSequentialRuntime *float64 `json:"best_sequential_runtime"`
	Runs                  []struct {
		NumThreads int      `json:"num_threads"`
		Runtime    *float64 `json:"runtime"`
		IsValid    *bool    `json:"is_valid"`
	} `json:"runs"`
}

// Load reads a ParEval outputs or results file: a JSON list of records
// {name, parallelism_model, prompt, outputs}, whose outputs are strings
// (outputs/*.json) or objects with generated_output and the authors'
// verdicts (results/*/*.json). Errors name the file and the record.
func Load(path string) (*Generations, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("recorded generations: %w", err)
	}
	var recs []record
	if err := json.Unmarshal(b, &recs); err != nil {
		return nil, fmt.Errorf("recorded generations %s: not a ParEval outputs or results file (a JSON list of records): %w", path, err)
	}
	g := &Generations{Path: path, byKey: map[string][]Output{}, prompts: map[string]string{}}
	for i, r := range recs {
		if r.Name == "" || r.ParallelismModel == "" {
			return nil, fmt.Errorf("recorded generations %s: record %d: missing name or parallelism_model", path, i)
		}
		var outs []Output
		withVerdicts := false
		for j, raw := range r.Outputs {
			o, verdicts, err := parseOutput(r.Prompt, raw)
			if err != nil {
				return nil, fmt.Errorf("recorded generations %s: %s (%s) output %d: %w", path, r.Name, r.ParallelismModel, j, err)
			}
			withVerdicts = withVerdicts || verdicts
			outs = append(outs, o)
		}
		key := r.Name + "\x00" + r.ParallelismModel
		// results/*/<model>.json repeats every model's records; the one
		// with verdicts is the file's own.
		if old, ok := g.byKey[key]; ok && (len(old) > 0 && old[0].Verdicts != nil || !withVerdicts) {
			continue
		}
		g.byKey[key] = outs
		g.prompts[key] = r.Prompt
	}
	return g, nil
}

func parseOutput(prompt string, raw json.RawMessage) (Output, bool, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return Output{}, false, err
		}
		return Output{Code: prompt + "\n" + s, Generated: s}, false, nil
	}
	var r resultOutput
	if err := json.Unmarshal(raw, &r); err != nil {
		return Output{}, false, fmt.Errorf("want a string or an object with generated_output: %w", err)
	}
	o := Output{Code: prompt + "\n" + r.GeneratedOutput, Generated: r.GeneratedOutput}
	if r.DidBuild == nil {
		return o, false, nil
	}
	v := &Verdicts{DidBuild: *r.DidBuild}
	if r.AreAllValid != nil {
		v.AreAllValid = *r.AreAllValid
	}
	if r.BestSequentialRuntime != nil {
		v.BestSequentialRuntime = *r.BestSequentialRuntime
	}
	v.NoResult = v.DidBuild && !v.AreAllValid && len(r.Runs) > 0
	for _, run := range r.Runs {
		if run.IsValid != nil {
			v.NoResult = false
		}
		if run.Runtime != nil && run.IsValid != nil && *run.IsValid && (v.Runtime == 0 || *run.Runtime < v.Runtime) {
			v.Runtime = *run.Runtime
		}
		if (run.IsValid == nil || !*run.IsValid) && run.NumThreads > 0 && (v.FirstInvalidThreads == 0 || run.NumThreads < v.FirstInvalidThreads) {
			v.FirstInvalidThreads = run.NumThreads
		}
	}
	o.Verdicts = v
	return o, true, nil
}

// Outputs are the recorded outputs for a problem in a lessonl evaluation
// mode ("serial" or "openmp").
func (g *Generations) Outputs(problem, mode string) []Output {
	return g.byKey[problem+"\x00"+parallelism[mode]]
}

// Prompt is ParEval's generation prompt for a problem in mode.
func (g *Generations) Prompt(problem, mode string) string {
	return g.prompts[problem+"\x00"+parallelism[mode]]
}

// Problems lists the problem names the file has outputs for in mode.
func (g *Generations) Problems(mode string) []string {
	var out []string
	suffix := "\x00" + parallelism[mode]
	for k, v := range g.byKey {
		if name, ok := strings.CutSuffix(k, suffix); ok && len(v) > 0 {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// Check says which of problems the file lacks in mode, as one error naming
// the file, the mode and the problems.
func (g *Generations) Check(problems []*datasets.Problem, mode string) error {
	var missing []string
	for _, p := range problems {
		if len(g.Outputs(p.ID, mode)) == 0 {
			missing = append(missing, p.ID)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return fmt.Errorf("recorded generations %s have no %s outputs for %d problems: %s", g.Path, parallelism[mode], len(missing), strings.Join(missing, ", "))
}

// Provider answers chat requests with recorded outputs.
type Provider struct {
	g        *Generations
	mode     string
	model    string
	problems []*datasets.Problem
}

// NewProvider serves g's outputs in mode for problems (which it recognises
// in a request by their baseline code); model is the name its replies carry.
func NewProvider(g *Generations, mode, model string, problems []*datasets.Problem) (*Provider, error) {
	if err := g.Check(problems, mode); err != nil {
		return nil, err
	}
	return &Provider{g: g, mode: mode, model: model, problems: problems}, nil
}

// Draw is the index of the output a call takes among n: a permutation of
// 0..n-1 seeded by (seed, agent, problem), walked by the call's ordinal, so
// that one agent's calls in a cell never repeat an output before all n are
// used.
func Draw(n int, seed int64, agent, problem string, ordinal int) int {
	h := sha256.New()
	fmt.Fprintf(h, "%d\x00%s\x00%s", seed, agent, problem)
	sum := h.Sum(nil)
	r := rand.New(rand.NewPCG(binary.LittleEndian.Uint64(sum[:8]), binary.LittleEndian.Uint64(sum[8:16])))
	perm := r.Perm(n)
	return perm[(max(ordinal, 1)-1)%n]
}

// Chat implements llm.Provider. A request to vote among candidates (which
// recorded generations cannot do) is answered with the candidate whose code
// most candidates share, ties to the first, and says so.
func (p *Provider) Chat(ctx context.Context, req llm.Request) (llm.Response, error) {
	if err := ctx.Err(); err != nil {
		return llm.Response{}, err
	}
	prob := p.problemOf(req)
	if prob == nil {
		return llm.Response{}, fmt.Errorf("%s: the request shows none of the run's problems' code", Label)
	}
	prompt := llm.EstimatePromptTokens(req.Messages)
	if isVote(req) {
		text := fmt.Sprintf("Vote: %d\n(%s cannot vote; lessonl votes for the candidate whose code most candidates share.)", agreementVote(req), Label)
		return llm.Response{Text: text, Model: p.model, PromptTokens: prompt, CompletionTokens: llm.EstimateTokens(text),
			UsageEstimated: true, FinishReason: "recorded:vote-by-agreement", Attempts: 1}, nil
	}
	outs := p.g.Outputs(prob.ID, p.mode)
	i := Draw(len(outs), req.Seed, req.Agent, prob.ID, req.Ordinal)
	text := "```cpp\n" + outs[i].Code + "\n```\n"
	return llm.Response{Text: text, Model: p.model, PromptTokens: prompt, CompletionTokens: llm.EstimateTokens(outs[i].Generated),
		UsageEstimated: true, FinishReason: fmt.Sprintf("recorded:%s:%d", prob.ID, i), Attempts: 1}, nil
}

// problemOf is the problem whose baseline code the request shows (the
// longest such, should one contain another).
func (p *Provider) problemOf(req llm.Request) *datasets.Problem {
	var all strings.Builder
	for _, m := range req.Messages {
		all.WriteString(m.Content)
		all.WriteString("\n")
	}
	text := all.String()
	var best *datasets.Problem
	for _, pr := range p.problems {
		code := strings.TrimSpace(pr.BaselineCode)
		if code != "" && strings.Contains(text, code) && (best == nil || len(code) > len(strings.TrimSpace(best.BaselineCode))) {
			best = pr
		}
	}
	return best
}

// isVote reports whether req asks to vote among candidates.
func isVote(req llm.Request) bool {
	for _, c := range req.Cues {
		if c.Name == llm.AskVote {
			return true
		}
	}
	n := len(req.Messages)
	return n > 0 && strings.Contains(req.Messages[n-1].Content, `"Vote: N"`)
}

// agreementVote is the 1-based number of the candidate shown in the last
// message whose code block most other candidates repeat exactly.
func agreementVote(req llm.Request) int {
	text := req.Messages[len(req.Messages)-1].Content
	parts := strings.Split(text, "\nCandidate ")
	count := map[string]int{}
	var codes []string
	for _, part := range parts[1:] {
		code := ""
		if bs := llm.Blocks(part); len(bs) > 0 {
			code = strings.TrimSpace(bs[0].Code)
		}
		codes = append(codes, code)
		count[code]++
	}
	best := 0
	for i, c := range codes {
		if count[c] > count[codes[best]] {
			best = i
		}
	}
	return best + 1
}
