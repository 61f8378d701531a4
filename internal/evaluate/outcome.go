package evaluate

// Status is what happened to a candidate.
type Status string

// The statuses a candidate can end with.
const (
	Correct       Status = "correct"        // compiled, validated, timed
	Incorrect     Status = "incorrect"      // compiled, outputs differ from the baseline's
	NotCompilable Status = "not_compilable" // the compiler rejected it (or its build hit a limit)
	RuntimeError  Status = "runtime_error"  // crashed, threw, or hit a memory, output or process limit
	Timeout       Status = "timeout"        // hit the wall-clock or CPU-time limit
	// NotSerial: in serial mode, the candidate ran more than one thread
	// at once. It is not credited; its speedup would be parallelism.
	NotSerial Status = "not_serial"
)

// Outcome is the evaluator's verdict on one candidate.
type Outcome struct {
	Status Status `json:"status"`
	// Speedup is the median of the clean pairs' ratios baseline time /
	// candidate time (pairs outside an episode of one-sided slowness, see
	// regimeTolerance), the geometric mean of that median over the two
	// pairs of processes that timed them (see EstimateBalanced; under the
	// paper's protocol, the ratio of the sides' medians); 0 unless Status
	// is Correct. CILow and CIHigh bound it with 95% confidence.
	Speedup float64 `json:"speedup"`
	CILow   float64 `json:"ci_low"`
	CIHigh  float64 `json:"ci_high"`
	// BaselineNS and CandidateNS are the medians of the timed calls (the
	// geometric means of the two process pairs' medians).
	BaselineNS  float64 `json:"baseline_ns"`
	CandidateNS float64 `json:"candidate_ns"`
	// BaselineReps and CandidateReps are every timed call, in pair order
	// (the first pair of processes, then the second, then any timed
	// again): BaselineReps[i] and CandidateReps[i] were measured back to
	// back, on the same fresh input.
	// Under the paper's protocol they are each side's calls in the order
	// taken, not pairs.
	BaselineReps  []int64 `json:"baseline_reps,omitempty"`
	CandidateReps []int64 `json:"candidate_reps,omitempty"`
	// PlacementSplit is where the second pair of processes takes over:
	// pairs before it were timed by the first (see EstimateBalanced). It
	// equals the number of pairs when only one pair of processes timed.
	PlacementSplit int `json:"placement_split,omitempty"`
	// CleanPairs is how many pairs entered the speedup (0: all of them,
	// none being clean); Processes how many timed processes (baseline's
	// and candidate's) timed them, more than four when a pair of processes
	// was timed again for too few clean pairs.
	CleanPairs int `json:"clean_pairs,omitempty"`
	Processes  int `json:"processes,omitempty"`
	// Threads is the most threads the candidate's process had after a
	// timed call (1 for serial code; OpenMP's team in openmp mode).
	Threads int `json:"threads,omitempty"`
	// ChargedNS is CPU time added to each of the candidate's timed calls
	// for work its process did around them, preparing its inputs or
	// writing its outputs, beyond what the baseline's process did on the
	// same inputs (see hiddenWork); 0 for honest code.
	ChargedNS int64 `json:"charged_ns,omitempty"`
	// CompileMS is the candidate's compile time (0 when cached); RunMS the
	// wall time of everything after it: validation, the checked build,
	// waiting for a timing slot, timing.
	CompileMS int64 `json:"compile_ms"`
	RunMS     int64 `json:"run_ms"`
	// The parts of RunMS: ValidateMS the plain build's validation
	// (starting its processes included); CheckMS the checked validation
	// build, its compile, link and run (0 when the plain build did not
	// validate, which it follows; the problem's own checked objects,
	// built once, left out); QueueMS the wait for a timing slot
	// while other evaluations held them; TimeMS the timing.
	CheckMS    int64 `json:"check_ms,omitempty"`
	ValidateMS int64 `json:"validate_ms,omitempty"`
	QueueMS    int64 `json:"queue_ms,omitempty"`
	TimeMS     int64 `json:"time_ms,omitempty"`
	// Detail explains a failure: compiler output, the first mismatch, the
	// limit that fired. Truncated to a few KiB.
	Detail string `json:"detail"`
	// CodeHash identifies the normalized code, flags and mode.
	CodeHash string `json:"code_hash"`
	// Cached is true when this outcome was reused for identical code;
	// CacheHit says from where (HitRun, HitStore; "" when fresh).
	Cached   bool   `json:"cached"`
	CacheHit string `json:"cache_hit,omitempty"`
	// Origin is the run and cell whose fresh evaluation this is, when the
	// evaluation's context named them (WithOrigin).
	Origin Origin `json:"origin,omitzero"`
}

// Placement says by which pair of processes pair i was timed (0: the
// first, 1: the second and any after it) and its index there.
func (o Outcome) Placement(i int) (placement, rep int) {
	if o.PlacementSplit > 0 && i >= o.PlacementSplit {
		return 1, i - o.PlacementSplit
	}
	return 0, i
}

// Faster is the speedup at which a candidate counts as an improvement, the
// paper's threshold.
const Faster = 1.1
