package evaluate

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/sandbox"
)

// The timed protocol runs the baseline and the candidate each in a process
// of its own, and trusts nothing the candidate's process says about time
// or correctness (THREATS.md):
//
//   - The baseline's process runs refBinary: the problem's driver with the
//     baseline's code in the candidate's place, built once per problem
//     and never linked with a candidate's code. Both processes call the
//     side in the candidate's place, so identical code sits at identical
//     addresses in the two binaries, and both run the same commands.
//   - Every call gets a fresh input, made in both processes from a seed
//     drawn from the operating system's random source after the candidate
//     was loaded; no two calls share one. The two processes build it at
//     once, before either is timed.
//   - lessonl times each call itself, from outside: from the "call"
//     command until the process's main thread is back waiting for the
//     next command, so a "done" the candidate writes early ends nothing.
//     In serial mode the time is the process's CPU time over that window,
//     read from the kernel; in OpenMP mode, the wall time.
//   - After every call the candidate's state (the members its call
//     changed) goes to the baseline's process, which compares it with its
//     own by the driver's check(); the members the call left as they were
//     come from that process's copy of the input, so inputs are never
//     carried. The baseline's process writes its state as well (and
//     lessonl drops it), so that both processes do the same work outside
//     their calls (hiddenWork).
//   - Between its calls the candidate's process is stopped (SIGSTOP), so
//     no thread of it runs while the baseline's is timed or judged.
//   - While its input is prepared and its state written, only the
//     harness's code may run in the candidate's process: lessonl checks
//     that it handles no signals the baseline's does not, that the code
//     of the harness and the libraries it maps is unmodified, and (at
//     build time) that the candidate defines nothing outside its
//     namespace for the harness to call by mistake. In serial mode it
//     also has a single thread; in either mode the CPU time of a call
//     above its wall time says how many threads ran at once.

// refBinary is the baseline's timed binary, in the problem's folder.
const refBinary = "ref"

// maxState bounds the state a process may send back after a call; a
// bigger one is the candidate's runtime error (it would otherwise let the
// candidate's process fill lessonl's memory).
const maxState = 1 << 30

// side is one process of the timed protocol.
type side struct {
	d   *driverRun
	bin string
	pid int // the driver's process on the host, found after its first reply
	// candidate: the process holds candidate code; it is stopped between
	// its calls and checked before each.
	candidate bool
	// sigs is the signals the process handled after its first call.
	sigs uint64
	// cpu is the CPU the process's calls run on (pin.go); -1 for any.
	cpu int
}

// callTimes is what one call cost a side.
type callTimes struct {
	wall    time.Duration // the call, from outside
	cpu     time.Duration // the process's CPU time during the call
	other   time.Duration // its CPU time preparing the input and writing its state
	threads int           // threads the process had after the call
	// others is the CPU time of the process's threads but its main one,
	// living or ended, since it started.
	others time.Duration
	// children is whether processes beside the driver ran during the
	// call: living or reaped children, or CPU time in its sandbox beyond
	// its own.
	children bool
	sigs     uint64 // the signals it handled (SigCgt) after the call
}

// prepared is what a side's process did building the input of a call:
// its clocks before and after, and whether it was the process's first.
type prepared struct {
	c0, c1 clock
	first  bool
	err    error
}

// input has the side's process build the input of size n from seed, in a
// turn of its own, untimed; the first input also finds the process. A
// *cheat in err is a rule the candidate's process broke.
func (s *side) input(n int, seed uint64) (pr prepared) {
	pr.first = s.pid == 0
	defer s.rest()
	if pr.err = s.inputTurn(); pr.err != nil {
		return pr
	}
	if pr.c0, pr.err = s.clocks(); pr.err != nil {
		return pr
	}
	if _, pr.err = s.d.s.ask(fmt.Sprintf("input %d %d", n, seed), "ready"); pr.err != nil {
		return pr
	}
	if pr.first {
		var err error
		if s.pid, err = s.d.proc.PIDOf(s.bin); err != nil {
			pr.err = &cheat{RuntimeError, err.Error()}
			return pr
		}
	}
	pr.c1, pr.err = s.clocks()
	return pr
}

// turn lets the side's process run: its wall-clock limit counts again,
// and it is woken (wake).
func (s *side) turn(check bool) error {
	s.d.proc.Resume()
	return s.wake(check)
}

// inputTurn lets the side's process build an input: a turn apart from its
// phase (sandbox.Proc.ResumeApart), bounded on its own by the run's
// wall-clock limit, so that inputs costlier than the calls do not use up
// the limit of the process whose calls are timed; the candidate's process
// is continued and its code checked first, as only the harness's and the
// problem's code may run then.
func (s *side) inputTurn() error {
	s.d.proc.ResumeApart(s.d.wall)
	return s.wake(true)
}

// wake continues the candidate's process and, when check is set, checks
// its code first (procstat.go); the baseline's is never stopped.
func (s *side) wake(check bool) error {
	if !s.candidate {
		return nil
	}
	s.cont()
	if check && s.pid > 0 {
		return codeIntact(s.pid)
	}
	return nil
}

// rest ends the side's turn: the candidate's process is stopped, and the
// wall-clock limit of either waits.
func (s *side) rest() {
	if s.candidate {
		s.stop()
	}
	s.d.proc.Pause()
}

// call runs the timed call of s on the input it prepared (pr), on the
// side's CPU, and reads the state written after it. It fails with a
// *cheat when the candidate's process broke a rule, with another error
// when the process died or failed.
func (s *side) call(pr prepared) (callTimes, []byte, error) {
	var ct callTimes
	defer s.rest()
	if err := s.turn(false); err != nil {
		return ct, nil, err
	}
	if err := s.pin(); err != nil {
		return ct, nil, err
	}
	defer s.unpin()
	c1, err := s.clocks()
	if err != nil {
		return ct, nil, err
	}
	_, r0, err := childrenOf(s.pid)
	if err != nil {
		return ct, nil, errDied
	}
	t0 := time.Now()
	if _, err := s.d.s.ask("call", "done"); err != nil {
		return ct, nil, err
	}
	if err := s.waitIdle(); err != nil {
		return ct, nil, err
	}
	ct.wall = time.Since(t0)
	c2, err := s.clocks()
	if err != nil {
		return ct, nil, err
	}
	main, err := mainThreadCPU(s.pid)
	if err != nil {
		return ct, nil, errDied
	}
	ct.others = c2.process - main
	if ct.threads, ct.sigs, err = taskStatus(s.pid); err != nil {
		return ct, nil, errDied
	}
	if s.cpu >= 0 && s.candidate {
		if err := pinned(s.pid, s.cpu); err != nil {
			return ct, nil, err
		}
	}
	living, r1, err := childrenOf(s.pid)
	if err != nil {
		return ct, nil, errDied
	}
	// Processes of the sandbox other than the driver: what its control
	// group counted beyond the driver's own CPU clock during the call.
	beside := (c2.group - c1.group) - (c2.process - c1.process)
	ct.children = living > 0 || r1 > r0 || beside > time.Millisecond
	state, err := s.d.s.state()
	if err != nil {
		return ct, nil, err
	}
	c3, err := s.clocks()
	if err != nil {
		return ct, nil, err
	}
	ct.cpu = c2.group - c1.group
	// The input's preparation and the state's writing; the process's
	// loading, before its first input, is no call's.
	ct.other = (pr.c1.group - pr.c0.group) + (c3.group - c2.group)
	if pr.first {
		ct.other = c3.group - c2.group
	}
	return ct, state, nil
}

// pin has the side's process run its call on the side's CPU, when it has
// one; unpin lets it run on any of lessonl's CPUs again, so that the two
// processes build their next inputs at once.
func (s *side) pin() error {
	if s.cpu < 0 {
		return nil
	}
	return pin(s.pid, s.cpu)
}

func (s *side) unpin() {
	if s.cpu >= 0 {
		_ = unpin(s.pid)
	}
}

// clock is a side's CPU time so far, as the kernel counts it: the
// driver's process (every thread, ended ones included), and its whole
// sandbox (the control group, child processes included; the driver's
// where the machine has no control groups).
type clock struct{ process, group time.Duration }

// clocks reads the side's clocks (zero before its driver is found).
func (s *side) clocks() (clock, error) {
	if s.pid == 0 {
		return clock{}, nil
	}
	p, err := processCPU(s.pid)
	if err != nil {
		return clock{}, errDied
	}
	c := clock{process: p, group: p}
	if g, ok, err := s.d.proc.ControlGroupCPU(); ok {
		if err != nil {
			return clock{}, errDied
		}
		c.group = g
	}
	return c, nil
}

// cheat is a rule of the timed protocol the candidate's process broke: it
// ends the candidate with status and detail, never with a speedup.
type cheat struct {
	status Status
	detail string
}

func (c *cheat) Error() string { return c.detail }

// waitIdle waits until the side's main thread is back in the harness,
// waiting for its next command on fd 4: whatever the process does between
// writing "done" and getting there is part of the call.
func (s *side) waitIdle() error {
	path := "/proc/" + strconv.Itoa(s.pid) + "/task/" + strconv.Itoa(s.pid) + "/syscall"
	for i := 0; ; i++ {
		b, err := os.ReadFile(path)
		if err != nil {
			return errDied
		}
		// "0 0x4 ...": blocked in read(2) on fd 4, the command pipe.
		if f := strings.Fields(string(b)); len(f) > 1 && f[0] == "0" && f[1] == "0x4" {
			return nil
		}
		if i > 100 {
			time.Sleep(50 * time.Microsecond)
		}
	}
}

// stop and cont suspend and resume the side's processes: the sandbox's
// group and, should the candidate have left that group, its driver.
func (s *side) stop() {
	s.d.proc.Stop()
	if s.pid > 0 {
		_ = syscall.Kill(s.pid, syscall.SIGSTOP)
	}
}

func (s *side) cont() {
	if s.pid > 0 {
		_ = syscall.Kill(s.pid, syscall.SIGCONT)
	}
	s.d.proc.Cont()
}

// state reads the reply to "dump": the process's state after its call.
func (s *session) state() ([]byte, error) {
	if _, err := fmt.Fprintln(s.out, "dump"); err != nil {
		return nil, errDied
	}
	l, err := s.line()
	if err != nil {
		return nil, err
	}
	if l == "nostate" {
		return nil, errNoState
	}
	n, err := strconv.ParseInt(strings.TrimPrefix(l, "state "), 10, 64)
	if !strings.HasPrefix(l, "state ") || err != nil || n < 0 {
		return nil, fmt.Errorf("the process answered %q to dump", truncate(l, 80))
	}
	if n > maxState {
		return nil, &cheat{RuntimeError, fmt.Sprintf("the state after the call is %d bytes, over the %d MiB lessonl carries", n, maxState>>20)}
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(s.in, buf); err != nil {
		return nil, errDied
	}
	return buf, nil
}

// judge asks this process, the baseline's, whether got, another process's
// state after a call on the same input as this one's last, agrees with its
// own: "" when they agree, else how they differ.
func (s *session) judge(got []byte) (string, error) {
	if _, err := fmt.Fprintf(s.out, "judge %d\n", len(got)); err != nil {
		return "", errDied
	}
	if _, err := s.out.Write(got); err != nil {
		return "", errDied
	}
	l, err := s.line()
	switch {
	case err != nil:
		return "", err
	case l == "same":
		return "", nil
	case l == "nostate":
		return "", errNoState
	case strings.HasPrefix(l, "differ "):
		return strings.TrimPrefix(l, "differ "), nil
	}
	return "", fmt.Errorf("the baseline's process answered %q to judge", truncate(l, 80))
}

// line reads one reply line; an error line is an error.
func (s *session) line() (string, error) {
	l, err := s.readLine()
	if err != nil {
		return "", err
	}
	if word, rest, _ := strings.Cut(l, " "); word == "error" {
		return "", errors.New(rest)
	}
	return l, nil
}

// errNoState is a driver without state(): its outputs cannot be carried
// between processes, so the timed protocol cannot check them. It is the
// problem's fault, not the candidate's.
var errNoState = errors.New("the problem's driver defines no state(), which the timed protocol needs to compare outputs " +
	"across processes: add `template <class V> void state(V& v) { v(member); ... }` naming every data member of its Case (see lessonl.hpp)")

// sides is the processes of the timed protocol: the baseline's, which also
// judges the candidate's outputs, and the candidate's.
type sides struct {
	ref, cand *side
}

// startSides starts the baseline's process in the problem's folder and the
// candidate's in its own.
func (e *Evaluator) startSides(ctx context.Context, p *datasets.Problem, b *problemBuild, dir string) (*sides, error) {
	ref, err := e.startDriver(ctx, p, b.dir, refBinary)
	if err != nil {
		return nil, err
	}
	cand, err := e.startDriver(ctx, p, dir, driverFirst)
	if err != nil {
		ref.finish()
		return nil, err
	}
	// Each process's wall-clock limit counts only its turns (side.once,
	// the baseline's judging): one waits while the other computes.
	for _, d := range []*driverRun{ref, cand} {
		d.proc.Pause()
	}
	cpu := -1
	if e.cfg.Mode == ModeSerial {
		cpu = timingCPU()
	}
	return &sides{ref: &side{d: ref, bin: refBinary, cpu: cpu}, cand: &side{d: cand, bin: driverFirst, candidate: true, cpu: cpu}}, nil
}

// endSides finishes the processes and says how the protocol went, st being
// its last step. The candidate's process decides the verdict; the
// baseline's failing is the problem's error.
func (e *Evaluator) endSides(ctx context.Context, s *sides, st step) (Status, string, error) {
	status, detail, rx, err := e.stopSides(ctx, s, st)
	if err != nil || ctx.Err() != nil || !s.ref.d.s.finished {
		return status, detail, err
	}
	if abnormal(rx) {
		return "", "", fmt.Errorf("the baseline's process failed: %s", rx.Describe(e.cfg.RunLimits))
	}
	return status, detail, nil
}

// endSidesAfter finishes the processes after the harness's error err (the
// baseline's process failing) and, when that process ended abnormally,
// adds how: "driver ended early" alone does not say that it reached the
// run's time or memory limit, which a larger --timeout or --memory-gib
// lifts.
func (e *Evaluator) endSidesAfter(ctx context.Context, s *sides, st step, err error) error {
	if _, _, rx, _ := e.stopSides(ctx, s, st); errors.Is(err, errDied) && abnormal(rx) {
		return fmt.Errorf("%w: %s", err, rx.Describe(e.cfg.RunLimits))
	}
	return err
}

// stopSides ends the candidate's process with st, its verdict, and
// finishes the baseline's, saying how that one ended.
func (e *Evaluator) stopSides(ctx context.Context, s *sides, st step) (Status, string, sandbox.Exit, error) {
	s.cand.cont()
	status, detail, err := e.end(ctx, s.cand.d, st)
	return status, detail, s.ref.d.finish(), err
}

// abnormal reports whether a process ended otherwise than by exiting 0.
func abnormal(x sandbox.Exit) bool { return x.Code != 0 || x.Signal != "" || x.TimedOut }

// randomSeed draws an input seed from the operating system's random
// source: nothing in the candidate's code or the problem's files predicts
// it.
func randomSeed() uint64 {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("lessonl: no random source: " + err.Error())
	}
	return binary.LittleEndian.Uint64(b[:])
}

// pairCall is one call of each side on the same fresh input.
type pairCall struct {
	ref, cand callTimes
	seed      uint64
}

// call runs both sides on one fresh input of size n, refFirst deciding the
// order, and has the baseline's process judge the candidate's state. what
// names the call in a verdict. A non-nil error is the harness's failure
// (the baseline's process), not the candidate's.
func (e *Evaluator) call(s *sides, n int, refFirst bool, what string) (pairCall, step, error) {
	pc := pairCall{seed: randomSeed()}
	var got []byte
	// A side's failure: the candidate's verdict, or the harness's error.
	fail := func(sd *side, err error) (pairCall, step, error) {
		var c *cheat
		switch {
		case errors.As(err, &c):
			return pc, step{c.status, c.detail}, nil
		case sd == s.ref || errors.Is(err, errNoState):
			return pc, step{}, fmt.Errorf("the baseline's process, on %s: %w", what, err)
		}
		return pc, failed(err), nil
	}
	// Both processes build the input at once (untimed, and costly for
	// inputs of hundreds of megabytes); then each is timed in turn, the
	// other's idle (the candidate's stopped).
	both := []*side{s.ref, s.cand}
	var prep [2]prepared
	var wg sync.WaitGroup
	for i, sd := range both {
		wg.Add(1)
		go func() {
			defer wg.Done()
			prep[i] = sd.input(n, pc.seed)
		}()
	}
	wg.Wait()
	for i, sd := range both {
		if prep[i].err != nil {
			return fail(sd, prep[i].err)
		}
	}
	order := []int{0, 1}
	if !refFirst {
		order = []int{1, 0}
	}
	for _, i := range order {
		ct, state, err := both[i].call(prep[i])
		switch {
		case err != nil:
			return fail(both[i], err)
		case i == 0:
			pc.ref = ct
		default:
			pc.cand, got = ct, state
		}
	}
	if st := e.serial(pc.cand); st.status != Correct {
		return pc, st, nil
	}
	if s.ref.sigs == 0 {
		s.ref.sigs = pc.ref.sigs
	}
	if extra := pc.cand.sigs &^ s.ref.sigs &^ threadSignals; extra != 0 {
		return pc, step{RuntimeError, fmt.Sprintf("the candidate handles signals the baseline does not (%s): "+
			"lessonl does not time code that runs on signals", signalNames(extra))}, nil
	}
	// The candidate's process mirrors the judging at once: neither is
	// timed, and the two run on two CPUs in the time of one.
	var mirrored error
	var mw sync.WaitGroup
	mw.Add(1)
	go func() {
		defer mw.Done()
		mirrored = s.cand.mirror(got)
	}()
	s.ref.d.proc.Resume()
	why, err := s.ref.d.s.judge(got)
	s.ref.d.proc.Pause()
	mw.Wait()
	if err != nil {
		return pc, step{}, fmt.Errorf("the baseline's process judging %s: %w", what, err)
	}
	if why != "" {
		return pc, step{Incorrect, fmt.Sprintf("outputs differ from the baseline's on %s (size %d, seed %d): %s", what, n, pc.seed, why)}, nil
	}
	if mirrored != nil {
		return pc, failed(mirrored), nil
	}
	return pc, stepOK, nil
}

// mirror has the candidate's process judge its own state, got, as the
// baseline's process judges it (at the same time): both processes then do
// the same work between their calls, down to the allocation of a whole
// state, so that neither's memory is laid out for its next call unlike
// the other's (on ParEval's gemm, judging in one process alone put
// identity estimates at 0.94 to 0.99). Its answer is not used: it only
// repeats its own state.
func (s *side) mirror(got []byte) error {
	s.d.proc.Resume()
	defer s.d.proc.Pause()
	s.cont()
	defer s.stop()
	_, err := s.d.s.judge(got)
	return err
}

// validateSides validates the candidate at every validation size, on
// fresh inputs, its outputs judged by the baseline's process; a driver
// with its own validation (ParEval's validate()) also runs that in the
// candidate's process first.
func (e *Evaluator) validateSides(p *datasets.Problem, s *sides) (step, error) {
	s.cand.d.proc.Resume()
	st := validate(p, s.cand.d.s)
	s.cand.d.proc.Pause()
	if st.status != Correct {
		return st, nil
	}
	for _, n := range p.Sizes.Validate {
		if _, st, err := e.call(s, n, true, "a validation input"); err != nil || st.status != Correct {
			return st, err
		}
	}
	return stepOK, nil
}

// serial checks, in serial mode, that the candidate's call ran on one
// thread of its own process: no second thread after it or CPU time on
// another, no child process, and no more CPU time than wall time (beyond
// a scheduler tick's slack).
func (e *Evaluator) serial(c callTimes) step {
	if e.cfg.Mode != ModeSerial {
		return stepOK
	}
	if c.threads > 1 {
		return step{NotSerial, fmt.Sprintf("%d threads in serial mode", c.threads)}
	}
	if c.others > time.Millisecond {
		return step{NotSerial, fmt.Sprintf("threads beside the main one computed %.1f ms in serial mode", ms(c.others))}
	}
	if c.children {
		return step{NotSerial, "a child process computed beside the candidate in serial mode"}
	}
	return stepOK
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }

// timeSides times pairs of calls, a fresh input each, until g is met;
// slow reports a candidate stopped early for being at least twice as slow.
func (e *Evaluator) timeSides(p *datasets.Problem, s *sides, g goal) (step, pairs, []pairCall, bool, error) {
	var t pairs
	var calls []pairCall
	for i := 0; i < g.warmup; i++ {
		if _, st, err := e.call(s, p.Sizes.Timing, i%2 == 0, "a warm-up call"); err != nil || st.status != Correct {
			return st, t, calls, false, err
		}
	}
	// The budget counts the timed calls, not the inputs' preparation and
	// the comparisons around them, so a problem whose inputs are costly to
	// build gets as many pairs as one whose calls cost the same.
	var spent time.Duration
	for {
		i := len(t.base)
		pc, st, err := e.call(s, p.Sizes.Timing, i%2 == 0, fmt.Sprintf("timed call %d", i+1))
		if err != nil || st.status != Correct {
			return st, t, calls, false, err
		}
		calls = append(calls, pc)
		t.base = append(t.base, max(int64(e.timed(pc.ref)), 1))
		t.cand = append(t.cand, max(int64(e.timed(pc.cand)), 1))
		spent += pc.ref.wall + pc.cand.wall
		if stop, slow := g.enough(t, spent); stop {
			s.cand.d.s.finished, s.ref.d.s.finished = true, true
			return stepOK, chargeHidden(t, calls), calls, slow, nil
		}
	}
}

// timed is the time of a call that enters the speedup. In serial mode it
// is the process's CPU time during the call, as the kernel counts it: one
// thread's work, without the time the process waited for a CPU or the
// pipes' wake-ups, so that a busy machine or a microsecond call is
// measured as well as a quiet one. In OpenMP mode it is the wall time
// from outside, since threads' CPU times add up.
func (e *Evaluator) timed(c callTimes) time.Duration {
	if e.cfg.Mode == ModeSerial {
		return c.cpu
	}
	return c.wall
}

// chargeHidden adds hiddenWork(calls) to each of the candidate's calls.
func chargeHidden(t pairs, calls []pairCall) pairs {
	extra := int64(hiddenWork(calls))
	if extra <= 0 {
		return t
	}
	out := pairs{base: t.base, cand: make([]int64, len(t.cand))}
	for i, c := range t.cand {
		out.cand[i] = c + extra
	}
	return out
}

// hiddenWork is what the candidate's process did around its calls, per
// call: the median over calls of its CPU time preparing the input and
// writing its state minus the baseline's on the same input, when that is
// clearly above zero (three standard errors of the median, and 2% of the
// baseline's call), else 0. Both processes run the same harness code and
// commands there, so honest code differs by noise only; this is a second
// line behind the checks that keep candidate code from running there.
func hiddenWork(calls []pairCall) time.Duration {
	n := len(calls)
	if n < 3 {
		return 0
	}
	d := make([]float64, n)
	w := make([]float64, n)
	for i, c := range calls {
		d[i] = float64(c.cand.other - c.ref.other)
		w[i] = float64(c.ref.wall)
	}
	med := median(d)
	dev := make([]float64, n)
	for i, x := range d {
		dev[i] = math.Abs(x - med)
	}
	// The standard error of a median: 1.2533 σ/√n, with σ ≈ 1.4826 MAD.
	se := 1.2533 * 1.4826 * median(dev) / math.Sqrt(float64(n))
	if med <= 3*se || med <= 0.02*median(w) {
		return 0
	}
	return time.Duration(med)
}
