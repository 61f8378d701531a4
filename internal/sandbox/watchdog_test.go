package sandbox

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lessonlab/lessonl/internal/busy"
)

// TestWatchdogTellsSlowCodeFromSlowMachine runs processes under a 1 s wall
// limit: code that spins is killed as a timeout; a process that sleeps
// past the limit (no CPU time, but no run-queue delay either) is killed at
// the plain limit, never stretched; and a process kept from its CPU (pinned
// to one core with two spinning hogs) is let finish, the limit stretched
// by the time it waited on the run queue.
func TestWatchdogTellsSlowCodeFromSlowMachine(t *testing.T) {
	if testing.Short() {
		t.Skip("runs processes for seconds")
	}
	lim := compileLimits()
	lim.Wall, lim.CPU = time.Second, 30*time.Second
	// The starved run does 0.5 s of CPU work, measured by its own CPU
	// clock, on a core it shares with two hogs: about 1.5 s of wall time,
	// two thirds of it on the run queue, past its 1 s limit.
	work := `import time
while time.process_time() < 0.5: pass`
	tests := []struct {
		name     string
		argv     []string
		hogs     bool
		timedOut bool
		minWall  time.Duration // idle-machine lower bound
		maxWall  time.Duration // idle-machine upper bound, scaled by the measured slowdown
		starved  bool
	}{
		{"spins", []string{"/bin/sh", "-c", "while :; do :; done"}, false, true, time.Second, 3 * time.Second, false},
		{"sleeps past the limit", []string{"/bin/sh", "-c", "sleep 1.6; exit 0"}, false, true, time.Second, 2 * time.Second, false},
		{"never ends", []string{"/bin/sh", "-c", "sleep 60"}, false, true, time.Second, 2 * time.Second, false},
		{"kept from its CPU", []string{"taskset", "-c", "0", "python3", "-c", work}, true, false, 500 * time.Millisecond, maxStretch * time.Second, true},
	}
	if _, err := exec.LookPath("taskset"); err != nil {
		tests = tests[:3]
	}
	s := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.hogs {
				for range 2 {
					hog := exec.Command("taskset", "-c", "0", "/bin/sh", "-c", "while :; do :; done")
					if err := hog.Start(); err != nil {
						t.Fatal(err)
					}
					t.Cleanup(func() { hog.Process.Kill(); hog.Wait() })
				}
			}
			m := busy.Start()
			x, err := s.Command(sandboxDir(t, s), lim, nil, nil, tt.argv[0], tt.argv[1:]...).Run(context.Background())
			m.Stop()
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("wall %s, run-queue delay %s, stretched %s, cpu %s", x.Wall, x.RunQueue, x.Starved, x.CPU)
			if x.TimedOut != tt.timedOut {
				t.Errorf("timed out %v, want %v (wall %s, %+v)", x.TimedOut, tt.timedOut, x.Wall, x)
			}
			if x.Wall < tt.minWall || x.Wall > m.Scale(tt.maxWall) {
				t.Errorf("wall %s, want %s to %s (slowdown %.1f)", x.Wall, tt.minWall, m.Scale(tt.maxWall), m.Slowdown())
			}
			// A spinning run may be stretched too when the machine is busy
			// (it waited on a run queue); one that sleeps is only for the
			// little its start-up waited; one kept from its CPU always is,
			// once its wall time passes the limit (the hogs may get less
			// of the core than planned, and the run end before it).
			if tt.starved && (x.Wall > lim.Wall && x.Starved == 0 || x.RunQueue < 200*time.Millisecond) {
				t.Errorf("stretched by %s with a run-queue delay of %s, want stretched", x.Starved, x.RunQueue)
			}
			if !tt.starved && !tt.hogs && strings.Contains(tt.argv[len(tt.argv)-1], "sleep") && x.Starved > x.RunQueue+50*time.Millisecond {
				t.Errorf("a sleeper was stretched by %s, more than its run-queue delay %s", x.Starved, x.RunQueue)
			}
			if !tt.timedOut && x.Code != 0 {
				t.Errorf("the starved run failed: %s", x.Describe(lim))
			}
		})
	}
}

// TestGroupCPU checks that the CPU time of a process group counts its
// children once reaped: sampled while the shell sleeps after its child's
// work, it equals what the kernel reports for the whole group at exit.
func TestGroupCPU(t *testing.T) {
	if testing.Short() {
		t.Skip("spins for a while")
	}
	lim := compileLimits()
	lim.Wall = 60 * time.Second
	s := New()
	dir := sandboxDir(t, s)
	p := s.Command(dir, lim, nil, nil, "/bin/sh", "-c",
		`sh -c 'i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done'; touch done; sleep 1`)
	if err := p.Start(); err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "done")); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	sampled, _ := p.CPUTime()
	x := p.Wait()
	if x.Code != 0 {
		t.Fatalf("the script failed: %+v", x)
	}
	if sampled < 50*time.Millisecond {
		t.Errorf("group CPU time sampled after the child's work %s, want at least 50ms", sampled)
	}
	if s.PrivateFilesystem() {
		// bubblewrap's own init reaps the namespace's processes, so the
		// exit status of the bwrap process carries none of their CPU time.
		return
	}
	ru := p.cmd.ProcessState
	total := ru.UserTime() + ru.SystemTime()
	if sampled < 50*time.Millisecond || sampled > total+20*time.Millisecond || sampled < total-30*time.Millisecond {
		t.Errorf("group CPU time sampled after the child's work %s, the kernel's total at exit %s", sampled, total)
	}
}

// sandboxDir is a folder the sandbox user can work in (t.TempDir's parent
// is private to the test's user).
func sandboxDir(t *testing.T, s *Sandbox) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "lessonl-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := s.Owner(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestUnstartedParse(t *testing.T) {
	tests := []struct {
		stderr string
		want   bool
	}{
		{"lessonl-sandbox: 1: Cannot fork\n", true},
		{"lessonl-sandbox: fork: retry: Resource temporarily unavailable", true},
		{"terminate called after throwing an instance of 'std::bad_alloc'", false},
		{"fork failed in the candidate", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := unstarted(tt.stderr); got != tt.want {
			t.Errorf("unstarted(%q) = %v, want %v", tt.stderr, got, tt.want)
		}
	}
}

// TestFullProcessLimitUnstarted gives the sandbox user a process limit
// its shell cannot fork under (as when other sandboxes on the machine fill
// the limit): the run says it never started its command (Exit.Unstarted),
// which is no verdict on the command. Only the fallback sandbox shares one
// user between folders (no bubblewrap, no per-folder users:
// TestProcessLimitPerFolder), so the test turns both off.
func TestFullProcessLimitUnstarted(t *testing.T) {
	s := New()
	if s.cred == nil || !s.namespace || s.prlimit == "" {
		t.Skip("needs root (a sandbox user whose process limit binds), namespaces and prlimit")
	}
	s.SharedUser()
	if s.PrivateFilesystem() || s.uids != nil {
		t.Fatal("SharedUser left bubblewrap or per-folder users on")
	}
	x, err := s.Command(sandboxDir(t, s), Limits{Wall: 10 * time.Second, CPU: 10 * time.Second, AddressSpace: 1 << 30,
		FileSize: 1 << 20, Processes: 1, Output: 1 << 10}, nil, nil, "/bin/true").Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !x.Unstarted {
		t.Fatalf("with a process limit of 1 the shell started its command: %+v", x)
	}
}

// TestResumeApart runs a sleeper under a 1 s wall limit. A turn apart of
// 3 s outlasts the phase's second and leaves the phase untouched: after
// it, the process lives on for the phase's whole second and is killed at
// its end. A turn apart past its own bound kills the process in that turn.
func TestResumeApart(t *testing.T) {
	if testing.Short() {
		t.Skip("runs processes for seconds")
	}
	s := New()
	t.Cleanup(func() { s.Close() })
	lim := compileLimits()
	lim.Wall, lim.CPU = time.Second, 30*time.Second
	start := func() (*Proc, <-chan Exit) {
		p, err := s.Start(context.Background(), sandboxDir(t, s), lim, nil, nil, "/bin/sh", "-c", "sleep 60")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(p.Kill)
		p.Pause()
		done := make(chan Exit, 1)
		go func() { done <- p.Wait() }()
		return p, done
	}

	t.Run("outlasts the phase", func(t *testing.T) {
		p, done := start()
		p.ResumeApart(3 * time.Second)
		select {
		case x := <-done:
			t.Fatalf("killed in a 3 s turn apart after %s: %+v", x.Wall, x)
		case <-time.After(1500 * time.Millisecond):
		}
		p.Pause()
		resumed := time.Now()
		p.Resume()
		select {
		case x := <-done:
			if !x.TimedOut {
				t.Errorf("ended without timing out: %+v", x)
			}
			if d := time.Since(resumed); d < 900*time.Millisecond {
				t.Errorf("killed %s after the phase resumed, before its 1 s: the turn apart used the phase's time", d)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("the phase's limit never killed the process")
		}
	})
	t.Run("past its own bound", func(t *testing.T) {
		p, done := start()
		p.ResumeApart(300 * time.Millisecond)
		select {
		case x := <-done:
			if !x.TimedOut {
				t.Errorf("ended without timing out: %+v", x)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("a turn apart past its bound was never killed")
		}
	})
}
