package sandbox

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// The wall-clock watchdog tells code that is slow from a machine that is
// slow by what the kernel says the process waited for: the run-queue delay
// of its tasks (/proc/PID/schedstat's second field, the time a task was
// runnable but another held the CPU). When a phase's wall-clock limit
// passes, the phase's wall time less that delay decides: once it reaches
// the limit the process is killed. So a busy machine, which keeps a
// process waiting on a run queue, never turns correct code into a
// timeout, while time a process spends sleeping or blocked (a constructor
// that sleeps, a read that never returns) counts in full: a sleeper dies
// at the plain limit. The delay is summed over tasks but grows by at most
// the wall time between two samples, and the limit stretches to at most
// maxStretch times itself whatever the delay (a candidate that runs more
// threads than there are cores keeps its own threads waiting).
const maxStretch = 4

// sampleEvery is how often a running process's tasks are sampled: their
// run-queue delay (so that a task that ends loses at most this much of
// it) and whether its folder is full.
const sampleEvery = 100 * time.Millisecond

// phase is one armed period of the watchdog.
type phase struct {
	gen      int           // which Rearm armed it; a stale timer finds another
	start    time.Time     // when it was armed
	waited   time.Duration // the run's waited (runQueue) then
	limit    time.Duration // its wall-clock limit
	extended time.Duration // how far past limit it has waited for a process kept from a CPU
}

// runQueue is what the sampler knows of a process's run-queue delay.
type runQueue struct {
	mu     sync.Mutex
	last   map[int]time.Duration // each task's delay when last read
	total  time.Duration         // summed over every task seen
	waited time.Duration         // total, each sample's growth capped by the wall time since the last
	at     time.Time             // the last sample
}

// newPhase starts a phase of limit d; p.mu is held.
func (p *Proc) newPhase(d time.Duration) phase {
	waited := p.waitedNow()
	return phase{gen: p.phase.gen + 1, start: time.Now(), waited: waited, limit: d, extended: p.phase.extended}
}

// waitedNow samples the process and returns its run-queue delay so far
// (runQueue.waited); p.mu is held.
func (p *Proc) waitedNow() time.Duration {
	p.sample()
	p.rq.mu.Lock()
	defer p.rq.mu.Unlock()
	return p.rq.waited
}

// expire is the watchdog's timer for phase gen.
func (p *Proc) expire(gen int) {
	p.mu.Lock()
	if gen != p.phase.gen {
		p.mu.Unlock()
		return
	}
	ph := &p.phase
	waited := p.waitedNow() - ph.waited
	elapsed := time.Since(ph.start)
	ran := elapsed - waited
	if ran < ph.limit && elapsed < maxStretch*ph.limit {
		next := max(min(ph.limit-ran, maxStretch*ph.limit-elapsed), 10*time.Millisecond)
		ph.extended = max(ph.extended, elapsed+next-ph.limit)
		p.timer = time.AfterFunc(next, func() { p.expire(gen) })
		p.mu.Unlock()
		return
	}
	p.timedOut = true
	p.mu.Unlock()
	p.kill()
}

// Pause disarms the watchdog while the harness itself keeps the process
// idle: stopped between its calls, or waiting for a command while another
// process of the timed protocol has its turn. The process's limit bounds
// the time it is given, not the time it waits for others, so a protocol
// with many calls on a busy machine does not kill an idle process. What
// the phase has used (wall time less run-queue delay) is kept for Resume.
func (p *Proc) Pause() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.paused {
		return
	}
	ph := &p.phase
	waited := p.waitedNow() - ph.waited
	ran := time.Since(ph.start) - waited
	p.left = max(ph.limit-ran, 0)
	if p.apart {
		p.left, p.apart = p.kept, false
	}
	p.paused = true
	ph.gen++ // the armed timer finds another phase
	if p.timer != nil {
		p.timer.Stop()
	}
}

// Resume re-arms a paused watchdog with what its phase had left (at least
// a millisecond, so a process that used its limit up is killed at once).
func (p *Proc) Resume() {
	p.mu.Lock()
	if !p.paused {
		p.mu.Unlock()
		return
	}
	p.paused = false
	left := max(p.left, time.Millisecond)
	p.mu.Unlock()
	p.Rearm(left)
}

// ResumeApart lets the process run a turn that is not its phase's: the
// watchdog bounds the turn alone by d, and what the phase had left waits,
// untouched, for the Resume after the next Pause. The timed protocol
// builds each call's input so: only the problem's own code runs then, and
// an input that costs more than the call (00_dense_la_lu_decomp's
// multiplies two N×N matrices) must not use up the limit of the process
// whose calls are timed.
func (p *Proc) ResumeApart(d time.Duration) {
	p.Pause()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.paused, p.apart, p.kept = false, true, p.left
	p.arm(d)
}

// sampleLoop samples the process until Wait: its run-queue delay, and
// whether its folder is full, which kills it (the cap is a limit like the
// output cap, and the run gets a detail that names it).
func (p *Proc) sampleLoop() {
	t := time.NewTicker(sampleEvery)
	defer t.Stop()
	for {
		select {
		case <-p.done:
			return
		case <-t.C:
			p.sample()
			if p.folder != "" && folderFull(p.folder) {
				p.markFull()
				p.kill()
			}
		}
	}
}

func (p *Proc) markFull() {
	p.rq.mu.Lock()
	p.full = true
	p.rq.mu.Unlock()
}

// sample reads the run-queue delay of every task of the process now.
func (p *Proc) sample() {
	if p.cmd == nil || p.cmd.Process == nil {
		return
	}
	var tids []int
	if p.cg != nil {
		tids, _ = p.cg.tasks()
	} else {
		for _, pid := range groupProcs(p.cmd.Process.Pid) {
			tids = append(tids, threadsOf(pid)...)
		}
	}
	p.rq.mu.Lock()
	defer p.rq.mu.Unlock()
	if p.rq.last == nil {
		p.rq.last = map[int]time.Duration{}
	}
	var grew time.Duration
	for _, tid := range tids {
		d, ok := runDelay(tid)
		if !ok {
			continue
		}
		if prev, seen := p.rq.last[tid]; !seen {
			grew += d
		} else if d > prev {
			grew += d - prev
		}
		p.rq.last[tid] = d
	}
	now := time.Now()
	p.rq.total += grew
	p.rq.waited += min(grew, max(now.Sub(p.rq.at), 0))
	p.rq.at = now
}

// runDelay is task tid's run-queue delay: schedstat's second field, in
// nanoseconds.
func runDelay(tid int) (time.Duration, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(tid) + "/schedstat")
	if err != nil {
		return 0, false
	}
	f := bytes.Fields(b)
	if len(f) < 2 {
		return 0, false
	}
	n, err := strconv.ParseInt(string(f[1]), 10, 64)
	return time.Duration(n), err == nil
}

// groupCPU is the CPU time (user and system) of process group pgid:
// each living member's own time plus what it collected from children it
// reaped, so that a finished cc1plus counts through the g++ that waited
// for it and nothing counts twice.
func groupCPU(pgid int) time.Duration {
	var ticks int64
	for _, f := range groupStats(pgid) {
		for _, s := range f[11:15] {
			n, _ := strconv.ParseInt(string(s), 10, 64)
			ticks += n
		}
	}
	// /proc reports in USER_HZ, 100 on every Linux architecture Go runs on.
	return time.Duration(ticks) * (time.Second / 100)
}

// groupProcs are the processes of group pgid.
func groupProcs(pgid int) []int {
	var out []int
	for pid := range groupStats(pgid) {
		out = append(out, pid)
	}
	return out
}

// groupStats reads /proc/*/stat of the processes in group pgid: the
// fields after the command name, f[0] being field 3 (state).
func groupStats(pgid int) map[int][][]byte {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	out := map[int][][]byte{}
	for _, path := range stats {
		pid, f := statFields(path)
		// pgrp is field 5; utime..cstime are fields 14..17.
		if len(f) < 15 {
			continue
		}
		if g, _ := strconv.Atoi(string(f[2])); g == pgid {
			out[pid] = f
		}
	}
	return out
}

// statFields reads a /proc stat file: the process id and the fields after
// the command name (which may hold spaces).
func statFields(path string) (int, [][]byte) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, nil
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, nil
	}
	pid, _ := strconv.Atoi(string(bytes.TrimSpace(b[:bytes.IndexByte(b, ' ')+1])))
	return pid, bytes.Fields(b[i+1:])
}

// parentOf is process pid's parent, 0 when unknown.
func parentOf(pid int) int {
	_, f := statFields("/proc/" + strconv.Itoa(pid) + "/stat")
	if len(f) < 2 {
		return 0
	}
	n, _ := strconv.Atoi(string(f[1]))
	return n
}

// threadsOf are the thread ids of process pid.
func threadsOf(pid int) []int {
	ents, err := os.ReadDir("/proc/" + strconv.Itoa(pid) + "/task")
	if err != nil {
		return nil
	}
	var out []int
	for _, e := range ents {
		if n, err := strconv.Atoi(e.Name()); err == nil {
			out = append(out, n)
		}
	}
	return out
}
