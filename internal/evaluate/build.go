package evaluate

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/cxx"
	"github.com/lessonlab/lessonl/internal/sandbox"
)

// The namespaces the two sides are compiled in; drivers declare the entry
// function in both.
const (
	BaselineNamespace  = "lessonl_baseline"
	CandidateNamespace = "lessonl_candidate"
)

var (
	includeLine = regexp.MustCompile(`^\s*#\s*include\b`)
	pragmaOnce  = regexp.MustCompile(`^\s*#\s*pragma\s+once\s*$`)
)

// Normalize makes equivalent texts hash alike: LF line ends, no trailing
// blanks, one final newline.
func Normalize(code string) string {
	code = strings.ReplaceAll(code, "\r\n", "\n")
	lines := strings.Split(code, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\r")
	}
	return strings.TrimSpace(strings.Join(lines, "\n")) + "\n"
}

// Wrap turns a side's code into its translation unit: #include lines are
// hoisted to file scope and the rest is enclosed in namespace ns, so that
// baseline and candidate may both define the entry function and helpers of
// the same name, and a candidate may bring its own includes. Line numbers
// in compiler messages stay those of the code as written.
func Wrap(code, ns, file string) string {
	return wrap(code, ns, file, "")
}

// wrap is Wrap with types placed at file scope between the hoisted
// includes and the namespace.
func wrap(code, ns, file, types string) string {
	var head, body strings.Builder
	for _, l := range strings.Split(code, "\n") {
		if pragmaOnce.MatchString(l) {
			body.WriteString("\n") // meaningless in a main file, and warned about
			continue
		}
		if includeLine.MatchString(l) {
			head.WriteString(l + "\n")
			body.WriteString("\n")
			continue
		}
		body.WriteString(l + "\n")
	}
	return fmt.Sprintf("%s%s%snamespace %s {\n#line 1 %q\n%s\n}  // namespace %s\n", pageAlign, head.String(), types, ns, file, body.String(), ns)
}

// pageAlign starts a side's code on a page: it raises the alignment of
// the unit's .text section to 4096 bytes without moving anything in it.
// Function alignment alone leaves identical code at addresses that differ
// modulo the page size, and a hot loop may then straddle a page boundary
// in one copy and not in the other: 19_graph_shortest_path's inner loop
// did in whichever side was linked second, which made that side 10–20%
// slower in both builds. With both sides page-aligned, identical code sits
// at identical page offsets. (With -ffunction-sections each function has
// a section of its own and only the function alignment applies.)
const pageAlign = "__asm__(\".pushsection .text\\n\\t.p2align 12\\n\\t.popsection\");\n"

// wrapSide is Wrap for one side of a problem whose driver needs more than
// the plain namespace (a ParEval bridge): prelude (datasets.Problem.Prelude)
// comes first; the code's own definitions of the shared types
// (datasets.Problem.Shared) move to file scope, and the problem's
// definitions stand in for the ones it lacks. A rewrite that changes a
// shared type would no longer agree with the driver, so that is an error
// naming the type.
func wrapSide(code, ns, file, prelude string, shared []cxx.Type) (string, error) {
	var types strings.Builder
	for _, t := range shared {
		start, end := cxx.TypeSpan(code, t.Name)
		if start < 0 {
			types.WriteString(t.Definition + "\n")
			continue
		}
		def := code[start:end]
		if strings.Join(strings.Fields(def), " ") != strings.Join(strings.Fields(t.Definition), " ") {
			return "", fmt.Errorf("%s changes the type %s, which the benchmark's driver shares: keep its definition as it is", file, t.Name)
		}
		fmt.Fprintf(&types, "#line %d %q\n%s\n", 1+strings.Count(code[:start], "\n"), file, def)
		code = code[:start] + strings.Repeat("\n", strings.Count(def, "\n")) + code[end:]
	}
	return prelude + wrap(code, ns, file, types.String()), nil
}

// compile runs the compiler once in the sandbox; a non-nil error means the
// compiler could not be run at all, while a failed compile comes back as
// ok=false with the compiler's messages.
func (e *Evaluator) compile(ctx context.Context, dir string, args ...string) (ok bool, out string, took time.Duration, err error) {
	return e.compileUnder(ctx, dir, e.cfg.CompileLimits, args...)
}

// compileUnder is compile under lim.
func (e *Evaluator) compileUnder(ctx context.Context, dir string, lim sandbox.Limits, args ...string) (ok bool, out string, took time.Duration, err error) {
	var x sandbox.Exit
	start := time.Now()
	err = e.retryUnstarted(ctx, "compile", func() error {
		start = time.Now()
		var err error
		x, err = e.sandbox.Command(dir, lim, nil, nil, e.cfg.Compiler, args...).Run(ctx)
		if err != nil {
			return fmt.Errorf("start %s: %w", e.cfg.Compiler, err)
		}
		if x.Unstarted {
			return errUnstarted
		}
		return nil
	})
	if err != nil {
		return false, "", 0, err
	}
	took = time.Since(start)
	msg := strings.TrimSpace(x.Stderr + "\n" + x.Stdout)
	if x.TimedOut || x.OutputCap || x.Signal != "" {
		return false, truncate(x.Describe(lim)+"\n"+msg, 4096), took, nil
	}
	return x.Code == 0, truncate(msg, 4096), took, nil
}

// sideFlags are the flags both sides and the driver are compiled with. Both
// sides get the same flags and the same function alignment, so identical
// code gets identical machine code at an identically aligned address.
func (e *Evaluator) sideFlags() []string {
	f := append([]string{}, e.cfg.Flags...)
	f = append(f, "-falign-functions=64", "-falign-loops=32")
	if e.cfg.Mode == ModeOpenMP {
		f = append(f, "-fopenmp")
	}
	return f
}

// problemBuild holds a problem's objects that do not change between
// candidates: the driver and the baseline, built once.
type problemBuild struct {
	dir      string
	id       string // the problem's
	driver   string // driver object
	baseline string // baseline object
	// helpers is the object of the problem's helper forwarders
	// (helperUnit), linked after the side in every binary; "" when the
	// problem has no helpers.
	helpers string
	// sources hashes the files the build wrote in dir (storeKey), for
	// the object cache's keys.
	sources string
	err     error
	// The checked build's objects (checked.go), built by checkedObjects
	// under checkedMu; checkedErr when they do not build.
	checkedMu                                      sync.Mutex
	checkedDone                                    bool
	checkedDriver, checkedBaseline, checkedHelpers string
	checkedErr                                     error
}

// BuildCounts counts the builds an Evaluator has made: what its
// candidates cost beyond their own compile, and what they were spared.
type BuildCounts struct {
	// Problems counts problems whose driver, baseline and baseline's
	// timed binary were built (once per problem and evaluator);
	// CheckedProblems those whose checked objects were.
	Problems, CheckedProblems int64
	// Candidates counts candidates compiled; Checked those built and run
	// in the checked validation build.
	Candidates, Checked int64
	// Reused counts sets of a problem's objects (plain or checked) taken
	// from the object cache (objects.go) instead of built.
	Reused int64
}

// buildCounters are an Evaluator's BuildCounts as they grow.
type buildCounters struct {
	problems, checkedProblems, candidates, checked, reused atomic.Int64
}

// Builds returns how many builds the evaluator has made so far.
func (e *Evaluator) Builds() BuildCounts {
	return BuildCounts{Problems: e.counts.problems.Load(), CheckedProblems: e.counts.checkedProblems.Load(),
		Candidates: e.counts.candidates.Load(), Checked: e.counts.checked.Load(), Reused: e.counts.reused.Load()}
}

// unit is one translation unit of a problem's own build.
type unit struct{ src, obj, what string }

// compiled is how one unit's compile went (compile's results).
type compiled struct {
	ok  bool
	out string
	err error
}

// compileUnits compiles each unit of units in dir with flags under lim,
// all at once: a problem's units do not depend on each other, and its
// driver takes most of the time.
func (e *Evaluator) compileUnits(ctx context.Context, dir string, lim sandbox.Limits, flags []string, units []unit) []compiled {
	res := make([]compiled, len(units))
	var wg sync.WaitGroup
	for i, u := range units {
		wg.Add(1)
		go func() {
			defer wg.Done()
			args := append(append([]string{}, flags...), "-I", dir, "-c", u.src, "-o", u.obj)
			res[i].ok, res[i].out, _, res[i].err = e.compileUnder(ctx, dir, lim, args...)
		}()
	}
	wg.Wait()
	return res
}

// outputs are the files units make, then extra.
func outputs(units []unit, extra ...string) []string {
	var names []string
	for _, u := range units {
		names = append(names, u.obj)
	}
	return append(names, extra...)
}

// sideObjects are what a binary links after the driver and the baseline:
// the side's object, then the helpers' if any.
func sideObjects(side, helpers string) []string {
	if helpers == "" {
		return []string{side}
	}
	return []string{side, helpers}
}

// helperUnit is the translation unit of a problem's helpers (functions its
// driver defines at file scope for the code it includes, datasets.Helper):
// a weak forwarder to the driver's definition in each side's namespace. A
// candidate that calls a helper unqualified reaches the driver's through
// the prelude's declaration at file scope; one that declares the helper in
// its own namespace and calls it links to the driver's code through the
// forwarder, as it would in the source benchmark's pipeline; one that
// defines it keeps its own. Nothing in it lies outside the sides'
// namespaces but declarations, so the candidate still defines nothing the
// harness runs.
func helperUnit(prelude string, helpers []datasets.Helper) (string, error) {
	var b strings.Builder
	b.WriteString(prelude)
	b.WriteString(datasets.Declarations(helpers))
	for _, h := range helpers {
		for _, ns := range []string{BaselineNamespace, CandidateNamespace} {
			f, err := h.Forwarder(ns)
			if err != nil {
				return "", err
			}
			b.WriteString(f)
		}
	}
	return b.String(), nil
}

func (e *Evaluator) buildProblem(ctx context.Context, key string, src problemSource) *problemBuild {
	e.mu.Lock()
	b, ok := e.builds[key]
	if !ok {
		b = &problemBuild{}
		e.builds[key] = b
		e.buildOnce[key] = make(chan struct{})
	}
	done := e.buildOnce[key]
	e.mu.Unlock()
	if ok {
		<-done
		return b
	}
	defer close(done)
	b.err = e.doBuildProblem(ctx, b, src)
	if errors.Is(b.err, ErrMachineBusy) || ctx.Err() != nil {
		// Not the problem's fault: the next candidate builds it again.
		e.mu.Lock()
		delete(e.builds, key)
		delete(e.buildOnce, key)
		e.mu.Unlock()
	}
	return b
}

// ErrMachineBusy marks an evaluation that could not be carried out because
// the machine was too busy: it is nobody's verdict, and the runner redoes
// the cell rather than record it as failed or blame the candidate.
var ErrMachineBusy = errors.New("the machine is too busy")

// ErrSetupTimeout is ErrMachineBusy when the harness's own build (a
// problem's driver or baseline, no candidate's code) ran past its time
// limit.
var ErrSetupTimeout = fmt.Errorf("the harness's own build ran past its time limit: %w", ErrMachineBusy)

// errUnstarted is a sandboxed command that never started (Exit.Unstarted).
var errUnstarted = errors.New("the sandbox could not start the command: the sandbox user's process limit is full")

// retryUnstarted runs f again while it fails with errUnstarted, waiting
// longer each time, for up to the config's BusyWait in all; then it gives
// up with ErrMachineBusy.
func (e *Evaluator) retryUnstarted(ctx context.Context, what string, f func() error) error {
	wait, waited := 250*time.Millisecond, time.Duration(0)
	for {
		err := f()
		if !errors.Is(err, errUnstarted) {
			return err
		}
		if waited >= e.cfg.BusyWait {
			return fmt.Errorf("%s: %v, for %s: %w", what, err, waited.Round(time.Second), ErrMachineBusy)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		waited += wait
		wait = min(2*wait, 8*time.Second)
	}
}

type problemSource struct {
	id, baseline, driver string
	headers              map[string]string
	prelude              string
	shared               []cxx.Type
	helpers              []datasets.Helper
}

func (e *Evaluator) doBuildProblem(ctx context.Context, b *problemBuild, src problemSource) error {
	dir, err := os.MkdirTemp(e.workDir, "problem-")
	if err != nil {
		return fmt.Errorf("problem %s: %w", src.id, err)
	}
	if err := e.sandbox.Owner(dir); err != nil {
		return fmt.Errorf("problem %s: %w", src.id, err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		return fmt.Errorf("problem %s: %w", src.id, err)
	}
	b.dir, b.id = dir, src.id
	baseline, err := wrapSide(Normalize(src.baseline), BaselineNamespace, "baseline.cpp", src.prelude, src.shared)
	if err != nil {
		return fmt.Errorf("problem %s: %w", src.id, err)
	}
	// The baseline's code in the candidate's place, for the baseline's
	// timed process (refBinary), under the candidate's file name, so that
	// an identity rewrite compiles to the same code.
	refSide, err := wrapSide(Normalize(src.baseline), CandidateNamespace, "candidate.cpp", src.prelude, src.shared)
	if err != nil {
		return fmt.Errorf("problem %s: %w", src.id, err)
	}
	files := map[string]string{
		"driver.cpp":   src.driver,
		"baseline.cpp": baseline,
		"refcand.cpp":  refSide,
	}
	for name, text := range src.headers {
		files[name] = text
	}
	units := []unit{
		{"driver.cpp", "driver.o", "driver"},
		{"baseline.cpp", "baseline.o", "baseline"},
		{"refcand.cpp", "refcand.o", "baseline in the candidate's place"},
	}
	if len(src.helpers) > 0 {
		text, err := helperUnit(src.prelude, src.helpers)
		if err != nil {
			return fmt.Errorf("problem %s: %w", src.id, err)
		}
		files["helpers.cpp"] = text
		units = append(units, unit{"helpers.cpp", "helpers.o", "helpers' forwarders"})
		b.helpers = filepath.Join(dir, "helpers.o")
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			return fmt.Errorf("problem %s: %w", src.id, err)
		}
	}
	b.driver = filepath.Join(dir, "driver.o")
	b.baseline = filepath.Join(dir, "baseline.o")
	b.sources = storeKey(files)
	flags := e.sideFlags()
	made := outputs(units, refBinary)
	key := e.objectKey(b.sources, flags, made)
	if !e.reuseObjects(key, dir, made) {
		stop := e.checkedBeside(ctx, b)
		if err := e.buildPlain(ctx, b, src.id, flags, units); err != nil {
			stop()
			return err
		}
		e.keepObjects(key, dir, made)
	}
	if e.cfg.CheckedFirst {
		return e.checkedObjects(ctx, b)
	}
	return nil
}

// checkedBeside starts building the problem's checked objects beside its
// plain ones when the object cache is used: then they are built once per
// machine rather than once per evaluator, and a problem's first
// evaluation need not wait for them after its validation (the sanitized
// driver takes longer than all the rest of a build). Without the cache
// they wait for a candidate that needs them (checkedObjects). stop
// cancels the build.
func (e *Evaluator) checkedBeside(ctx context.Context, b *problemBuild) (stop func()) {
	if e.cfg.CheckedFirst || e.objectsUnsafe() != nil {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	e.background.Add(1)
	go func() {
		defer e.background.Done()
		defer cancel()
		_ = e.checkedObjects(ctx, b) // its error is the candidate's that needs them
	}()
	return cancel
}

// buildPlain compiles the problem's units with flags in b.dir and links
// the baseline's timed binary.
func (e *Evaluator) buildPlain(ctx context.Context, b *problemBuild, id string, flags []string, units []unit) error {
	for i, c := range e.compileUnits(ctx, b.dir, e.cfg.CompileLimits, flags, units) {
		what := units[i].what
		if c.err != nil {
			return fmt.Errorf("problem %s: compile %s: %w", id, what, c.err)
		}
		if !c.ok && strings.HasPrefix(c.out, sandbox.TimeLimitNote) {
			return fmt.Errorf("problem %s: compile %s: %w:\n%s", id, what, ErrSetupTimeout, c.out)
		}
		if !c.ok {
			return fmt.Errorf("problem %s: the %s does not compile:\n%s", id, what, c.out)
		}
	}
	args := append(append(append([]string{}, flags...), "driver.o", "baseline.o"), sideObjects("refcand.o", b.helpers)...)
	args = append(args, "-o", refBinary)
	ok, out, _, err := e.compile(ctx, b.dir, args...)
	if err != nil {
		return fmt.Errorf("problem %s: link the baseline's timed binary: %w", id, err)
	}
	if !ok {
		return fmt.Errorf("problem %s: the baseline's timed binary does not link:\n%s", id, out)
	}
	e.counts.problems.Add(1)
	return nil
}

// checkedObjects builds the problem's objects of the checked build once,
// when the first candidate needs them (one whose plain build validated):
// a problem none of whose candidates validates never pays for them. An
// error that is not the problem's fault (a cancelled context, a busy
// machine) leaves them to be built by the next candidate.
func (e *Evaluator) checkedObjects(ctx context.Context, b *problemBuild) error {
	b.checkedMu.Lock()
	defer b.checkedMu.Unlock()
	if b.checkedDone {
		return nil
	}
	err := e.buildChecked(ctx, b)
	if err == nil || (!errors.Is(err, ErrMachineBusy) && ctx.Err() == nil) {
		b.checkedDone = true
		if err != nil && b.checkedErr == nil {
			// Every later candidate's error too, not only this one's.
			b.checkedErr = err
		}
	}
	return err
}

// buildChecked compiles the problem's units with the checked build's
// flags (checked.go) in its folder; a unit that does not compile so is
// b.checkedErr, every candidate's evaluation error.
func (e *Evaluator) buildChecked(ctx context.Context, b *problemBuild) error {
	checked := e.checkFlags(ctx)
	if checked == nil {
		return nil
	}
	all := append(e.sideFlags(), checked...)
	checkedUnits := []unit{
		{"driver.cpp", "driver-checked.o", "driver"},
		{"baseline.cpp", "baseline-checked.o", "baseline"},
	}
	if b.helpers != "" {
		checkedUnits = append(checkedUnits, unit{"helpers.cpp", "helpers-checked.o", "helpers' forwarders"})
		b.checkedHelpers = filepath.Join(b.dir, "helpers-checked.o")
	}
	b.checkedDriver = filepath.Join(b.dir, "driver-checked.o")
	b.checkedBaseline = filepath.Join(b.dir, "baseline-checked.o")
	made := outputs(checkedUnits)
	key := e.objectKey(b.sources, all, made)
	if e.reuseObjects(key, b.dir, made) {
		return nil
	}
	for i, c := range e.compileUnits(ctx, b.dir, e.checkedCompileLimits(), all, checkedUnits) {
		if c.err != nil {
			return fmt.Errorf("problem %s: compile checked %s: %w", b.id, checkedUnits[i].what, c.err)
		}
		if !c.ok && b.checkedErr == nil {
			b.checkedErr = fmt.Errorf("problem %s: the %s does not compile with the checked build's flags:\n%s", b.id, checkedUnits[i].what, c.out)
		}
	}
	e.counts.checkedProblems.Add(1)
	if b.checkedErr == nil {
		e.keepObjects(key, b.dir, made)
	}
	return nil
}
