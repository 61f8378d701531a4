package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/analysis"
	"github.com/lessonlab/lessonl/internal/record"
	"github.com/lessonlab/lessonl/internal/view/viewtest"
)

// TestPagesBaselineFromProblems: the browser diffs against the baseline
// code the run folder's problems table keeps, with no spec or dataset at
// hand; a folder recorded before that table diffs against the code in
// the first prompt, and its page says why.
func TestPagesBaselineFromProblems(t *testing.T) {
	for _, tt := range []struct {
		name     string
		problems bool
		want     string
	}{
		{"problems table", true, "Diffs are against the problem&#39;s baseline code."},
		{"old folder", false, "recorded before it did"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			run := filepath.Join(t.TempDir(), "run")
			if err := viewtest.Write(run); err != nil {
				t.Fatal(err)
			}
			if tt.problems {
				var rows []record.Problem
				for _, p := range viewtest.Problems {
					rows = append(rows, record.Problem{ProblemID: p[0], Category: p[1], Task: "optimize", Source: "builtin", BaselineCode: viewtest.Baseline})
				}
				if err := record.WriteProblems(run, rows); err != nil {
					t.Fatal(err)
				}
				describe(t, run)
			}
			r, err := analysis.Load(run)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := analysis.Build(r, analysis.Options{Resamples: 50}, "")
			if err != nil {
				t.Fatal(err)
			}
			static := t.TempDir()
			if _, err := writePages(rep, static, testLog{t}); err != nil {
				t.Fatal(err)
			}
			page, err := os.ReadFile(filepath.Join(static, "cells", strings.ReplaceAll(record.CellID(viewtest.Strategy, "", viewtest.Problem, viewtest.Seed), "/", "~")+".html"))
			if err != nil {
				entries, _ := os.ReadDir(filepath.Join(static, "cells"))
				t.Fatalf("%v (cells: %v)", err, entries)
			}
			if tt.problems && !strings.Contains(string(page), "ran with <code>{&#34;rounds&#34;:2,&#34;temperature&#34;:0.2}</code>") {
				i := strings.Index(string(page), "parameters")
				t.Errorf("the cell page does not show the parameters it ran with: %.300s", string(page)[max(i, 0):])
			}
			if !strings.Contains(string(page), tt.want) {
				i := strings.Index(string(page), "Diffs are against")
				t.Errorf("the cell page lacks %q; it says %.200s", tt.want, string(page)[max(i, 0):])
			}
		})
	}
}

// describe rewrites the cells part of the browsed cell as lessonl writes
// it now: with what the cell ran with.
func describe(t *testing.T, run string) {
	t.Helper()
	key := record.Key(viewtest.Strategy, "", viewtest.Problem, viewtest.Seed)
	b, err := record.ReadCell(run, key)
	if err != nil || len(b.Cells) != 1 {
		t.Fatalf("read cell: %v", err)
	}
	c := &b.Cells[0]
	c.Task, c.Protocol, c.Models, c.Resolved = "optimize", "lessonl", "sim/coder-a,sim/coder-b", `{"rounds":2,"temperature":0.2}`
	w, err := record.NewWriter(run)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(b); err != nil {
		t.Fatal(err)
	}
}
