package table

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/lessonlab/lessonl/internal/golden"
)

// sample is a table with what each writer must handle: an escaped
// character, a bold cell, a missing value, a cell with its own LaTeX, an
// empty cell, a column without a header, and notes.
func sample() *Table {
	t := &Table{Caption: "Speedups & costs", Label: "tab:sample",
		Columns: []Column{{Name: "strategy"}, {Name: "speedup", Align: Right}, {Name: "share ≥2×", TeX: `$\geq 2\times$`, Align: Right}, {Name: ""}},
		Notes:   []string{"one note", "another <note>"}, TeXBelow: "\\par{\\footnotesize a note}\n"}
	t.Add(Text("lessonl_v2"), Cell{Text: "1.50", Bold: true}, Cell{Text: "40%"}, Text("~"))
	t.Add(Text("single"), Missing, Cell{Text: "1.2±0.1", TeX: `1.2$\pm$0.1`}, Text(""))
	return t
}

func TestWriters(t *testing.T) {
	writers := []struct {
		name  string
		write func(*Table, *bytes.Buffer) error
	}{
		{"text", func(t *Table, b *bytes.Buffer) error { return t.WriteText(b) }},
		{"md", func(t *Table, b *bytes.Buffer) error { return t.WriteMarkdown(b) }},
		{"tex", func(t *Table, b *bytes.Buffer) error { return t.WriteLaTeX(b) }},
		{"html", func(t *Table, b *bytes.Buffer) error { return t.WriteHTML(b) }},
		{"json", func(t *Table, b *bytes.Buffer) error { return t.WriteJSON(b) }},
	}
	for _, w := range writers {
		t.Run(w.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := w.write(sample(), &b); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", "sample."+w.name+".golden"), b.Bytes())
		})
	}
}

// TestLaTeXEmptyCells: an empty cell is a bare &, so a row beneath
// another that fills only some columns reads without doubled spaces.
func TestLaTeXEmptyCells(t *testing.T) {
	tt := &Table{Columns: Cols("a", "b", "c", "d")}
	tt.Add(Cell{}, Text("x"), Cell{}, Cell{})
	var b bytes.Buffer
	if err := tt.WriteLaTeX(&b); err != nil {
		t.Fatal(err)
	}
	if want := "\\midrule\n & x & & \\\\\n\\bottomrule"; !bytes.Contains(b.Bytes(), []byte(want)) {
		t.Errorf("got\n%s\nwant it to hold %q", b.String(), want)
	}
}

// TestGrid: rows by columns, a missing cell shows as Missing.
func TestGrid(t *testing.T) {
	g := Grid("agent", []string{"a", "b"}, []string{"sort", "scan"}, func(r, c string) (Cell, bool) {
		return Text(r + "/" + c), !(r == "b" && c == "scan")
	})
	var b bytes.Buffer
	if err := g.WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	want := "| agent | sort | scan |\n|---|---|---|\n| a | a/sort | a/scan |\n| b | b/sort | – |\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

// TestTextLayouts: RightText aligns every column right, the last too; a
// Stream aligns the header with its first batch and each later batch on
// its own.
func TestTextLayouts(t *testing.T) {
	right := &Table{RightText: true, Columns: Cols("row", "n", "total")}
	right.AddTexts("a", "1", "10")
	right.AddTexts("bb", "22", "3")
	var stream bytes.Buffer
	s := NewStream(&stream, "id", "status")
	s.Add("x", "correct")
	s.Flush()
	s.Add("longer-id", "slow")
	s.Flush()
	for _, tt := range []struct {
		name string
		got  func() string
		want string
	}{
		{"right", func() string {
			var b bytes.Buffer
			right.WriteText(&b)
			return b.String()
		}, "  row   n  total\n    a   1     10\n   bb  22      3\n"},
		{"stream", stream.String, "id  status\nx   correct\nlonger-id  slow\n"},
	} {
		if got := tt.got(); got != tt.want {
			t.Errorf("%s:\n%q\nwant\n%q", tt.name, got, tt.want)
		}
	}
}
