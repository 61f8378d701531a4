package sandbox

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestProcessLimitPerFolder: RLIMIT_NPROC counts a user's processes across
// the machine, so with one sandbox user a candidate that holds its
// processes (or a machine full of evaluations) starves every other
// sandbox. Each folder gets a user of its own: a folder at its process
// limit leaves another folder free to fork.
func TestProcessLimitPerFolder(t *testing.T) {
	s := New()
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

// TestUIDRegistryAcrossProcesses: two lessonl-like processes take users
// from one registry at once (and a third registry in this process takes
// more while they hold theirs); no user is handed out twice. The range
// is small enough that allocations without the lock would collide.
func TestUIDRegistryAcrossProcesses(t *testing.T) {
	const base, span, each = 5000, 256, 80
	if dir := os.Getenv("LESSONL_UID_HELPER"); dir != "" {
		reg, err := newUIDRegistry(dir, base, span)
		if err != nil {
			t.Fatal(err)
		}
		for range each {
			l, err := reg.acquire()
			if err != nil {
				t.Fatal(err)
			}
			fmt.Println("uid", l.uid)
		}
		fmt.Println("held")
		io.Copy(io.Discard, os.Stdin) // hold until the parent closes stdin
		return
	}
	dir := t.TempDir()
	seen := map[uint32]string{}
	var stdins []io.WriteCloser
	for i := range 2 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestUIDRegistryAcrossProcesses$", "-test.count=1")
		cmd.Env = append(os.Environ(), "LESSONL_UID_HELPER="+dir)
		in, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		stdins = append(stdins, in)
		t.Cleanup(func() { in.Close(); cmd.Wait() })
		sc := bufio.NewScanner(out)
		n := 0
		for sc.Scan() && sc.Text() != "held" {
			var uid uint32
			if _, err := fmt.Sscanf(sc.Text(), "uid %d", &uid); err != nil {
				continue
			}
			n++
			if who, dup := seen[uid]; dup {
				t.Errorf("uid %d handed to process %d and %s", uid, i, who)
			}
			seen[uid] = fmt.Sprintf("process %d", i)
		}
		if n != each {
			t.Fatalf("process %d took %d users, want %d", i, n, each)
		}
	}
	reg, err := newUIDRegistry(dir, base, span)
	if err != nil {
		t.Fatal(err)
	}
	var mine []*uidLease
	for range span - 2*each {
		l, err := reg.acquire()
		if err != nil {
			t.Fatal(err)
		}
		if who, dup := seen[l.uid]; dup {
			t.Errorf("uid %d handed to this process and %s", l.uid, who)
		}
		seen[l.uid] = "this process"
		mine = append(mine, l)
	}
	if _, err := reg.acquire(); err == nil {
		t.Errorf("a full registry handed out one more user")
	}
	// A user given back is free again; one held by a process that ends is
	// too (the kernel drops its locks).
	mine[0].release()
	if l, err := reg.acquire(); err != nil || l.uid != mine[0].uid {
		t.Errorf("after a release: %v, %v; want uid %d", l, err, mine[0].uid)
	}
	stdins[0].Close()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if _, err := reg.acquire(); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the users of a process that ended were not freed")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestConcurrentSandboxesDistinctUsers: two Sandboxes (as two lessonl
// processes would have) hand their folders users through the machine's
// registry; every folder's user is distinct, and processes running at
// once in a folder of each run as their folder's user.
func TestConcurrentSandboxesDistinctUsers(t *testing.T) {
	a, b := New(), New()
	if a.uids == nil {
		t.Skipf("no per-folder users here (%s)", a.Enforced()["user"])
	}
	t.Cleanup(func() { a.Close(); b.Close() })
	seen := map[uint32]string{}
	var dirs [2][]string
	for i, s := range []*Sandbox{a, b} {
		for range 8 {
			d := sandboxDir(t, s)
			uid := s.credFor(d).Uid
			if other, dup := seen[uid]; dup {
				t.Errorf("folders %s and %s share user %d", d, other, uid)
			}
			seen[uid] = d
			dirs[i] = append(dirs[i], d)
		}
	}
	lim := Limits{Wall: 30 * time.Second, CPU: 10 * time.Second, AddressSpace: 1 << 30, FileSize: 1 << 20, Processes: 16, Output: 4096}
	var pa, pb *Proc
	pa = a.Command(dirs[0][0], lim, nil, nil, "/bin/sh", "-c", "id -u; sleep 0.5")
	pb = b.Command(dirs[1][0], lim, nil, nil, "/bin/sh", "-c", "id -u; sleep 0.5")
	for _, p := range []*Proc{pa, pb} {
		if err := p.Start(); err != nil {
			t.Fatal(err)
		}
	}
	for i, p := range []*Proc{pa, pb} {
		x := p.Wait()
		want := []*Sandbox{a, b}[i].credFor(dirs[i][0]).Uid
		if got := strings.TrimSpace(x.Stdout); got != strconv.FormatUint(uint64(want), 10) {
			t.Errorf("a process in %s ran as %q, want %d (%s)", dirs[i][0], got, want, x.Describe(lim))
		}
	}
}

// TestProcHandle reads a running process through its handle: its tasks
// are the command's (three processes, the sandbox's own left out), its CPU
// time grows while it spins and holds what ended children used, and its
// run-queue delay is read.
func TestProcHandle(t *testing.T) {
	s := New()
	t.Cleanup(func() { s.Close() })
	dir := sandboxDir(t, s)
	lim := Limits{Wall: 30 * time.Second, CPU: 30 * time.Second, AddressSpace: 1 << 30, FileSize: 1 << 20, Processes: 16, Output: 4096}
	// A child spins until it has used 0.2 s of CPU and ends; then the
	// shell starts two sleepers and says so.
	p, err := s.Start(context.Background(), dir, lim, nil, nil, "/bin/sh", "-c",
		`python3 -c 'import time
while time.process_time() < 0.2: pass'; sleep 30 & sleep 30 & echo up; wait`)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Kill)
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(p.stdout.String(), "up") {
		if time.Now().After(deadline) {
			t.Fatal("the sleepers did not start")
		}
		time.Sleep(20 * time.Millisecond)
	}
	n, err := p.Threads()
	if err != nil || n != 3 {
		tasks, _ := p.Tasks()
		t.Errorf("threads %d (%v), want 3 (the shell and two sleepers): %v", n, err, tasks)
	}
	cpu, err := p.CPUTime()
	if err != nil || cpu < 200*time.Millisecond {
		t.Errorf("CPU time %s (%v), want at least the ended child's 0.2 s", cpu, err)
	}
	if d := p.RunQueueDelay(); d < 0 {
		t.Errorf("run-queue delay %s", d)
	}
	p.Kill()
	x := p.Wait()
	if x.CPU < cpu {
		t.Errorf("CPU time at the end %s, less than while running %s", x.CPU, cpu)
	}
}

// TestSweepFolders: a lessonl process killed before it released its
// folders leaves their tmpfs mounted; the next sandbox unmounts and
// removes them, and leaves a living process's folders alone.
func TestSweepFolders(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounts need root")
	}
	dead := exec.Command("/bin/true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	parent := t.TempDir()
	gone, kept := filepath.Join(parent, "gone"), filepath.Join(parent, "kept")
	for _, d := range []struct {
		dir string
		pid int
	}{{gone, dead.Process.Pid}, {kept, os.Getppid()}} {
		if err := os.Mkdir(d.dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := unix.Mount(folderSource(d.pid), d.dir, "tmpfs", 0, "size=1m"); err != nil {
			t.Skipf("cannot mount a tmpfs: %v", err)
		}
	}
	t.Cleanup(func() { unmountFolder(kept); unmountFolder(gone) })
	sweepFolders()
	if _, err := os.Stat(gone); err == nil {
		t.Errorf("the dead process's folder %s is still there", gone)
	}
	if !isMount(kept) {
		t.Errorf("the living process's folder %s was unmounted", kept)
	}
}

// isMount reports whether dir is a mount point.
func isMount(dir string) bool {
	for _, m := range mounts() {
		if m.point == dir {
			return true
		}
	}
	return false
}

// compileLimits bound a compile of a probe as the evaluator bounds one
// compiler invocation.
func compileLimits() Limits {
	return Limits{Wall: 60 * time.Second, CPU: 60 * time.Second, AddressSpace: 4 << 30,
		FileSize: 256 << 20, Processes: 256, Output: 16 << 10, Memory: 4 << 30}
}
