package table

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteText writes the table as aligned columns (two spaces apart) for a
// terminal, its notes beneath. With RightText every column, the last too,
// is aligned right (a matrix of counts).
func (t *Table) WriteText(w io.Writer) error {
	var flags uint
	if t.RightText {
		flags = tabwriter.AlignRight
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', flags)
	line := func(cells []string) {
		if t.RightText {
			fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
		} else {
			fmt.Fprintln(tw, strings.Join(cells, "\t"))
		}
	}
	line(t.names())
	for _, r := range t.Rows {
		line(r.texts(false))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return writeLines(w, "", t.Notes)
}

// names are the columns' names.
func (t *Table) names() []string {
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
	}
	return names
}

// Stream writes a text table as its rows come (a command's progress): the
// header at once, then each batch of rows; columns align over the rows
// written since the last Flush (the header with the first batch).
type Stream struct{ tw *tabwriter.Writer }

// NewStream starts a text table of the given columns on w.
func NewStream(w io.Writer, columns ...string) *Stream {
	s := &Stream{tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)}
	fmt.Fprintln(s.tw, strings.Join(columns, "\t"))
	return s
}

// Add adds a row of cells.
func (s *Stream) Add(cells ...string) { fmt.Fprintln(s.tw, strings.Join(cells, "\t")) }

// Flush writes the rows added since the last Flush.
func (s *Stream) Flush() error { return s.tw.Flush() }

// WriteMarkdown writes the table as a Markdown (GFM) table, each note a
// paragraph beneath.
func (t *Table) WriteMarkdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("|")
	for _, c := range t.Columns {
		if c.Name != "" {
			bw.WriteString(" " + c.Name)
		}
		bw.WriteString(" |")
	}
	fmt.Fprintf(bw, "\n|%s\n", strings.Repeat("---|", len(t.Columns)))
	for _, r := range t.Rows {
		fmt.Fprintf(bw, "| %s |\n", strings.Join(r.texts(true), " | "))
	}
	if err := writeLines(bw, "\n", t.Notes); err != nil {
		return err
	}
	return bw.Flush()
}

// WriteLaTeX writes the table as a booktabs float: \caption, \label, the
// tabular inside \lessonlfit (which scales it to the line when it is
// wider), and TeXBelow under it.
func (t *Table) WriteLaTeX(w io.Writer) error {
	bw := bufio.NewWriter(w)
	spec := make([]byte, len(t.Columns))
	for i, c := range t.Columns {
		spec[i] = byte(c.Align)
		if spec[i] == 0 {
			spec[i] = byte(Left)
		}
	}
	caption := t.TeXCaption
	if caption == "" {
		caption = TeXEscape.Replace(t.Caption)
	}
	fmt.Fprintf(bw, "\\begin{table}[t]\n\\centering\n\\caption{%s}\n\\label{%s}\n\\lessonlfit{\\begin{tabular}{%s}\n\\toprule\n", caption, t.Label, spec)
	if t.TeXHead != "" {
		bw.WriteString(t.TeXHead)
	} else {
		names := make([]string, len(t.Columns))
		for i, c := range t.Columns {
			names[i] = c.tex()
		}
		texRow(bw, names)
	}
	bw.WriteString("\\midrule\n")
	for _, r := range t.Rows {
		cells := make([]string, len(r))
		for i, c := range r {
			cells[i] = c.tex()
		}
		texRow(bw, cells)
	}
	fmt.Fprintf(bw, "\\bottomrule\n\\end{tabular}}\n%s\\end{table}\n", t.TeXBelow)
	return bw.Flush()
}

// texRow writes one row of a tabular. An empty cell is a bare &, so a
// row of a few values beneath another's (intervals under means) reads
// " & [a, b] & \\".
func texRow(bw *bufio.Writer, cells []string) {
	for i, s := range cells {
		if i > 0 {
			bw.WriteString(" &")
			if s != "" {
				bw.WriteString(" ")
			}
		}
		bw.WriteString(s)
	}
	bw.WriteString(" \\\\\n")
}

// WriteHTML writes the table as an HTML <table> (escaped), its caption
// and its notes as paragraphs beneath.
func (t *Table) WriteHTML(w io.Writer) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("<table>\n")
	if t.Caption != "" {
		fmt.Fprintf(bw, "<caption>%s</caption>\n", html.EscapeString(t.Caption))
	}
	bw.WriteString("<thead><tr>")
	for _, c := range t.Columns {
		fmt.Fprintf(bw, "<th>%s</th>", html.EscapeString(c.Name))
	}
	bw.WriteString("</tr></thead>\n<tbody>\n")
	for _, r := range t.Rows {
		bw.WriteString("<tr>")
		for _, c := range r {
			s := html.EscapeString(c.Text)
			if c.Bold {
				s = "<strong>" + s + "</strong>"
			}
			fmt.Fprintf(bw, "<td>%s</td>", s)
		}
		bw.WriteString("</tr>\n")
	}
	bw.WriteString("</tbody>\n</table>\n")
	for _, n := range t.Notes {
		fmt.Fprintf(bw, "<p>%s</p>\n", html.EscapeString(n))
	}
	return bw.Flush()
}

// WriteJSON writes the table as one JSON object (MarshalJSON), indented.
func (t *Table) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(t)
}

// MarshalJSON is the table as one JSON object: caption, label, columns
// (each its name and alignment), rows (each an array of its cells' text,
// in column order) and notes.
func (t *Table) MarshalJSON() ([]byte, error) {
	type column struct {
		Name  string `json:"name"`
		Align string `json:"align"`
	}
	out := struct {
		Caption string     `json:"caption,omitempty"`
		Label   string     `json:"label,omitempty"`
		Columns []column   `json:"columns"`
		Rows    [][]string `json:"rows"`
		Notes   []string   `json:"notes,omitempty"`
	}{Caption: t.Caption, Label: t.Label, Notes: t.Notes, Rows: [][]string{}}
	for _, c := range t.Columns {
		a := c.Align
		if a == 0 {
			a = Left
		}
		out.Columns = append(out.Columns, column{c.Name, string(a)})
	}
	for _, r := range t.Rows {
		out.Rows = append(out.Rows, r.texts(false))
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// texts are the row's cells as text; markdown bolds the bold ones.
func (r Row) texts(markdown bool) []string {
	s := make([]string, len(r))
	for i, c := range r {
		s[i] = c.Text
		if markdown && c.Bold {
			s[i] = "**" + c.Text + "**"
		}
	}
	return s
}

// writeLines writes each line after sep, each ended by a newline.
func writeLines(w io.Writer, sep string, lines []string) error {
	for _, l := range lines {
		if _, err := fmt.Fprintf(w, "%s%s\n", sep, l); err != nil {
			return err
		}
	}
	return nil
}
