// Package evaluate compiles, validates and times one candidate rewrite
// against its problem's baseline, and says with a confidence interval how
// much faster it is.
//
// Baseline and candidate are separate translation units, each wrapped in
// its own namespace, linked with the problem's driver into a binary. The
// driver (see package harness) validates the candidate against the baseline
// on seeded inputs of every validation size, then, inside an exclusive
// timing slot, on the timing input; it then times the two sides in pairs,
// alternating which goes first, in one process after warm-up. Pairs are
// added until the interval is tight or a budget is spent.
//
// Code placement matters: the same machine code at another address can run
// measurably slower, through the branch predictor's and caches' sets. Both
// sides are compiled with identical flags and function and loop alignment,
// and each side's code starts on a page, so an identity rewrite gets
// identical code at identical offsets within its pages; and the
// driver is linked twice, the baseline's code first in one build and the
// candidate's in the other, each build timing half the pairs. Speedup is
// the geometric mean of the builds' medians of the pairs' ratios
// baseline/candidate (EstimateBalanced), so an advantage of sitting first
// cancels out, and so does a drift of the machine within a pair. The
// interval resamples runs of consecutive pairs (a circular block
// bootstrap), since pairs taken seconds apart are not independent when one
// side's calls switch between a fast and a slow state. Such episodes (one
// side a third to a half slower for tens of pairs, on shared VMs) only add
// time, so only clean pairs enter the estimate: those where neither side
// is more than 8% above its floor, its fastest stable level; a build
// left with too few clean pairs is timed again in a fresh process
// (regime.go). Fresh evaluations
// of identical code still differ by more than one evaluation's pairs show
// (each process places its code and data anew); Config.RunToRun adds that
// spread to the interval (Speedup.Widen).
//
// Before the timed build, a candidate is validated in a checked build
// (checked.go): the same code with the C++ library's bounds checks and,
// where the toolchain has them, AddressSanitizer and
// UndefinedBehaviorSanitizer, so that an out-of-bounds read that happens to
// give the right answer fails. Config.StrictValidation further compares
// every argument and result of the candidate with the baseline's where a
// benchmark brings its own validate() (ParEval); Config.VerdictOnly stops
// after validation.
//
// TimingPaper replaces this with the authors' protocol for fidelity
// checks: each side timed in its own block on ten seeded inputs, one
// build, and the ratio of the medians of all samples (EstimateUnpaired).
//
// Generated code is untrusted. Every compile and run goes through Sandbox:
// a wall-clock watchdog that kills the process group (its limit stretched
// only for the time the process waited on a run queue, never for time it
// slept), rlimits on CPU time, address space, file size and processes,
// capped output, and, where the machine allows, fresh PID and network
// namespaces; a control group per process bounding the memory it really
// holds (anonymous memory, memfds, tmpfs) and its tasks, and giving its
// CPU time and tasks whole (Proc.CPUTime, Proc.Tasks); a user and group
// of its own per folder, unique across lessonl processes on the machine
// (Linux counts the process limit per user, so a shared user would let
// one candidate, or a busy machine, starve every other); each folder a
// tmpfs of a fixed size; the harness's binaries in a folder sealed
// (root's, read-only, in a sticky folder) before any process starts
// there; and a private filesystem view (bubblewrap: the toolchain and
// system libraries read-only, the process's own folder writable, nothing
// of the host's /tmp, /run, /var, /home, /root or working tree).
// Sandbox.Enforced says which of these are in force.
package evaluate
