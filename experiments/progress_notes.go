package experiments

import (
	"fmt"
	"time"
)

// Note implements Noter: a line between the cell lines.
func (l *Lines) Note(msg string) {
	l.t.mu.Lock()
	defer l.t.mu.Unlock()
	start := l.t.started
	if start.IsZero() {
		start = time.Now()
	}
	fmt.Fprintf(l.W, "[%s] %s\n", time.Since(start).Round(time.Second), msg)
}

// Note implements Noter: a line printed above the bars. Before Start and
// after Close it goes straight to W.
func (b *Bars) Note(msg string) {
	if b.p != nil {
		if _, err := fmt.Fprintln(b.p, msg); err == nil {
			return
		}
	}
	fmt.Fprintln(b.W, msg)
}

// failedText is the "N failed" part of the overall bar, empty while none
// has failed.
func (t *tally) failedText() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.failed == 0 {
		return ""
	}
	return fmt.Sprintf("  %d failed", t.failed)
}
