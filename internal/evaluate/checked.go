package evaluate

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/sandbox"
)

// The checked build validates a candidate before its timed build runs:
// the same code compiled with the C++ library's bounds checks
// (-D_GLIBCXX_ASSERTIONS) and, where the toolchain has them,
// AddressSanitizer and UndefinedBehaviorSanitizer, so that an out-of-bounds
// read that happens to give the right answer fails instead of passing. It
// only validates; timing uses the plain build.
const assertionsFlag = "-D_GLIBCXX_ASSERTIONS"

// sanitizerFlags turn on ASan and UBSan, each report fatal. Signed
// overflow and shifts are left out: hash and random-number code in
// baselines relies on them wrapping, and the identity rewrite must pass.
var sanitizerFlags = []string{"-fsanitize=address,undefined", "-fno-sanitize=signed-integer-overflow,shift",
	"-fno-sanitize-recover=all", "-fno-omit-frame-pointer"}

// checks says what the checked build adds on this toolchain, probed once.
type checks struct {
	once  sync.Once
	flags []string // added to the side flags; nil: no checked build
	note  string   // what the manifest says
}

// checkFlags returns the flags of the checked build, probing once whether
// the compiler links a sanitized program that runs in the sandbox.
func (e *Evaluator) checkFlags(ctx context.Context) []string {
	e.checks.once.Do(func() {
		if e.cfg.NoCheckedBuild {
			e.checks.note = "off (NoCheckedBuild)"
			return
		}
		e.checks.flags = []string{assertionsFlag}
		e.checks.note = "bounds checks (" + assertionsFlag + "); no sanitizers"
		dir, err := os.MkdirTemp(e.workDir, "probe-")
		if err != nil {
			return
		}
		defer e.sandbox.Release(dir)
		if e.sandbox.Owner(dir) != nil {
			return
		}
		src := "#include <vector>\nint main() { std::vector<int> v(4, 1); return v[3] - 1; }\n"
		if os.WriteFile(filepath.Join(dir, "probe.cpp"), []byte(src), 0o644) != nil {
			return
		}
		args := append(append(e.sideFlags(), sanitizerFlags...), "probe.cpp", "-o", "probe")
		ok, out, _, err := e.compile(ctx, dir, args...)
		if err != nil || !ok {
			e.checks.note += " (the compiler cannot build with -fsanitize=address,undefined: " + truncate(out, 200) + ")"
			return
		}
		x, err := e.sandbox.Command(dir, e.checkedLimits(true), e.checkedEnv(), nil, "./probe").Run(ctx)
		if err != nil || x.Code != 0 {
			e.checks.note += " (a sanitized program does not run here: " + truncate(x.Describe(e.checkedLimits(true)), 200) + ")"
			return
		}
		e.checks.flags = append(e.checks.flags, sanitizerFlags...)
		e.checks.note = "bounds checks (" + assertionsFlag + "), AddressSanitizer and UndefinedBehaviorSanitizer (" +
			strings.Join(sanitizerFlags, " ") + "); memory bounded by ASan's RSS limit of " +
			strconv.FormatInt(e.cfg.RunLimits.AddressSpace>>20, 10) + " MiB instead of an address-space limit"
	})
	return e.checks.flags
}

// checkedCompileLimits bound a compile of the checked build: three times
// the plain build's time, since instrumented code takes that much longer
// to compile (a ParEval driver's sanitized compile passed a minute on a
// loaded 2-core machine where the plain one took seconds).
func (e *Evaluator) checkedCompileLimits() sandbox.Limits {
	l := e.cfg.CompileLimits
	l.Wall, l.CPU = 3*l.Wall, 3*l.CPU
	return l
}

// checkedLimits are the run limits of the checked build. AddressSanitizer
// reserves terabytes of address space for its shadow memory, which no
// address-space limit allows; the run gets none, and ASan itself holds its
// resident memory and every allocation to the timed run's bound
// (checkedEnv). The timed build keeps its address-space limit.
func (e *Evaluator) checkedLimits(sanitized bool) sandbox.Limits {
	l := e.cfg.RunLimits
	if sanitized {
		l.AddressSpace = 0
	}
	return l
}

// checkedEnv bounds a sanitized run's memory from inside: ASan aborts once
// the resident set passes the run's memory bound, an allocation larger than
// the bound fails, and leak checking is off (drivers free what they must,
// and a leak is not a wrong answer).
func (e *Evaluator) checkedEnv() []string {
	mb := strconv.FormatInt(max(e.cfg.RunLimits.AddressSpace>>20, 64), 10)
	return []string{"ASAN_OPTIONS=detect_leaks=0:hard_rss_limit_mb=" + mb + ":max_allocation_size_mb=" + mb +
		":allocator_may_return_null=1:abort_on_error=0:exitcode=86",
		"UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=86"}
}

// CheckedBuild says what the validation build adds to the plain one on
// this machine (the run manifest records it).
func (e *Evaluator) CheckedBuild() string {
	e.checkFlags(context.Background())
	return e.checks.note
}

// validateChecked compiles the candidate with the checked flags in dir,
// links it with the problem's checked driver and baseline, and validates
// it there. It reports false with out filled in when the candidate
// failed; out.CheckMS is what it took, the problem's checked objects
// (checkedObjects) left out.
func (e *Evaluator) validateChecked(ctx context.Context, p *datasets.Problem, b *problemBuild, dir string, out *Outcome) (bool, error) {
	flags := e.checkFlags(ctx)
	if flags == nil {
		return true, nil
	}
	if err := e.checkedObjects(ctx, b); err != nil {
		return false, err
	}
	start := time.Now() // the problem's objects are no candidate's cost
	defer func() { out.CheckMS = time.Since(start).Milliseconds() }()
	if b.checkedErr != nil {
		return false, b.checkedErr
	}
	defer e.counts.checked.Add(1) // once it is over
	all := append(e.sideFlags(), flags...)
	ok, msg, _, err := e.compileUnder(ctx, dir, e.checkedCompileLimits(), append(append([]string{}, all...), "-c", candidateUnit, "-o", "candidate-checked.o")...)
	if err != nil {
		return false, fmt.Errorf("compile checked candidate for %s: %w", p.ID, err)
	}
	if ok {
		args := append(append(append([]string{}, all...), b.checkedDriver, b.checkedBaseline), sideObjects("candidate-checked.o", b.checkedHelpers)...)
		ok, msg, _, err = e.compileUnder(ctx, dir, e.checkedCompileLimits(), append(args, "-o", driverChecked)...)
		if err != nil {
			return false, fmt.Errorf("link checked candidate for %s: %w", p.ID, err)
		}
	}
	if !ok {
		out.Status, out.Detail = NotCompilable, checkedFailure(msg)
		return false, ctx.Err()
	}
	passed := false
	err = e.retryUnstarted(ctx, "run checked candidate for "+p.ID, func() error {
		d, err := e.startDriverWith(ctx, p, dir, driverChecked, e.checkedLimits(len(flags) > 1), e.checkedEnv())
		if err != nil {
			return err
		}
		st := validate(p, d.s)
		d.s.finished = st.status == Correct
		status, detail, err := e.end(ctx, d, st)
		if err != nil {
			return err
		}
		if status != Correct {
			out.Status, out.Detail = status, checkedFailure(detail)
			return nil
		}
		passed = true
		return nil
	})
	return passed, err
}

// validateCheckedApart is validateChecked in a fresh folder of its own,
// holding the candidate's unit src and its code as written: the checked
// build after the plain one has run, whose processes could write in the
// candidate's folder.
func (e *Evaluator) validateCheckedApart(ctx context.Context, p *datasets.Problem, b *problemBuild, src, code string, out *Outcome) (bool, error) {
	if e.checkFlags(ctx) == nil {
		return true, nil
	}
	dir, err := os.MkdirTemp(e.workDir, "checked-")
	if err != nil {
		return false, fmt.Errorf("checked candidate for %s: %w", p.ID, err)
	}
	defer e.sandbox.Release(dir)
	if err := e.sandbox.Owner(dir); err != nil {
		return false, fmt.Errorf("checked candidate for %s: %w", p.ID, err)
	}
	for name, text := range map[string]string{candidateUnit: src, "candidate.cpp": Normalize(code)} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			return false, fmt.Errorf("checked candidate for %s: %w", p.ID, err)
		}
	}
	return e.validateChecked(ctx, p, b, dir, out)
}

// driverChecked is the checked build's binary.
const driverChecked = "driver-checked"

// checkedFailure says a checked-build failure in an Outcome's words.
func checkedFailure(detail string) string {
	return "in the checked validation build (bounds checks and sanitizers): " + detail
}

// Enforced is the sandbox's record (Sandbox.Enforced) with what the
// checked validation build adds, for the run manifest.
func (e *Evaluator) Enforced() map[string]string {
	m := e.sandbox.Enforced()
	m["validation_build"] = e.CheckedBuild()
	m["measurement"] = e.Measurement()
	return m
}

// Measurement names the mechanisms that keep the timed candidate from
// faking its speedup (THREATS.md), for the run manifest.
func (e *Evaluator) Measurement() string {
	if e.cfg.Timing == TimingPaper {
		return "the authors' protocol: both sides in one process, timed by the driver (not hardened against forged measurements)"
	}
	clock := "the candidate process's CPU time from the kernel (serial mode: one thread, no child processes)"
	if e.cfg.Mode == ModeOpenMP {
		clock = "wall time taken by lessonl from outside the process"
	}
	return "baseline and candidate in separate processes; a fresh input from a run-time random seed for every call; " +
		"every call's outputs judged in the baseline's process; time: " + clock + "; the candidate stopped between its calls; " +
		"no strong symbols outside its namespace, no change to its machine code, no signal handlers the baseline lacks"
}
