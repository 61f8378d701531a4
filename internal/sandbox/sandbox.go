package sandbox

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
	Wall         time.Duration // wall-clock limit of one phase, stretched only for run-queue delay (watchdog.go)
	CPU          time.Duration // CPU-time limit of the whole process
	AddressSpace int64         // bytes of virtual memory (RLIMIT_AS); 0 sets none (see sanitizedLimits)
	FileSize     int64         // bytes of any file written (RLIMIT_FSIZE)
	Processes    int           // processes and threads of the sandbox user (RLIMIT_NPROC) and of the process's control group
	Output       int           // bytes of stdout and of stderr kept; more kills the run
	// Memory is the bytes of memory the process's control group may hold:
	// anonymous memory, memfds, tmpfs and page cache together. 0 takes
	// AddressSpace, or defaultMemory when that is 0 too.
	Memory int64
}

// defaultMemory bounds a control group whose Limits give no memory bound.
const defaultMemory = 4 << 30

// memory is the control group's memory bound under l.
func (l Limits) memory() int64 {
	switch {
	case l.Memory > 0:
		return l.Memory
	case l.AddressSpace > 0:
		return l.AddressSpace
	}
	return defaultMemory
}

// Sandbox runs untrusted commands with limits. Which protections the
// machine allows is detected once, by New, and reported by
// Enforced. Folders handed to Owner are given back with Release, and
// Close releases what is left.
type Sandbox struct {
	prlimit   string // path of prlimit(1); "" when absent
	namespace bool   // new PID and network namespaces
	// cred is the fallback user (nobody, with its group) when there are
	// no per-folder users; nil when lessonl is not root.
	cred     *syscall.Credential
	userName string
	// uids gives every folder handed to Owner a user (and a group) of its
	// own, unique on the machine across lessonl processes, so that
	// RLIMIT_NPROC, which Linux counts per user across the machine, bounds
	// one candidate's processes and not those of every sandbox at once,
	// and no candidate can read another's files. nil: every folder runs as
	// cred's user.
	uids    *uidRegistry
	uidNote string

	mu      sync.Mutex
	folders map[string]*folder // the folders handed to Owner
	shared  []string           // folders every view holds read-only (Share)
	// folderCap is the size of each folder's tmpfs; 0 when folders are
	// plain folders (folderNote says why).
	folderCap  int64
	folderNote string
	// cg makes a control group per process; nil when there is none
	// (cgNote says why).
	cg     *cgroupSet
	cgNote string
	// bwrap is bubblewrap's path when it gives each process a private
	// filesystem view on this machine, "" otherwise; setpriv drops to the
	// sandbox user inside it (bubblewrap itself runs as root).
	bwrap, setpriv string
	// fsNote says why there is no private filesystem view.
	fsNote string
	// etc are the files of /etc that the view holds (etcFiles).
	etc []string
}

// New detects what this machine lets lessonl enforce: rlimits through
// prlimit(1), a fresh PID namespace (so killing its first process kills
// every descendant, even ones that left the process group) with no network,
// and, when running as root, a user of its own per folder (so that the
// process limit binds and candidates cannot read each other's files), a
// sized tmpfs per folder, a control group per process and a private
// filesystem view.
func New() *Sandbox {
	s := &Sandbox{folders: map[string]*folder{}}
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
		sweepFolders()
		s.probeFolderCap()
	} else {
		s.uidNote, s.folderNote = "lessonl does not run as root", "lessonl does not run as root"
	}
	s.cg, s.cgNote = detectCgroups()
	probe := exec.Command("/bin/sh", "-c", "exit 0")
	probe.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWPID | syscall.CLONE_NEWNET, Setpgid: true}
	if probe.Run() == nil {
		s.namespace = true
	}
	s.probeFilesystem()
	return s
}

// setFolderCap sets the size of the tmpfs each folder handed to Owner
// from now on gets (defaultFolderCap unless set); it has no effect where
// folders cannot be mounted.
func (s *Sandbox) setFolderCap(bytes int64) {
	if s.folderCap > 0 && bytes > 0 {
		s.folderCap = bytes
	}
}

// probeUIDs opens the machine-wide registry of per-folder users and checks
// that this machine lets a process take a user id from its range (a user
// namespace may map fewer ids); when it does not, every folder runs as
// nobody.
func (s *Sandbox) probeUIDs() {
	reg, err := newUIDRegistry(uidRegistryDir, uidFloor, uidSpan)
	if err != nil {
		s.uidNote = err.Error()
		return
	}
	probe := exec.Command("/bin/true")
	probe.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uidFloor, Gid: uidFloor, NoSetGroups: true}}
	if err := probe.Run(); err != nil {
		s.uidNote = fmt.Sprintf("cannot run a process as user %d: %v", uidFloor, err)
		return
	}
	s.uids = reg
}

// probeFolderCap checks that folders can be tmpfs mounts.
func (s *Sandbox) probeFolderCap() {
	dir, err := os.MkdirTemp("", "lessonl-probe-")
	if err != nil {
		s.folderNote = "no scratch folder for the probe: " + err.Error()
		return
	}
	defer os.RemoveAll(dir)
	if err := mountFolder(dir, 1<<20); err != nil {
		s.folderNote = err.Error()
		return
	}
	unmountFolder(dir)
	s.folderCap = defaultFolderCap
}

// credFor is the credential of processes run in dir: the user Owner gave
// dir or the closest folder above it, else the sandbox user.
func (s *Sandbox) credFor(dir string) *syscall.Credential {
	if s.cred == nil {
		return nil
	}
	if _, f := s.folderOf(dir); f != nil {
		return &syscall.Credential{Uid: f.uid, Gid: f.gid, NoSetGroups: true}
	}
	return s.cred
}

// etcFiles are the pieces of /etc that compiling and running need: the
// dynamic loader's cache and configuration, the alternatives the
// toolchain's commands link through, the time zone, and Debian's Python
// configuration. Nothing else of /etc (no passwd, no host names, no
// credentials) is in the view.
var etcFiles = []string{"/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/alternatives", "/etc/localtime"}

// probeFilesystem finds out whether bubblewrap can give a process a
// private view of the system with one writable folder: it runs the exact
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
	for _, f := range etcFiles {
		if _, err := os.Stat(f); err == nil {
			s.etc = append(s.etc, f)
		}
	}
	py, _ := filepath.Glob("/etc/python3*")
	s.etc = append(s.etc, py...)
	dir, err := os.MkdirTemp("", "lessonl-probe-")
	if err != nil {
		s.fsNote = "no scratch folder for the probe: " + err.Error()
		return
	}
	defer s.Release(dir)
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
	m := map[string]string{
		"wall_clock": fmt.Sprintf("enforced (kill of the process group); stretched only for run-queue delay "+
			"(/proc/PID/schedstat of every task of the process's %s), never for sleeping or blocked time, and at most to %d× the limit",
			map[bool]string{true: "control group", false: "process group"}[s.cg != nil], maxStretch),
		"rlimits":       yes(s.prlimit != "", "enforced (prlimit: cpu, address space, file size, processes)"),
		"pid_namespace": yes(s.namespace, "enforced (all descendants die with the run)"),
		"network":       yes(s.namespace, "none (empty network namespace)"),
		"user":          yes(s.cred != nil, s.userNote()),
		"output":        "capped (the run is killed past the cap)",
		"temp_dir":      "private per candidate",
		"filesystem":    s.filesystem(),
		"cgroup":        "not available (" + s.cgNote + "): memory bounded by the address-space rlimit only, processes by RLIMIT_NPROC",
		"folder_size":   "not capped (" + s.folderNote + "): only RLIMIT_FSIZE per file",
		"harness_files": yes(s.cred != nil, "sealed: before a process starts in a folder, every executable there (the linked driver binaries) is made root's and read-only, "+
			"and the folder root's and sticky, so the process can neither change, rename nor remove them nor the files the harness wrote"),
	}
	if s.cg != nil {
		m["cgroup"] = s.cg.describe()
	}
	if s.folderCap > 0 {
		m["folder_size"] = fmt.Sprintf("capped: each folder is a tmpfs of %d MiB (charged to the memory of the process that writes it)", s.folderCap>>20)
	}
	return m
}

// userNote says which user sandboxed processes run as.
func (s *Sandbox) userNote() string {
	if s.uids != nil {
		return fmt.Sprintf("a user and group of its own per folder (ids from %d), unique across lessonl processes on the machine "+
			"(an flock per id under %s), so the process limit is per candidate and candidates cannot read each other's files", uidFloor, s.uids.dir)
	}
	return "runs as " + s.userName + " (" + s.uidNote + ")"
}

// filesystem describes the filesystem view of a sandboxed process.
func (s *Sandbox) filesystem() string {
	if s.bwrap == "" {
		return "not enforced (" + s.fsNote + "): the whole filesystem is visible with the sandbox user's rights"
	}
	return "private (bubblewrap): /usr, /bin, /sbin, /lib*, " + strings.Join(s.etc, ", ") + " and /sys/devices/system/cpu read-only; " +
		"the process's own folder read-write and the harness's shared folders read-only; a private /proc, a minimal /dev and a 64 MiB /dev/shm; " +
		"no host /tmp, /run, /var, /home, /root or working tree (so no host unix socket and no host file at compile or run time)"
}

// PrivateFilesystem reports whether every process gets a private
// filesystem view (bubblewrap).
func (s *Sandbox) PrivateFilesystem() bool { return s.bwrap != "" }

// FoldersApart reports whether no sandboxed process can write in another
// folder: each folder has a user of its own, or each process a private
// filesystem view in which the other folders are read-only. Only then are
// the files a harness's own build wrote in its folder known to be the
// compiler's (evaluate's on-disk cache of a problem's objects relies on it).
func (s *Sandbox) FoldersApart() bool { return s.uids != nil || s.bwrap != "" }

// SharedUser turns off bubblewrap and the user of its own each folder
// gets, so that every process runs as the one sandbox user and all share
// its process limit (RLIMIT_NPROC, which Linux counts per user across the
// machine): the sandbox of a machine with neither. Tests use it to fill
// that limit.
func (s *Sandbox) SharedUser() { s.bwrap, s.uids = "", nil }

// Reachable checks that the sandbox user can reach dir: every folder above
// it must let others pass (o+x), or the sandboxed compiler cannot start.
// Bubblewrap makes the folders above in its own view, so there it holds.
func (s *Sandbox) Reachable(dir string) error {
	if s.cred == nil || s.bwrap != "" {
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

// Proc is one sandboxed process.
type Proc struct {
	cmd      *exec.Cmd
	sb       *Sandbox
	dir      string
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
	// paused: the watchdog is disarmed while the harness keeps the
	// process idle (Pause); left is what its phase has left for Resume.
	paused bool
	left   time.Duration
	// apart: the running turn is not its phase's (ResumeApart); kept is
	// what the phase had left, which the next Pause restores.
	apart bool
	kept  time.Duration
	// helpers is how many of the outermost processes are the sandbox's
	// own, not the command's: 2 with bubblewrap (its monitor and the
	// namespace's init), 1 with the namespace's sh, else 0.
	helpers int
	// cg is the process's control group, made by Start (nil without).
	cg *procCgroup
	// folder is the tmpfs folder the process runs in, "" when none.
	folder    string
	folderCap int64
	full      bool // the folder was seen full
	rq        runQueue
	done      chan struct{} // closed by Wait: the sampler stops
}

// Start starts name with args in dir under lim, as Command and
// Proc.Start, and kills it when ctx ends. The returned Proc is the
// handle on the running process: its CPU time, tasks and run-queue delay
// can be read while it runs (CPUTime, Tasks, Threads, RunQueueDelay), and
// Wait says how it ended.
func (s *Sandbox) Start(ctx context.Context, dir string, lim Limits, env []string, extra []*os.File, name string, args ...string) (*Proc, error) {
	p := s.Command(dir, lim, env, extra, name, args...)
	if err := p.Start(); err != nil {
		return nil, err
	}
	stop := context.AfterFunc(ctx, p.kill)
	go func() {
		<-p.done
		stop()
	}()
	return p, nil
}

// gateScript holds a sandboxed command until the parent has put it in its
// control group: it waits for a line on stdin, then runs the command with
// stdin from /dev/null. Nothing of the command runs outside the group.
const gateScript = `read -r go || exit 125; exec "$@" </dev/null`

// Command prepares name with args to run in dir under lim. extra become
// the child's fds 3, 4, ...
func (s *Sandbox) Command(dir string, lim Limits, env []string, extra []*os.File, name string, args ...string) *Proc {
	dir = filepath.Clean(dir)
	argv := append([]string{name}, args...)
	cred := s.credFor(dir)
	p := &Proc{sb: s, dir: dir, lim: lim, done: make(chan struct{})}
	if root, f := s.folderOf(dir); f != nil && f.mounted {
		p.folder, p.folderCap = root, s.folderCap
	}
	attr := &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if s.bwrap != "" {
		argv = s.bwrapArgv(dir, lim, cred, argv)
		p.shellCodes, p.helpers = true, 2
	} else {
		if s.namespace {
			// sh stays as the namespace's first process and reaps; when it
			// exits the kernel kills everything left in the namespace.
			argv = append([]string{"/bin/sh", "-c", `"$@"; exit $?`, "lessonl-sandbox"}, argv...)
			attr.Cloneflags = syscall.CLONE_NEWPID | syscall.CLONE_NEWNET
			p.shellCodes, p.helpers = true, 1
		}
		if s.prlimit != "" {
			argv = append(s.prlimitArgv(lim), argv...)
		}
		attr.Credential = cred
	}
	if s.cg != nil {
		argv = append([]string{"/bin/sh", "-c", gateScript, "lessonl-gate"}, argv...)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = append([]string{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + dir, "TMPDIR=" + dir, "LC_ALL=C"}, env...)
	cmd.ExtraFiles = extra
	cmd.SysProcAttr = attr
	p.cmd = cmd
	p.stdout = &cappedBuffer{max: lim.Output, over: p.kill}
	p.stderr = &cappedBuffer{max: lim.Output, over: p.kill}
	cmd.Stdout, cmd.Stderr = p.stdout, p.stderr
	cmd.WaitDelay = 2 * time.Second
	return p
}

// prlimitArgv sets lim's rlimits on the command that follows.
func (s *Sandbox) prlimitArgv(lim Limits) []string {
	out := []string{s.prlimit,
		"--cpu=" + strconv.FormatInt(int64((lim.CPU+time.Second-1)/time.Second), 10),
		"--fsize=" + strconv.FormatInt(lim.FileSize, 10), "--core=0"}
	if lim.AddressSpace > 0 {
		out = append(out, "--as="+strconv.FormatInt(lim.AddressSpace, 10))
	}
	if s.cred != nil {
		out = append(out, "--nproc="+strconv.Itoa(lim.Processes))
	}
	return append(out, "--")
}

// bwrapArgv wraps argv in a private filesystem view: bubblewrap mounts
// the toolchain and system libraries read-only (/usr and the /bin, /sbin,
// /lib* beside it), the few files of /etc they need, a private /proc, a
// minimal /dev with a small /dev/shm, the shared folders read-only and
// dir read-write, and nothing else (its root is an empty tmpfs made
// read-only); new PID, network, IPC and UTS namespaces (its own first
// process reaps, and its death kills everything left). Inside, setpriv
// drops to the folder's user without a way back (no_new_privs) and
// prlimit sets the limits.
func (s *Sandbox) bwrapArgv(dir string, lim Limits, cred *syscall.Credential, argv []string) []string {
	// setpriv goes first: Linux refuses an exec after a change of user
	// whose process count is past RLIMIT_NPROC, so the limit is set by
	// prlimit once it runs as the sandbox user, as Command does.
	var inner []string
	if cred != nil {
		inner = append(inner, s.setpriv, "--reuid="+strconv.FormatUint(uint64(cred.Uid), 10), "--regid="+strconv.FormatUint(uint64(cred.Gid), 10),
			"--clear-groups", "--no-new-privs", "--")
	}
	if s.prlimit != "" {
		inner = append(inner, s.prlimitArgv(lim)...)
	}
	full := []string{s.bwrap, "--ro-bind", "/usr", "/usr"}
	for _, l := range []string{"/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"} {
		st, err := os.Lstat(l)
		switch {
		case err != nil:
		case st.Mode()&os.ModeSymlink != 0:
			if target, err := os.Readlink(l); err == nil {
				full = append(full, "--symlink", target, l)
			}
		case st.IsDir():
			full = append(full, "--ro-bind", l, l)
		}
	}
	made := map[string]bool{"/": true}
	parents := func(path string) {
		var todo []string
		for d := filepath.Dir(path); !made[d]; d = filepath.Dir(d) {
			todo = append(todo, d)
			made[d] = true
		}
		for i := len(todo) - 1; i >= 0; i-- {
			full = append(full, "--perms", "0755", "--dir", todo[i])
		}
	}
	for _, e := range s.etc {
		parents(e)
		full = append(full, "--ro-bind", e, e)
	}
	if _, err := os.Stat("/sys/devices/system/cpu"); err == nil {
		parents("/sys/devices/system/cpu")
		full = append(full, "--ro-bind", "/sys/devices/system/cpu", "/sys/devices/system/cpu")
	}
	full = append(full, "--dev", "/dev", "--perms", "1777", "--size", strconv.Itoa(64<<20), "--tmpfs", "/dev/shm", "--proc", "/proc")
	for _, d := range s.sharedFor(dir) {
		parents(d)
		full = append(full, "--ro-bind", d, d)
	}
	parents(dir)
	full = append(full, "--bind", dir, dir, "--chdir", dir, "--remount-ro", "/",
		"--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try", "--die-with-parent", "--")
	return append(append(full, inner...), argv...)
}

// Start seals the process's folder (seal), makes its control group,
// starts it, puts it in the group before it runs anything, and starts its
// wall-clock watchdog.
func (p *Proc) Start() error {
	if err := p.sb.seal(p.dir); err != nil {
		return err
	}
	var gate *os.File
	if p.sb.cg != nil {
		g, err := p.sb.cg.create(p.lim.memory(), p.lim.Processes+4)
		if err != nil {
			return err
		}
		r, w, err := os.Pipe()
		if err != nil {
			g.remove(0)
			return err
		}
		p.cg, p.cmd.Stdin, gate = g, r, w
		defer r.Close()
	}
	p.started = time.Now()
	p.rq.at = p.started
	if err := p.cmd.Start(); err != nil {
		if gate != nil {
			gate.Close()
			p.cg.remove(time.Second)
		}
		return err
	}
	if gate != nil {
		err := p.cg.join(p.cmd.Process.Pid)
		if err == nil {
			_, err = gate.Write([]byte("go\n"))
		}
		gate.Close()
		if err != nil {
			p.kill()
			_ = p.cmd.Wait()
			p.cg.remove(time.Second)
			return err
		}
	}
	p.Rearm(p.lim.Wall)
	go p.sampleLoop()
	return nil
}

// Rearm restarts the wall-clock watchdog with d from now; a phase that
// waited for a timing slot gets its full limit. A paused process's new
// phase starts when it is resumed; one in a turn apart (ResumeApart), at
// the Resume after that turn.
func (p *Proc) Rearm(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case p.paused:
		p.left = d
	case p.apart:
		p.kept = d // the phase after this turn
	default:
		p.arm(d)
	}
}

// arm starts a phase of d from now; p.mu is held.
func (p *Proc) arm(d time.Duration) {
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
	// first process, whose death takes every descendant with it; then
	// whatever is left in the control group.
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	_ = p.cmd.Process.Kill()
	if p.cg != nil {
		p.cg.kill()
	}
}

// Kill stops the process and everything it started.
func (p *Proc) Kill() { p.kill() }

// CPUTime is the CPU time (user and system) the process and everything it
// started have used so far, ended tasks included: the control group's
// total (cpuacct.usage on cgroup v1, cpu.stat's usage_usec on v2), else
// the process group's from /proc (which misses children not yet reaped
// and processes that left the group).
func (p *Proc) CPUTime() (time.Duration, error) {
	if p.cmd.Process == nil {
		return 0, errors.New("the process has not started")
	}
	if p.cg != nil && p.cg.cpu != "" {
		return p.cg.cpuTime()
	}
	return groupCPU(p.cmd.Process.Pid), nil
}

// Tasks are the thread ids of the command now: every task in its control
// group (else its process group), less the sandbox's own processes
// (bubblewrap's monitor and the namespace's init, or the namespace's sh).
func (p *Proc) Tasks() ([]int, error) {
	if p.cmd.Process == nil {
		return nil, errors.New("the process has not started")
	}
	outer := p.cmd.Process.Pid
	var procs []int
	if p.cg != nil {
		var err error
		if procs, err = p.cg.procs(); err != nil {
			return nil, err
		}
	} else {
		procs = groupProcs(outer)
	}
	var out []int
	for _, pid := range procs {
		if p.helpers >= 1 && pid == outer || p.helpers >= 2 && parentOf(pid) == outer {
			continue
		}
		out = append(out, threadsOf(pid)...)
	}
	return out, nil
}

// Threads is how many tasks (threads of every process) the command has
// now (Tasks).
func (p *Proc) Threads() (int, error) {
	t, err := p.Tasks()
	return len(t), err
}

// RunQueueDelay is how long the process's tasks, summed, have waited on a
// run queue for a CPU since it started (schedstat's second field), as
// sampled every tenth of a second and now: a task that ended between two
// samples loses at most its last tenth.
func (p *Proc) RunQueueDelay() time.Duration {
	p.sample()
	p.rq.mu.Lock()
	defer p.rq.mu.Unlock()
	return p.rq.total
}

// Exit is how a sandboxed process ended.
type Exit struct {
	Code      int    // exit status; -1 when killed by a signal
	Signal    string // name of the fatal signal, "" if none
	TimedOut  bool   // the watchdog or the CPU limit fired
	OutputCap bool   // stdout or stderr passed its cap
	// OOM says the kernel killed a process of the run for passing the
	// control group's memory bound (Memory bytes).
	OOM    bool
	Memory int64
	// FolderFull says the run's folder was full (its tmpfs of FolderCap
	// bytes): the sandbox kills a run it finds so, and says so when one
	// ends so.
	FolderFull bool
	FolderCap  int64
	Stdout     string
	Stderr     string
	Wall       time.Duration
	CPU        time.Duration // CPU time of the whole run (CPUTime at its end); 0 when unknown
	RunQueue   time.Duration // the run's run-queue delay (RunQueueDelay at its end)
	Starved    time.Duration // how long the watchdog waited past its limit for a run kept from a CPU (watchdog.go)
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
	select {
	case <-p.done:
	default:
		close(p.done)
	}
	e.RunQueue = p.RunQueueDelay()
	e.CPU, _ = p.CPUTime()
	if p.folder != "" && folderFull(p.folder) {
		p.markFull()
	}
	p.rq.mu.Lock()
	e.FolderFull, e.FolderCap = p.full, p.folderCap
	p.rq.mu.Unlock()
	if p.cg != nil {
		e.OOM, e.Memory = p.cg.oomKills() > 0, p.lim.memory()
		g := p.cg
		go g.remove(5 * time.Second)
	}
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

// TimeLimitNote opens Describe's text for a run the time limit killed, so
// that a caller that keeps only the text can tell a time-out.
const TimeLimitNote = "killed: time limit"

// Describe says in a few words why a process failed, for Outcome.Detail.
func (e Exit) Describe(limits Limits) string {
	var parts []string
	switch {
	case e.TimedOut:
		parts = append(parts, fmt.Sprintf(TimeLimitNote+" (wall %s, cpu %s)", limits.Wall, limits.CPU))
		if e.Starved >= 100*time.Millisecond {
			parts = append(parts, fmt.Sprintf("(the machine was busy: the limit was stretched by %s for the time the run waited for a CPU)", e.Starved.Round(100*time.Millisecond)))
		}
	case e.OOM:
		parts = append(parts, fmt.Sprintf("killed: out of memory (the limit is %d MiB, counting anonymous memory, memfds and tmpfs)", e.Memory>>20))
	case e.FolderFull:
		full := fmt.Sprintf("the candidate's folder is full: cap %d MiB", e.FolderCap>>20)
		switch {
		case e.Signal != "":
			full = "killed: " + full
		case e.Code != 0:
			full += fmt.Sprintf(" (exit status %d)", e.Code)
		}
		parts = append(parts, full)
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
