package sandbox

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Every sandboxed process gets a control group of its own, made before it
// starts and joined before it runs anything (see Proc.Start): the memory
// it really uses (anonymous memory, memfds, tmpfs and /dev/shm pages, page
// cache) is bounded there, where an address-space limit sees only mapped
// ranges and misses memfds held past it; its tasks are bounded (pids.max)
// whatever user they run as; and its CPU time and its tasks can be read
// whole, including processes that left the process group. cgroup v2 is
// used where its memory and pids controllers are available, else v1 (one
// hierarchy per controller, as on this project's machines).

// cgroupSet is where this lessonl process makes the control groups of its
// sandboxed processes: a folder lessonl-<pid> under its own group in each
// hierarchy.
type cgroupSet struct {
	version int
	// The parent folder in each hierarchy; with v2 all three are one.
	// cpu is "" when cpuacct (v1) is not mounted, pids when pids is not.
	memory, pids, cpu string
	memsw             bool // v1: swap is accounted (memory.memsw.limit_in_bytes)
	seq               atomic.Int64
}

// cgroupParent is the name of this process's folder in each hierarchy.
func cgroupParent(pid int) string { return "lessonl-" + strconv.Itoa(pid) }

// mountInfo is one line of /proc/self/mountinfo: where a filesystem of a
// type is mounted, with its superblock options.
type mountInfo struct {
	point, fstype, source, options string
}

// mounts reads /proc/self/mountinfo.
func mounts() []mountInfo {
	b, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return nil
	}
	var out []mountInfo
	for _, line := range strings.Split(string(b), "\n") {
		pre, post, ok := strings.Cut(line, " - ")
		if !ok {
			continue
		}
		f, g := strings.Fields(pre), strings.Fields(post)
		if len(f) < 5 || len(g) < 3 {
			continue
		}
		out = append(out, mountInfo{point: unescapeMount(f[4]), fstype: g[0], source: g[1], options: g[2]})
	}
	return out
}

// unescapeMount undoes mountinfo's octal escapes (\040 for a space).
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// ownCgroups maps each v1 controller (and "" for v2) to this process's
// group path, from /proc/self/cgroup.
func ownCgroups() map[string]string {
	out := map[string]string{}
	b, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return out
	}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 {
			continue
		}
		if parts[1] == "" {
			out[""] = parts[2]
			continue
		}
		for _, c := range strings.Split(parts[1], ",") {
			out[c] = parts[2]
		}
	}
	return out
}

// groupBase is where this process's group lies under a hierarchy mounted
// at point: its own group when the mount shows it, else the mount's root
// (a cgroup namespace).
func groupBase(point, own string) string {
	if own != "" {
		if st, err := os.Stat(filepath.Join(point, own)); err == nil && st.IsDir() {
			return filepath.Join(point, own)
		}
	}
	return point
}

// The cgroup set is the process's, found once: every Sandbox of the
// process makes its groups in the same folders, which stay (empty) until
// the process ends and a later lessonl process sweeps them.
var (
	cgroupsOnce sync.Once
	cgroupsSet  *cgroupSet
	cgroupsNote string
)

// detectCgroups is the process's cgroup set, or nil and why there is none.
func detectCgroups() (*cgroupSet, string) {
	cgroupsOnce.Do(func() {
		cgroupsSet, cgroupsNote = findCgroups()
		if cgroupsSet != nil {
			cgroupsSet.sweep()
		}
	})
	return cgroupsSet, cgroupsNote
}

// findCgroups finds the hierarchies this process may make groups in and
// checks that it can, by making its folder and one group with limits. It
// returns nil and the reason when it cannot.
func findCgroups() (*cgroupSet, string) {
	if os.Geteuid() != 0 {
		return nil, "lessonl does not run as root"
	}
	ms, own := mounts(), ownCgroups()
	name := cgroupParent(os.Getpid())
	var why []string
	for _, m := range ms {
		if m.fstype != "cgroup2" {
			continue
		}
		ctrls, _ := os.ReadFile(filepath.Join(m.point, "cgroup.controllers"))
		have := strings.Fields(string(ctrls))
		if !contains(have, "memory") || !contains(have, "pids") {
			why = append(why, fmt.Sprintf("cgroup v2 at %s has no memory and pids controllers (%q)", m.point, strings.TrimSpace(string(ctrls))))
			continue
		}
		for _, base := range []string{groupBase(m.point, own[""]), m.point} {
			c, err := newCgroupV2(base, name)
			if err == nil {
				return c, ""
			}
			why = append(why, err.Error())
		}
	}
	c := &cgroupSet{version: 1}
	for _, m := range ms {
		if m.fstype != "cgroup" {
			continue
		}
		opts := strings.Split(m.options, ",")
		for _, ctrl := range []struct {
			name string
			dst  *string
		}{{"memory", &c.memory}, {"pids", &c.pids}, {"cpuacct", &c.cpu}} {
			if contains(opts, ctrl.name) && *ctrl.dst == "" {
				*ctrl.dst = filepath.Join(groupBase(m.point, own[ctrl.name]), name)
			}
		}
	}
	if c.memory == "" {
		why = append(why, "no cgroup v1 memory hierarchy is mounted")
		return nil, strings.Join(why, "; ")
	}
	for _, d := range c.dirs() {
		if err := os.Mkdir(d, 0o755); err != nil && !errors.Is(err, os.ErrExist) {
			c.removeParents()
			return nil, strings.Join(append(why, fmt.Sprintf("cannot make a group in %s: %v", filepath.Dir(d), err)), "; ")
		}
	}
	_, err := os.Stat(filepath.Join(c.memory, "memory.memsw.limit_in_bytes"))
	c.memsw = err == nil
	if err := c.probe(); err != nil {
		c.removeParents()
		return nil, strings.Join(append(why, err.Error()), "; ")
	}
	return c, ""
}

// newCgroupV2 makes the folder name under base with the memory, pids (and
// cpu, when there) controllers enabled for its children.
func newCgroupV2(base, name string) (*cgroupSet, error) {
	ctrls, _ := os.ReadFile(filepath.Join(base, "cgroup.controllers"))
	enable := "+memory +pids"
	if contains(strings.Fields(string(ctrls)), "cpu") {
		enable += " +cpu"
	}
	dir := filepath.Join(base, name)
	if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("cgroup v2: cannot make a group in %s: %w", base, err)
	}
	if err := os.WriteFile(filepath.Join(dir, "cgroup.subtree_control"), []byte(enable), 0o644); err != nil {
		os.Remove(dir)
		return nil, fmt.Errorf("cgroup v2: cannot enable %s under %s: %w", enable, base, err)
	}
	c := &cgroupSet{version: 2, memory: dir, pids: dir, cpu: dir}
	if err := c.probe(); err != nil {
		os.Remove(dir)
		return nil, err
	}
	return c, nil
}

// probe makes one group with limits and removes it.
func (c *cgroupSet) probe() error {
	g, err := c.create(64<<20, 16)
	if err != nil {
		return err
	}
	g.remove(time.Second)
	return nil
}

// dirs are the parent folders, one per hierarchy.
func (c *cgroupSet) dirs() []string {
	var out []string
	for _, d := range []string{c.memory, c.pids, c.cpu} {
		if d != "" && !contains(out, d) {
			out = append(out, d)
		}
	}
	return out
}

// describe says what the groups bound, for Sandbox.Enforced.
func (c *cgroupSet) describe() string {
	if c.version == 2 {
		return "cgroup v2, a group per process: memory.max (anonymous memory, memfds, tmpfs, page cache) with memory.swap.max 0, " +
			"memory.oom.group, pids.max, cpu.stat for its CPU time"
	}
	s := "cgroup v1, a group per process: memory.limit_in_bytes (anonymous memory, memfds, tmpfs, page cache)"
	if c.memsw {
		s += " and memory.memsw.limit_in_bytes (no swap beyond it)"
	}
	if c.pids != "" {
		s += ", pids.max"
	}
	if c.cpu != "" {
		s += ", cpuacct.usage for its CPU time"
	}
	return s
}

// removeParents removes this process's folders (once empty).
func (c *cgroupSet) removeParents() {
	for _, d := range c.dirs() {
		os.Remove(d)
	}
}

// procCgroup is the group of one sandboxed process, a folder in each
// hierarchy.
type procCgroup struct {
	set               *cgroupSet
	memory, pids, cpu string
}

// create makes a group bounding memory (bytes) and tasks.
func (c *cgroupSet) create(memory int64, tasks int) (*procCgroup, error) {
	name := "p" + strconv.FormatInt(c.seq.Add(1), 10)
	g := &procCgroup{set: c}
	for _, d := range []struct {
		parent string
		dst    *string
	}{{c.memory, &g.memory}, {c.pids, &g.pids}, {c.cpu, &g.cpu}} {
		if d.parent != "" {
			*d.dst = filepath.Join(d.parent, name)
		}
	}
	for _, d := range g.dirs() {
		if err := os.Mkdir(d, 0o755); err != nil {
			g.remove(0)
			return nil, fmt.Errorf("cgroup: %w", err)
		}
	}
	var writes [][2]string
	mem := strconv.FormatInt(memory, 10)
	if c.version == 2 {
		writes = append(writes, [2]string{"memory.max", mem}, [2]string{"memory.swap.max", "0"},
			[2]string{"memory.oom.group", "1"}, [2]string{"pids.max", strconv.Itoa(tasks)})
	} else {
		writes = append(writes, [2]string{"memory.limit_in_bytes", mem})
		if c.memsw {
			writes = append(writes, [2]string{"memory.memsw.limit_in_bytes", mem})
		}
	}
	for _, w := range writes {
		path := filepath.Join(g.memory, w[0])
		if _, err := os.Stat(path); err != nil && w[0] == "memory.swap.max" {
			continue // no swap accounting: nothing to bound
		}
		if err := os.WriteFile(path, []byte(w[1]), 0o644); err != nil {
			g.remove(0)
			return nil, fmt.Errorf("cgroup: %s: %w", w[0], err)
		}
	}
	if c.version == 1 && g.pids != "" {
		if err := os.WriteFile(filepath.Join(g.pids, "pids.max"), []byte(strconv.Itoa(tasks)), 0o644); err != nil {
			g.remove(0)
			return nil, fmt.Errorf("cgroup: pids.max: %w", err)
		}
	}
	return g, nil
}

// dirs are the group's folders, one per hierarchy.
func (g *procCgroup) dirs() []string {
	var out []string
	for _, d := range []string{g.memory, g.pids, g.cpu} {
		if d != "" && !contains(out, d) {
			out = append(out, d)
		}
	}
	return out
}

// join moves process pid into the group in every hierarchy.
func (g *procCgroup) join(pid int) error {
	for _, d := range g.dirs() {
		if err := os.WriteFile(filepath.Join(d, "cgroup.procs"), []byte(strconv.Itoa(pid)), 0o644); err != nil {
			return fmt.Errorf("cgroup: join %s: %w", d, err)
		}
	}
	return nil
}

// cpuTime is the CPU time (user and system) of every task that ever ran in
// the group, those that ended included.
func (g *procCgroup) cpuTime() (time.Duration, error) {
	if g.cpu == "" {
		return 0, errors.New("no cpuacct hierarchy")
	}
	if g.set.version == 2 {
		b, err := os.ReadFile(filepath.Join(g.cpu, "cpu.stat"))
		if err != nil {
			return 0, err
		}
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "usage_usec "); ok {
				n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
				return time.Duration(n) * time.Microsecond, err
			}
		}
		return 0, errors.New("cpu.stat has no usage_usec")
	}
	b, err := os.ReadFile(filepath.Join(g.cpu, "cpuacct.usage"))
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	return time.Duration(n), err
}

// tasks are the thread ids in the group now.
func (g *procCgroup) tasks() ([]int, error) {
	file := "tasks"
	if g.set.version == 2 {
		file = "cgroup.threads"
	}
	return readIDs(filepath.Join(g.memory, file))
}

// procs are the process ids in the group now.
func (g *procCgroup) procs() ([]int, error) {
	return readIDs(filepath.Join(g.memory, "cgroup.procs"))
}

// oomKills is how many of the group's processes the kernel killed for
// passing its memory limit.
func (g *procCgroup) oomKills() int {
	file := "memory.oom_control"
	if g.set.version == 2 {
		file = "memory.events"
	}
	b, err := os.ReadFile(filepath.Join(g.memory, file))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "oom_kill "); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(v))
			return n
		}
	}
	return 0
}

// kill kills every process in the group.
func (g *procCgroup) kill() {
	if g.set.version == 2 {
		if os.WriteFile(filepath.Join(g.memory, "cgroup.kill"), []byte("1"), 0o644) == nil {
			return
		}
	}
	pids, _ := g.procs()
	for _, pid := range pids {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
}

// remove kills what is left in the group and removes its folders, trying
// for up to patience while the last tasks are reaped.
func (g *procCgroup) remove(patience time.Duration) bool {
	deadline := time.Now().Add(patience)
	for {
		g.kill()
		left := false
		for _, d := range g.dirs() {
			if err := os.Remove(d); err != nil && !errors.Is(err, os.ErrNotExist) {
				left = true
			}
		}
		if !left {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// sweepCgroups removes the folders that lessonl processes no longer alive
// left behind (killed before they could clean up).
func (c *cgroupSet) sweep() {
	for _, d := range c.dirs() {
		stale, _ := filepath.Glob(filepath.Join(filepath.Dir(d), "lessonl-*"))
		for _, p := range stale {
			pid, err := strconv.Atoi(strings.TrimPrefix(filepath.Base(p), "lessonl-"))
			if err != nil || pid == os.Getpid() || alive(pid) {
				continue
			}
			leaves, _ := filepath.Glob(filepath.Join(p, "p*"))
			for _, l := range leaves {
				g := &procCgroup{set: c, memory: l}
				g.remove(100 * time.Millisecond)
			}
			os.Remove(p)
		}
	}
}

// alive reports whether a process pid exists.
func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// readIDs reads a file of one decimal id per line.
func readIDs(path string) ([]int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []int
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if n, err := strconv.Atoi(strings.TrimSpace(sc.Text())); err == nil {
			out = append(out, n)
		}
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
