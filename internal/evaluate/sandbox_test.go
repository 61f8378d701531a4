package evaluate

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestProcessLimitPerFolder: RLIMIT_NPROC counts a user's processes across
// the machine, so with one sandbox user a candidate that holds its
// processes (or a machine full of evaluations) starves every other
// sandbox. Each folder gets a user of its own: a folder at its process
// limit leaves another folder free to fork.
func TestProcessLimitPerFolder(t *testing.T) {
	s := NewSandbox()
	if s.uids == nil || s.prlimit == "" {
		t.Skipf("no per-folder users here (%s)", s.Enforced()["user"])
	}
	a, b := sandboxDir(t, s), sandboxDir(t, s)
	if s.credFor(a).Uid == s.credFor(b).Uid {
		t.Fatalf("folders %s and %s share user %d", a, b, s.credFor(a).Uid)
	}
	lim := Limits{Wall: 2 * time.Minute, CPU: time.Minute, AddressSpace: 1 << 30, FileSize: 1 << 20, Processes: 8, Output: 4096}
	// a: six sleepers and their shell, close to the limit of 8, held
	// until the test ends.
	hold := s.Command(a, lim, nil, nil, "/bin/sh", "-c", "for i in 1 2 3 4 5 6; do sleep 120 & done; echo up; wait")
	if err := hold.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(hold.Kill)
	deadline := time.Now().Add(time.Minute)
	for !strings.Contains(hold.stdout.String(), "up") {
		if time.Now().After(deadline) {
			t.Fatal("the holding processes did not start")
		}
		time.Sleep(50 * time.Millisecond)
	}
	// b: a shell and three children must start.
	x, err := s.Command(b, lim, nil, nil, "/bin/sh", "-c", "true & true & true & wait; echo forked").Run(context.Background())
	if err != nil || !strings.Contains(x.Stdout, "forked") {
		t.Errorf("a second folder could not fork beside a full one: err %v, code %d, stderr %q", err, x.Code, x.Stderr)
	}
}
