package analysis

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestTablesCompile compiles the report's tables.tex with pdflatex in a
// minimal document and checks the PDF's text holds the simulator's note
// (it is in the captions, not in a comment) and a table's label resolves.
// Skipped without pdflatex (Debian: texlive-latex-base,
// texlive-latex-recommended).
func TestTablesCompile(t *testing.T) {
	pdflatex, err := exec.LookPath("pdflatex")
	if err != nil {
		t.Skip("no pdflatex (apt-get install texlive-latex-base texlive-latex-recommended)")
	}
	rep, err := Build(fixedRuns(), Options{Resamples: 200, Seed: 7}, "")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var tables bytes.Buffer
	rep.LaTeX(&tables)
	if err := os.WriteFile(filepath.Join(dir, "tables.tex"), tables.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	doc := `\documentclass{article}
\usepackage[T1]{fontenc}
\usepackage{booktabs}
\begin{document}
Table~\ref{tab:lessonl-overall} is the overall one.
\input{tables}
\end{document}
`
	if err := os.WriteFile(filepath.Join(dir, "doc.tex"), []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ { // twice: the second resolves \ref
		cmd := exec.Command(pdflatex, "-interaction=nonstopmode", "-halt-on-error", "doc.tex")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("pdflatex: %v\n%s", err, out)
		}
	}
	log, _ := os.ReadFile(filepath.Join(dir, "doc.log"))
	if bytes.Contains(log, []byte("undefined")) {
		t.Errorf("pdflatex reports something undefined:\n%s", log)
	}
	if _, err := os.Stat(filepath.Join(dir, "doc.pdf")); err != nil {
		t.Fatal(err)
	}
	// The note is typeset (in the captions), not a comment.
	if !strings.Contains(tables.String(), `\caption{Overall results`) || !strings.Contains(tables.String(), "never rank strategies.}") {
		t.Error("the simulator's note is not in the caption")
	}
	if pdftotext, err := exec.LookPath("pdftotext"); err == nil {
		out, err := exec.Command(pdftotext, filepath.Join(dir, "doc.pdf"), "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(strings.Fields(string(out)), " ")
		if !strings.Contains(text, "never rank strategies") || !strings.Contains(text, "Table 1 is the overall one") {
			t.Errorf("the PDF's text lacks the note or the resolved label:\n%.600s", text)
		}
	}
}
