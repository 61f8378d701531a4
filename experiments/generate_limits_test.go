package experiments

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/internal/record"
)

// fixedAnswer is an OpenAI-compatible chat endpoint on 127.0.0.1 whose
// every answer is reply.
func fixedAnswer(t *testing.T, reply string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/chat/completions" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{
			"id": "fixed", "object": "chat.completion", "model": "fixed",
			"choices": []map[string]any{{"index": 0, "finish_reason": "stop",
				"message": map[string]string{"role": "assistant", "content": reply}}},
			"usage": map[string]int{"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
		})
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestGenerateSpecEvaluationLimits runs a spec of a HumanEval-style
// problem whose one agent answers with hostile code, and reads how the
// candidate ended: the spec's evaluation timeout (2s, below the default
// 60s and below a test's own 4s alarm) kills a candidate that loops
// forever, and its memory_gib (1) makes an allocation of 1.5 GiB, which
// the default 4 GiB admits, fail with MemoryError. Each verdict names the
// spec's limit, so the Python evaluator got the spec's settings. The loop
// sleeps: a busy machine that keeps a spinning candidate from a CPU
// stretches its wall limit by that wait (the sandbox's watchdog) but not
// the judge's alarm, which could then fire first.
func TestGenerateSpecEvaluationLimits(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a cell end to end")
	}
	problem, _ := json.Marshal(map[string]string{
		"task_id": "Limits/0", "entry_point": "add",
		"prompt":             "def add(a, b):\n    \"\"\"Return a + b.\"\"\"\n",
		"canonical_solution": "    return a + b\n",
		"test":               "def check(candidate):\n    assert candidate(1, 2) == 3\n",
	})
	data := filepath.Join(t.TempDir(), "limits.jsonl")
	if err := os.WriteFile(data, append(problem, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, code, evaluation string
		status, detail         string
	}{
		{"loops forever", "import time\ndef add(a, b):\n    while True:\n        time.sleep(0.1)\n", "{timeout: 2s}",
			"timeout", "killed: time limit (wall 2s, cpu 4s)"},
		{"allocates 1.5 GiB", "def add(a, b):\n    x = bytearray(1536 << 20)\n    return a + b + len(x) - len(x)\n", "{memory_gib: 1}",
			"failed", "MemoryError"},
	} {
		t.Run(c.name, func(t *testing.T) {
			url := fixedAnswer(t, "```python\n"+c.code+"```\n")
			sp := filepath.Join(t.TempDir(), "spec.yaml")
			os.WriteFile(sp, []byte(fmt.Sprintf(`name: limits
dataset: {humaneval: {path: %s}}
agents:
  - {name: a, provider: openai, base_url: %s/v1, model: fixed}
strategies:
  - {name: single, kind: single, agents: [a]}
seeds: [1]
evaluation: %s
`, data, url, c.evaluation)), 0o644)
			out := filepath.Join(t.TempDir(), "run")
			if _, _, err := Execute(context.Background(), sp, out, Options{NoPreflight: true, NoCache: true}, "test"); err != nil {
				t.Fatal(err)
			}
			cands, err := record.Read[record.Candidate](out, record.TableCandidates)
			if err != nil {
				t.Fatal(err)
			}
			if len(cands) != 1 {
				t.Fatalf("%d candidates, want 1", len(cands))
			}
			got := cands[0]
			if got.Status != c.status || !strings.Contains(got.Detail, c.detail) || got.Passed != 0 || got.Total != 1 {
				t.Errorf("status %s, %d/%d passed, detail %q; want %s, 0/1, a detail holding %q", got.Status, got.Passed, got.Total, got.Detail, c.status, c.detail)
			}
		})
	}
}
