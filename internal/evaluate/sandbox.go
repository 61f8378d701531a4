package evaluate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Limits bound one compile or one run of untrusted code.
type Limits struct {
	Wall         time.Duration // wall-clock limit of one phase
	CPU          time.Duration // CPU-time limit of the whole process
	AddressSpace int64         // bytes of virtual memory (RLIMIT_AS); 0 sets none (see sanitizedLimits)
	FileSize     int64         // bytes of any file written (RLIMIT_FSIZE)
	Processes    int           // processes and threads of the sandbox user (RLIMIT_NPROC)
	Output       int           // bytes of stdout and of stderr kept; more kills the run
}

// DefaultRunLimits bound a driver run: validation and timing.
func DefaultRunLimits() Limits {
	return Limits{Wall: 60 * time.Second, CPU: 180 * time.Second, AddressSpace: 4 << 30,
		FileSize: 64 << 20, Processes: 64, Output: 64 << 10}
}

// DefaultCompileLimits bound one compiler invocation.
func DefaultCompileLimits() Limits {
	return Limits{Wall: 60 * time.Second, CPU: 60 * time.Second, AddressSpace: 4 << 30,
		FileSize: 256 << 20, Processes: 256, Output: 16 << 10}
}

// Sandbox runs untrusted commands with limits. Which protections the
// machine allows is detected once, by New, and reported by Enforced.
type Sandbox struct {
	prlimit   string // path of prlimit(1); "" when absent
	namespace bool   // new PID and network namespaces
	cred      *syscall.Credential
	userName  string
	// uids gives every folder handed to Owner a user of its own, drawn
	// from [uidBase, uidBase+uidSpan), so that RLIMIT_NPROC, which Linux
	// counts per user across the machine, bounds one candidate's
	// processes and not those of every sandbox at once: a fork bomb, or a
	// busy machine full of evaluations, cannot starve another candidate.
	// Zero uidBase means every folder runs as cred's user.
	mu      sync.Mutex
	uidBase uint32
	nextUID uint32
	uids    map[string]uint32
	// bwrap is bubblewrap's path when it gives each process a private
	// filesystem view on this machine, "" otherwise; setpriv drops to the
	// sandbox user inside it (bubblewrap itself runs as root).
	bwrap, setpriv string
	// fsNote says why there is no private filesystem view.
	fsNote string
}

// NewSandbox detects what this machine lets lessonl enforce: rlimits through
// prlimit(1), a fresh PID namespace (so killing its first process kills
// every descendant, even ones that left the process group) with no network,
// and, when running as root, an unprivileged user so that the process limit
// binds (root ignores RLIMIT_NPROC).
func NewSandbox() *Sandbox {
	s := &Sandbox{}
	if p, err := exec.LookPath("prlimit"); err == nil {
		s.prlimit = p
	}
	if os.Geteuid() == 0 {
		if u, err := user.Lookup("nobody"); err == nil {
			uid, _ := strconv.Atoi(u.Uid)
			gid, _ := strconv.Atoi(u.Gid)
			s.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), NoSetGroups: true}
			s.userName = "nobody"
			s.probeUIDs()
		}
	}
	probe := exec.Command("/bin/sh", "-c", "exit 0")
	probe.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWPID | syscall.CLONE_NEWNET, Setpgid: true}
	if probe.Run() == nil {
		s.namespace = true
	}
	s.probeFilesystem()
	return s
}

// The users of per-folder sandboxes: far above the ids of real accounts
// (LDAP sites hand out ids well below 2³¹), never in /etc/passwd, so a
// candidate owns nothing outside its folder. Each lessonl process takes a
// stretch of uidSpan ids chosen by its PID, so that concurrent processes
// rarely share one.
const (
	uidFloor = 3_000_000_000
	uidSpan  = 1 << 16
	uidSlots = 16
)

// probeUIDs checks that this machine lets a process take a user id from the
// per-folder range (a user namespace may map fewer ids); when it does not,
// every folder runs as nobody, as before.
func (s *Sandbox) probeUIDs() {
	base := uint32(uidFloor + (os.Getpid()%uidSlots)*uidSpan)
	probe := exec.Command("/bin/true")
	probe.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: base, Gid: s.cred.Gid, NoSetGroups: true}}
	if probe.Run() == nil {
		s.uidBase, s.uids = base, map[string]uint32{}
	}
}

// credFor is the credential of processes run in dir: the user Owner gave
// dir or the closest folder above it, else the sandbox user.
func (s *Sandbox) credFor(dir string) *syscall.Credential {
	if s.cred == nil || s.uidBase == 0 {
		return s.cred
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		if uid, ok := s.uids[d]; ok {
			return &syscall.Credential{Uid: uid, Gid: s.cred.Gid, NoSetGroups: true}
		}
		if d == filepath.Dir(d) {
			return s.cred
		}
	}
}

// probeFilesystem finds out whether bubblewrap can give a process a
// read-only view of the system with one writable folder: it runs the exact
// wrapping Command uses on a scratch folder and checks that the folder,
// and only it, took a write.
func (s *Sandbox) probeFilesystem() {
	bw, err := exec.LookPath("bwrap")
	if err != nil {
		s.fsNote = "bubblewrap (bwrap) is not installed"
		return
	}
	if s.cred != nil {
		sp, err := exec.LookPath("setpriv")
		if err != nil {
			s.fsNote = "setpriv (util-linux) is missing, so bubblewrap could not drop to " + s.userName
			return
		}
		s.setpriv = sp
	}
	dir, err := os.MkdirTemp("", "lessonl-probe-")
	if err != nil {
		s.fsNote = "no scratch folder for the probe: " + err.Error()
		return
	}
	defer os.RemoveAll(dir)
	if err := os.Chmod(dir, 0o755); err != nil || s.Owner(dir) != nil {
		s.fsNote = "cannot prepare the probe folder"
		return
	}
	s.bwrap = bw
	p := s.Command(dir, Limits{Wall: 20 * time.Second, CPU: 10 * time.Second, AddressSpace: 1 << 30,
		FileSize: 1 << 20, Processes: 64, Output: 4096}, nil, nil, "/bin/sh", "-c",
		`touch ok && ! touch "$1/lessonl-escape" 2>/dev/null`, "probe", filepath.Dir(dir))
	x, err := p.Run(context.Background())
	_, okErr := os.Stat(filepath.Join(dir, "ok"))
	escaped := filepath.Join(filepath.Dir(dir), "lessonl-escape")
	if _, e := os.Stat(escaped); e == nil {
		os.Remove(escaped)
	}
	if err != nil || x.Code != 0 || okErr != nil {
		s.bwrap = ""
		why := strings.TrimSpace(x.Stderr)
		if err != nil {
			why = err.Error()
		}
		s.fsNote = "bubblewrap is not allowed here: " + truncate(why, 300)
		return
	}
	s.namespace = true // bubblewrap's own PID and network namespaces
}

// Enforced describes each protection and whether it is in force, for the
// run manifest and for `lessonl eval`.
func (s *Sandbox) Enforced() map[string]string {
	yes := func(b bool, how string) string {
		if b {
			return how
		}
		return "not enforced"
	}
	return map[string]string{
		"wall_clock":    "enforced (kill of the process group)",
		"rlimits":       yes(s.prlimit != "", "enforced (prlimit: cpu, address space, file size, processes)"),
		"pid_namespace": yes(s.namespace, "enforced (all descendants die with the run)"),
		"network":       yes(s.namespace, "none (empty network namespace)"),
		"user":          yes(s.cred != nil, s.userNote()),
		"output":        "capped (the run is killed past the cap)",
		"temp_dir":      "private per candidate",
		"filesystem":    s.filesystem(),
	}
}

// userNote says which user sandboxed processes run as.
func (s *Sandbox) userNote() string {
	if s.uidBase != 0 {
		return fmt.Sprintf("a user of its own per candidate folder (uids from %d, group of %s), so the process limit is per candidate", s.uidBase, s.userName)
	}
	return "runs as " + s.userName
}

// filesystem describes the filesystem view of a sandboxed process.
func (s *Sandbox) filesystem() string {
	if s.bwrap == "" {
		return "not enforced (" + s.fsNote + "): the whole filesystem is visible with the sandbox user's rights"
	}
	return "private (bubblewrap): the system read-only, only the process's own folder writable; /tmp, $HOME and the work dir read-only, /dev and /proc private"
}

// PrivateFilesystem reports whether every process gets a private
// filesystem view (bubblewrap).
func (s *Sandbox) PrivateFilesystem() bool { return s.bwrap != "" }

// reachable checks that the sandbox user can reach dir: every folder above
// it must let others pass (o+x), or the sandboxed compiler cannot start.
func (s *Sandbox) reachable(dir string) error {
	if s.cred == nil {
		return nil
	}
	for d := filepath.Dir(dir); ; d = filepath.Dir(d) {
		st, err := os.Stat(d)
		if err != nil {
			return fmt.Errorf("evaluator work dir: %w", err)
		}
		if st.Mode().Perm()&0o001 == 0 {
			return fmt.Errorf("evaluator work dir %s: user %s cannot pass through %s (mode %v); choose a work dir under a world-accessible folder such as %s",
				dir, s.userName, d, st.Mode().Perm(), os.TempDir())
		}
		if d == filepath.Dir(d) {
			return nil
		}
	}
}

// Owner makes dir usable by the sandbox user; with per-folder users it
// gives dir a user of its own, which every process run in dir (or below)
// takes.
func (s *Sandbox) Owner(dir string) error {
	if s.cred == nil {
		return nil
	}
	if s.uidBase != 0 {
		s.mu.Lock()
		dir = filepath.Clean(dir)
		uid, ok := s.uids[dir]
		if !ok {
			uid = s.uidBase + s.nextUID%uidSpan
			s.nextUID++
			s.uids[dir] = uid
		}
		s.mu.Unlock()
		return os.Chown(dir, int(uid), int(s.cred.Gid))
	}
	return os.Chown(dir, int(s.cred.Uid), int(s.cred.Gid))
}

// Proc is one sandboxed process.
type Proc struct {
	cmd      *exec.Cmd
	stdout   *cappedBuffer
	stderr   *cappedBuffer
	lim      Limits
	mu       sync.Mutex
	timer    *time.Timer
	timedOut bool
	started  time.Time
	// shellCodes: the process reports a child's fatal signal N as exit
	// status 128+N (the namespace's sh, bubblewrap).
	shellCodes bool
	phase      phase // the watchdog's current phase (watchdog.go)
}

// Command prepares name with args to run in dir under lim. extra become
// the child's fds 3, 4, ...
func (s *Sandbox) Command(dir string, lim Limits, env []string, extra []*os.File, name string, args ...string) *Proc {
	argv := []string{name}
	argv = append(argv, args...)
	if s.bwrap != "" {
		return s.bwrapCommand(dir, lim, env, extra, argv)
	}
	if s.namespace {
		// sh stays as the namespace's first process and reaps; when it exits
		// the kernel kills everything left in the namespace.
		argv = append([]string{"/bin/sh", "-c", `"$@"; exit $?`, "lessonl-sandbox"}, argv...)
	}
	if s.prlimit != "" {
		lims := []string{s.prlimit,
			"--cpu=" + strconv.FormatInt(int64((lim.CPU+time.Second-1)/time.Second), 10),
			"--fsize=" + strconv.FormatInt(lim.FileSize, 10),
			"--core=0", "--"}
		if lim.AddressSpace > 0 {
			lims = append(lims[:len(lims)-1], "--as="+strconv.FormatInt(lim.AddressSpace, 10), "--")
		}
		if s.cred != nil {
			lims = append(lims[:len(lims)-1], "--nproc="+strconv.Itoa(lim.Processes), "--")
		}
		argv = append(lims, argv...)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = append([]string{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + dir, "TMPDIR=" + dir, "LC_ALL=C"}, env...)
	cmd.ExtraFiles = extra
	attr := &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL, Credential: s.credFor(dir)}
	if s.namespace {
		attr.Cloneflags = syscall.CLONE_NEWPID | syscall.CLONE_NEWNET
	}
	cmd.SysProcAttr = attr
	p := &Proc{cmd: cmd, lim: lim, shellCodes: s.namespace}
	p.stdout = &cappedBuffer{max: lim.Output, over: p.kill}
	p.stderr = &cappedBuffer{max: lim.Output, over: p.kill}
	cmd.Stdout, cmd.Stderr = p.stdout, p.stderr
	cmd.WaitDelay = 2 * time.Second
	return p
}

// bwrapCommand is Command with a private filesystem view: bubblewrap
// mounts the system read-only, dir read-write, fresh /dev, /proc and IPC,
// and new PID and network namespaces (its own first process reaps, and its
// death kills everything left); inside, setpriv drops to the sandbox user
// without a way back (no_new_privs) and prlimit sets the limits.
func (s *Sandbox) bwrapCommand(dir string, lim Limits, env []string, extra []*os.File, argv []string) *Proc {
	// setpriv goes first: Linux refuses an exec after a change of user
	// whose process count is past RLIMIT_NPROC, so the limit is set by
	// prlimit once it runs as the sandbox user, as Command does.
	inner := []string{}
	if cred := s.credFor(dir); cred != nil {
		inner = append(inner, s.setpriv, "--reuid="+strconv.FormatUint(uint64(cred.Uid), 10), "--regid="+strconv.FormatUint(uint64(cred.Gid), 10),
			"--clear-groups", "--no-new-privs", "--")
	}
	if s.prlimit != "" {
		inner = append(inner, s.prlimit,
			"--cpu="+strconv.FormatInt(int64((lim.CPU+time.Second-1)/time.Second), 10),
			"--fsize="+strconv.FormatInt(lim.FileSize, 10), "--core=0")
		if lim.AddressSpace > 0 {
			inner = append(inner, "--as="+strconv.FormatInt(lim.AddressSpace, 10))
		}
		if s.cred != nil {
			inner = append(inner, "--nproc="+strconv.Itoa(lim.Processes))
		}
		inner = append(inner, "--")
	}
	full := []string{s.bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
		"--bind", dir, dir, "--chdir", dir,
		"--unshare-pid", "--unshare-net", "--unshare-ipc", "--die-with-parent", "--"}
	full = append(append(full, inner...), argv...)
	cmd := exec.Command(full[0], full[1:]...)
	cmd.Dir = dir
	cmd.Env = append([]string{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + dir, "TMPDIR=" + dir, "LC_ALL=C"}, env...)
	cmd.ExtraFiles = extra
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	p := &Proc{cmd: cmd, lim: lim, shellCodes: true}
	p.stdout = &cappedBuffer{max: lim.Output, over: p.kill}
	p.stderr = &cappedBuffer{max: lim.Output, over: p.kill}
	cmd.Stdout, cmd.Stderr = p.stdout, p.stderr
	cmd.WaitDelay = 2 * time.Second
	return p
}

// Start starts the process and its wall-clock watchdog.
func (p *Proc) Start() error {
	p.started = time.Now()
	if err := p.cmd.Start(); err != nil {
		return err
	}
	p.Rearm(p.lim.Wall)
	return nil
}

// Rearm restarts the wall-clock watchdog with d from now; a phase that
// waited for a timing slot gets its full limit.
func (p *Proc) Rearm(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.timer != nil {
		p.timer.Stop()
	}
	p.phase = p.newPhase(d)
	gen := p.phase.gen
	p.timer = time.AfterFunc(d, func() { p.expire(gen) })
}

func (p *Proc) kill() {
	if p.cmd.Process == nil {
		return
	}
	// The group first, then the leader: the leader is the namespace's
	// first process, whose death takes every descendant with it.
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	_ = p.cmd.Process.Kill()
}

// Kill stops the process and everything it started.
func (p *Proc) Kill() { p.kill() }

// Exit is how a sandboxed process ended.
type Exit struct {
	Code      int    // exit status; -1 when killed by a signal
	Signal    string // name of the fatal signal, "" if none
	TimedOut  bool   // the watchdog or the CPU limit fired
	OutputCap bool   // stdout or stderr passed its cap
	Stdout    string
	Stderr    string
	Wall      time.Duration
	Starved   time.Duration // how long the watchdog waited past its limit for a starved process (watchdog.go)
	// Unstarted says the sandbox's shell could not start the command: its
	// fork failed, because the sandbox user's processes (counted across
	// the machine, every lessonl process's sandboxes together) filled the
	// process limit. Nothing of the command ran; it is no verdict.
	Unstarted bool
}

// Wait waits for the process and says how it ended.
func (p *Proc) Wait() Exit {
	err := p.cmd.Wait()
	p.mu.Lock()
	if p.timer != nil {
		p.timer.Stop()
	}
	e := Exit{TimedOut: p.timedOut, Wall: time.Since(p.started), Starved: p.phase.extended}
	p.mu.Unlock()
	e.Stdout, e.Stderr = p.stdout.String(), p.stderr.String()
	e.OutputCap = p.stdout.exceeded() || p.stderr.exceeded()
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		ws, _ := ee.Sys().(syscall.WaitStatus)
		switch {
		case ws.Signaled():
			e.Code, e.Signal = -1, unix.SignalName(ws.Signal())
		case ws.ExitStatus() > 128 && p.shellCodes:
			// sh reports a child's fatal signal as 128+N.
			e.Code, e.Signal = -1, unix.SignalName(syscall.Signal(ws.ExitStatus()-128))
		default:
			e.Code = ws.ExitStatus()
		}
	default:
		e.Code = -1
		e.Signal = err.Error()
	}
	if e.Signal == "SIGXCPU" {
		e.TimedOut = true
	}
	e.Unstarted = p.usesShell() && unstarted(e.Stderr)
	return e
}

// unstarted reports whether stderr is the sandbox shell's own complaint
// that it could not fork the command (dash: "lessonl-sandbox: 1: Cannot
// fork"; bash: "lessonl-sandbox: fork: retry: Resource temporarily
// unavailable").
func unstarted(stderr string) bool {
	s := strings.TrimSpace(stderr)
	return strings.HasPrefix(s, "lessonl-sandbox: ") && strings.Contains(strings.ToLower(s), "fork")
}

func (p *Proc) usesShell() bool {
	for _, a := range p.cmd.Args {
		if a == "lessonl-sandbox" {
			return true
		}
	}
	return false
}

// Run starts, waits, and reports.
func (p *Proc) Run(ctx context.Context) (Exit, error) {
	if err := p.Start(); err != nil {
		return Exit{}, err
	}
	stop := context.AfterFunc(ctx, p.kill)
	defer stop()
	return p.Wait(), nil
}

// timeLimitNote opens the description of a run the time limit killed.
const timeLimitNote = "killed: time limit"

// Describe says in a few words why a process failed, for Outcome.Detail.
func (e Exit) Describe(limits Limits) string {
	var parts []string
	switch {
	case e.TimedOut:
		parts = append(parts, fmt.Sprintf(timeLimitNote+" (wall %s, cpu %s)", limits.Wall, limits.CPU))
		if e.Starved > 0 {
			parts = append(parts, fmt.Sprintf("(the machine was busy: the limit was stretched by %s while the run got little CPU time)", e.Starved.Round(time.Second)))
		}
	case e.OutputCap:
		parts = append(parts, fmt.Sprintf("killed: output passed %d bytes", limits.Output))
	case e.Signal != "":
		parts = append(parts, "killed by signal: "+e.Signal)
	case e.Code != 0:
		parts = append(parts, fmt.Sprintf("exit status %d", e.Code))
	}
	if s := strings.TrimSpace(e.Stderr); s != "" {
		parts = append(parts, "stderr: "+s)
	}
	return truncate(strings.Join(parts, "\n"), 4096)
}

// cappedBuffer keeps the first max bytes written and calls over once when
// more arrive: a run that floods its output is killed, not drained.
type cappedBuffer struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	max  int
	over func()
	hit  bool
}

func (c *cappedBuffer) Write(b []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if room := c.max - c.buf.Len(); room > 0 {
		if len(b) <= room {
			c.buf.Write(b)
			return len(b), nil
		}
		c.buf.Write(b[:room])
	}
	if !c.hit {
		c.hit = true
		go c.over()
	}
	return 0, errors.New("output limit reached")
}

func (c *cappedBuffer) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.String()
}

func (c *cappedBuffer) exceeded() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hit
}

// truncate cuts s to at most n bytes, saying so.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "\n… (truncated)"
}
