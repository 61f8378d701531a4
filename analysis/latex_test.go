package analysis

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/internal/record"
)

// wideRuns is an ablation-sized report: eight variants with long labels
// over eight categories, one seed, half of them under protocol paper.
func wideRuns() *Runs {
	r := &Runs{Dirs: []string{"runs/wide"}, Manifests: []*record.Manifest{{Name: "wide", Simulated: true}}}
	for v := 0; v < 8; v++ {
		keys := Keys{Params: map[string]string{"k": fmt.Sprint(2 << (v % 3)), "selection": []string{"paper", "relevance", "none", "speedup"}[v%4]}, Run: "abl-small-r2",
			Shown: []string{"k", "selection", "run"}, Protocol: []string{"lessonl", "paper"}[v%2]}
		for c := 0; c < 8; c++ {
			for p := 0; p < 3; p++ {
				res := record.Result{Strategy: "lessonl", Kind: "lessonl", ProblemID: fmt.Sprintf("c%dp%d", c, p), Category: fmt.Sprintf("category-number-%d", c),
					Seed: 1, Speedup: float64(1+v) * float64(1+p), Correct: true, Compiled: true, LLMCalls: 24}
				res.Variant = keys.Variant()
				r.Results = append(r.Results, Result{Result: res, Keys: keys})
			}
		}
	}
	return r
}

// TestTablesCompile compiles tables.tex with pdflatex in a minimal
// document, for the fixed report and for an eight-variant, eight-category
// one: no table is wider than the line (no "Overfull" in the log), labels
// resolve, the simulator's note is typeset once with a mark (†) in every
// caption, one-seed runs print no "n/a", and rows of different protocols
// say so. Skipped without pdflatex (Debian: texlive-latex-base,
// texlive-latex-recommended).
func TestTablesCompile(t *testing.T) {
	pdflatex, err := exec.LookPath("pdflatex")
	if err != nil {
		t.Skip("no pdflatex (apt-get install texlive-latex-base texlive-latex-recommended)")
	}
	for _, tt := range []struct {
		name string
		runs *Runs
		want []string // in the PDF's text
	}{
		{"fixed", fixedRuns(), []string{"Table 1 is the overall one", "Protocol: lessonl."}},
		{"wide", wideRuns(), []string{"(column Protocol)", "one seed (n = 1)", "continued, part 2"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := Build(tt.runs, Options{Resamples: 200, Seed: 7}, "")
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
\usepackage{graphicx}
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
			if i := bytes.Index(log, []byte("Overfull")); i >= 0 {
				t.Errorf("a table is wider than the line: %s", log[i:min(len(log), i+200)])
			}
			tex := tables.String()
			if n := strings.Count(tex, "never rank strategies"); n != 1 {
				t.Errorf("the simulator's note is written %d times, want once", n)
			}
			if c, m := strings.Count(tex, `\caption{`), strings.Count(tex, `$^\dagger$}`); c != m {
				t.Errorf("%d captions, %d with the note's mark", c, m)
			}
			if strings.Contains(tex, "n/a") {
				t.Error("a one-seed value prints n/a")
			}
			pdftotext, err := exec.LookPath("pdftotext")
			if err != nil {
				t.Skip("no pdftotext (apt-get install poppler-utils)")
			}
			out, err := exec.Command(pdftotext, filepath.Join(dir, "doc.pdf"), "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			text := strings.Join(strings.Fields(string(out)), " ")
			for _, want := range append(tt.want, "never rank strategies") {
				if !strings.Contains(text, want) {
					t.Errorf("the PDF's text lacks %q:\n%.1500s", want, text)
				}
			}
		})
	}
}
