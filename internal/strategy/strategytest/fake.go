// Package strategytest provides a scripted model, evaluator and recorder
// for testing strategies without an LLM or a compiler.
package strategytest

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/evaluate"
	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/strategy"
)

// Model answers by the request's Ask cue, never by wording: code for
// optimize prompts (a code block whose body names the agent and call
// count), "Lesson: ..." for lesson prompts, "Vote: 1" for votes, numbered
// plans for plan prompts, XML for MapCoder's retrieval and confidence. A
// Fail function, when set, makes chosen calls fail.
type Model struct {
	Name string
	Fail func(n int, req llm.Request) error

	mu    sync.Mutex
	n     int
	Seen  []llm.Request
	Speed float64 // speedup marker its code carries; 2 by default
	// SpeedOf, when set, gives the marker of the code its n-th call writes.
	SpeedOf func(n int) float64
	// Fence is the language tag of its code blocks; "cpp" by default.
	// Protocol paper's extraction reads only "c++" (and "cpp" for the
	// LessonL agents).
	Fence string
}

// Chat implements llm.Provider.
func (m *Model) Chat(_ context.Context, req llm.Request) (llm.Response, error) {
	m.mu.Lock()
	m.n++
	n := m.n
	m.Seen = append(m.Seen, req)
	m.mu.Unlock()
	if m.Fail != nil {
		if err := m.Fail(n, req); err != nil {
			return llm.Response{}, err
		}
	}
	user := req.Messages[len(req.Messages)-1].Content
	speed := m.Speed
	if speed == 0 {
		speed = 2
	}
	if m.SpeedOf != nil {
		speed = m.SpeedOf(n)
	}
	var text string
	if generate(req) {
		text = genReply(m.Name, n, req)
		return llm.Response{Text: text, PromptTokens: len(user) / 4, CompletionTokens: len(text) / 4}, nil
	}
	switch Ask(req) {
	case llm.AskLesson:
		text = "Lesson: " + m.Name + " says use a better algorithm."
	case llm.AskVote:
		text = "Vote: 1 because it looks fastest."
	case llm.AskPlan:
		text = fmt.Sprintf("Plan 1: hoist (call %d).\nPlan 2: block.\nPlan 3: sort.", n)
	case llm.AskReflect:
		text = "The loop order is poor; interchange it."
	case llm.AskRetrieve:
		text = "<root>\n" + strings.Repeat("<problem><description>Sum an array.</description><code>x</code><planning>Unroll the loop.</planning></problem>\n", 3) +
			"<algorithm>Loop unrolling.</algorithm>\n</root>"
	case llm.AskConfidence:
		text = fmt.Sprintf("<root><explanation>Fine.</explanation><confidence>%d</confidence></root>", 10*(n%10))
	default:
		fence := m.Fence
		if fence == "" {
			fence = "cpp"
		}
		text = fmt.Sprintf("Here:\n```%s\n// speed=%g by %s call %d\nint f() { return 0; }\n```", fence, speed, m.Name, n)
	}
	return llm.Response{Text: text, PromptTokens: len(user) / 4, CompletionTokens: len(text) / 4}, nil
}

// Ask returns the name of req's Ask cue without its count, "" when it has none.
func Ask(req llm.Request) string {
	for _, c := range req.Cues {
		if strings.HasPrefix(c.Name, "ask/") {
			name, _, _ := strings.Cut(c.Name, ":") // ask/plan:3 asks for three
			return name
		}
	}
	return ""
}

// Calls is how many calls the model got.
func (m *Model) Calls() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.n
}

var speedRe = regexp.MustCompile(`speed=([0-9.]+)`)

// Evaluator reads the "speed=" marker of the fake code as the speedup;
// code with "speed=0" is incorrect.
type Evaluator struct {
	mu sync.Mutex
	N  int
}

// Evaluate implements strategy.Evaluator.
func (e *Evaluator) Evaluate(_ context.Context, _ *datasets.Problem, code string) (evaluate.Outcome, error) {
	e.mu.Lock()
	e.N++
	e.mu.Unlock()
	m := speedRe.FindStringSubmatch(code)
	if m == nil {
		return evaluate.Outcome{Status: evaluate.NotCompilable, Detail: "error: no marker"}, nil
	}
	var s float64
	fmt.Sscanf(m[1], "%g", &s)
	if s == 0 {
		return evaluate.Outcome{Status: evaluate.Incorrect}, nil
	}
	return evaluate.Outcome{Status: evaluate.Correct, Speedup: s, CILow: s * 0.98, CIHigh: s * 1.02}, nil
}

// Recorder keeps everything recorded.
type Recorder = strategy.Trace

var fenceRe = regexp.MustCompile("(?s)```(?:cpp|c\\+\\+)\n(.*?)```")

// Extract takes the first ```cpp or ```c++ block.
func Extract(reply, _ string) (string, bool) {
	m := fenceRe.FindStringSubmatch(reply)
	if m == nil {
		return "", false
	}
	return m[1], true
}

// ErrDown is what failing fake calls return.
var ErrDown = errors.New("endpoint down")

// Env builds an env over n fake agents on a tiny problem.
func Env(n int) (*strategy.Env, []*Model, *Recorder, *Evaluator) {
	var agents []*strategy.Agent
	var models []*Model
	for i := 0; i < n; i++ {
		m := &Model{Name: fmt.Sprintf("agent-%c", 'a'+i)}
		models = append(models, m)
		agents = append(agents, &strategy.Agent{Name: m.Name, Provider: "fake", Model: "fake/" + m.Name, LLM: m})
	}
	rec, ev := &Recorder{}, &Evaluator{}
	p := &datasets.Problem{ID: "p", Category: "sort", Function: "f", BaselineCode: "int f() { return 0; }\n"}
	return &strategy.Env{Problem: p, Agents: agents, Evaluators: strategy.Evaluators{strategy.TaskOptimize: ev}, Recorder: rec, Seed: 1, Extract: Extract}, models, rec, ev
}
