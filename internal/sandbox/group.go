package sandbox

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// What the sandbox does to and reads about a running command's process
// group: suspend and resume it, find one of its processes by name, and
// the CPU time of its control group.

// Stop suspends every process of the sandboxed command's group (SIGSTOP),
// so that nothing of it runs while another process is timed.
func (p *Proc) Stop() { p.signalGroup(syscall.SIGSTOP) }

// Cont resumes what Stop suspended.
func (p *Proc) Cont() { p.signalGroup(syscall.SIGCONT) }

func (p *Proc) signalGroup(sig syscall.Signal) {
	if p.cmd.Process == nil {
		return
	}
	_ = syscall.Kill(-p.cmd.Process.Pid, sig)
}

// procEntry is one process of a group as /proc shows it.
type procEntry struct {
	pid, ppid int
	comm      string
	start     uint64 // clock ticks after boot
}

// groupProcesses lists the processes of group pgid.
func groupProcesses(pgid int) []procEntry {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var out []procEntry
	for _, path := range stats {
		b, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		open, close := bytes.IndexByte(b, '('), bytes.LastIndexByte(b, ')')
		if open < 0 || close < open {
			continue
		}
		f := bytes.Fields(b[close+1:])
		// f[0] is field 3 (state): ppid 4, pgrp 5, starttime 22.
		if len(f) < 20 {
			continue
		}
		if g, _ := strconv.Atoi(string(f[2])); g != pgid {
			continue
		}
		pid, _ := strconv.Atoi(string(bytes.TrimSpace(b[:open])))
		ppid, _ := strconv.Atoi(string(f[1]))
		start, _ := strconv.ParseUint(string(f[19]), 10, 64)
		out = append(out, procEntry{pid: pid, ppid: ppid, comm: string(b[open+1 : close]), start: start})
	}
	return out
}

// PIDOf finds the process running the binary bin among those the
// command leads (bubblewrap and its reaper, or a shell, come first): the
// oldest process of that name, so that a child the candidate forks, which
// inherits the name, is not taken for it.
func (p *Proc) PIDOf(bin string) (int, error) {
	if p.cmd.Process == nil {
		return 0, fmt.Errorf("%s has not started", bin)
	}
	name := filepath.Base(bin)
	if len(name) > 15 {
		name = name[:15] // the kernel keeps 15 bytes of a command's name
	}
	best := procEntry{pid: -1}
	for _, e := range groupProcesses(p.cmd.Process.Pid) {
		if e.comm != name {
			continue
		}
		if best.pid < 0 || e.start < best.start || e.start == best.start && e.pid < best.pid {
			best = e
		}
	}
	if best.pid < 0 {
		return 0, fmt.Errorf("no process named %s in the sandbox (did the candidate rename its process?)", name)
	}
	return best.pid, nil
}

// ControlGroupCPU is the CPU time of every task that ran in the command's
// control group, ended ones and child processes included; ok is false
// where the machine gives the command none.
func (p *Proc) ControlGroupCPU() (t time.Duration, ok bool, err error) {
	if p.cg == nil || p.cg.cpu == "" {
		return 0, false, nil
	}
	t, err = p.cg.cpuTime()
	return t, true, err
}
