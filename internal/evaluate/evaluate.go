package evaluate

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/evaluate/harness"
)

// Mode is how candidates are built and run.
type Mode string

// The modes of the paper's benchmarks.
const (
	ModeSerial Mode = "serial"
	ModeOpenMP Mode = "openmp"
)

// Config says how to compile, validate and time. The zero value of each
// field means its default, so Config{} is a sensible evaluator.
type Config struct {
	Compiler string   // default g++
	Flags    []string // default -std=c++17 -O3
	Mode     Mode     // default serial
	Threads  int      // OpenMP threads; default 8 in openmp mode

	Warmup      int           // untimed pairs before timing; default 1
	MinReps     int           // timed pairs at least; default 10
	MaxReps     int           // timed pairs at most; default 40
	TargetWidth float64       // stop once (ci_high-ci_low)/speedup is below; default 0.03
	Budget      time.Duration // stop adding pairs after this much timing; default 20s

	// Slots is how many timing runs may happen at once on this machine,
	// across all lessonl processes (an flock per slot in $LESSONL_LOCK_DIR
	// or the temp dir); default 1, so timings never overlap.
	Slots int
	Fresh bool // do not reuse outcomes of identical code (for precision studies)

	RunLimits     Limits // default DefaultRunLimits
	CompileLimits Limits // default DefaultCompileLimits
	WorkDir       string // where private build folders go; default the system temp dir
}

// SetLimits bounds every compile and run phase to wall (CPU time: three
// times that for a run, once for a compile) and a run's address space to
// memoryGiB; zero leaves the default. The CLI flags and a spec's
// evaluation block both come here.
func (c *Config) SetLimits(wall time.Duration, memoryGiB int) {
	if wall > 0 {
		c.RunLimits = DefaultRunLimits()
		c.RunLimits.Wall, c.RunLimits.CPU = wall, 3*wall
		c.CompileLimits = DefaultCompileLimits()
		c.CompileLimits.Wall, c.CompileLimits.CPU = wall, wall
	}
	if memoryGiB > 0 {
		if c.RunLimits == (Limits{}) {
			c.RunLimits = DefaultRunLimits()
		}
		c.RunLimits.AddressSpace = int64(memoryGiB) << 30
	}
}

func (c *Config) fill() {
	if c.Compiler == "" {
		c.Compiler = "g++"
	}
	if len(c.Flags) == 0 {
		c.Flags = []string{"-std=c++17", "-O3"}
	}
	if c.Mode == "" {
		c.Mode = ModeSerial
	}
	if c.Mode == ModeOpenMP && c.Threads == 0 {
		c.Threads = 8
	}
	if c.Warmup <= 0 {
		c.Warmup = 1
	}
	if c.MinReps <= 0 {
		c.MinReps = 10
	}
	if c.MaxReps < c.MinReps {
		c.MaxReps = max(40, c.MinReps)
	}
	if c.TargetWidth <= 0 {
		c.TargetWidth = 0.03
	}
	if c.Budget <= 0 {
		c.Budget = 20 * time.Second
	}
	if c.Slots <= 0 {
		c.Slots = 1
	}
	if c.RunLimits == (Limits{}) {
		c.RunLimits = DefaultRunLimits()
	}
	if c.CompileLimits == (Limits{}) {
		c.CompileLimits = DefaultCompileLimits()
	}
}

// Evaluator compiles, validates and times candidates. It is safe for
// concurrent use: compiles run in parallel, timing runs take one of
// Config.Slots, and identical code is evaluated once.
type Evaluator struct {
	cfg     Config
	sandbox *Sandbox
	workDir string
	slots   chan struct{}

	mu        sync.Mutex
	builds    map[string]*problemBuild
	buildOnce map[string]chan struct{}
	cache     map[string]*cached
}

type cached struct {
	done chan struct{}
	out  Outcome
	err  error
}

// New returns an Evaluator; Close removes its build folders.
func New(cfg Config) (*Evaluator, error) {
	cfg.fill()
	if cfg.Mode != ModeSerial && cfg.Mode != ModeOpenMP {
		return nil, fmt.Errorf("evaluator: unknown mode %q (want serial or openmp)", cfg.Mode)
	}
	dir, err := os.MkdirTemp(cfg.WorkDir, "lessonl-eval-")
	if err != nil {
		return nil, fmt.Errorf("evaluator work dir: %w", err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		return nil, fmt.Errorf("evaluator work dir: %w", err)
	}
	sb := NewSandbox()
	if err := sb.reachable(dir); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return &Evaluator{
		cfg: cfg, sandbox: sb, workDir: dir,
		slots:  make(chan struct{}, cfg.Slots),
		builds: map[string]*problemBuild{}, buildOnce: map[string]chan struct{}{},
		cache: map[string]*cached{},
	}, nil
}

// Close removes the evaluator's build folders.
func (e *Evaluator) Close() error { return os.RemoveAll(e.workDir) }

// Config returns the evaluator's configuration with defaults filled in.
func (e *Evaluator) Config() Config { return e.cfg }

// Sandbox returns what the evaluator enforces on untrusted code.
func (e *Evaluator) Sandbox() *Sandbox { return e.sandbox }

// Hash identifies code as the evaluator sees it: normalized text, problem,
// compiler, flags and mode.
func (e *Evaluator) Hash(p *datasets.Problem, code string) string {
	h := sha256.New()
	for _, s := range []string{p.Suite, p.ID, Normalize(p.BaselineCode), p.Driver, Normalize(code),
		e.cfg.Compiler, strings.Join(e.cfg.Flags, " "), string(e.cfg.Mode), strconv.Itoa(e.cfg.Threads)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	names := make([]string, 0, len(p.Files))
	for name := range p.Files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(h, "%s\x00%s\x00", name, p.Files[name])
	}
	for _, t := range p.Shared {
		fmt.Fprintf(h, "%s\x00%s\x00", t.Name, t.Definition)
	}
	fmt.Fprintf(h, "%s\x00%v %d %g\x00", p.Prelude, p.Sizes.Validate, p.Sizes.Timing, p.Tolerance)
	return hex.EncodeToString(h.Sum(nil))
}

// Evaluate compiles code as the candidate for p, validates it against the
// baseline on every validation size and on the timing input, and times
// both sides interleaved. A failing candidate is an Outcome, not an error;
// an error means the evaluation itself could not be done (the baseline
// does not build, the context ended).
func (e *Evaluator) Evaluate(ctx context.Context, p *datasets.Problem, code string) (Outcome, error) {
	hash := e.Hash(p, code)
	if e.cfg.Fresh {
		out, err := e.evaluate(ctx, p, code)
		out.CodeHash = hash
		return out, err
	}
	e.mu.Lock()
	c, hit := e.cache[hash]
	if !hit {
		c = &cached{done: make(chan struct{})}
		e.cache[hash] = c
	}
	e.mu.Unlock()
	if hit {
		select {
		case <-c.done:
		case <-ctx.Done():
			return Outcome{}, ctx.Err()
		}
		if c.err == nil {
			out := c.out
			out.Cached, out.CompileMS, out.RunMS = true, 0, 0
			return out, nil
		}
		// A failed evaluation (cancelled, say) is not cached: try again.
	}
	out, err := e.evaluate(ctx, p, code)
	out.CodeHash = hash
	c.out, c.err = out, err
	close(c.done)
	if err != nil {
		e.mu.Lock()
		delete(e.cache, hash)
		e.mu.Unlock()
	}
	return out, err
}

func (e *Evaluator) evaluate(ctx context.Context, p *datasets.Problem, code string) (Outcome, error) {
	key := e.Hash(p, "")
	headers := map[string]string{harness.HeaderName: harness.Header}
	for name, text := range p.Files {
		headers[name] = text
	}
	b := e.buildProblem(ctx, key, problemSource{id: p.ID, baseline: p.BaselineCode, driver: p.Driver,
		headers: headers, prelude: p.Prelude, shared: p.Shared})
	if b.err != nil {
		return Outcome{}, b.err
	}
	dir, err := os.MkdirTemp(e.workDir, "cand-")
	if err != nil {
		return Outcome{}, fmt.Errorf("candidate for %s: %w", p.ID, err)
	}
	defer os.RemoveAll(dir)
	if err := e.sandbox.Owner(dir); err != nil {
		return Outcome{}, fmt.Errorf("candidate for %s: %w", p.ID, err)
	}
	src, err := wrapSide(Normalize(code), CandidateNamespace, "candidate.cpp", p.Prelude, p.Shared)
	if err != nil {
		return Outcome{Status: NotCompilable, Detail: err.Error()}, nil
	}
	if err := os.WriteFile(filepath.Join(dir, "candidate.cpp"), []byte(src), 0o644); err != nil {
		return Outcome{}, fmt.Errorf("candidate for %s: %w", p.ID, err)
	}

	var out Outcome
	flags := e.sideFlags()
	ok, msg, took, err := e.compile(ctx, dir, append(append([]string{}, flags...), "-c", "candidate.cpp", "-o", "candidate.o")...)
	if err != nil {
		return Outcome{}, fmt.Errorf("compile candidate for %s: %w", p.ID, err)
	}
	out.CompileMS = took.Milliseconds()
	if ok {
		// Link order puts the baseline and the candidate at the same
		// alignment; both sides were built the same way.
		ok, msg, took, err = e.compile(ctx, dir, append(append([]string{}, flags...),
			b.driver, b.baseline, "candidate.o", "-o", "driver")...)
		if err != nil {
			return Outcome{}, fmt.Errorf("link candidate for %s: %w", p.ID, err)
		}
		out.CompileMS += took.Milliseconds()
	}
	if !ok {
		out.Status, out.Detail = NotCompilable, msg
		return out, ctx.Err()
	}
	if err := ctx.Err(); err != nil {
		return Outcome{}, err
	}
	start := time.Now()
	err = e.run(ctx, p, dir, &out)
	out.RunMS = time.Since(start).Milliseconds()
	return out, err
}

// run drives one driver process through validation and timing.
func (e *Evaluator) run(ctx context.Context, p *datasets.Problem, dir string, out *Outcome) error {
	resR, resW, err := os.Pipe()
	if err != nil {
		return err
	}
	defer resR.Close()
	cmdR, cmdW, err := os.Pipe()
	if err != nil {
		resW.Close()
		return err
	}
	defer cmdW.Close()
	env := []string{"LESSONL_TOLERANCE=" + strconv.FormatFloat(p.Tolerance, 'g', -1, 64)}
	if e.cfg.Mode == ModeOpenMP {
		env = append(env, "OMP_NUM_THREADS="+strconv.Itoa(e.cfg.Threads))
	}
	proc := e.sandbox.Command(dir, e.cfg.RunLimits, env, []*os.File{resW, cmdR}, "./driver")
	err = proc.Start()
	resW.Close()
	cmdR.Close()
	if err != nil {
		return fmt.Errorf("start driver for %s: %w", p.ID, err)
	}
	stop := context.AfterFunc(ctx, proc.Kill)
	defer stop()

	s := &session{in: bufio.NewScanner(resR), out: cmdW}
	s.in.Buffer(make([]byte, 4096), 1<<20)
	verdict, detail, timed := e.converse(ctx, p, proc, s)
	_, _ = fmt.Fprintln(cmdW, "quit")
	cmdW.Close()
	x := proc.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	switch {
	case verdict == Incorrect:
		out.Status, out.Detail = Incorrect, detail
	case x.TimedOut:
		out.Status, out.Detail = Timeout, x.Describe(e.cfg.RunLimits)
	case verdict == RuntimeError || !s.finished || x.OutputCap || x.Signal != "" || x.Code != 0:
		out.Status = RuntimeError
		out.Detail = strings.TrimSpace(detail + "\n" + x.Describe(e.cfg.RunLimits))
	default:
		out.Status = Correct
		sp := EstimateSpeedup(timed.base, timed.cand, seedOf(out.CodeHash+p.ID))
		out.Speedup, out.CILow, out.CIHigh = sp.Point, sp.Low, sp.High
		out.BaselineNS, out.CandidateNS = sp.BaselineNS, sp.CandidateNS
		out.BaselineReps, out.CandidateReps = timed.base, timed.cand
	}
	return nil
}

type session struct {
	in       *bufio.Scanner
	out      *os.File
	finished bool
}

// ask sends one command and returns the reply lines up to one starting
// with a word in until.
func (s *session) ask(cmd string, until ...string) ([]string, error) {
	if _, err := fmt.Fprintln(s.out, cmd); err != nil {
		return nil, errDied
	}
	var lines []string
	for s.in.Scan() {
		l := s.in.Text()
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
	return lines, errDied
}

var errDied = errors.New("driver ended early")

type pairs struct{ base, cand []int64 }

// converse runs the protocol: validation, then timing in an exclusive slot.
func (e *Evaluator) converse(ctx context.Context, p *datasets.Problem, proc *Proc, s *session) (Status, string, pairs) {
	var t pairs
	fail := func(err error) (Status, string, pairs) {
		if errors.Is(err, errDied) {
			return RuntimeError, "", t
		}
		return RuntimeError, err.Error(), t
	}
	for i, n := range p.Sizes.Validate {
		lines, err := s.ask(fmt.Sprintf("validate %d %d", n, i+1), "valid", "invalid")
		if err != nil {
			return fail(err)
		}
		if last := lines[len(lines)-1]; strings.HasPrefix(last, "invalid") {
			return Incorrect, describeInvalid(last), t
		}
	}
	// Wait for a timing slot with the watchdog paused: the driver is idle.
	proc.Rearm(24 * time.Hour)
	select {
	case e.slots <- struct{}{}:
	case <-ctx.Done():
		return RuntimeError, ctx.Err().Error(), t
	}
	defer func() { <-e.slots }()
	ms, err := acquireMachineSlot(ctx, e.cfg.Slots)
	if err != nil {
		return RuntimeError, err.Error(), t
	}
	defer ms.release()
	proc.Rearm(e.cfg.RunLimits.Wall)

	if _, err := s.ask(fmt.Sprintf("setup %d %d", p.Sizes.Timing, timingSeed), "ready"); err != nil {
		return fail(err)
	}
	lines, err := s.ask(fmt.Sprintf("warmup %d", e.cfg.Warmup), "warm", "invalid")
	if err != nil {
		return fail(err)
	}
	if last := lines[len(lines)-1]; strings.HasPrefix(last, "invalid") {
		return Incorrect, describeInvalid(last), t
	}
	start := time.Now()
	batch := min(slowPairs, e.cfg.MinReps)
	for {
		lines, err := s.ask(fmt.Sprintf("time %d %d", batch, len(t.base)), "done")
		if err != nil {
			return fail(err)
		}
		for _, l := range lines {
			var b, c int64
			if n, _ := fmt.Sscanf(l, "pair %d %d", &b, &c); n == 2 {
				t.base, t.cand = append(t.base, max(b, 1)), append(t.cand, max(c, 1))
			}
		}
		if e.enough(t, time.Since(start)) {
			break
		}
		batch = min(max(5, e.cfg.MinReps-len(t.base)), e.cfg.MaxReps-len(t.base))
	}
	s.finished = true
	return Correct, "", t
}

// enough is the stopping rule: at least MinReps pairs, then stop once the
// interval is tight, MaxReps is reached, or the timing budget is spent. A
// candidate at least twice as slow as the baseline in each of its first
// slowPairs pairs stops there: it is not faster, and more precision about
// how much slower would cost the most time of all.
func (e *Evaluator) enough(t pairs, spent time.Duration) bool {
	n := len(t.base)
	if n >= e.cfg.MaxReps || spent >= e.cfg.Budget {
		return true
	}
	if n >= slowPairs && e.cfg.MinReps != e.cfg.MaxReps {
		slow := true
		for i := range t.base {
			slow = slow && t.cand[i] >= 2*t.base[i]
		}
		if slow {
			return true
		}
	}
	if n < e.cfg.MinReps {
		return false
	}
	sp := EstimateSpeedup(t.base, t.cand, uint64(n))
	return (sp.High-sp.Low)/sp.Point <= e.cfg.TargetWidth
}

// slowPairs is the first batch: enough pairs to tell a much slower
// candidate, which stops there.
const slowPairs = 3

// timingSeed seeds the timing input; validation inputs use seeds 1, 2, ...
const timingSeed = 20250529

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
