package experiments

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/lessonlab/lessonl/experiments/spec"
	"github.com/lessonlab/lessonl/internal/llm/sim"
	"github.com/lessonlab/lessonl/internal/record"
)

// TestRelevanceByEmbeddingsOverHTTP runs LessonL with relevance by
// embeddings against serve-sim's /v1/embeddings over real HTTP: the
// selections record each lesson's cosine with the problem's code, and
// every text is embedded once (the code once, each lesson once, in the
// first selection after it is banked).
func TestRelevanceByEmbeddingsOverHTTP(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and times real code")
	}
	team, ps := miniSimAndProblems(t)
	var mu sync.Mutex
	var embedded []string // every text sent to /v1/embeddings, in order
	calls := 0
	h := sim.Handler(team, nil)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/embeddings" {
			body, _ := io.ReadAll(r.Body)
			var req struct {
				Input []string `json:"input"`
			}
			if err := json.Unmarshal(body, &req); err != nil {
				t.Errorf("embeddings request %s: %v", body, err)
			}
			mu.Lock()
			embedded = append(embedded, req.Input...)
			calls++
			mu.Unlock()
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	url := srv.URL + "/v1"

	p := ps[0]
	const rounds = 3
	abs, _ := filepath.Abs("testdata/mini")
	text := fmt.Sprintf(`name: emb
dataset: {path: %s, problems: [%s]}
evaluation: {repetitions: 3, warmup: 1, timeout: 30s}
agents:
  - {name: a, provider: openai, base_url: %[3]s, model: sim/coder-a}
  - {name: b, provider: openai, base_url: %[3]s, model: sim/coder-b}
  - {name: c, provider: openai, base_url: %[3]s, model: sim/coder-c}
strategies:
  - {name: lessonl, kind: lessonl, agents: [a, b, c], params: {rounds: %d, k: 2, selection: relevance, relevance: embeddings}}
embeddings: {provider: openai, base_url: %[3]s, model: %[5]s}
seeds: [1]
`, abs, p.ID, url, rounds, sim.EmbedModel)
	sp := filepath.Join(t.TempDir(), "spec.yaml")
	if err := os.WriteFile(sp, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "run")
	// No preflight: it sends the endpoint an embeddings request of its own
	// (TestPreflightEmbeddings); only the run's are counted here.
	sum, _, err := Execute(context.Background(), sp, out, Options{NoPreflight: true}, "test")
	if err != nil || sum.Ran != 1 || sum.Failed != 0 {
		t.Fatalf("run: %+v, %v", sum, err)
	}
	lessons, err := record.Read[record.Lesson](out, record.TableLessons)
	if err != nil {
		t.Fatal(err)
	}
	sels, err := record.Read[record.Selection](out, record.TableSelections)
	if err != nil {
		t.Fatal(err)
	}
	textOf := map[string]string{}
	var scored []string // lessons banked before the last round: each is scored
	for _, l := range lessons {
		textOf[l.LessonID] = l.Text
		if l.RoundWritten < rounds-1 {
			scored = append(scored, l.Text)
		}
	}
	if len(scored) <= 2 {
		t.Fatalf("only %d lessons before the last round; the test needs more than k", len(scored))
	}
	vec := func(s string) []float64 {
		v, _ := team.Embed(context.Background(), []string{s})
		return v[0]
	}
	code := vec(p.BaselineCode)
	relevance := 0
	shown := map[string]bool{} // a lesson shown to several agents is a row per agent
	for _, s := range sels {
		if s.Reason != "relevance" || shown[fmt.Sprint(s.RoundShown, s.LessonID)] {
			continue
		}
		shown[fmt.Sprint(s.RoundShown, s.LessonID)] = true
		relevance++
		l := vec(textOf[s.LessonID])
		dot := 0.0
		for i := range l {
			dot += l[i] * code[i] // both unit vectors
		}
		if math.Abs(s.Relevance-dot) > 1e-5 || s.Relevance == 0 {
			t.Errorf("round %d lesson %s: relevance %g, cosine of the embeddings %g", s.RoundShown, s.LessonID, s.Relevance, dot)
		}
	}
	if relevance != 2*(rounds-1) {
		t.Errorf("%d selections by relevance, want k=2 in each of %d rounds", relevance, rounds-1)
	}

	// Each text embedded once: the code, then each lesson the round after
	// it was banked; lessons of the last round are never needed.
	seen := map[string]int{}
	for _, e := range embedded {
		seen[e]++
	}
	for e, n := range seen {
		if n > 1 {
			t.Errorf("embedded %d times: %.60q", n, e)
		}
	}
	want := map[string]int{p.BaselineCode: 1}
	for _, s := range scored {
		want[s] = 1
	}
	// One call per selection that meets new texts: the sim's lessons
	// repeat (same technique, outcome and speedup), and a repeated text is
	// not embedded again.
	if len(seen) != len(want) || calls < 1 || calls > rounds-1 {
		t.Errorf("%d texts embedded in %d calls, want %d (the code and %d lessons, %d distinct) in 1 to %d calls",
			len(seen), calls, len(want), len(scored), len(want)-1, rounds-1)
	}
	for w := range want {
		if seen[w] != 1 {
			t.Errorf("not embedded: %.60q", w)
		}
	}
}

func TestEmbedder(t *testing.T) {
	p := &Providers{}
	embed, err := p.Embedder(spec.EmbeddingsSpec{Provider: "sim"})
	if err != nil {
		t.Fatal(err)
	}
	team, err := sim.New(sim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"void f(int* a) { a[0] = 1; }", "use a prefix sum"}
	got, err := embed(context.Background(), texts)
	want, _ := team.Embed(context.Background(), texts)
	if err != nil || !slices.EqualFunc(got, want, func(a, b []float64) bool { return slices.Equal(a, b) }) {
		t.Errorf("sim embedder: %v, %v", got, err)
	}
	if _, err := p.Embedder(spec.EmbeddingsSpec{Provider: "openai", BaseURL: "http://127.0.0.1:9/v1", Model: "m", APIKeyEnv: "LESSONL_TEST_UNSET_KEY"}); err == nil || !strings.Contains(err.Error(), "LESSONL_TEST_UNSET_KEY") {
		t.Errorf("openai embedder with an unset key: %v", err)
	}
}
