package evaluate

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/evaluate/harness"
	"github.com/lessonlab/lessonl/internal/sandbox"
)

// Mode is how candidates are built and run. It is a string (an alias) so
// that a spec's mode passes to the problem loaders as it is.
type Mode = string

// The modes of the paper's benchmarks.
const (
	ModeSerial Mode = "serial"
	ModeOpenMP Mode = "openmp"
)

// Config says how to compile, validate and time. The zero value of each
// field means its default (Defaults), so Config{} is a sensible evaluator.
//
// Config is also an experiment spec's evaluation block and the CLI's
// evaluator flags: the fields with a yaml key are what a spec writes, under
// that key, and what its manifest records, in this order; Settings lists
// them with their flags and help. The fields tagged "-" are set by code
// (tests, benches and the runner) or by a flag alone.
type Config struct {
	Compiler string   `yaml:"compiler" json:"compiler,omitempty"`
	Flags    []string `yaml:"flags" json:"flags,omitempty"`
	Mode     Mode     `yaml:"mode" json:"mode,omitempty"`
	Threads  int      `yaml:"threads" json:"threads,omitempty"` // OpenMP threads, in openmp mode
	// Repetitions is a fixed number of timed pairs (MinReps = MaxReps =
	// Repetitions); 0 leaves MinReps and MaxReps, adaptive by default.
	Repetitions int `yaml:"repetitions" json:"repetitions,omitempty"`
	Warmup      int `yaml:"warmup" json:"warmup,omitempty"` // untimed pairs before timing
	// Timeout bounds the wall clock of every compile and run phase (CPU
	// time: three times that for a run, once for a compile), over RunLimits
	// and CompileLimits; 0 leaves them.
	Timeout Duration `yaml:"timeout" json:"timeout,omitempty"`
	// Slots is how many timing runs may happen at once on this machine,
	// across all lessonl processes (an flock per slot in $LESSONL_LOCK_DIR
	// or the temp dir), so by default timings never overlap.
	Slots int `yaml:"slots" json:"slots,omitempty"`
	// MemoryGiB bounds a candidate run's memory (its control group's bound
	// and its address space) over RunLimits; 0 leaves them. Some of the
	// paper's PolyBench kernels need more than the default.
	MemoryGiB int `yaml:"memory_gib" json:"memory_gib,omitempty"`
	// Timing is the timing protocol: TimingPaired (lessonl's) or
	// TimingPaper, the authors' (ten seeds, eleven calls per seed and
	// side, median of all samples), for fidelity checks.
	Timing string `yaml:"timing" json:"timing,omitempty"`
	// RunToRun is the relative standard deviation between fresh
	// evaluations of identical code beyond what one evaluation's pairs
	// show (each process's own code and data placement, the machine's
	// state); it is added to every interval in quadrature (Speedup.Widen).
	// Negative adds nothing. `lessonl bench precision` measures it on a
	// machine.
	RunToRun float64 `yaml:"run_to_run" json:"run_to_run,omitempty"`
	// StrictValidation also compares the candidate's whole output with
	// the baseline's on the validation inputs where a benchmark brings its
	// own validate() (ParEval: every argument and the result of each call,
	// see datasets.ParEval); the built-in suite's drivers compare whole
	// outputs anyway.
	StrictValidation bool `yaml:"strict_validation" json:"strict_validation,omitempty"`
	// Fresh evaluates every candidate anew: identical code is measured
	// again, neither looked up in this evaluator nor in the shared cache
	// (as the authors' driver runs every submission; precision studies and
	// `protocol: paper` studies of measurement noise want it).
	Fresh bool `yaml:"fresh" json:"fresh,omitempty"`

	// NoCheckedBuild skips the checked validation build (bounds checks,
	// sanitizers; see checked.go), for speed where verdicts matter less.
	NoCheckedBuild bool `yaml:"-" json:"-"`
	// VerdictOnly compiles and validates (at the validation sizes, in the
	// checked and the plain build) but does not time: a correct candidate
	// gets no speedup. For verdict studies such as `bench generations`.
	VerdictOnly bool `yaml:"-" json:"-"`

	MinReps     int           `yaml:"-" json:"-"` // timed pairs at least
	MaxReps     int           `yaml:"-" json:"-"` // timed pairs at most
	TargetWidth float64       `yaml:"-" json:"-"` // stop once (ci_high-ci_low)/speedup is below
	Budget      time.Duration `yaml:"-" json:"-"` // stop adding pairs after this much timing
	// CacheDir is the shared evaluation cache's folder (see store.go;
	// DefaultCacheDir is the usual one): verdicts are reused across runs
	// and processes there. "" keeps reuse within this evaluator. A spec
	// names it at its top level (cache_dir).
	CacheDir string `yaml:"-" json:"-"`
	// CheckedFirst restores the order of evaluation before issue 27, for
	// `lessonl bench throughput` to measure what the order saves: the
	// checked build is compiled and run for every candidate that compiles,
	// before its plain build is validated, and a problem's checked objects
	// are built with its plain ones. By default the checked build runs
	// only for candidates whose plain build validated (it can change no
	// other verdict), and a problem's checked objects when the first of
	// them needs them. The verdicts are the same but for which of two
	// failures a candidate failing both builds is reported with.
	CheckedFirst bool `yaml:"-" json:"-"`

	RunLimits     sandbox.Limits `yaml:"-" json:"-"` // default DefaultRunLimits
	CompileLimits sandbox.Limits `yaml:"-" json:"-"` // default DefaultCompileLimits
	// BusyWait is how long a sandboxed command that could not start
	// (Exit.Unstarted: the sandbox user's process limit is full, as when
	// many sandboxes run at once on the machine) is retried before the
	// evaluation gives up with ErrMachineBusy.
	BusyWait time.Duration `yaml:"-" json:"-"`
	WorkDir  string        `yaml:"-" json:"-"` // where private build folders go; default the system temp dir
}

// DefaultRunToRun is Config.RunToRun's default: the spread between fresh
// identity evaluations on the 2-core VM lessonl is developed on. Twenty
// evaluations each of twelve ParEval problems gave 0.24% to 1.22%
// (median 0.59%); with clean pairs, 02_dense_la_gemm, 19_graph_shortest_path
// and graph-connected-components gave 0.66% to 1.67%, and with 0.5%
// the last one's intervals covered 1.0 in 14 and 15 of 20 runs.
const DefaultRunToRun = 0.01

// DefaultRunLimits bound a driver run: validation and timing.
func DefaultRunLimits() sandbox.Limits {
	return sandbox.Limits{Wall: 60 * time.Second, CPU: 180 * time.Second, AddressSpace: 4 << 30,
		FileSize: 64 << 20, Processes: 64, Output: 64 << 10, Memory: 4 << 30}
}

// DefaultCompileLimits bound one compiler invocation.
func DefaultCompileLimits() sandbox.Limits {
	return sandbox.Limits{Wall: 60 * time.Second, CPU: 60 * time.Second, AddressSpace: 4 << 30,
		FileSize: 256 << 20, Processes: 256, Output: 16 << 10, Memory: 4 << 30}
}

// Defaults is every setting's default, declared once: New fills a zero
// field with it, and the CLI's flags show it. Threads applies in openmp
// mode only; Timeout and MemoryGiB are what DefaultRunLimits and
// DefaultCompileLimits hold.
func Defaults() Config {
	return Config{
		Compiler: "g++", Flags: []string{"-std=c++17", "-O3"}, Mode: ModeSerial, Threads: 8,
		Warmup: 1, Timeout: Duration(DefaultRunLimits().Wall), Slots: 1, MemoryGiB: int(DefaultRunLimits().Memory >> 30),
		Timing: TimingPaired, RunToRun: DefaultRunToRun,
		MinReps: 20, MaxReps: 40, TargetWidth: 0.03, Budget: 20 * time.Second,
		RunLimits: DefaultRunLimits(), CompileLimits: DefaultCompileLimits(), BusyWait: 30 * time.Second,
	}
}

// fill gives every zero field its default, and applies Repetitions,
// Timeout and MemoryGiB to the fields they stand for.
func (c *Config) fill() {
	d := Defaults()
	if c.Compiler == "" {
		c.Compiler = d.Compiler
	}
	if len(c.Flags) == 0 {
		c.Flags = d.Flags
	}
	if c.Mode == "" {
		c.Mode = d.Mode
	}
	if c.Mode == ModeOpenMP && c.Threads == 0 {
		c.Threads = d.Threads
	}
	if c.Timing == "" {
		c.Timing = d.Timing
	}
	if c.Warmup <= 0 {
		c.Warmup = d.Warmup
	}
	if c.Repetitions > 0 {
		c.MinReps, c.MaxReps = c.Repetitions, c.Repetitions
	}
	if c.MinReps <= 0 {
		c.MinReps = d.MinReps
	}
	if c.MaxReps < c.MinReps {
		c.MaxReps = max(d.MaxReps, c.MinReps)
	}
	if c.TargetWidth <= 0 {
		c.TargetWidth = d.TargetWidth
	}
	if c.Budget <= 0 {
		c.Budget = d.Budget
	}
	if c.RunToRun == 0 {
		c.RunToRun = d.RunToRun
	}
	if c.Slots <= 0 {
		c.Slots = d.Slots
	}
	if c.RunLimits == (sandbox.Limits{}) {
		c.RunLimits = d.RunLimits
	}
	if c.CompileLimits == (sandbox.Limits{}) {
		c.CompileLimits = d.CompileLimits
	}
	if wall := time.Duration(c.Timeout); wall > 0 {
		c.RunLimits.Wall, c.RunLimits.CPU = wall, 3*wall
		c.CompileLimits.Wall, c.CompileLimits.CPU = wall, wall
	}
	if c.MemoryGiB > 0 {
		c.RunLimits.AddressSpace = int64(c.MemoryGiB) << 30
		c.RunLimits.Memory = int64(c.MemoryGiB) << 30
	}
	if c.BusyWait <= 0 {
		c.BusyWait = d.BusyWait
	}
}

// Evaluator compiles, validates and times candidates. It is safe for
// concurrent use: compiles run in parallel, timing runs take one of
// Config.Slots, and identical code is evaluated once.
type Evaluator struct {
	cfg     Config
	sandbox *sandbox.Sandbox
	workDir string
	slots   chan struct{}

	mu        sync.Mutex
	builds    map[string]*problemBuild
	buildOnce map[string]chan struct{}
	cache     map[string]*cached
	checks    checks
	storeErrs atomic.Int64 // verdicts the shared cache could not store
	storeOnce sync.Once    // storeUnsafe's check
	storeErr  error        // why the shared cache is not used
	counts    buildCounters
	objects   objectCache // problems' objects shared across processes (objects.go)
	// background counts builds started ahead of need (checkedBeside),
	// which Close waits for.
	background sync.WaitGroup
}

type cached struct {
	done chan struct{}
	out  Outcome
	err  error
}

// New returns an Evaluator; Close removes its build folders.
func New(cfg Config) (*Evaluator, error) {
	if err := cfg.Check(); err != nil {
		return nil, fmt.Errorf("evaluator: %w", err)
	}
	cfg.fill()
	dir, err := os.MkdirTemp(cfg.WorkDir, "lessonl-eval-")
	if err != nil {
		return nil, fmt.Errorf("evaluator work dir: %w", err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		return nil, fmt.Errorf("evaluator work dir: %w", err)
	}
	sb := sandbox.New()
	if err := sb.Reachable(dir); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	e := &Evaluator{
		cfg: cfg, sandbox: sb, workDir: dir,
		slots:  make(chan struct{}, cfg.Slots),
		builds: map[string]*problemBuild{}, buildOnce: map[string]chan struct{}{},
		cache: map[string]*cached{},
	}
	if cfg.CacheDir != "" {
		e.ShareObjects(ObjectDir(cfg.CacheDir))
	}
	return e, nil
}

// Close removes the evaluator's build folders.
func (e *Evaluator) Close() error {
	e.background.Wait()
	err := e.sandbox.Close()
	return errors.Join(err, os.RemoveAll(e.workDir))
}

// Config returns the evaluator's configuration with defaults filled in.
func (e *Evaluator) Config() Config { return e.cfg }

// Hash identifies code as the evaluator sees it: normalized text, problem,
// compiler, flags and mode.
func (e *Evaluator) Hash(p *datasets.Problem, code string) string {
	h := sha256.New()
	for _, s := range []string{p.Suite, p.ID, Normalize(p.BaselineCode), p.Driver, Normalize(code),
		e.cfg.Compiler, strings.Join(e.cfg.Flags, " "), string(e.cfg.Mode), strconv.Itoa(e.cfg.Threads), strconv.FormatBool(e.cfg.NoCheckedBuild), strconv.FormatBool(e.cfg.StrictValidation), strconv.FormatBool(e.cfg.VerdictOnly)} {
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
	if e.cfg.CheckedFirst {
		// Only then, so that the default's hashes stay what they were.
		h.Write([]byte("checked-first\x00"))
	}
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
	var c *cached
	for c == nil {
		e.mu.Lock()
		got, hit := e.cache[hash]
		if !hit {
			c = &cached{done: make(chan struct{})}
			e.cache[hash] = c
		}
		e.mu.Unlock()
		if !hit {
			break
		}
		select {
		case <-got.done:
		default:
			TellPhase(ctx, PhaseWaiting)
			select {
			case <-got.done:
			case <-ctx.Done():
				return Outcome{}, ctx.Err()
			}
		}
		if got.err == nil {
			out := got.out
			out.Cached, out.CompileMS, out.RunMS = true, 0, 0
			if out.CacheHit == "" {
				out.CacheHit = HitRun
			}
			return out, nil
		}
		// A failed evaluation (cancelled, say) is not cached: drop it, if
		// its owner has not yet, and try again with an entry of our own.
		e.mu.Lock()
		if e.cache[hash] == got {
			delete(e.cache, hash)
		}
		e.mu.Unlock()
	}
	out, err := e.evaluateStored(ctx, p, code)
	out.CodeHash = hash
	c.out, c.err = out, err
	close(c.done)
	if err != nil {
		e.mu.Lock()
		if e.cache[hash] == c {
			delete(e.cache, hash)
		}
		e.mu.Unlock()
	}
	return out, err
}

// EvaluateFresh evaluates code anew, neither reading nor filling the
// cache of identical code: a fresh measurement, such as the authors' final
// evaluation of a chosen answer.
func (e *Evaluator) EvaluateFresh(ctx context.Context, p *datasets.Problem, code string) (Outcome, error) {
	out, err := e.evaluate(ctx, p, code)
	out.CodeHash = e.Hash(p, code)
	return out, err
}

func (e *Evaluator) evaluate(ctx context.Context, p *datasets.Problem, code string) (Outcome, error) {
	key := e.Hash(p, "")
	headers := map[string]string{harness.HeaderName: harness.Header}
	for name, text := range p.Files {
		headers[name] = text
	}
	b := e.buildProblem(ctx, key, problemSource{id: p.ID, baseline: p.BaselineCode, driver: p.Driver,
		headers: headers, prelude: p.Prelude, shared: p.Shared, helpers: p.Helpers})
	if b.err != nil {
		return Outcome{}, b.err
	}
	e.sandbox.Share(b.dir)
	dir, err := os.MkdirTemp(e.workDir, "cand-")
	if err != nil {
		return Outcome{}, fmt.Errorf("candidate for %s: %w", p.ID, err)
	}
	defer e.sandbox.Release(dir)
	if err := e.sandbox.Owner(dir); err != nil {
		return Outcome{}, fmt.Errorf("candidate for %s: %w", p.ID, err)
	}
	src, err := wrapSide(Normalize(code), CandidateNamespace, "candidate.cpp", p.Prelude, p.Shared)
	if err != nil {
		return Outcome{Status: NotCompilable, Detail: err.Error()}, nil
	}
	// The compiler reads the wrapped unit; its #line directive names
	// candidate.cpp, which holds the code as written, so that a message
	// quotes the candidate's own line under the line number it gives.
	for name, text := range map[string]string{candidateUnit: src, "candidate.cpp": Normalize(code)} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			return Outcome{}, fmt.Errorf("candidate for %s: %w", p.ID, err)
		}
	}

	var out Outcome
	flags := e.sideFlags()
	e.counts.candidates.Add(1)
	ok, msg, took, err := e.compile(ctx, dir, append(append([]string{}, flags...), "-c", candidateUnit, "-o", "candidate.o")...)
	if err != nil {
		return Outcome{}, fmt.Errorf("compile candidate for %s: %w", p.ID, err)
	}
	out.CompileMS = took.Milliseconds()
	if ok {
		names, err := e.outsideNamespace(ctx, dir, "candidate.o")
		if err != nil {
			return Outcome{}, fmt.Errorf("candidate for %s: %w", p.ID, err)
		}
		if len(names) > 0 {
			out.Status = NotCompilable
			out.Detail = truncate("the candidate defines outside its own code what the harness and the C++ library use: "+
				strings.Join(names, ", ")+"; define only your own functions and types (a replacement of a library "+
				"function would run inside the harness, where nothing is timed)", 4096)
			return out, ctx.Err()
		}
	}
	// One link, in the order of the baseline's timed binary (refBinary),
	// so that the two sides' code sits at the same place in their
	// processes.
	if ok {
		args := append(append(append([]string{}, flags...), b.driver, b.baseline), sideObjects("candidate.o", b.helpers)...)
		ok, msg, took, err = e.compile(ctx, dir, append(args, "-o", driverFirst)...)
		if err != nil {
			return Outcome{}, fmt.Errorf("link candidate for %s: %w", p.ID, err)
		}
		out.CompileMS += took.Milliseconds()
	}
	if !ok {
		out.Status, out.Detail = NotCompilable, linkDiagnosis(p, code, msg)
		return out, ctx.Err()
	}
	if err := ctx.Err(); err != nil {
		return Outcome{}, err
	}
	start := time.Now()
	var gate func() (step, error)
	if e.cfg.CheckedFirst {
		if passed, err := e.validateChecked(ctx, p, b, dir, &out); err != nil || !passed {
			out.RunMS = time.Since(start).Milliseconds()
			return out, err
		}
	} else {
		// The checked build runs once the plain build has validated, in
		// a folder of its own: the plain build's processes, stopped
		// meanwhile, have had the candidate's folder to write in.
		gate = func() (step, error) {
			var o Outcome
			passed, err := e.validateCheckedApart(ctx, p, b, src, code, &o)
			out.CheckMS += o.CheckMS
			if err != nil || passed {
				return stepOK, err
			}
			return step{o.Status, o.Detail}, nil
		}
	}
	compileMS := out.CompileMS
	err = e.retryUnstarted(ctx, "run candidate for "+p.ID, func() error {
		out = Outcome{CompileMS: compileMS, CheckMS: out.CheckMS}
		return e.run(ctx, p, b, dir, &out, gate)
	})
	out.RunMS = time.Since(start).Milliseconds()
	if err != nil {
		return Outcome{}, err
	}
	return out, nil
}

// candidateUnit is the candidate's translation unit as compiled: its code
// wrapped in its namespace (wrapSide).
const candidateUnit = "candidate-unit.cpp"

// truncate cuts s to at most n bytes, saying so.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "\n… (truncated)"
}
