package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/lessonlab/lessonl/internal/busy"
	"github.com/urfave/cli/v2"
)

// TestInterruptCleansUp sends this process a real SIGINT while `lessonl
// eval` runs a candidate that never returns: the command must stop at
// once, kill the driver, and leave no temporary folder behind.
func TestInterruptCleansUp(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles a candidate")
	}
	if _, err := os.Stat("/usr/bin/g++"); err != nil {
		t.Skip("g++ not installed")
	}
	// Not t.TempDir(): its parent is private, and the sandbox's user must
	// pass through.
	tmp, err := os.MkdirTemp("", "lessonl-interrupt-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(tmp) })
	if err := os.Chmod(tmp, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TMPDIR", tmp)
	t.Setenv("LESSONL_LOCK_DIR", t.TempDir())
	cand := filepath.Join(t.TempDir(), "loop.cpp")
	code := `#include <cstdint>
#include <vector>
std::vector<std::int64_t> histogram_byte_counts(const std::vector<unsigned char>& data) {
    for (volatile bool forever = true; forever;) {}
    return std::vector<std::int64_t>(256, 0);
}
`
	if err := os.WriteFile(cand, []byte(code), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, stop := interruptible(context.Background())
	defer stop()
	app := &cli.App{Name: "lessonl", Commands: []*cli.Command{evalCommand()}, Writer: testLog{t}, ErrWriter: testLog{t}}
	done := make(chan error, 1)
	go func() {
		done <- app.RunContext(ctx, []string{"lessonl", "eval", "--problem", "histogram-byte-counts", "--timeout", "5m", cand})
	}()
	// Wait until the candidate's binary exists: the driver is then
	// starting or running the endless call.
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if m, _ := filepath.Glob(filepath.Join(tmp, "lessonl-eval-*", "cand-*", "driver")); len(m) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the candidate was not built within 2 minutes")
		}
		select {
		case err := <-done:
			t.Fatalf("eval ended before the interrupt: %v", err)
		case <-time.After(50 * time.Millisecond):
		}
	}
	time.Sleep(500 * time.Millisecond)
	sent, load := time.Now(), busy.Start()
	defer load.Stop()
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("eval ended with %v, want context.Canceled", err)
		}
		if took, bound := time.Since(sent), load.Scale(10*time.Second); took > bound {
			t.Errorf("eval took %s to stop after SIGINT, want at most %s (10 s at the measured slowdown %.1f)", took, bound, load.Slowdown())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("eval still running 30 s after SIGINT")
	}
	if m, _ := filepath.Glob(filepath.Join(tmp, "lessonl-eval-*")); len(m) != 0 {
		t.Errorf("left behind %v", m)
	}
}
