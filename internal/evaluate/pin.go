package evaluate

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// One CPU for both sides. The CPUs of the shared VMs lessonl runs on are
// not equally fast: one can run up to 1.4 times slower than the other for
// seconds at a time (its host core is busy with another guest, we think),
// while the other runs at its usual speed. A process stays on the CPU it
// last ran on, so when the baseline's and the candidate's processes sit on
// different CPUs such a stretch slows one side alone, and pairing cannot
// cancel it: on ParEval's 19_graph_shortest_path, identical code measured
// 1.65× slower on one side in stretches, more often the candidate's. In
// serial mode both processes therefore run their calls on one CPU, set by
// lessonl before each call; a candidate that moves its process to another
// CPU during a call breaks a rule of the protocol.

// timingCPU picks the CPU an evaluation's calls run on: one of those
// lessonl may use, at random, so that no CPU is favoured across
// evaluations; -1 when lessonl cannot tell which it may use.
func timingCPU() int {
	var set unix.CPUSet
	if err := unix.SchedGetaffinity(0, &set); err != nil {
		return -1
	}
	var cpus []int
	for c := 0; c < len(set)*64; c++ {
		if set.IsSet(c) {
			cpus = append(cpus, c)
		}
	}
	if len(cpus) == 0 {
		return -1
	}
	return cpus[rand.IntN(len(cpus))]
}

// tasks lists the threads of process pid.
func tasks(pid int) ([]int, error) {
	ents, err := os.ReadDir("/proc/" + strconv.Itoa(pid) + "/task")
	if err != nil {
		return nil, err
	}
	var tids []int
	for _, e := range ents {
		if tid, err := strconv.Atoi(e.Name()); err == nil {
			tids = append(tids, tid)
		}
	}
	return tids, nil
}

// pin sets every thread of process pid to run on cpu alone.
func pin(pid, cpu int) error {
	var set unix.CPUSet
	set.Set(cpu)
	return setCPUs(pid, &set)
}

// unpin lets every thread of process pid run on any CPU lessonl may use.
func unpin(pid int) error {
	var set unix.CPUSet
	if err := unix.SchedGetaffinity(0, &set); err != nil {
		return err
	}
	return setCPUs(pid, &set)
}

// setCPUs sets the CPUs every thread of process pid may run on.
func setCPUs(pid int, set *unix.CPUSet) error {
	tids, err := tasks(pid)
	if err != nil {
		return errDied
	}
	for _, tid := range tids {
		if err := unix.SchedSetaffinity(tid, set); err != nil && !errors.Is(err, unix.ESRCH) {
			return fmt.Errorf("set the CPUs of process %d: %w", pid, err)
		}
	}
	return nil
}

// pinned checks that every thread of process pid may still run on cpu
// alone; a thread that widened or moved its set is a *cheat.
func pinned(pid, cpu int) error {
	tids, err := tasks(pid)
	if err != nil {
		return errDied
	}
	for _, tid := range tids {
		var set unix.CPUSet
		if err := unix.SchedGetaffinity(tid, &set); err != nil {
			if errors.Is(err, unix.ESRCH) {
				continue
			}
			return errDied
		}
		if set.Count() != 1 || !set.IsSet(cpu) {
			return &cheat{RuntimeError, fmt.Sprintf("the candidate's process changed the CPUs its thread %d may run on "+
				"during a timed call: lessonl times both sides on one CPU and does not time code that moves", tid)}
		}
	}
	return nil
}
