package experiments

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lessonlab/lessonl/analysis"
	"github.com/lessonlab/lessonl/internal/busy"
	"github.com/lessonlab/lessonl/internal/record"
)

// TestInterruptedRunState sends SIGINT (Ctrl-C) to the real binary once a
// few cells are recorded: the manifest says interrupted with the counts,
// analysis warns with them, and --resume completes the run, whose state
// becomes complete.
func TestInterruptedRunState(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and times real code")
	}
	bin, err := buildLessonl()
	if err != nil {
		t.Fatal(err)
	}
	sp := miniSpec(t, simURL(t), `  - {name: single, kind: single, agents: [a]}
  - {name: voting, kind: voting, agents: [a, b, c]}`, "[1, 2, 3]")
	out := filepath.Join(t.TempDir(), "run")
	cmd := exec.Command(bin, "run", sp, "--out", out, "--plain")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	load, began := busy.Start(), time.Now()
	defer load.Stop()
	sent := false
	for !sent {
		select {
		case err := <-done:
			t.Fatalf("the run ended before it was interrupted: %v", err)
		case <-time.After(50 * time.Millisecond):
		}
		if n, _ := record.Finished(out); len(n) >= 2 {
			cmd.Process.Signal(syscall.SIGINT)
			sent = true
		}
		if bound := load.Scale(5 * time.Minute); time.Since(began) > bound {
			cmd.Process.Kill()
			t.Fatalf("no two cells recorded within %s", bound)
		}
	}
	err = <-done
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 130 {
		t.Fatalf("interrupted run: %v, want exit status 130", err)
	}
	m, err := record.ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	st, err := record.RunState(out)
	if err != nil {
		t.Fatal(err)
	}
	if m.State != record.StateInterrupted || m.Ended.IsZero() || m.Cells != 12 || m.Done != st.Done || st.Done < 2 || st.Done >= 12 {
		t.Fatalf("manifest state %q, ended %v, %d planned, %d done (tables: %+v); want interrupted with 2 to 11 of 12 done",
			m.State, m.Ended, m.Cells, m.Done, st)
	}
	r, err := analysis.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	want := st.String()
	if len(r.Warnings) == 0 || !strings.Contains(r.Warnings[0], want) || !strings.Contains(r.Warnings[0], "interrupted") {
		t.Errorf("analysis warnings %q, want one saying %q", r.Warnings, want)
	}

	if err := exec.Command(bin, "run", sp, "--out", out, "--plain", "--resume").Run(); err != nil {
		t.Fatalf("resume: %v", err)
	}
	if st, err = record.RunState(out); err != nil || st.State != record.StateComplete || st.Done != 12 {
		t.Errorf("after resume: %+v, %v; want complete, 12 done", st, err)
	}
	if r, err = analysis.Load(out); err != nil || len(r.Warnings) != 0 {
		t.Errorf("after resume: warnings %q, %v; want none", r.Warnings, err)
	}
	if _, _, err := Execute(context.Background(), sp, out, Options{Resume: true}, "test"); err != nil {
		t.Fatal(err)
	}
	if m, _ = record.ReadManifest(out); m.State != record.StateComplete || m.Done != 12 {
		t.Errorf("a resume of a whole run: state %q, %d done", m.State, m.Done)
	}
}

// TestRepairAndResume cuts one cell's results part short: analysis and a
// resume refuse, naming the repair; check names the part, repair moves
// that cell's parts aside, a resume redoes that cell only, and the run
// then holds the same cells as before the damage.
func TestRepairAndResume(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and times real code")
	}
	sp := miniSpec(t, simURL(t), `  - {name: single, kind: single, agents: [a]}`, "[1, 2]")
	out := filepath.Join(t.TempDir(), "run")
	if _, _, err := Execute(context.Background(), sp, out, Options{}, "test"); err != nil {
		t.Fatal(err)
	}
	want := results(t, out)
	victim := record.Key("single", "", "sort-insertion", 2)
	part := filepath.Join(out, "tables", record.TableResults, record.PartName(victim))
	if err := os.Truncate(part, 100); err != nil {
		t.Fatal(err)
	}
	if _, err := analysis.Load(out); err == nil || !strings.Contains(err.Error(), part) || !strings.Contains(err.Error(), "lessonl check --repair") {
		t.Errorf("analysis of the damaged run: %v; want the part and the repair named", err)
	}
	if _, _, err := Execute(context.Background(), sp, out, Options{Resume: true}, "test"); err == nil || !strings.Contains(err.Error(), "lessonl check --repair") {
		t.Errorf("resume of the damaged run: %v; want a refusal naming the repair", err)
	}
	rep, err := record.Check(out)
	if err != nil {
		t.Fatal(err)
	}
	if cells := rep.Cells(); len(rep.Faults) != 1 || rep.Faults[0].Path != part || len(cells) != 1 || cells[0] != "single/sort-insertion/2" {
		t.Fatalf("check: %v, cells %v", rep.Faults, rep.Cells())
	}
	if _, err := record.Repair(rep); err != nil {
		t.Fatal(err)
	}
	sum, _, err := Execute(context.Background(), sp, out, Options{Resume: true}, "test")
	if err != nil || sum.Ran != 1 || sum.Skipped != len(want)-1 {
		t.Fatalf("resume after repair: %+v, %v; want 1 cell run, %d skipped", sum, err, len(want)-1)
	}
	if got := results(t, out); !reflect.DeepEqual(got, want) {
		t.Errorf("after repair and resume:\n%v\nbefore the damage:\n%v", got, want)
	}
	if st, err := record.RunState(out); err != nil || st.State != record.StateComplete {
		t.Errorf("state %+v, %v", st, err)
	}
}
