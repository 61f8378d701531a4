package experiments

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/strategy"
)

// syncBuffer is a bytes.Buffer safe for the display's ticker and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// blockingLLM answers once released.
type blockingLLM struct{ release chan struct{} }

func (b blockingLLM) Chat(ctx context.Context, req llm.Request) (llm.Response, error) {
	<-b.release
	return llm.Response{Text: "ok"}, nil
}

// TestProgressActivity: before any cell ends, the plain display's
// summaries say what runs: the cell with its strategy, problem and round,
// its failed calls, and the calls in flight. Finished cells leave it, and
// the per-cell line names the problem; --quiet drops those lines.
func TestProgressActivity(t *testing.T) {
	for _, quiet := range []bool{false, true} {
		var out syncBuffer
		l := &Lines{W: &out, Period: 100 * time.Millisecond, Quiet: quiet}
		l.Start(map[string]int{"lessonl": 2})
		act := l.Activity()
		l.Begin("lessonl||p01|1", "lessonl", "p01")
		rec := activityRecorder{Recorder: &strategy.Trace{}, a: act, cell: "lessonl||p01|1"}
		rec.Call(strategy.Call{Round: 0})
		rec.Call(strategy.Call{Round: 1, Err: "connection refused"})
		release := make(chan struct{})
		done := make(chan struct{})
		go func() {
			act.Provider(blockingLLM{release}).Chat(context.Background(), llm.Request{})
			close(done)
		}()
		want := "1 cells running (lessonl p01 round 1 (1 failed calls)) · 1 calls in flight · 0 evaluations under way (running or waiting for a slot)"
		deadline := time.Now().Add(10 * time.Second)
		for !strings.Contains(out.String(), want) && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		close(release)
		<-done
		l.Done("lessonl", Score{Key: "lessonl||p01|1", Problem: "p01", Speedup: 0})
		l.Close()
		text := out.String()
		if !strings.Contains(text, want) {
			t.Errorf("quiet=%v: no summary says what runs (%q):\n%s", quiet, want, text)
		}
		cellLine := "lessonl p01: no correct answer (counts 1x) (1/2 of lessonl done; running geomean 1.000x)"
		if strings.Contains(text, cellLine) == quiet {
			t.Errorf("quiet=%v: the per-cell line is %v:\n%s", quiet, map[bool]string{true: "there", false: "missing"}[!quiet], text)
		}
		if got := act.Text(); !strings.HasPrefix(got, "0 cells running") {
			t.Errorf("after the cell ended the activity reads %q", got)
		}
	}
}
