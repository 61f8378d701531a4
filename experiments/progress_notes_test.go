package experiments

import (
	"bytes"
	"strings"
	"testing"
)

// TestProgressNotes: both displays show notes (LLM errors, waits) as they
// come and count failed cells.
func TestProgressNotes(t *testing.T) {
	for _, c := range []struct {
		name string
		p    func(*bytes.Buffer) interface {
			Progress
			Noter
		}
		failed string
	}{
		{"lines", func(b *bytes.Buffer) interface {
			Progress
			Noter
		} {
			return &Lines{W: b}
		}, "1 failed"},
		{"bars", func(b *bytes.Buffer) interface {
			Progress
			Noter
		} {
			return &Bars{W: b}
		}, "1 failed"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			p := c.p(&buf)
			p.Note("waiting for agent a: m at http://x/v1 (5s of 2m): connection refused")
			p.Start(map[string]int{"single": 2})
			p.Note("LLM error in single||p|1: agent a: server answered 500")
			p.Done("single", 0, true)
			p.Done("single", 1.5, false)
			p.Close()
			out := buf.String()
			for _, want := range []string{"waiting for agent a", "LLM error in single||p|1", c.failed} {
				if !strings.Contains(out, want) {
					t.Errorf("display lacks %q:\n%s", want, out)
				}
			}
		})
	}
}
