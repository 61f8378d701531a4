package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/lessonlab/lessonl/internal/golden"
	"github.com/lessonlab/lessonl/internal/record"
)

// interrupt marks the run in dir interrupted with planned cells.
func interrupt(t *testing.T, dir string, planned int) {
	t.Helper()
	m, err := record.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	m.Cells, m.State, m.Ended = planned, record.StateInterrupted, m.Started.Add(time.Minute)
	if err := record.WriteManifest(dir, m); err != nil {
		t.Fatal(err)
	}
}

// TestRefusePartialRun: analyze, compare and report refuse a run that was
// interrupted (5 cells of 24 missing) with its counts and the flag that
// reads it anyway (golden), and read it with --allow-partial.
func TestRefusePartialRun(t *testing.T) {
	root := t.TempDir()
	whole, part := filepath.Join(root, "whole"), filepath.Join(root, "part")
	writeRun(t, whole, "trial", "h1", 1.5, 1, 2)
	writeRun(t, part, "trial", "h1", 1.5, 1, 2)
	// The interrupted run planned 3 seeds (24 cells) and recorded 16.
	interrupt(t, part, 24)
	app := &cli.App{Name: "lessonl", Commands: []*cli.Command{analyzeCommand(), compareCommand(), reportCommand()}, Writer: io.Discard, ErrWriter: io.Discard}
	var got []string
	for _, args := range [][]string{
		{"analyze", "--resamples", "50", part},
		{"compare", "--resamples", "50", whole, part},
		{"report", "--resamples", "50", "--out", filepath.Join(root, "report"), part},
	} {
		err := app.Run(append([]string{"lessonl"}, args...))
		if err == nil {
			t.Errorf("lessonl %s on an interrupted run: no error", args[0])
			continue
		}
		got = append(got, "$ lessonl "+args[0]+"\n"+strings.ReplaceAll(err.Error(), root, "ROOT")+"\n")
	}
	golden.Check(t, filepath.Join("testdata", "refuse-partial.golden"), []byte(strings.Join(got, "\n")))
	var warnings strings.Builder
	app.ErrWriter = &warnings
	for _, args := range [][]string{
		{"analyze", "--resamples", "50", "--allow-partial", part},
		{"compare", "--resamples", "50", "--allow-partial", whole, part},
		{"report", "--resamples", "50", "--allow-partial", "--out", filepath.Join(root, "report"), part},
	} {
		if err := app.Run(append([]string{"lessonl"}, args...)); err != nil {
			t.Errorf("lessonl %s --allow-partial: %v", args[0], err)
		}
	}
	if n := strings.Count(warnings.String(), "warning: "); n != 3 {
		t.Errorf("--allow-partial printed %d warnings, want one per command:\n%s", n, warnings.String())
	}
	if md, err := os.ReadFile(filepath.Join(root, "report", "report.md")); err != nil || !strings.Contains(string(md), "| interrupted: 16 of 24 cells done, 8 missing |") {
		t.Errorf("the report's run table does not give the state (%v):\n%.2000s", err, md)
	}
}
