package view

import (
	"fmt"
	"strings"
)

// LineKind says whether a diff line is kept, removed or added.
type LineKind byte

// The kinds of diff lines, written as in a unified diff.
const (
	Same    LineKind = ' '
	Removed LineKind = '-'
	Added   LineKind = '+'
)

// Line is one line of a diff with its line numbers in the old and new
// text (0 where the line is absent from that side).
type Line struct {
	Kind     LineKind
	Old, New int
	Text     string
}

// Mark is the line's kind as a one-character string: " ", "-" or "+".
func (l Line) Mark() string { return string(l.Kind) }

// Class is the line's CSS class: same, removed or added.
func (l Line) Class() string {
	switch l.Kind {
	case Removed:
		return "removed"
	case Added:
		return "added"
	}
	return "same"
}

// Hunk is a run of changes with the lines of context around them.
type Hunk struct {
	Header string // "@@ -a,b +c,d @@"
	Lines  []Line
}

// Diff is a line diff of a candidate against the baseline code.
type Diff struct {
	Hunks   []Hunk
	Added   int
	Removed int
	// Coarse is set when the texts were too different to align within
	// the search limit: everything changed is shown as removed then added.
	Coarse bool
}

// Identical reports whether the texts had no line in difference.
func (d *Diff) Identical() bool { return d.Added == 0 && d.Removed == 0 }

// maxEdits bounds the Myers search (memory grows with its square); texts
// further apart than this are shown as a block replacement.
const maxEdits = 2000

// Lines diffs two texts line by line (Myers' O(ND) algorithm after the
// common prefix and suffix are trimmed) and returns every line of both,
// in order, marked same, removed or added.
func Lines(old, new string) ([]Line, bool) {
	a, b := splitLines(old), splitLines(new)
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	kinds, coarse := myers(a[pre:len(a)-suf], b[pre:len(b)-suf])
	out := make([]Line, 0, len(a)+len(b))
	i, j := 0, 0
	emit := func(k LineKind) {
		switch k {
		case Same:
			out = append(out, Line{Kind: Same, Old: i + 1, New: j + 1, Text: a[i]})
			i++
			j++
		case Removed:
			out = append(out, Line{Kind: Removed, Old: i + 1, Text: a[i]})
			i++
		case Added:
			out = append(out, Line{Kind: Added, New: j + 1, Text: b[j]})
			j++
		}
	}
	for range pre {
		emit(Same)
	}
	for _, k := range kinds {
		emit(k)
	}
	for range suf {
		emit(Same)
	}
	return out, coarse
}

// Unified diffs two texts and groups the changes into hunks with context
// lines of unchanged text around each change, as `diff -u` does.
func Unified(old, new string, context int) *Diff {
	lines, coarse := Lines(old, new)
	d := &Diff{Coarse: coarse}
	for _, l := range lines {
		switch l.Kind {
		case Added:
			d.Added++
		case Removed:
			d.Removed++
		}
	}
	// Mark the lines to show: every change and its context.
	show := make([]bool, len(lines))
	for i, l := range lines {
		if l.Kind == Same {
			continue
		}
		for k := max(0, i-context); k <= min(len(lines)-1, i+context); k++ {
			show[k] = true
		}
	}
	for i := 0; i < len(lines); {
		if !show[i] {
			i++
			continue
		}
		j := i
		for j < len(lines) && show[j] {
			j++
		}
		d.Hunks = append(d.Hunks, hunk(lines[i:j]))
		i = j
	}
	return d
}

// hunk labels a run of lines with its "@@ -a,b +c,d @@" header.
func hunk(lines []Line) Hunk {
	var oldStart, newStart, oldN, newN int
	for _, l := range lines {
		if l.Kind != Added {
			if oldStart == 0 {
				oldStart = l.Old
			}
			oldN++
		}
		if l.Kind != Removed {
			if newStart == 0 {
				newStart = l.New
			}
			newN++
		}
	}
	// An empty side starts after the line before it, as diff -u writes.
	if oldN == 0 {
		oldStart = lineBefore(lines, func(l Line) int { return l.Old })
	}
	if newN == 0 {
		newStart = lineBefore(lines, func(l Line) int { return l.New })
	}
	return Hunk{Header: fmt.Sprintf("@@ -%d,%d +%d,%d @@", oldStart, oldN, newStart, newN), Lines: lines}
}

func lineBefore(lines []Line, num func(Line) int) int {
	for _, l := range lines {
		if n := num(l); n > 0 {
			return n - 1
		}
	}
	return 0
}

// splitLines splits text into lines without their newlines; a final
// newline does not start an empty line.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// myers returns the shortest edit script turning a into b, as a sequence
// of Same, Removed and Added. Beyond maxEdits differences it gives up and
// returns every line of a removed and every line of b added (coarse).
func myers(a, b []string) ([]LineKind, bool) {
	n, m := len(a), len(b)
	if n == 0 || m == 0 {
		return replaceAll(n, m), false
	}
	maxD := min(n+m, maxEdits)
	offset := maxD + 1
	v := make([]int, 2*maxD+3)
	// trace[d] is v[-d..d] as it was before step d: enough to walk back.
	var trace [][]int
	found := -1
	for d := 0; d <= maxD && found < 0; d++ {
		snap := make([]int, 2*d+1)
		copy(snap, v[offset-d:offset+d+1])
		trace = append(trace, snap)
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[offset+k-1] < v[offset+k+1]) {
				x = v[offset+k+1] // down: insert from b
			} else {
				x = v[offset+k-1] + 1 // right: delete from a
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x++
				y++
			}
			v[offset+k] = x
			if x >= n && y >= m {
				found = d
				break
			}
		}
	}
	if found < 0 {
		return replaceAll(n, m), true
	}
	// Walk back from (n, m) through the snapshots.
	var rev []LineKind
	x, y := n, m
	for d := found; d > 0; d-- {
		prev := trace[d] // v before step d: indices -d..d, where -(d-1)..d-1 were set by step d-1
		at := func(k int) int { return prev[k+d] }
		k := x - y
		var pk int
		if k == -d || (k != d && at(k-1) < at(k+1)) {
			pk = k + 1
		} else {
			pk = k - 1
		}
		px := at(pk)
		py := px - pk
		for x > px && y > py {
			rev = append(rev, Same)
			x--
			y--
		}
		if x == px {
			rev = append(rev, Added)
		} else {
			rev = append(rev, Removed)
		}
		x, y = px, py
	}
	for x > 0 && y > 0 {
		rev = append(rev, Same)
		x--
		y--
	}
	out := make([]LineKind, len(rev))
	for i, k := range rev {
		out[len(rev)-1-i] = k
	}
	return out, false
}

func replaceAll(n, m int) []LineKind {
	out := make([]LineKind, 0, n+m)
	for range n {
		out = append(out, Removed)
	}
	for range m {
		out = append(out, Added)
	}
	return out
}
