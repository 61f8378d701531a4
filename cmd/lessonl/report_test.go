package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// TestReportPicksLabelsAndWarnsOfProtocols runs one agent under both
// protocols on the built-in Python suite and reports it with the series
// picked, ordered and renamed, and an ablation over the protocol: the
// report keeps the renamed series first, draws pass@1 against the
// protocol, names the protocol of each row in LaTeX and warns that the
// rows' protocols differ.
func TestReportPicksLabelsAndWarnsOfProtocols(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("no python3")
	}
	run := runSpecText(t, genGroupBySpec)
	out := filepath.Join(t.TempDir(), "report")
	app := &cli.App{Name: "lessonl", Commands: []*cli.Command{reportCommand()}, Writer: io.Discard, ErrWriter: testLog{t}}
	if err := app.Run([]string{"lessonl", "report", "--resamples", "200", "--out", out,
		"--strategies", "single [protocol=paper],single [protocol=lessonl]",
		"--label", "single [protocol=paper]=Paper single", "--x", "protocol", run}); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	tex, err := os.ReadFile(filepath.Join(out, "tables.tex"))
	if err != nil {
		t.Fatal(err)
	}
	report := string(md)
	for _, want := range []string{
		"| Paper single |", "| single[protocol=lessonl] |", "## pass@1 against protocol",
		"**Warning: protocols differ.** These series ran under different protocols: lessonl (single[protocol=lessonl]); paper (Paper single).",
		"](ablation-pass_1-vs-protocol.png)",
	} {
		if !strings.Contains(report, want) {
			t.Errorf("report.md lacks %q:\n%s", want, report)
		}
	}
	if i, j := strings.Index(report, "| Paper single |"), strings.Index(report, "| single[protocol=lessonl] |"); i > j {
		t.Error("the rows are not in the order --strategies gave")
	}
	if !strings.Contains(string(tex), "Protocols differ between rows") {
		t.Errorf("tables.tex does not say the protocols differ:\n%s", tex)
	}
	for _, f := range []string{"pass1.png", "pass1-cost.pdf", "ablation-pass_1-vs-protocol.svg"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("no %s: %v", f, err)
		}
	}
}
