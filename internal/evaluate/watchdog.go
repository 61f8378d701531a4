package evaluate

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// The wall-clock watchdog tells code that is slow from a machine that is
// slow. When a phase's wall-clock limit passes, the process group's CPU
// time in that phase decides: a group that used at least starvedShare of
// the limit as CPU time had its chance and is killed (a timeout is the
// code's fault); a group that got less was starved by other load on the
// machine (or sleeps, or waits), and the watchdog looks again every
// quarter limit, up to maxStretch times the limit, after which it kills
// whatever the reason. So a busy machine never turns correct code into a
// timeout, while an infinite loop still dies after about limit/starvedShare
// of its own CPU time and a sleeper after maxStretch limits.
const (
	starvedShare = 0.5
	maxStretch   = 4
)

// phase is one armed period of the watchdog.
type phase struct {
	gen      int           // which Rearm armed it; a stale timer finds another
	start    time.Time     // when it was armed
	cpu      time.Duration // the group's CPU time then
	limit    time.Duration // its wall-clock limit
	extended time.Duration // how far past limit it has waited for a starved group
}

// newPhase starts a phase of limit d; p.mu is held.
func (p *Proc) newPhase(d time.Duration) phase {
	return phase{gen: p.phase.gen + 1, start: time.Now(), cpu: p.groupCPU(), limit: d, extended: p.phase.extended}
}

// expire is the watchdog's timer for phase gen.
func (p *Proc) expire(gen int) {
	p.mu.Lock()
	if gen != p.phase.gen {
		p.mu.Unlock()
		return
	}
	ph := &p.phase
	elapsed := time.Since(ph.start)
	used := p.groupCPU() - ph.cpu
	if float64(used) < starvedShare*float64(ph.limit) && elapsed < maxStretch*ph.limit {
		next := min(ph.limit/4+time.Millisecond, maxStretch*ph.limit-elapsed)
		ph.extended = max(ph.extended, elapsed+next-ph.limit)
		p.timer = time.AfterFunc(next, func() { p.expire(gen) })
		p.mu.Unlock()
		return
	}
	p.timedOut = true
	p.mu.Unlock()
	p.kill()
}

// groupCPU is the CPU time (user and system) of the process group the
// sandboxed command leads: each living member's own time plus what it
// collected from children it reaped, so that a finished cc1plus counts
// through the g++ that waited for it and nothing counts twice.
func (p *Proc) groupCPU() time.Duration {
	if p.cmd.Process == nil {
		return 0
	}
	return groupCPU(p.cmd.Process.Pid)
}

// groupCPU sums /proc/*/stat ticks of the processes in group pgid.
func groupCPU(pgid int) time.Duration {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var ticks int64
	for _, path := range stats {
		b, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		// The command name may hold spaces; fields count from after its ')'.
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			continue
		}
		f := bytes.Fields(b[i+1:])
		// f[0] is field 3 (state): pgrp is field 5, utime..cstime 14..17.
		if len(f) < 15 {
			continue
		}
		if g, _ := strconv.Atoi(string(f[2])); g != pgid {
			continue
		}
		for _, s := range f[11:15] {
			n, _ := strconv.ParseInt(string(s), 10, 64)
			ticks += n
		}
	}
	// /proc reports in USER_HZ, 100 on every Linux architecture Go runs on.
	return time.Duration(ticks) * (time.Second / 100)
}
