package evaluate

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/sandbox"
)

// The timing protocols of Config.Timing.
const (
	// TimingPaired is lessonl's protocol: the two sides timed in
	// interleaved pairs, each in a process of its own, on a fresh input per
	// pair, in two pairs of processes, until the interval is tight or the
	// budget is spent (sides.go).
	TimingPaired = "paired"
	// TimingPaper is the authors' protocol, for fidelity checks: on each of
	// ten seeded inputs, eleven timed calls of the candidate (nanobench's
	// default epochs of one call each), then the same for the baseline; the
	// speedup is the ratio of the medians of all samples. One build, no
	// pairing, no stopping rule.
	TimingPaper = "paper"
)

// The paper's protocol: seeds per side, timed calls per seed.
const (
	paperSeeds = 10
	paperCalls = 11
)

// driverFirst is the candidate's binary: the driver linked with the
// baseline's code and then the candidate's, in the order of refBinary.
const driverFirst = "driver"

// minPairsPerPlacement is how many pairs a pair of processes gets even when its calls
// are so slow that they overrun the timing budget: fewer give no interval
// worth the name.
const minPairsPerPlacement = 4

// slowPairs is the first batch: enough pairs to tell a much slower
// candidate, which stops there.
const slowPairs = 3

// run validates and times the candidate in dir against the baseline of
// b: in two processes (sides.go), or, under the paper's protocol, in one.
// gate, when not nil, runs once the candidate has validated and before it
// is timed, its processes idle: a step other than Correct is the
// candidate's verdict (the checked build's, checked.go).
func (e *Evaluator) run(ctx context.Context, p *datasets.Problem, b *problemBuild, dir string, out *Outcome, gate func() (step, error)) error {
	if e.cfg.Timing == TimingPaper {
		return e.runPaper(ctx, p, dir, out, gate)
	}
	start := time.Now()
	s, err := e.startSides(ctx, p, b, dir)
	if err != nil {
		return err
	}
	st, err := e.validateSides(p, s)
	out.ValidateMS = time.Since(start).Milliseconds()
	if err == nil && st.status == Correct && gate != nil {
		var gst step
		if gst, err = gate(); err == nil && gst.status != Correct {
			return e.endSidesGated(ctx, s, gst, out)
		}
	}
	if err != nil {
		return e.endSidesAfter(ctx, s, st, err)
	}
	if e.cfg.VerdictOnly {
		s.cand.d.s.finished, s.ref.d.s.finished = st.status == Correct, st.status == Correct
		status, detail, err := e.endSides(ctx, s, st)
		out.Status, out.Detail = status, detail
		return err
	}
	var t pairs
	var calls []pairCall
	slow := false
	if st.status == Correct {
		queued := time.Now()
		release, err := e.timingSlot(ctx, s.cand.d.proc, s.ref.d.proc)
		out.QueueMS = time.Since(queued).Milliseconds()
		if err != nil {
			st = step{RuntimeError, err.Error()}
		} else {
			timed := time.Now()
			defer func() { out.TimeMS = time.Since(timed).Milliseconds() }()
			defer release()
			st, t, calls, slow, err = e.timeSides(p, s, e.firstGoal())
			if err != nil {
				return e.endSidesAfter(ctx, s, st, err)
			}
		}
	}
	status, detail, err := e.endSides(ctx, s, st)
	if err != nil {
		return err
	}
	if status != Correct {
		out.Status, out.Detail = status, detail
		return nil
	}
	procs := []timedProcess{{0, t}}
	threads, charged := maxThreads(calls), hiddenWork(calls)
	if g, ok := e.secondGoal(t, slow); ok {
		// A second pair of processes, then a fresh pair for a placement
		// short of clean pairs, up to extraProcesses of them.
		for pl := 1; ; {
			st, tp, cs, err := e.timeAgain(ctx, p, b, dir, g)
			if err != nil {
				return err
			}
			if st.status != Correct {
				out.Status, out.Detail = st.status, st.detail
				return nil
			}
			procs = append(procs, timedProcess{pl, tp})
			threads, charged = max(threads, maxThreads(cs)), max(charged, hiddenWork(cs))
			var short bool
			if pl, short = shortPlacement(procs); !short || len(procs)-2 >= e.extraProcesses() {
				break
			}
			g = e.againGoal(procs, pl)
		}
	}
	base, cand, split := joined(byPlacement(procs, every))
	sp, clean, check := estimateClean(procs, seedOf(out.CodeHash+p.ID))
	sp = sp.Widen(e.cfg.RunToRun)
	out.Status = Correct
	if !math.IsNaN(check) {
		out.Detail = fmt.Sprintf("only %d of %d pairs were clean (%d wanted in each placement): "+
			"the interval also spans %.3f, the estimate that chooses no pairs", clean, len(base), minCleanPairs, check)
	}
	out.Speedup, out.CILow, out.CIHigh = sp.Point, sp.Low, sp.High
	out.BaselineNS, out.CandidateNS = sp.BaselineNS, sp.CandidateNS
	out.BaselineReps, out.CandidateReps = base, cand
	out.PlacementSplit, out.CleanPairs, out.Processes = split, clean, 2*len(procs)
	out.Threads, out.ChargedNS = threads, int64(charged)
	return nil
}

// maxThreads is the most threads the candidate's process had after any of
// calls.
func maxThreads(calls []pairCall) int {
	n := 0
	for _, c := range calls {
		n = max(n, c.cand.threads)
	}
	return n
}

// timeAgain times pairs in a fresh pair of processes until g is met.
func (e *Evaluator) timeAgain(ctx context.Context, p *datasets.Problem, b *problemBuild, dir string, g goal) (step, pairs, []pairCall, error) {
	s, err := e.startSides(ctx, p, b, dir)
	if err != nil {
		return step{}, pairs{}, nil, err
	}
	st, t, calls, _, err := e.timeSides(p, s, g)
	status, detail, err2 := e.endSides(ctx, s, st)
	if err == nil {
		err = err2
	}
	if err != nil {
		return step{}, t, nil, err
	}
	if status != Correct {
		return step{status, "in a second pair of processes: " + detail}, t, nil, nil
	}
	return stepOK, t, calls, nil
}

// runPaper is the paper's protocol (TimingPaper): validation and timing in
// one process that holds both sides, as the authors' driver does. It
// reproduces their measurement for fidelity checks and is not hardened
// against candidates that forge it (THREATS.md).
func (e *Evaluator) runPaper(ctx context.Context, p *datasets.Problem, dir string, out *Outcome, gate func() (step, error)) error {
	start := time.Now()
	first, err := e.startDriver(ctx, p, dir, driverFirst)
	if err != nil {
		return err
	}
	st := validate(p, first.s)
	out.ValidateMS = time.Since(start).Milliseconds()
	if st.status == Correct && gate != nil {
		first.proc.Pause()
		gst, err := gate()
		first.proc.Resume()
		if err != nil {
			_, _, _ = e.end(ctx, first, st)
			return err
		}
		if gst.status != Correct {
			return e.endGated(ctx, first, gst, out)
		}
	}
	var t pairs
	if st.status == Correct && !e.cfg.VerdictOnly {
		queued := time.Now()
		release, err := e.timingSlot(ctx, first.proc)
		out.QueueMS = time.Since(queued).Milliseconds()
		if err != nil {
			st = step{RuntimeError, err.Error()}
		} else {
			timed := time.Now()
			defer func() { out.TimeMS = time.Since(timed).Milliseconds() }()
			defer release()
			st, t = e.timePaper(p, first)
		}
	} else if e.cfg.VerdictOnly {
		first.s.finished = st.status == Correct
	}
	status, detail, err := e.end(ctx, first, st)
	if err != nil {
		return err
	}
	if status != Correct || e.cfg.VerdictOnly {
		out.Status, out.Detail = status, detail
		return nil
	}
	sp := EstimateUnpaired(t.base, t.cand, seedOf(out.CodeHash+p.ID)).Widen(e.cfg.RunToRun)
	out.Status = Correct
	out.Speedup, out.CILow, out.CIHigh = sp.Point, sp.Low, sp.High
	out.BaselineNS, out.CandidateNS = sp.BaselineNS, sp.CandidateNS
	out.BaselineReps, out.CandidateReps = t.base, t.cand
	out.PlacementSplit, out.Processes = len(t.base), 1
	return nil
}

// end finishes d and says how the protocol went, st being its last step:
// an error when ctx ended or the process never started (errUnstarted, to
// be retried), else the status and detail the candidate gets.
func (e *Evaluator) end(ctx context.Context, d *driverRun, st step) (Status, string, error) {
	x := d.finish()
	if err := ctx.Err(); err != nil {
		return "", "", err
	}
	if x.Unstarted {
		return "", "", errUnstarted
	}
	status, detail := e.judge(st, d.s.finished, x)
	return status, detail, nil
}

// driverRun is one running driver process and the session with it.
type driverRun struct {
	proc       *sandbox.Proc
	s          *session
	cmdW, resR *os.File
	stop       func() bool
	wall       time.Duration // its wall-clock limit, which bounds each input's turn too
}

// startDriver starts bin, the harness speaking on fds 3 and 4; the process
// is killed when ctx ends.
func (e *Evaluator) startDriver(ctx context.Context, p *datasets.Problem, dir, bin string) (*driverRun, error) {
	return e.startDriverWith(ctx, p, dir, bin, e.cfg.RunLimits, nil)
}

// startDriverWith is startDriver under lim with extra environment.
func (e *Evaluator) startDriverWith(ctx context.Context, p *datasets.Problem, dir, bin string, lim sandbox.Limits, extraEnv []string) (*driverRun, error) {
	resR, resW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	cmdR, cmdW, err := os.Pipe()
	if err != nil {
		resR.Close()
		resW.Close()
		return nil, err
	}
	// Pipes of 1 MiB: a state of megabytes crosses in fewer switches.
	for _, f := range []*os.File{resR, cmdW} {
		_, _ = unix.FcntlInt(f.Fd(), unix.F_SETPIPE_SZ, 1<<20)
	}
	env := []string{"LESSONL_TOLERANCE=" + strconv.FormatFloat(p.Tolerance, 'g', -1, 64)}
	if e.cfg.Mode == ModeOpenMP {
		env = append(env, "OMP_NUM_THREADS="+strconv.Itoa(e.cfg.Threads))
	}
	if e.cfg.StrictValidation {
		env = append(env, "LESSONL_STRICT=1")
	}
	env = append(env, extraEnv...)
	proc := e.sandbox.Command(dir, lim, env, []*os.File{resW, cmdR}, "./"+bin)
	err = proc.Start()
	resW.Close()
	cmdR.Close()
	if err != nil {
		resR.Close()
		cmdW.Close()
		return nil, fmt.Errorf("start %s for %s: %w", bin, p.ID, err)
	}
	d := &driverRun{proc: proc, cmdW: cmdW, resR: resR, stop: context.AfterFunc(ctx, proc.Kill), wall: lim.Wall}
	d.s = &session{in: bufio.NewReaderSize(resR, 1<<16), out: cmdW}
	return d, nil
}

// finish asks the driver to quit and says how it ended.
func (d *driverRun) finish() sandbox.Exit {
	d.proc.Resume() // its exit is bounded like any turn
	_, _ = fmt.Fprintln(d.cmdW, "quit")
	d.cmdW.Close()
	// Nothing is read after quit: a driver still writing a reply the
	// protocol gave up on gets EPIPE instead of blocking forever.
	d.resR.Close()
	x := d.proc.Wait()
	d.stop()
	return x
}

// timingSlot takes one of the evaluator's timing slots and a machine-wide
// one, with the driver's watchdog paused while it waits (the driver is
// idle), telling ctx's caller when it begins to wait (PhaseQueued) and
// when it holds them (PhaseTiming); release gives both back.
func (e *Evaluator) timingSlot(ctx context.Context, procs ...*sandbox.Proc) (release func(), err error) {
	for _, p := range procs {
		p.Rearm(24 * time.Hour)
	}
	TellPhase(ctx, PhaseQueued)
	select {
	case e.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	ms, err := acquireMachineSlot(ctx, e.cfg.Slots)
	if err != nil {
		<-e.slots
		return nil, err
	}
	TellPhase(ctx, PhaseTiming)
	for _, p := range procs {
		p.Rearm(e.cfg.RunLimits.Wall)
	}
	return func() { ms.release(); <-e.slots }, nil
}

// step is how one part of the protocol ended: Correct when it went
// through.
type step struct {
	status Status
	detail string
}

var stepOK = step{status: Correct}

// failed is the step for a session error: the driver died or reported one.
func failed(err error) step {
	if errors.Is(err, errDied) {
		return step{RuntimeError, ""}
	}
	return step{RuntimeError, err.Error()}
}

// judge combines a driver's last step with how its process ended.
func (e *Evaluator) judge(st step, finished bool, x sandbox.Exit) (Status, string) {
	switch {
	case st.status == Incorrect || st.status == NotSerial:
		return st.status, st.detail
	case x.TimedOut:
		return Timeout, x.Describe(e.cfg.RunLimits)
	case st.status == RuntimeError || !finished || x.OutputCap || x.FolderFull || x.Signal != "" || x.Code != 0:
		return RuntimeError, strings.TrimSpace(st.detail + "\n" + x.Describe(e.cfg.RunLimits))
	}
	return Correct, ""
}

type session struct {
	in       *bufio.Reader
	out      *os.File
	finished bool
}

// maxLine bounds a reply line: a process that writes more without a line
// end has died as far as the protocol is concerned.
const maxLine = 1 << 20

// readLine reads one line of the process's replies, without its end.
func (s *session) readLine() (string, error) {
	var b []byte
	for {
		chunk, err := s.in.ReadSlice('\n')
		b = append(b, chunk...)
		if err == nil {
			return string(b[:len(b)-1]), nil
		}
		if err != bufio.ErrBufferFull || len(b) > maxLine {
			return "", errDied
		}
	}
}

// ask sends one command and returns the reply lines up to one starting
// with a word in until.
func (s *session) ask(cmd string, until ...string) ([]string, error) {
	if _, err := fmt.Fprintln(s.out, cmd); err != nil {
		return nil, errDied
	}
	var lines []string
	for {
		l, err := s.readLine()
		if err != nil {
			return lines, err
		}
		lines = append(lines, l)
		word, _, _ := strings.Cut(l, " ")
		if word == "error" {
			return lines, fmt.Errorf("%s", strings.TrimPrefix(l, "error "))
		}
		for _, u := range until {
			if word == u {
				return lines, nil
			}
		}
	}
}

var errDied = errors.New("driver ended early")

type pairs struct{ base, cand []int64 }

// validate runs the candidate on every validation size.
func validate(p *datasets.Problem, s *session) step {
	for i, n := range p.Sizes.Validate {
		lines, err := s.ask(fmt.Sprintf("validate %d %d", n, i+1), "valid", "invalid")
		if err != nil {
			return failed(err)
		}
		if last := lines[len(lines)-1]; strings.HasPrefix(last, "invalid") {
			return step{Incorrect, describeInvalid(last)}
		}
	}
	return stepOK
}

// prepare builds the timing input of the given seed and, with warmup > 0,
// runs that many untimed pairs, comparing the first one's outputs.
func prepare(p *datasets.Problem, s *session, seed, warmup int) step {
	if _, err := s.ask(fmt.Sprintf("setup %d %d", p.Sizes.Timing, seed), "ready"); err != nil {
		return failed(err)
	}
	if warmup <= 0 {
		return stepOK
	}
	lines, err := s.ask(fmt.Sprintf("warmup %d", warmup), "warm", "invalid")
	if err != nil {
		return failed(err)
	}
	if last := lines[len(lines)-1]; strings.HasPrefix(last, "invalid") {
		return step{Incorrect, describeInvalid(last)}
	}
	return stepOK
}

// timePaper is the authors' protocol (TimingPaper): the candidate's calls
// on every seed, then the baseline's. Each seed's block is a phase of its
// own under the run limits.
func (e *Evaluator) timePaper(p *datasets.Problem, d *driverRun) (step, pairs) {
	var t pairs
	for _, candidate := range []bool{true, false} {
		for seed := range paperSeeds {
			d.proc.Rearm(e.cfg.RunLimits.Wall)
			warmup := 0
			if candidate && seed == 0 {
				warmup = 1 // compares the outputs at the timing size, untimed
			}
			if st := prepare(p, d.s, seed, warmup); st.status != Correct {
				return st, t
			}
			side := 0
			if candidate {
				side = 1
			}
			lines, err := d.s.ask(fmt.Sprintf("sample %d %d", paperCalls, side), "done")
			if err != nil {
				return failed(err), t
			}
			for _, l := range lines {
				var ns int64
				if n, _ := fmt.Sscanf(l, "call %d", &ns); n == 1 {
					if candidate {
						t.cand = append(t.cand, max(ns, 1))
					} else {
						t.base = append(t.base, max(ns, 1))
					}
				}
			}
		}
	}
	d.s.finished = true
	return stepOK, t
}

// goal says when one build's timing stops.
type goal struct {
	min, max int // pairs
	// floor is the pairs timed even past the budget.
	floor  int
	budget time.Duration
	// width is the interval's relative width to stop at; 0 never stops
	// early.
	width float64
	// slowStop stops after slowPairs when the candidate took at least twice
	// the baseline's time in each.
	slowStop bool
	// warmup is the untimed pairs before timing.
	warmup int
}

// firstGoal is the first build's share of the configuration: half the
// pairs and half the budget, and an interval √2 wider, since combining two
// builds' estimates narrows it by about that much.
func (e *Evaluator) firstGoal() goal {
	c := e.cfg
	g := goal{min: (c.MinReps + 1) / 2, max: (c.MaxReps + 1) / 2, budget: c.Budget / 2,
		width: c.TargetWidth * math.Sqrt2, slowStop: c.MinReps != c.MaxReps, warmup: c.Warmup}
	g.floor = min(g.min, minPairsPerPlacement)
	if c.MinReps == c.MaxReps {
		g.width = 0
	}
	return g
}

// secondGoal is the second pair of processes': as many pairs as the first got
// (with fixed repetitions, the rest of them), warmed up as the first unless
// calls take longer than longCall, which warm themselves. There is none
// after a candidate stopped for being slow (no placement effect turns
// twice as slow into faster) or under the paper's protocol.
func (e *Evaluator) secondGoal(first pairs, slow bool) (goal, bool) {
	n := len(first.base)
	if e.cfg.Timing == TimingPaper || slow || n == 0 {
		return goal{}, false
	}
	if e.cfg.MinReps == e.cfg.MaxReps {
		n = min(n, e.cfg.MaxReps-n)
	}
	if n <= 0 {
		return goal{}, false
	}
	g := goal{min: n, max: n, floor: n, budget: 24 * time.Hour, warmup: e.cfg.Warmup}
	if median(floats(first.base)) >= float64(longCall) {
		g.warmup = 0
	}
	return g, true
}

// extraProcesses is how many fresh processes may time a placement again:
// maxExtraProcesses under the adaptive protocol, none when the
// configuration fixes the number of pairs.
func (e *Evaluator) extraProcesses() int {
	if e.cfg.MinReps == e.cfg.MaxReps {
		return 0
	}
	return maxExtraProcesses
}

// againGoal is the goal of a fresh process for placement pl, timed again
// because too few of its pairs were clean (see regimeTolerance): as many
// pairs as that placement's first process got, warmed up as it was.
func (e *Evaluator) againGoal(procs []timedProcess, pl int) goal {
	n := 0
	for _, p := range procs {
		if p.placement == pl {
			n = len(p.t.base)
			break
		}
	}
	g := goal{min: n, max: n, floor: n, budget: 24 * time.Hour, warmup: e.cfg.Warmup}
	if median(floats(procs[0].t.base)) >= float64(longCall) {
		g.warmup = 0
	}
	return g
}

// longCall is a call long enough that a warm-up call adds nothing: caches
// and predictors warm within its first milliseconds.
const longCall = 100 * time.Millisecond

// enough is the stopping rule: at most max pairs; at least floor; then stop
// once the budget is spent, or, past min pairs, once the interval is
// tight. A candidate at least twice as slow as the baseline in each of its
// first slowPairs pairs stops there: it is not faster, and more precision
// about how much slower would cost the most time of all.
func (g goal) enough(t pairs, spent time.Duration) (stop, slow bool) {
	n := len(t.base)
	if n >= g.max {
		return true, false
	}
	if g.slowStop && n >= slowPairs {
		slow := true
		for i := range t.base {
			slow = slow && t.cand[i] >= 2*t.base[i]
		}
		if slow {
			return true, true
		}
	}
	if n < g.floor {
		return false, false
	}
	if spent >= g.budget {
		return true, false
	}
	if n < g.min || g.width <= 0 {
		return false, false
	}
	sp := EstimateSpeedup(t.base, t.cand, uint64(n))
	return (sp.High-sp.Low)/sp.Point <= g.width, false
}

// next is the size of the next batch after n pairs took spent: up to min
// pairs (at least 5 more), never past max, and no more than the rest of
// the budget holds at the pace so far (but at least one, and up to floor).
func (g goal) next(n int, spent time.Duration) int {
	k := min(max(5, g.min-n), g.max-n)
	if n > 0 && spent > 0 {
		fit := 1
		if left := g.budget - spent; left > 0 {
			fit = max(1, int(left/(spent/time.Duration(n))))
		}
		fit = max(fit, g.floor-n)
		k = min(k, fit)
	}
	return max(1, k)
}

func describeInvalid(line string) string {
	f := strings.SplitN(line, " ", 4)
	if len(f) < 4 {
		return "outputs differ from the baseline's"
	}
	return fmt.Sprintf("outputs differ from the baseline's at size %s (seed %s): %s", f[1], f[2], f[3])
}

func seedOf(s string) uint64 {
	h := sha256.Sum256([]byte(s))
	return binary.LittleEndian.Uint64(h[:8])
}
