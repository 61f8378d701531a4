package evaluate

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// machineSlot is a timing slot shared by every lessonl process on the
// machine: an flock on a file in LockDir, so that two runs (or a run and a
// `datasets check`) never time at the same moment on the same cores.
type machineSlot struct {
	f *os.File
}

// lockDir is where slot lock files live: $LESSONL_LOCK_DIR, else the
// system temp dir.
func lockDir() string {
	if d := os.Getenv("LESSONL_LOCK_DIR"); d != "" {
		return d
	}
	return os.TempDir()
}

// acquireMachineSlot takes one of n machine-wide slots, polling until one
// is free or ctx ends.
func acquireMachineSlot(ctx context.Context, n int) (*machineSlot, error) {
	for {
		for i := 0; i < n; i++ {
			path := filepath.Join(lockDir(), fmt.Sprintf("lessonl-timing-%d.lock", i))
			f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o666)
			if err != nil {
				return nil, fmt.Errorf("timing lock %s: %w", path, err)
			}
			if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err == nil {
				return &machineSlot{f: f}, nil
			}
			f.Close()
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func (s *machineSlot) release() {
	syscall.Flock(int(s.f.Fd()), syscall.LOCK_UN)
	s.f.Close()
}
