package view

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// sides rebuilds the old and new texts from a diff's lines.
func sides(lines []Line) (string, string) {
	var a, b []string
	for _, l := range lines {
		if l.Kind != Added {
			a = append(a, l.Text)
		}
		if l.Kind != Removed {
			b = append(b, l.Text)
		}
	}
	return strings.Join(a, "\n"), strings.Join(b, "\n")
}

func TestLines(t *testing.T) {
	for _, tt := range []struct {
		name, old, new string
		want           string // the marks of the lines, in order
	}{
		{"identical", "a\nb\nc\n", "a\nb\nc\n", "   "},
		{"both empty", "", "", ""},
		{"from nothing", "", "a\nb\n", "++"},
		{"to nothing", "a\nb\n", "", "--"},
		{"insert in the middle", "a\nc\n", "a\nb\nc\n", " + "},
		{"delete at the end", "a\nb\nc\n", "a\nb\n", "  -"},
		{"replace one line", "a\nb\nc\n", "a\nx\nc\n", " -+ "},
		{"no final newline", "a\nb", "a\nb\n", "  "},
		{"crlf", "a\r\nb\r\n", "a\nb\n", "  "},
		{"swap", "a\nb\n", "b\na\n", "- +"},
		{"the classic ABCABBA to CBABAC", "A\nB\nC\nA\nB\nB\nA", "C\nB\nA\nB\nA\nC", "-- +  - +"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			lines, coarse := Lines(tt.old, tt.new)
			var marks strings.Builder
			for _, l := range lines {
				marks.WriteString(l.Mark())
			}
			if marks.String() != tt.want {
				t.Errorf("marks %q, want %q", marks.String(), tt.want)
			}
			if coarse {
				t.Error("coarse diff of small texts")
			}
		})
	}
}

// TestLinesMinimal checks on random texts that the lines rebuild both
// sides and that the edit count is the shortest (n + m − 2·LCS).
func TestLinesMinimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	gen := func() string {
		var ls []string
		for range rng.IntN(30) {
			ls = append(ls, string(rune('a'+rng.IntN(4))))
		}
		return strings.Join(ls, "\n")
	}
	for i := range 500 {
		a, b := gen(), gen()
		lines, _ := Lines(a, b)
		ga, gb := sides(lines)
		if ga != a || gb != b {
			t.Fatalf("case %d: sides %q %q, want %q %q", i, ga, gb, a, b)
		}
		edits := 0
		for _, l := range lines {
			if l.Kind != Same {
				edits++
			}
		}
		la, lb := splitLines(a), splitLines(b)
		if want := len(la) + len(lb) - 2*lcs(la, lb); edits != want {
			t.Fatalf("case %d: %d edits, shortest is %d\n%q\n%q", i, edits, want, a, b)
		}
	}
}

// lcs is the textbook dynamic program, the reference for Myers.
func lcs(a, b []string) int {
	prev := make([]int, len(b)+1)
	for i := range a {
		cur := make([]int, len(b)+1)
		for j := range b {
			if a[i] == b[j] {
				cur[j+1] = prev[j] + 1
			} else {
				cur[j+1] = max(prev[j+1], cur[j])
			}
		}
		prev = cur
	}
	return prev[len(b)]
}

func TestUnified(t *testing.T) {
	var old, new []string
	for i := range 20 {
		old = append(old, string(rune('a'+i)))
	}
	new = append(new, old...)
	new[2] = "X"   // a change near the top
	new[15] = "Y"  // and one far from it: two hunks
	new[16] = "YY" //
	d := Unified(strings.Join(old, "\n"), strings.Join(new, "\n"), 3)
	if d.Added != 3 || d.Removed != 3 || d.Coarse {
		t.Fatalf("+%d −%d coarse %v", d.Added, d.Removed, d.Coarse)
	}
	var headers []string
	for _, h := range d.Hunks {
		headers = append(headers, h.Header)
	}
	if got, want := strings.Join(headers, " "), "@@ -1,6 +1,6 @@ @@ -13,8 +13,8 @@"; got != want {
		t.Errorf("hunks %s, want %s", got, want)
	}
	if d := Unified("a\nb\n", "a\nb\n", 3); !d.Identical() || len(d.Hunks) != 0 {
		t.Errorf("identical texts: %+v", d)
	}
	if d := Unified("", "x\ny\n", 3); d.Hunks[0].Header != "@@ -0,0 +1,2 @@" {
		t.Errorf("from nothing: %s", d.Hunks[0].Header)
	}
}

// TestCoarse: texts too far apart to align are a block replacement.
func TestCoarse(t *testing.T) {
	var a, b []string
	for i := range maxEdits {
		a = append(a, fmt.Sprint("a", i))
		b = append(b, fmt.Sprint("b", i))
	}
	lines, coarse := Lines(strings.Join(a, "\n"), strings.Join(b, "\n"))
	if !coarse || len(lines) != 2*maxEdits {
		t.Fatalf("coarse %v, %d lines", coarse, len(lines))
	}
	ga, gb := sides(lines)
	if ga != strings.Join(a, "\n") || gb != strings.Join(b, "\n") {
		t.Fatal("coarse diff does not rebuild the texts")
	}
}
