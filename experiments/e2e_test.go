package experiments

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lessonlab/lessonl/analysis"
	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/experiments/spec"
	"github.com/lessonlab/lessonl/internal/busy"
	"github.com/lessonlab/lessonl/internal/llm/sim"
	"github.com/lessonlab/lessonl/internal/record"
	"github.com/lessonlab/lessonl/internal/record/recordtest"
)

// simURL serves the sim team over the OpenAI wire format on a loopback
// port, so runs go through the real HTTP client.
func simURL(t *testing.T) string {
	t.Helper()
	team := miniSim(t)
	srv := httptest.NewServer(sim.Handler(team, nil))
	t.Cleanup(srv.Close)
	return srv.URL + "/v1"
}

// miniSim is the sim team over testdata/mini's problems, for tests that
// serve it over HTTP.
func miniSim(t *testing.T) *sim.Sim {
	t.Helper()
	team, _ := miniSimAndProblems(t)
	return team
}

// miniSimAndProblems is miniSim and the problems it knows.
func miniSimAndProblems(t *testing.T) (*sim.Sim, []*datasets.Problem) {
	t.Helper()
	ps, err := datasets.LoadDir("testdata/mini")
	if err != nil {
		t.Fatal(err)
	}
	team, err := sim.New(sim.Config{Problems: ps})
	if err != nil {
		t.Fatal(err)
	}
	return team, ps
}

// miniSpec is a spec over testdata/mini whose agents are the sim team
// reached over HTTP. Its strategies' prompts hold no measured numbers, so
// the sim's answers, and so the statuses, do not depend on timing noise.
func miniSpec(t *testing.T, url, strategies string, seeds string) string {
	t.Helper()
	dir := t.TempDir()
	abs, _ := filepath.Abs("testdata/mini")
	text := fmt.Sprintf(`name: mini
dataset: {path: %s}
evaluation: {repetitions: 3, warmup: 1, timeout: 30s}
agents:
  - {name: a, provider: openai, base_url: %s, model: sim/coder-a}
  - {name: b, provider: openai, base_url: %s, model: sim/coder-b}
  - {name: c, provider: openai, base_url: %s, model: sim/coder-c}
strategies:
%s
seeds: %s
`, abs, url, url, url, strategies, seeds)
	path := filepath.Join(dir, "spec.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const fourStrategies = `  - {name: lessonl, kind: lessonl, agents: [a, b, c], params: {rounds: 2, selection: none}}
  - {name: single, kind: single, agents: [a]}
  - {name: voting, kind: voting, agents: [a, b, c]}
  - {name: moa, kind: moa, agents: [a, b, c], params: {layers: 1}}`

type cellStatus struct{ key, status string }

func results(t *testing.T, dir string) []cellStatus {
	t.Helper()
	rows, err := record.Read[record.Result](dir, record.TableResults)
	if err != nil {
		t.Fatal(err)
	}
	var out []cellStatus
	for _, r := range rows {
		out = append(out, cellStatus{record.Key(r.Strategy, r.Variant, r.ProblemID, r.Seed), r.Status})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key < out[j].key })
	return out
}

func TestRunReadByDuckDB(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and times real code")
	}
	sp := miniSpec(t, simURL(t), fourStrategies, "[1, 2]")
	out := filepath.Join(t.TempDir(), "run")
	sum, _, err := Execute(context.Background(), sp, out, Options{}, "test")
	if err != nil {
		t.Fatal(err)
	}
	if sum.Ran != 16 || sum.Failed != 0 {
		t.Fatalf("summary %+v, want 16 cells run, none failed", sum)
	}
	ours, err := record.Counts(out)
	if err != nil {
		t.Fatal(err)
	}
	if ours[record.TableResults] != int64(sum.Ran) || ours[record.TableCells] != int64(sum.Ran) {
		t.Errorf("results %d and cells %d rows, summary says %d cells", ours[record.TableResults], ours[record.TableCells], sum.Ran)
	}
	for _, table := range record.Tables {
		if ours[table] == 0 && table != record.TableSelections && table != record.TableLessons {
			t.Errorf("table %s is empty", table)
		}
	}
	m, err := record.ReadManifest(out)
	if err != nil || m.Ended.IsZero() || m.Cells != 16 || m.Sandbox["rlimits"] == "" || m.Compiler == "" {
		t.Errorf("manifest %+v, %v", m, err)
	}
	if _, err := os.Stat(filepath.Join(out, ".lessonl.lock")); err == nil {
		t.Error("the finished run folder keeps a lock file")
	}
	if b, _ := os.ReadFile(filepath.Join(out, record.ManifestFile)); strings.Contains(string(b), "sk-") {
		t.Error("manifest holds something like a key")
	}
	// The run's report: every strategy and category in the figures' data.
	runs, err := analysis.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := analysis.Build(runs, analysis.Options{Resamples: 200}, "single")
	if err != nil {
		t.Fatal(err)
	}
	files, err := rep.Write(filepath.Join(out, "report"))
	if err != nil || len(files) < 10 {
		t.Fatalf("report wrote %d files: %v", len(files), err)
	}
	for _, f := range rep.Figures {
		if f.Name != "categories" {
			continue
		}
		for _, want := range []string{"lessonl", "single", "voting", "moa"} {
			if !slices.Contains(f.Series, want) {
				t.Errorf("category plot lacks %s: %v", want, f.Series)
			}
		}
		for _, c := range []string{"sort", "reduce"} {
			if !slices.Contains(f.Categories, c) {
				t.Errorf("category plot lacks %s: %v", c, f.Categories)
			}
		}
	}
	md, _ := os.ReadFile(filepath.Join(out, "report", "report.md"))
	if !strings.Contains(string(md), "simulator") || !strings.Contains(string(md), "| lessonl |") {
		t.Error("report lacks the simulator note or the lessonl row")
	}

	// A second run into the same folder is refused; nothing changes.
	if _, _, err := Execute(context.Background(), sp, out, Options{}, "test"); err == nil || !strings.Contains(err.Error(), "--resume") {
		t.Errorf("second run into the folder: %v", err)
	}

	// Last, as it skips without DuckDB: an independent reader agrees.
	d := recordtest.Read(t, out)
	for _, table := range record.Tables {
		if d.Counts[table] != ours[table] {
			t.Errorf("%s: DuckDB reads %d rows, the run recorded %d", table, d.Counts[table], ours[table])
		}
	}
}

// buildLessonl builds the CLI once for the tests that run it as a process.
var buildLessonl = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "lessonl-bin-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "lessonl")
	out, err := exec.Command("go", "build", "-o", bin, "../cmd/lessonl").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// TestKillAndResume kills `lessonl run` with SIGKILL at random moments,
// resumes each time, and compares the end with an uninterrupted run.
func TestKillAndResume(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and times real code")
	}
	bin, err := buildLessonl()
	if err != nil {
		t.Fatal(err)
	}
	sp := miniSpec(t, simURL(t), fourStrategies, "[1, 2, 3]")
	whole := filepath.Join(t.TempDir(), "whole")
	if _, _, err := Execute(context.Background(), sp, whole, Options{}, "test"); err != nil {
		t.Fatal(err)
	}
	want := results(t, whole)

	out := filepath.Join(t.TempDir(), "killed")
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	kills, midRun := 0, 0
	// Five minutes on an idle machine, stretched by the load measured.
	load, began := busy.Start(), time.Now()
	defer load.Stop()
	for attempt := 0; ; attempt++ {
		args := []string{"run", sp, "--out", out, "--plain"}
		if attempt > 0 {
			args = append(args, "--resume")
		}
		before, _ := record.Finished(out)
		cmd := exec.Command(bin, args...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		// Kill once a few more cells are recorded, after a random extra
		// moment, so each kill lands mid-run at a random point of a cell.
		target := len(before) + 1 + rng.IntN(4)
		killed := false
	watch:
		for kills < 3 {
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("run %d: %v", attempt, err)
				}
				break watch
			case <-time.After(50 * time.Millisecond):
			}
			if n, _ := record.Finished(out); len(n) >= target && len(n) < len(want) {
				time.Sleep(time.Duration(rng.IntN(400)) * time.Millisecond)
				syscall.Kill(cmd.Process.Pid, syscall.SIGKILL)
				<-done
				killed = true
				kills++
				n, _ = record.Finished(out)
				if len(n) < len(want) {
					midRun++
				}
				t.Logf("killed run %d with %d of %d cells recorded", attempt, len(n), len(want))
				break watch
			}
			if bound := load.Scale(5 * time.Minute); time.Since(began) > bound {
				cmd.Process.Kill()
				t.Fatalf("the runs took more than %s (5 minutes at the measured slowdown %.1f)", bound, load.Slowdown())
			}
		}
		if !killed {
			if kills == 3 {
				if err := <-done; err != nil {
					t.Fatalf("final run: %v", err)
				}
			}
			break
		}
	}
	if midRun == 0 {
		t.Fatalf("no kill landed in the middle of the run (%d kills)", kills)
	}
	got := results(t, out)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("after %d kills and resumes:\n%v\nuninterrupted:\n%v", kills, got, want)
	}
	cells, _ := record.Read[record.Cell](out, record.TableCells)
	seen := map[string]bool{}
	for _, c := range cells {
		k := record.Key(c.Strategy, c.Variant, c.ProblemID, c.Seed)
		if seen[k] {
			t.Errorf("cell %s recorded twice", k)
		}
		seen[k] = true
	}
}

// TestShardsMerged runs shards 1..4 of 4 into their own folders, merges
// them, and compares the cell set with one unsharded run.
func TestShardsMerged(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and times real code")
	}
	sp := miniSpec(t, simURL(t), `  - {name: single, kind: single, agents: [a]}
  - {name: best, kind: best-of-n, agents: [a, b], params: {n: 2}}`, "[1, 2, 3, 4]")
	whole := filepath.Join(t.TempDir(), "whole")
	if _, _, err := Execute(context.Background(), sp, whole, Options{}, "test"); err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for i := 1; i <= 4; i++ {
		d := filepath.Join(t.TempDir(), fmt.Sprintf("shard%d", i))
		if _, _, err := Execute(context.Background(), sp, d, Options{Shard: spec.ShardSpec{I: i, N: 4}}, "test"); err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, d)
	}
	merged := filepath.Join(t.TempDir(), "merged")
	if _, err := record.Merge(merged, dirs...); err != nil {
		t.Fatal(err)
	}
	if err := record.MergeManifests(merged, dirs...); err != nil {
		t.Fatal(err)
	}
	a, _ := record.Finished(whole)
	b, _ := record.Finished(merged)
	if len(a) != 16 || !reflect.DeepEqual(a, b) {
		t.Errorf("merged shards hold %d cells, the whole run %d; equal: %v", len(b), len(a), reflect.DeepEqual(a, b))
	}
	m, _ := record.ReadManifest(merged)
	if len(m.Shards) != 4 {
		t.Errorf("merged manifest lists shards %v", m.Shards)
	}
}

// TestSlurm runs the script `lessonl slurm` writes on a real Slurm cluster
// (.ci/slurm-up.sh starts a one-node one and exports SLURM_CONF) and
// compares the cells with an unsharded run.
func TestSlurm(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and times real code")
	}
	if _, err := exec.LookPath("sbatch"); err != nil || os.Getenv("SLURM_CONF") == "" {
		t.Skip("no Slurm cluster: run .ci/slurm-up.sh DIR and export the SLURM_CONF it prints")
	}
	bin, err := buildLessonl()
	if err != nil {
		t.Fatal(err)
	}
	sp := miniSpec(t, simURL(t), `  - {name: single, kind: single, agents: [a]}
  - {name: voting, kind: voting, agents: [a, b, c]}`, "[1, 2, 3]")
	whole := filepath.Join(t.TempDir(), "whole")
	if _, _, err := Execute(context.Background(), sp, whole, Options{}, "test"); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "slurm-run")
	script := filepath.Join(t.TempDir(), "job.sh")
	if b, err := exec.Command(bin, "slurm", sp, "--shards", "3", "--cpus", "1", "--out", out, "--script", script).CombinedOutput(); err != nil {
		t.Fatalf("lessonl slurm: %v\n%s", err, b)
	}
	b, err := exec.Command("bash", script).CombinedOutput()
	if err != nil {
		t.Fatalf("submit: %v\n%s", err, b)
	}
	t.Logf("%s", b)
	deadline := time.Now().Add(5 * time.Minute)
	for {
		q, _ := exec.Command("squeue", "-h", "-n", "lessonl-mini,lessonl-mini-merge").Output()
		if strings.TrimSpace(string(q)) == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("jobs still queued after 5 minutes:\n%s", q)
		}
		time.Sleep(time.Second)
	}
	a, _ := record.Finished(whole)
	got, _ := record.Finished(out)
	if len(a) != 12 || !reflect.DeepEqual(a, got) {
		logs, _ := filepath.Glob(filepath.Join(out, "slurm", "*.out"))
		for _, l := range logs {
			b, _ := os.ReadFile(l)
			t.Logf("%s:\n%s", l, b)
		}
		t.Fatalf("Slurm run holds %d cells, the unsharded run %d", len(got), len(a))
	}
	m, err := record.ReadManifest(out)
	if err != nil || len(m.Shards) != 3 || m.Ended.IsZero() {
		t.Errorf("manifest after the Slurm run: %+v, %v", m, err)
	}
}
