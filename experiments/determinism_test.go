package experiments

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/internal/record"
)

// fourKinds are the strategies whose agents work concurrently within a
// round (LessonL, debate, MoA) and one that chains one agent's calls
// (MapCoder); LessonL shows one lesson of several, so its selection
// (relevance ties included) reaches the prompts.
const fourKinds = `  - {name: lessonl, kind: lessonl, agents: [a, b, c], params: {rounds: 3, k: 1}}
  - {name: debate, kind: debate, agents: [a, b, c], params: {rounds: 2}}
  - {name: moa, kind: moa, agents: [a, b, c], params: {layers: 1}}
  - {name: mapcoder, kind: mapcoder, agents: [c]}`

// TestRerunReproducesEveryPrompt records a run of four kinds against the
// sim team served over HTTP, then reruns it reusing the measurements:
// every call's prompt and reply, every candidate, lesson and selection,
// and every final answer is the same byte for byte, under the same IDs,
// and replay reports no differing prompt. (TestReplayExplains covers the
// differences a plain rerun, which measures again, reports.)
func TestRerunReproducesEveryPrompt(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and times real code")
	}
	rerunExact(t, miniSpec(t, simURL(t), fourKinds, "[1]"), 4)
}

// TestRerunReproducesPaperProtocol: under protocol paper the answer is
// evaluated again, fresh, and its second measurement differs from its
// first; a rerun reusing measurements gives each evaluation the outcome
// recorded at its place, so prompts and answers are again the same.
func TestRerunReproducesPaperProtocol(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and times real code")
	}
	url, _ := recordingSim(t)
	rerunExact(t, protocolSpec(t, url, "protocol: paper", `  - {name: lessonl, kind: lessonl, agents: [a, b, c], params: {rounds: 2, k: 1}}
  - {name: moa, kind: moa, agents: [a, b, c, d]}`), 2)
}

// rerunExact runs spec, reruns it reusing the measurements, and checks
// that every row is the same and that the record holds kinds kinds.
func rerunExact(t *testing.T, sp string, kinds int) {
	t.Helper()
	orig := filepath.Join(t.TempDir(), "orig")
	if sum, _, err := Execute(context.Background(), sp, orig, Options{}, "test"); err != nil || sum.Failed != 0 {
		t.Fatalf("recording run: %+v, %v", sum, err)
	}
	again := filepath.Join(t.TempDir(), "again")
	sum, _, err := Rerun(context.Background(), orig, again, true, Options{}, "test")
	if err != nil || sum.Failed != 0 {
		t.Fatalf("rerun: %+v, %v", sum, err)
	}
	if r := sum.Replay; r == nil || r.Differed != 0 || r.Misses != 0 || len(r.Differences) != 0 {
		t.Errorf("replay %+v, want every prompt as recorded", sum.Replay)
	}
	type row struct{ key, value string }
	dump := func(dir string) map[string][]row {
		out := map[string][]row{}
		calls, _ := record.Read[record.LLMCall](dir, record.TableLLMCalls)
		for _, c := range calls {
			out["llm_calls"] = append(out["llm_calls"], row{c.CellID + " " + c.CallID, c.Agent + " " + c.Purpose + "\n" + c.Prompt + "\n" + c.Reply})
		}
		cands, _ := record.Read[record.Candidate](dir, record.TableCandidates)
		for _, c := range cands {
			out["candidates"] = append(out["candidates"], row{c.CellID + " " + c.CandidateID, fmt.Sprint(c.Agent, " ", c.CallID, " ", c.Speedup, " ", c.Code)})
		}
		lessons, _ := record.Read[record.Lesson](dir, record.TableLessons)
		for _, l := range lessons {
			out["lessons"] = append(out["lessons"], row{l.LessonID, l.CandidateID + " " + l.CallID + " " + l.Text})
		}
		sels, _ := record.Read[record.Selection](dir, record.TableSelections)
		for _, s := range sels {
			out["selections"] = append(out["selections"], row{s.CellID, s.Agent + " " + s.LessonID + " " + s.Reason})
		}
		res, _ := record.Read[record.Result](dir, record.TableResults)
		for _, r := range res {
			out["results"] = append(out["results"], row{r.CellID, fmt.Sprint(r.FinalCandidateID, " ", r.FinalAgent, " ", r.Status, " ", r.Speedup)})
		}
		return out
	}
	want, got := dump(orig), dump(again)
	seen := map[string]bool{}
	for _, r := range want["results"] {
		seen[strings.SplitN(r.key, "/", 2)[0]] = true
	}
	if len(seen) != kinds {
		t.Fatalf("recorded kinds %v, want %d", seen, kinds)
	}
	for _, table := range []string{"llm_calls", "candidates", "lessons", "selections", "results"} {
		w, g := want[table], got[table]
		if len(w) == 0 || len(w) != len(g) {
			t.Errorf("%s: %d rows recorded, %d rerun", table, len(w), len(g))
			continue
		}
		for i := range w {
			if w[i] != g[i] {
				t.Errorf("%s row %d differs:\nrecorded %q\nrerun    %q", table, i, w[i], g[i])
				break
			}
		}
	}

}
