package evaluate

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/busy"
	"github.com/lessonlab/lessonl/internal/sandbox"
)

func loadTestProblem(t *testing.T) *datasets.Problem {
	t.Helper()
	ps, err := datasets.LoadDir("testdata/reduce-sum")
	if err != nil {
		t.Fatal(err)
	}
	return ps[0]
}

func newTestEvaluator(t *testing.T, cfg Config) *Evaluator {
	t.Helper()
	if _, err := os.Stat("/usr/bin/g++"); err != nil {
		t.Skip("g++ not installed")
	}
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

const sumBody = `#include <cstdint>
#include <vector>
int64_t sum_values(const std::vector<int64_t>& v) {
    int64_t s = 0;
    for (std::size_t i = 0; i < v.size(); ++i) s += v[i];
    return s;
}
`

func TestEvaluateStatuses(t *testing.T) {
	p := loadTestProblem(t)
	e := newTestEvaluator(t, Config{MinReps: 5, MaxReps: 5})
	tests := []struct {
		name   string
		code   string
		want   Status
		detail string // a fragment Detail must hold
	}{
		{"identity", p.BaselineCode, Correct, ""},
		{"own includes and helpers", "#include <numeric>\n#include <cstdint>\n#include <vector>\nstatic int64_t add(int64_t a, int64_t b) { return a + b; }\n" +
			"int64_t sum_values(const std::vector<int64_t>& v) { return std::accumulate(v.begin(), v.end(), int64_t(0), add); }\n", Correct, ""},
		{"off by one", "#include <cstdint>\n#include <vector>\nint64_t sum_values(const std::vector<int64_t>& v) { int64_t s = 0; for (std::size_t i = 1; i < v.size(); ++i) s += v[i]; return s; }\n",
			Incorrect, "outputs differ"},
		{"wrong only at the timing size", "#include <cstdint>\n#include <vector>\nint64_t sum_values(const std::vector<int64_t>& v) { int64_t s = 0; for (std::size_t i = 0; i < v.size(); ++i) s += v[i]; return v.size() > 100000 ? s + 1 : s; }\n",
			Incorrect, "size 2000000"},
		{"syntax error", "#include <vector>\nint64_t sum_values(const std::vector<int64_t>& v) { return v.size() }\n", NotCompilable, "candidate.cpp:2"},
		{"quotes its own line", "#include <cstdint>\n#include <vector>\n#include <utility>\nint64_t sum_values(const std::vector<int64_t>& v) {\n  int64_t s = 0;\n  for (std::size_t i = 0; i < v.size(); ++i) s += dfs(v[i]);\n  return s;\n}\n",
			NotCompilable, "6 |   for (std::size_t i = 0; i < v.size(); ++i) s += dfs(v[i]);"},
		{"wrong name", "#include <cstdint>\n#include <vector>\nint64_t sum_value(const std::vector<int64_t>& v) { return 0; }\n", NotCompilable, "defines no function sum_values"},
		{"throws", "#include <cstdint>\n#include <vector>\n#include <stdexcept>\nint64_t sum_values(const std::vector<int64_t>& v) { throw std::runtime_error(\"boom\"); }\n", RuntimeError, "boom"},
		{"segfault", "#include <cstdint>\n#include <vector>\nint64_t sum_values(const std::vector<int64_t>& v) { *(volatile int*)0 = 1; return 0; }\n", RuntimeError, "SIGSEGV"},
		{"exits", "#include <cstdint>\n#include <vector>\n#include <cstdlib>\nint64_t sum_values(const std::vector<int64_t>& v) { std::exit(0); }\n", RuntimeError, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := e.Evaluate(context.Background(), p, tt.code)
			if err != nil {
				t.Fatal(err)
			}
			if out.Status != tt.want {
				t.Fatalf("status %s, want %s; detail:\n%s", out.Status, tt.want, out.Detail)
			}
			if !strings.Contains(out.Detail, tt.detail) {
				t.Errorf("detail %q lacks %q", out.Detail, tt.detail)
			}
			if tt.want == Correct {
				if len(out.BaselineReps) != 5 || len(out.CandidateReps) != 5 {
					t.Errorf("got %d/%d repetitions, want 5 each", len(out.BaselineReps), len(out.CandidateReps))
				}
				if out.PlacementSplit != 3 {
					t.Errorf("placement split %d, want 3 pairs in the first build and 2 in the swapped one", out.PlacementSplit)
				}
				if !(out.CILow <= out.Speedup && out.Speedup <= out.CIHigh) || out.Speedup <= 0 {
					t.Errorf("speedup %g outside its interval [%g, %g]", out.Speedup, out.CILow, out.CIHigh)
				}
			}
		})
	}
}

// TestPaperTiming runs the authors' protocol: ten seeds, eleven calls of
// each side per seed, one process, and the ratio of the medians of all
// samples. A candidate that does the work twice, without vectorizing it,
// must come out slower than the identity measured the same way: the test
// compares two measurements of one protocol on one machine, never a
// measurement with a number that assumes what the compiler emits. The
// protocol times each side in its own block, so a burst of load can land
// on one; up to three tries.
func TestPaperTiming(t *testing.T) {
	p := loadTestProblem(t)
	e := newTestEvaluator(t, Config{Timing: TimingPaper, Fresh: true})
	twice := "#include <cstdint>\n#include <vector>\nint64_t sum_values(const std::vector<int64_t>& v) { int64_t s = 0;\n" +
		"  for (int k = 0; k < 2; ++k) { s = 0; for (std::size_t i = 0; i < v.size(); ++i) { s += v[i]; asm volatile(\"\" : \"+r\"(s)); } }\n  return s; }\n"
	eval := func(name, code string) Outcome {
		out, err := e.Evaluate(context.Background(), p, code)
		if err != nil {
			t.Fatal(err)
		}
		if out.Status != Correct {
			t.Fatalf("%s: status %s: %s", name, out.Status, out.Detail)
		}
		if n := paperSeeds * paperCalls; len(out.BaselineReps) != n || len(out.CandidateReps) != n || out.PlacementSplit != n || out.Processes != 1 {
			t.Errorf("%s: %d/%d samples, split %d, %d processes; want %d each in one process", name,
				len(out.BaselineReps), len(out.CandidateReps), out.PlacementSplit, out.Processes, n)
		}
		return out
	}
	var id, tw Outcome
	for try := 0; try < 3; try++ {
		id, tw = eval("identity", p.BaselineCode), eval("twice the work", twice)
		if tw.Speedup < 0.85*id.Speedup {
			break
		}
	}
	if tw.Speedup >= 0.85*id.Speedup {
		t.Errorf("twice the work: speedup %.3f against the identity's %.3f, want below 0.85 of it", tw.Speedup, id.Speedup)
	}
	if _, err := New(Config{Timing: "nanobench"}); err == nil || !strings.Contains(err.Error(), "timing") {
		t.Errorf("an unknown protocol gave %v, want an error naming timing", err)
	}
}

func TestEvaluateCachesIdenticalCode(t *testing.T) {
	p := loadTestProblem(t)
	e := newTestEvaluator(t, Config{MinReps: 3, MaxReps: 3})
	first, err := e.Evaluate(context.Background(), p, sumBody)
	if err != nil {
		t.Fatal(err)
	}
	// The same code with other line ends and trailing blanks is the same code.
	second, err := e.Evaluate(context.Background(), p, strings.ReplaceAll(sumBody, "\n", "  \r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if first.Cached || !second.Cached {
		t.Fatalf("cached: first %v second %v, want false then true", first.Cached, second.Cached)
	}
	if first.CodeHash != second.CodeHash || first.Speedup != second.Speedup {
		t.Errorf("second evaluation differs: %+v vs %+v", first, second)
	}
	other, err := e.Evaluate(context.Background(), p, sumBody+"// changed\n")
	if err != nil {
		t.Fatal(err)
	}
	if other.Cached || other.CodeHash == first.CodeHash {
		t.Errorf("different code reused the cache")
	}
	// A fresh evaluation measures cached code again, with its compile.
	fresh, err := e.EvaluateFresh(context.Background(), p, sumBody)
	if err != nil {
		t.Fatal(err)
	}
	if fresh.Cached || fresh.CompileMS == 0 || fresh.CodeHash != first.CodeHash || fresh.Status != first.Status {
		t.Errorf("fresh evaluation %+v, want an uncached measurement of the same code", fresh)
	}
}

// TestContainment runs hostile candidates for real and checks each is
// stopped by the right limit, promptly, leaving no process behind, and that
// the evaluator then works as before.
func TestContainment(t *testing.T) {
	if testing.Short() {
		t.Skip("runs hostile processes")
	}
	p := loadTestProblem(t)
	wall := 4 * time.Second
	run := DefaultRunLimits()
	run.Wall, run.CPU = wall, 3*wall
	// The plain build's limits, which the timed run faces; the checked
	// build's memory bound is TestCheckedBuildBoundsMemory's.
	e := newTestEvaluator(t, Config{MinReps: 3, MaxReps: 3, RunLimits: run, NoCheckedBuild: true})
	head := "#include <cstdint>\n#include <vector>\n#include <cstdio>\n#include <cstdlib>\n#include <unistd.h>\n"
	tests := []struct {
		name    string
		body    string
		want    Status
		detail  string
		maxWall time.Duration
	}{
		{"loops forever", "int64_t sum_values(const std::vector<int64_t>& v) { volatile int64_t x = 0; for (;;) x = x + 1; }", Timeout, "time limit", wall + 5*time.Second},
		{"allocates 64 GiB", "int64_t sum_values(const std::vector<int64_t>& v) { std::vector<char> big(std::size_t(64) << 30, 1); return big[12345] + v.size(); }", RuntimeError, "bad_alloc", 10 * time.Second},
		{"forks without end", "int64_t sum_values(const std::vector<int64_t>& v) { for (;;) fork(); }", Timeout, "time limit", wall + 5*time.Second},
		{"floods stdout", "int64_t sum_values(const std::vector<int64_t>& v) { static char buf[1 << 20]; for (std::size_t i = 0; i < sizeof buf; ++i) buf[i] = 'x'; for (int i = 0; i < 8192; ++i) fwrite(buf, 1, sizeof buf, stdout); return 0; }", RuntimeError, "output passed", 10 * time.Second},
		{"writes a huge file", "int64_t sum_values(const std::vector<int64_t>& v) { FILE* f = fopen(\"big\", \"w\"); static char buf[1 << 20]; for (int i = 0; i < 4096; ++i) if (fwrite(buf, 1, sizeof buf, f) != sizeof buf) abort(); fclose(f); return 0; }", RuntimeError, "", 10 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start, load := time.Now(), busy.Start()
			out, err := e.Evaluate(context.Background(), p, head+tt.body+"\n")
			took := time.Since(start)
			load.Stop()
			if err != nil {
				t.Fatal(err)
			}
			if out.Status != tt.want {
				t.Fatalf("status %s, want %s; detail:\n%s", out.Status, tt.want, out.Detail)
			}
			if !strings.Contains(out.Detail, tt.detail) {
				t.Errorf("detail %q lacks %q", out.Detail, tt.detail)
			}
			// maxWall holds on an idle machine; on a busy one it stretches
			// by the slowdown measured meanwhile.
			if bound := load.Scale(tt.maxWall); took > bound {
				t.Errorf("took %s, want at most %s (%s at the measured slowdown %.1f)", took, bound, tt.maxWall, load.Slowdown())
			}
			if left := leftovers(e.workDir); len(left) > 0 {
				t.Errorf("processes left behind: %v", left)
			}
		})
	}
	out, err := e.Evaluate(context.Background(), p, sumBody)
	if err != nil || out.Status != Correct {
		t.Fatalf("after the hostile candidates, a correct one got %s (%v): %s", out.Status, err, out.Detail)
	}
}

// TestNoNetwork checks that a candidate cannot reach a server on this
// machine's loopback when the sandbox has its own network namespace.
func TestNoNetwork(t *testing.T) {
	p := loadTestProblem(t)
	e := newTestEvaluator(t, Config{MinReps: 3, MaxReps: 3})
	if e.sandbox.Enforced()["network"] == "not enforced" {
		t.Skip("network namespaces are not available here")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	// The candidate adds 1 to the sum when it reaches the server, which
	// validation then catches.
	code := fmt.Sprintf(`#include <cstdint>
#include <vector>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>
int64_t sum_values(const std::vector<int64_t>& v) {
    int64_t s = 0;
    for (auto x : v) s += x;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(%d);
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    bool reached = connect(fd, (sockaddr*)&a, sizeof a) == 0;
    close(fd);
    return reached ? s + 1 : s;
}
`, port)
	out, err := e.Evaluate(context.Background(), p, code)
	if err != nil {
		t.Fatal(err)
	}
	if out.Status != Correct {
		t.Fatalf("status %s (the candidate reached the network?): %s", out.Status, out.Detail)
	}
}

// leftovers lists processes whose executable lives under dir.
func leftovers(dir string) []string {
	var left []string
	procs, _ := filepath.Glob("/proc/[0-9]*")
	for _, p := range procs {
		exe, err := os.Readlink(filepath.Join(p, "exe"))
		if err == nil && strings.HasPrefix(exe, dir) {
			left = append(left, filepath.Base(p)+" "+exe)
		}
	}
	return left
}

// TestUnreachableWorkDir: without a private filesystem view the sandbox
// user must be able to pass through every folder above the work dir
// (bubblewrap's view makes those folders itself, so there any will do).
func TestUnreachableWorkDir(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("the sandbox drops to nobody only as root")
	}
	if sandbox.New().PrivateFilesystem() {
		t.Skip("the private filesystem view makes the folders above the work dir")
	}
	_, err := New(Config{WorkDir: t.TempDir()}) // mode 0700: nobody cannot pass
	if err == nil || !strings.Contains(err.Error(), "cannot pass through") {
		t.Errorf("New with an unreachable work dir: %v", err)
	}
}

// TestPrivateFilesystem checks that a candidate can write only in its own
// folder: its attempts at the machine's /tmp, the user's home and the
// evaluator's work dir fail (the sum comes out wrong if one succeeds, so
// validation would catch it) and no file appears.
func TestPrivateFilesystem(t *testing.T) {
	p := loadTestProblem(t)
	e := newTestEvaluator(t, Config{MinReps: 3, MaxReps: 3})
	if !e.sandbox.PrivateFilesystem() {
		t.Skipf("no private filesystem here: %s", e.sandbox.Enforced()["filesystem"])
	}
	home, err := os.UserHomeDir()
	if err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("lessonl-escape-%d", time.Now().UnixNano())
	targets := []string{filepath.Join("/tmp", name), filepath.Join(home, name), filepath.Join(e.workDir, name)}
	t.Cleanup(func() {
		for _, f := range targets {
			os.Remove(f)
		}
	})
	code := fmt.Sprintf(`#include <cstdint>
#include <cstdio>
#include <vector>
int64_t sum_values(const std::vector<int64_t>& v) {
    int64_t s = 0;
    for (auto x : v) s += x;
    const char* targets[] = {%q, %q, %q};
    for (const char* path : targets) {
        if (FILE* f = std::fopen(path, "w")) { std::fputs("escaped", f); std::fclose(f); s += 1; }
    }
    if (FILE* f = std::fopen("mine", "w")) { std::fclose(f); } else { s += 1; }
    return s;
}
`, targets[0], targets[1], targets[2])
	out, err := e.Evaluate(context.Background(), p, code)
	if err != nil {
		t.Fatal(err)
	}
	if out.Status != Correct {
		t.Errorf("status %s, want correct (a write outside its folder succeeded, or one inside failed): %s", out.Status, out.Detail)
	}
	for _, f := range targets {
		if _, err := os.Stat(f); err == nil {
			t.Errorf("the candidate created %s", f)
		}
	}
	if got := e.sandbox.Enforced()["filesystem"]; !strings.HasPrefix(got, "private") {
		t.Errorf("manifest record %q", got)
	}
}

// TestFullProcessLimitIsNoVerdict gives the sandbox user a process limit
// its shell cannot fork under (as when other sandboxes on the machine fill
// the limit): the evaluation retries, then gives up with ErrMachineBusy,
// and never records the candidate as a runtime error. Only the fallback
// sandbox shares one user between folders (sandbox.Sandbox.SharedUser),
// so the test turns to it.
func TestFullProcessLimitIsNoVerdict(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles")
	}
	p := loadTestProblem(t)
	run := DefaultRunLimits()
	run.Processes = 1
	e := newTestEvaluator(t, Config{MinReps: 3, MaxReps: 3, RunLimits: run, BusyWait: time.Second})
	for _, k := range []string{"user", "pid_namespace", "rlimits"} {
		if e.sandbox.Enforced()[k] == "not enforced" {
			t.Skip("needs root (a sandbox user whose process limit binds), namespaces and prlimit")
		}
	}
	e.sandbox.SharedUser()
	out, err := e.Evaluate(context.Background(), p, sumBody)
	if !errors.Is(err, ErrMachineBusy) {
		t.Fatalf("evaluation with the sandbox user's processes full: %s (%s), %v; want ErrMachineBusy", out.Status, out.Detail, err)
	}
}

// TestCheckVerdictOnly checks a built-in problem with a faster solution
// without timing: faster and not_faster then ask for correct, so every row
// meets its expectation (before, each faster solution was a mismatch).
func TestCheckVerdictOnly(t *testing.T) {
	ps, err := datasets.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	p, err := datasets.Find(ps, "dense-matmul-naive")
	if err != nil {
		t.Fatal(err)
	}
	e := newTestEvaluator(t, Config{VerdictOnly: true, NoCheckedBuild: true})
	rows, err := Check(context.Background(), e, p)
	if err != nil {
		t.Fatal(err)
	}
	faster := 0
	for _, r := range rows {
		if !r.OK {
			t.Errorf("%s (expected %s): status %s, not ok", r.Solution, r.Expected, r.Status)
		}
		if r.Expected == datasets.ExpectFaster {
			faster++
		}
	}
	if faster == 0 {
		t.Fatal("dense-matmul-naive has no faster solution: the test tests nothing")
	}
}

// TestMeets: what each expected outcome asks of a timed outcome; correct
// asks for the verdict alone, at any speed, slower or faster.
func TestMeets(t *testing.T) {
	correct := func(sp, low float64) Outcome { return Outcome{Status: Correct, Speedup: sp, CILow: low} }
	cases := []struct {
		want datasets.Expected
		out  Outcome
		ok   bool
	}{
		{datasets.ExpectFaster, correct(1.3, 1.2), true},
		{datasets.ExpectFaster, correct(1.05, 1.01), false},
		{datasets.ExpectFaster, Outcome{Status: Incorrect}, false},
		{datasets.ExpectNotFaster, correct(1.02, 0.98), true},
		{datasets.ExpectNotFaster, correct(1.29, 1.24), false},
		{datasets.ExpectCorrect, correct(1.29, 1.24), true},
		{datasets.ExpectCorrect, correct(0.7, 0.65), true},
		{datasets.ExpectCorrect, Outcome{Status: Incorrect}, false},
		{datasets.ExpectCorrect, Outcome{Status: RuntimeError}, false},
		{datasets.ExpectIncorrect, Outcome{Status: Incorrect}, true},
		{datasets.ExpectNotCompilable, Outcome{Status: NotCompilable}, true},
		{datasets.ExpectNotCompilable, Outcome{Status: Incorrect}, false},
	}
	for _, c := range cases {
		if got := Meets(c.want, c.out); got != c.ok {
			t.Errorf("Meets(%s, %s %.2f [%.2f]) = %v, want %v", c.want, c.out.Status, c.out.Speedup, c.out.CILow, got, c.ok)
		}
	}
}
