// Package table holds a table as data, built once, and one writer per
// format: aligned text columns for the terminal, Markdown, a LaTeX
// booktabs float, HTML and JSON. A writer only lays cells out; what a
// cell says (its number, its interval, its precision) is decided where
// the table is built, as benchstat's texttab only aligns what
// benchstat computed.
package table

import (
	"strings"
)

// Table is a table as data: its columns, rows of cells, and notes under
// it.
type Table struct {
	// Caption and Label title the table: LaTeX's \caption and \label,
	// HTML's <caption>, JSON's "caption". Caption is text; TeXCaption,
	// when set, is the caption in LaTeX (with math), else Caption is
	// escaped.
	Caption, Label string
	TeXCaption     string
	Columns        []Column
	Rows           []Row
	// Notes are lines written under the table (text, Markdown, HTML,
	// JSON; LaTeX writes TeXBelow instead).
	Notes []string
	// TeXHead, when set, replaces the LaTeX header row built from the
	// columns' names: raw LaTeX, with its own row ends (for
	// \multicolumn headers over groups of columns).
	TeXHead string
	// TeXBelow is raw LaTeX written between the tabular and the end of
	// the float (a note for the document's first table).
	TeXBelow string
	// RightText aligns every column right in text, the last one too.
	RightText bool
}

// Column is one column: its header and its alignment.
type Column struct {
	Name string
	// TeX is the header in LaTeX when it is not Name escaped.
	TeX   string
	Align Align
}

// Align is a column's alignment in LaTeX's column specification.
type Align byte

// The alignments.
const (
	Left   Align = 'l'
	Right  Align = 'r'
	Center Align = 'c'
)

// Row is one row's cells, one per column.
type Row []Cell

// Cell is one cell.
type Cell struct {
	// Text is the cell in text, Markdown, HTML and JSON.
	Text string
	// TeX is the cell in LaTeX when it is not Text escaped.
	TeX string
	// Bold marks the best of a column (LaTeX \textbf, Markdown **,
	// HTML <strong>).
	Bold bool
}

// Text is a cell of plain text.
func Text(s string) Cell { return Cell{Text: s} }

// Texts is a row of plain-text cells.
func Texts(s ...string) Row {
	r := make(Row, len(s))
	for i, x := range s {
		r[i] = Text(x)
	}
	return r
}

// Missing is the cell of a value a row does not have: an en dash, "--" in
// LaTeX.
var Missing = Cell{Text: "–", TeX: "--"}

// Add appends a row.
func (t *Table) Add(cells ...Cell) { t.Rows = append(t.Rows, cells) }

// AddTexts appends a row of plain-text cells.
func (t *Table) AddTexts(s ...string) { t.Rows = append(t.Rows, Texts(s...)) }

// Cols are columns of the given names, left-aligned.
func Cols(names ...string) []Column {
	c := make([]Column, len(names))
	for i, n := range names {
		c[i] = Column{Name: n, Align: Left}
	}
	return c
}

// Grid is a table of rows by columns: a first column headed corner that
// names each row, then one column per name in cols, each cell
// cell(row, col), or Missing where ok is false.
func Grid(corner string, rows, cols []string, cell func(row, col string) (c Cell, ok bool)) *Table {
	t := &Table{Columns: Cols(append([]string{corner}, cols...)...)}
	for _, r := range rows {
		cells := Row{Text(r)}
		for _, c := range cols {
			x, ok := cell(r, c)
			if !ok {
				x = Missing
			}
			cells = append(cells, x)
		}
		t.Add(cells...)
	}
	return t
}

// TeXEscape escapes text for LaTeX; × and ≥ become math.
var TeXEscape = strings.NewReplacer(`\`, `\textbackslash{}`, "_", `\_`, "%", `\%`, "&", `\&`, "#", `\#`, "$", `\$`, "{", `\{`, "}", `\}`, "~", `\textasciitilde{}`, "^", `\textasciicircum{}`, "×", `$\times$`, "≥", `$\geq$`)

// tex is the cell in LaTeX.
func (c Cell) tex() string {
	s := c.TeX
	if s == "" {
		s = TeXEscape.Replace(c.Text)
	}
	if c.Bold {
		return `\textbf{` + s + `}`
	}
	return s
}

// tex is the column's header in LaTeX.
func (c Column) tex() string {
	if c.TeX != "" {
		return c.TeX
	}
	return TeXEscape.Replace(c.Name)
}
