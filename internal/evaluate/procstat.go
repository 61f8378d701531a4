package evaluate

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// What lessonl reads about a candidate's process it reads from the kernel,
// never from the process: its CPU time (the process's CPU clock, which
// sums every thread, living or exited, to the nanosecond), its thread
// count, and whether it runs at all (SIGSTOP between its calls).

// processCPU is the CPU time of process pid: all of its threads, those
// that have exited included, as the kernel counts them.
func processCPU(pid int) (time.Duration, error) {
	var ts unix.Timespec
	// MAKE_PROCESS_CPUCLOCK(pid, CPUCLOCK_SCHED): the process-wide clock
	// of another process (clock_getcpuclockid(3)).
	clock := int32((^pid)<<3 | 2)
	if err := unix.ClockGettime(clock, &ts); err != nil {
		return 0, fmt.Errorf("CPU clock of process %d: %w", pid, err)
	}
	return time.Duration(ts.Nano()), nil
}

// mainThreadCPU is the CPU time of process pid's main thread alone (the
// first field of its schedstat). The kernel brings it up to date when the
// thread stops running, so it is exact for a thread that waits, as the
// harness's does between commands.
func mainThreadCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/task/" + strconv.Itoa(pid) + "/schedstat")
	if err != nil {
		return 0, err
	}
	f := bytes.Fields(b)
	if len(f) < 1 {
		return 0, fmt.Errorf("process %d: empty schedstat", pid)
	}
	ns, err := strconv.ParseInt(string(f[0]), 10, 64)
	return time.Duration(ns), err
}

// taskStatus reads process pid's thread count and the signals it handles
// (its SigCgt mask) from /proc.
func taskStatus(pid int) (threads int, sigs uint64, err error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, 0, err
	}
	for _, l := range bytes.Split(b, []byte("\n")) {
		if v, ok := bytes.CutPrefix(l, []byte("Threads:")); ok {
			threads, err = strconv.Atoi(string(bytes.TrimSpace(v)))
		} else if v, ok := bytes.CutPrefix(l, []byte("SigCgt:")); ok {
			sigs, _ = strconv.ParseUint(string(bytes.TrimSpace(v)), 16, 64)
		}
	}
	if threads == 0 && err == nil {
		err = fmt.Errorf("process %d: no thread count in /proc", pid)
	}
	return threads, sigs, err
}

// codeIntact checks that process pid runs the code it loaded: no mapping
// of a file that is executable holds a page the process wrote, which
// turns the page anonymous (a patch
// to the harness's or a library's machine code), and no mapping is both
// writable and executable. A candidate that changes the code the harness
// runs while preparing its input could do its work there, unseen.
func codeIntact(pid int) error {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/smaps")
	if err != nil {
		return errDied
	}
	var head []byte
	check := false
	for _, l := range bytes.Split(b, []byte("\n")) {
		f := bytes.Fields(l)
		if len(f) >= 5 && bytes.IndexByte(f[0], '-') > 0 && len(f[1]) == 4 {
			head = l
			perms := f[1]
			if perms[1] == 'w' && perms[2] == 'x' {
				return &cheat{RuntimeError, "the candidate's process made memory both writable and executable: " + string(l)}
			}
			check = perms[2] == 'x' && string(f[4]) != "0"
			continue
		}
		if !check || len(f) < 2 {
			continue
		}
		if string(f[0]) == "Anonymous:" && string(f[1]) != "0" {
			return &cheat{RuntimeError, "the candidate's process changed the machine code it was loaded with (" +
				string(f[1]) + " kB written in " + string(bytes.Join(bytes.Fields(head)[5:], []byte(" "))) + ")"}
		}
	}
	return nil
}

// childrenOf reports whether process pid has, or has had and reaped,
// child processes: its living children, and the CPU time of reaped
// children (cutime and cstime, in clock ticks) that /proc adds up.
func childrenOf(pid int) (living int, reaped int64, err error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/task/" + strconv.Itoa(pid) + "/children")
	if err != nil {
		return 0, 0, err
	}
	living = len(bytes.Fields(b))
	st, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, 0, err
	}
	i := bytes.LastIndexByte(st, ')')
	f := bytes.Fields(st[i+1:])
	// f[0] is field 3: cutime and cstime are fields 16 and 17.
	if len(f) < 15 {
		return living, 0, fmt.Errorf("process %d: short stat", pid)
	}
	for _, s := range f[13:15] {
		n, _ := strconv.ParseInt(string(s), 10, 64)
		reaped += n
	}
	return living, reaped, nil
}

// threadSignals are the signals the C library handles itself once a
// process has a second thread (32 and 33: thread cancellation and the
// set-ID broadcast), bit n-1 for signal n as in SigCgt.
const threadSignals = 1<<31 | 1<<32

// signalNames names the signals of a SigCgt mask.
func signalNames(mask uint64) string {
	var names []string
	for n := 1; n <= 64; n++ {
		if mask&(1<<(n-1)) == 0 {
			continue
		}
		if name := unix.SignalName(syscall.Signal(n)); name != "" {
			names = append(names, name)
		} else {
			names = append(names, "signal "+strconv.Itoa(n))
		}
	}
	return strings.Join(names, ", ")
}
