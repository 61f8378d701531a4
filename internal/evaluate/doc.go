// Package evaluate compiles, validates and times one candidate rewrite
// against its problem's baseline, and says with a confidence interval how
// much faster it is.
//
// Baseline and candidate are separate translation units, each wrapped in
// its own namespace, and the candidate is an adversary (THREATS.md): they
// never share a process. The baseline's binary is the problem's driver
// (see package harness) with the baseline's code in the candidate's place;
// the candidate's binary is the same driver with its code there. For every
// call, validation and timing alike, lessonl draws a seed from the
// operating system, both processes build their input from it, run one
// call and write the members of their state the call changed, and the
// baseline's process checks the candidate's against its own (sides.go). lessonl times the calls itself (the
// process's CPU time from the kernel in serial mode, the wall time from
// outside with OpenMP), in pairs alternating which side goes first, inside
// an exclusive timing slot, with the candidate's process stopped between
// its calls. Pairs are added until the interval is tight or a budget is
// spent, in two pairs of processes.
//
// Code placement matters: the same machine code at another address can
// run measurably slower, through the branch predictor's and caches' sets.
// Both sides are compiled with identical flags and function and loop
// alignment, each side's code starts on a page, and both binaries are
// linked in the same order, so an identity rewrite gets identical code at
// identical addresses. Speedup is the geometric mean of the two process
// pairs' medians of the pairs' ratios baseline/candidate
// (EstimateBalanced). The interval resamples runs of consecutive pairs (a
// circular block bootstrap), since pairs taken seconds apart are not
// independent when one side's calls switch between a fast and a slow
// state. Such episodes (one side a third to a half slower for tens of
// pairs, on shared VMs) only add time, so only clean pairs enter the
// estimate: those where neither side is more than 8% above its floor, its
// fastest stable level; a pair of processes left with too few clean pairs
// is timed again in fresh processes (regime.go). Fresh evaluations of
// identical code still differ by more than one evaluation's pairs show
// (each process places its code and data anew); Config.RunToRun adds that
// spread to the interval (Speedup.Widen).
//
// Once its plain build has validated, and before it is timed, a candidate
// is validated again in a checked build (checked.go): the same code with
// the C++ library's bounds checks and, where the toolchain has them,
// AddressSanitizer and UndefinedBehaviorSanitizer, so that an out-of-bounds
// read that happens to give the right answer fails. It is built in a
// folder of its own (the plain build's processes could write in the
// candidate's); a candidate that fails the plain validation never pays for
// it, and a problem's checked objects are built when its first candidate
// needs them. The problem's driver, baseline and the baseline's timed
// binary are built once per problem, so a candidate costs one compile of
// its own unit and a link; with an object cache (ShareObjects, objects.go)
// they are built once per machine, and then the checked objects beside
// them. Compiles and validation run outside the timing
// slots, so with evaluations at once they overlap another's timing. Config.StrictValidation further compares
// every argument and result of the candidate with the baseline's where a
// benchmark brings its own validate() (ParEval); Config.VerdictOnly stops
// after validation.
//
// TimingPaper replaces this with the authors' protocol for fidelity
// checks: each side timed in its own block on ten seeded inputs, in one
// process that holds both sides, and the ratio of the medians of all
// samples (EstimateUnpaired); it is not hardened.
//
// Generated code is untrusted. Every compile and run goes through
// package sandbox (internal/sandbox): a wall-clock watchdog, rlimits,
// namespaces, a control group, a user and a tmpfs folder of its own and a
// private filesystem view where the machine allows them;
// Evaluator.Enforced says which are in force.
package evaluate
