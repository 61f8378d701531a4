package record

import "strconv"

// The tables of a run folder.
const (
	TableCells      = "cells"
	TableLLMCalls   = "llm_calls"
	TableCandidates = "candidates"
	TableTimings    = "timings"
	TableLessons    = "lessons"
	TableSelections = "selections"
	TableResults    = "results"
	// TableProblems is the run's problems, one row each, written once per
	// run folder rather than per cell (see WriteProblems).
	TableProblems = "problems"
)

// Tables lists every table, in the order a cell's parts are written (cells
// last: its part marks the cell finished).
var Tables = []string{TableLLMCalls, TableCandidates, TableTimings, TableLessons, TableSelections, TableResults, TableCells}

// SchemaVersion is the version of the tables' columns, kept in the
// manifest; it changes whenever a column is renamed, removed or retyped.
//
// Version 2: every table has run_id and cell_id; lesson_id is unique
// within a run; lessons.round became round_written and selections.round
// round_shown; selections has one row per receiving agent (agent) and its
// score columns say what they hold (relevance, adjusted_speedup).
//
// Added within version 2 (readers take their absence for a folder written
// before): cells.task, protocol, models, resolved_params and axes; the
// problems table; results.status cell_failed for a failed cell, which
// such folders record as failed (see ResultStatus); candidates.cache_hit,
// origin_run and origin_cell; candidates.score and results.score.
const SchemaVersion = 2

// Key is a cell's identity: strategy, variant, problem and seed.
func Key(strategy, variant, problem string, seed int64) string {
	return strategy + "|" + variant + "|" + problem + "|" + strconv.FormatInt(seed, 10)
}

// CellID is a cell's identity as the tables' cell_id column holds it,
// readable: strategy[variant]/problem/seed, e.g. lessonl[k=2]/sort-insertion/1.
func CellID(strategy, variant, problem string, seed int64) string {
	s := strategy
	if variant != "" {
		s += "[" + variant + "]"
	}
	return s + "/" + problem + "/" + strconv.FormatInt(seed, 10)
}

// RunID is a run's identity as the tables' run_id column holds it: the
// spec's name and the first 8 hex digits of its hash. Shards of one spec
// share it, so their rows join as one run's; two runs of one spec share
// it too, and a reader of several folders tells those apart (see Group).
func RunID(name, specHash string) string {
	if len(specHash) > 8 {
		specHash = specHash[:8]
	}
	return name + "@" + specHash
}

// Cell is one row per finished cell (table cells).
type Cell struct {
	RunID     string `parquet:"run_id"`     // the run (see RunID)
	CellID    string `parquet:"cell_id"`    // the cell within the run (see CellID)
	Strategy  string `parquet:"strategy"`   // strategy name in the spec
	Variant   string `parquet:"variant"`    // matrix variant, e.g. "k=2,selection=paper"; "" without a matrix
	Kind      string `parquet:"kind"`       // lessonl, single, cot, voting, debate, best-of-n, moa, reflexion, mapcoder
	ProblemID string `parquet:"problem_id"` // problem id
	Category  string `parquet:"category"`   // optimization category of the problem
	Seed      int64  `parquet:"seed"`       // the cell's seed
	Agents    string `parquet:"agents"`     // the strategy's agents, comma-separated
	Params    string `parquet:"params"`     // the parameters the spec set (its params, top-level protocol, seed and prompts, the matrix's values) as JSON
	Shard     string `parquet:"shard"`      // "i/n" when run as a shard, else ""
	Status    string `parquet:"status"`     // CellDone, or CellFailed (see error)
	Error     string `parquet:"error"`      // why the cell failed; "" when done
	StartedMS int64  `parquet:"started_ms"` // start, Unix milliseconds
	EndedMS   int64  `parquet:"ended_ms"`   // end, Unix milliseconds
	WallMS    int64  `parquet:"wall_ms"`    // ended_ms - started_ms
	Host      string `parquet:"host"`       // machine that ran it
	// What the cell ran with, as the runner resolved it, so that a reader
	// needs neither the spec nor lessonl's rules (empty in run folders
	// written before these columns; see Cell.Described).
	Task     string `parquet:"task"`     // optimize or generate
	Protocol string `parquet:"protocol"` // the protocol the strategy followed: lessonl or paper
	Models   string `parquet:"models"`   // the agents' models, in the order of agents, comma-separated
	// Resolved is every parameter the strategy ran with, as JSON: the
	// spec's where it set them, the kind's defaults elsewhere (a single
	// agent's row shows its temperature, samples, protocol and seed).
	Resolved string `parquet:"resolved_params"`
	// Axes are the names of the matrix's axes the cell's variant sets,
	// sorted and comma-separated ("" without a matrix); their values are
	// in resolved_params.
	Axes string `parquet:"axes"`
}

// The statuses of cells.status.
const (
	CellDone   = "done"   // the strategy finished; its answer is in results
	CellFailed = "failed" // the strategy or an endpoint failed (cells.error says why)
)

// Described reports whether the row says what the cell ran with (task,
// protocol, models, resolved parameters); rows written before those
// columns existed do not, and their readers fall back on the manifest.
func (c Cell) Described() bool { return c.Task != "" && c.Resolved != "" }

// The values of results.status besides a candidate's own status (see
// Candidate.Status): a cell that failed is never a candidate that failed
// its tests.
const (
	StatusNone       = "none"        // the cell produced no candidate
	StatusCellFailed = "cell_failed" // the cell failed (cells.status failed); its answer, if any, does not count
	// StatusTestsFailed is a generate candidate that failed a hidden test.
	StatusTestsFailed = "failed"
)

// ResultStatus is a results row's status with the meaning this version
// gives it. Run folders written before StatusCellFailed existed record a
// failed cell's result as "failed", as a generate candidate's failed
// tests are; the cell's own status (cells.status) tells them apart.
func ResultStatus(r Result, cellStatus string) string {
	if r.Status == StatusTestsFailed && cellStatus == CellFailed {
		return StatusCellFailed
	}
	return r.Status
}

// Problem is one row per problem of the run (table problems): what the
// problem is and the hash of its content, so a reader can tell whether two
// runs saw the same problem, and show its code, without the dataset.
type Problem struct {
	RunID       string `parquet:"run_id"`     // the run (see RunID)
	ProblemID   string `parquet:"problem_id"` // joins the other tables' problem_id
	Category    string `parquet:"category"`
	Task        string `parquet:"task"`         // optimize or generate
	Source      string `parquet:"source"`       // the dataset source: builtin, path, pareval, polybench, humaneval, humaneval+, mbpp+, pysuite
	Language    string `parquet:"language"`     // cpp or python
	Title       string `parquet:"title"`        //
	ContentHash string `parquet:"content_hash"` // sha256 of everything that defines the problem (code, driver or tests, sizes, files)
	// BaselineCode is what the agents see: the code to optimize, or the
	// generate prompt.
	BaselineCode string `parquet:"baseline_code"`
}

// CellRef is the columns by which a row of the tables llm_calls,
// candidates, timings, lessons and selections names its cell; each of
// those row types embeds it, so its columns come first.
type CellRef struct {
	RunID     string `parquet:"run_id"`  // the run (see RunID)
	CellID    string `parquet:"cell_id"` // the cell within the run (see CellID)
	Strategy  string `parquet:"strategy"`
	Variant   string `parquet:"variant"`
	ProblemID string `parquet:"problem_id"`
	Seed      int64  `parquet:"seed"`
}

// LLMCall is one row per LLM call, failed ones included (table llm_calls).
// Prompts and replies are kept whole: they are the research data.
type LLMCall struct {
	CellRef
	CallID           string  `parquet:"call_id"`  // unique within the cell, e.g. c007
	Agent            string  `parquet:"agent"`    // agent name in the spec
	Provider         string  `parquet:"provider"` // sim, openai or replay
	Model            string  `parquet:"model"`
	Round            int64   `parquet:"round"`   // the strategy's round or step, from 0
	Purpose          string  `parquet:"purpose"` // optimize, lesson, vote, revise, propose, aggregate, reflect, plan, code, debug
	Prompt           string  `parquet:"prompt"`  // the messages as JSON: [{"role":..., "content":...}]
	Reply            string  `parquet:"reply"`   // the reply's text
	Temperature      float64 `parquet:"temperature"`
	TopP             float64 `parquet:"top_p"`
	MaxTokens        int64   `parquet:"max_tokens"`
	FrequencyPenalty float64 `parquet:"frequency_penalty"`
	RequestSeed      *int64  `parquet:"request_seed,optional"` // the seed sent; null when none was (seed: none)
	Sample           int64   `parquet:"sample"`                // index among identical requests of the cell
	RequestKey       string  `parquet:"request_key"`           // hash of messages and sampling parameters, for replay
	PromptTokens     int64   `parquet:"prompt_tokens"`
	CompletionTokens int64   `parquet:"completion_tokens"`
	UsageEstimated   bool    `parquet:"usage_estimated"` // the server reported no usage; tokens estimated
	LatencyMS        int64   `parquet:"latency_ms"`
	Attempts         int64   `parquet:"attempts"`
	FinishReason     string  `parquet:"finish_reason"`
	Error            string  `parquet:"error"` // "" when the call succeeded
}

// Candidate is one row per evaluated rewrite (table candidates).
type Candidate struct {
	CellRef
	CandidateID string  `parquet:"candidate_id"` // unique within the cell, e.g. k003
	Agent       string  `parquet:"agent"`
	Round       int64   `parquet:"round"`
	CallID      string  `parquet:"call_id"` // the call whose reply held it
	Code        string  `parquet:"code"`    // the code as extracted; "" for no_code
	CodeHash    string  `parquet:"code_hash"`
	Status      string  `parquet:"status"`  // correct, incorrect, not_compilable, runtime_error, timeout, no_code
	Speedup     float64 `parquet:"speedup"` // median(baseline)/median(candidate); 0 unless correct
	CILow       float64 `parquet:"ci_low"`  // 95% interval of speedup
	CIHigh      float64 `parquet:"ci_high"`
	BaselineNS  float64 `parquet:"baseline_ns"`  // median baseline time of one call
	CandidateNS float64 `parquet:"candidate_ns"` // median candidate time of one call
	Repetitions int64   `parquet:"repetitions"`  // timed pairs
	CompileMS   int64   `parquet:"compile_ms"`
	RunMS       int64   `parquet:"run_ms"`
	Detail      string  `parquet:"detail"` // compiler output, mismatch or limit; truncated
	Cached      bool    `parquet:"cached"` // reused the outcome of identical code
	// CacheHit says where a reused outcome came from: "run" (identical
	// code evaluated earlier in this run), "store" (the shared evaluation
	// cache, another run's measurement); "" when evaluated fresh.
	// OriginRun and OriginCell name the run and cell whose fresh
	// evaluation the outcome is (this row's own when fresh).
	CacheHit    string `parquet:"cache_hit"`
	OriginRun   string `parquet:"origin_run"`
	OriginCell  string `parquet:"origin_cell"`
	FinalAnswer bool   `parquet:"final"` // the strategy's answer for the cell
	// Generate candidates (task generate; 0 for optimize): hidden tests
	// passed of total (HumanEval+/MBPP+: base and plus inputs), the base
	// inputs alone (HumanEval/MBPP), and the strategy's own LLM-written
	// tests (0 of 0 when it wrote none). Status is then passed, failed,
	// error, timeout, not_parsable or no_code.
	Passed      int64 `parquet:"passed"`
	Total       int64 `parquet:"total"`
	BasePassed  int64 `parquet:"base_passed"`
	BaseTotal   int64 `parquet:"base_total"`
	TestsPassed int64 `parquet:"tests_passed"`
	TestsTotal  int64 `parquet:"tests_total"`
	// Score is the candidate's score in its task's own unit, for a task
	// other than optimize and generate (the task's Score sets it; its
	// report says what it counts); 0 for optimize and generate, whose
	// scores are speedup and passed of total.
	Score float64 `parquet:"score"`
}

// Timing is one row per timed pair of a correct candidate (table timings):
// baseline and candidate measured back to back in one process. Pairs come
// from two builds of the driver (placement 0 links the baseline's code
// first, placement 1 the candidate's); under the paper's timing protocol a
// row holds the i-th call of each side instead, all in placement 0.
type Timing struct {
	CellRef
	CandidateID string `parquet:"candidate_id"`
	Placement   int64  `parquet:"placement"`
	Rep         int64  `parquet:"rep"` // pair index within its placement, from 0; even pairs ran the baseline first
	BaselineNS  int64  `parquet:"baseline_ns"`
	CandidateNS int64  `parquet:"candidate_ns"`
}

// Lesson is one row per banked lesson (table lessons).
type Lesson struct {
	CellRef
	LessonID     string  `parquet:"lesson_id"`     // unique within the run: cell_id/r<round>-<agent>, e.g. lessonl/sort-insertion/1/r0-coder-a
	RoundWritten int64   `parquet:"round_written"` // the round whose candidate it explains
	Agent        string  `parquet:"agent"`         // its author
	CandidateID  string  `parquet:"candidate_id"`
	CallID       string  `parquet:"call_id"` // the lesson call
	Outcome      string  `parquet:"outcome"` // significant, slight, degrades, not_equivalent, not_compilable
	Speedup      float64 `parquet:"speedup"` // the candidate's speedup as banked (0 when it failed)
	Text         string  `parquet:"text"`
}

// Selection is one row per lesson shown to the agents in a round (table
// selections): exactly what travelled, to whom, and why. A lesson shown to
// three agents in a round is three rows.
type Selection struct {
	CellRef
	RoundShown      int64   `parquet:"round_shown"`      // the round whose prompt showed it
	Agent           string  `parquet:"agent"`            // the agent whose prompt showed it
	LessonID        string  `parquet:"lesson_id"`        // joins lessons.lesson_id
	Reason          string  `parquet:"reason"`           // all, speedup, relevance, random or recent
	Relevance       float64 `parquet:"relevance"`        // its relevance score when relevance ranked it (reason relevance), else 0
	AdjustedSpeedup float64 `parquet:"adjusted_speedup"` // speedup × factor at selection time (what reason speedup ranks)
	Factor          float64 `parquet:"factor"`           // effectiveness factor at selection time
}

// Result is one row per cell: the strategy's answer and what it cost
// (table results).
type Result struct {
	RunID            string  `parquet:"run_id"`  // the run (see RunID)
	CellID           string  `parquet:"cell_id"` // the cell within the run (see CellID)
	Strategy         string  `parquet:"strategy"`
	Variant          string  `parquet:"variant"`
	Kind             string  `parquet:"kind"`
	ProblemID        string  `parquet:"problem_id"`
	Category         string  `parquet:"category"`
	Seed             int64   `parquet:"seed"`
	Status           string  `parquet:"status"`   // the final candidate's status; with no correct candidate the best status any candidate reached (see experiments.Rows); StatusNone when there was no candidate; StatusCellFailed when the cell failed (see ResultStatus for older run folders)
	Speedup          float64 `parquet:"speedup"`  // the final candidate's speedup; 0 unless correct
	CILow            float64 `parquet:"ci_low"`   // its 95% interval
	CIHigh           float64 `parquet:"ci_high"`  //
	Compiled         bool    `parquet:"compiled"` // the final candidate compiled
	Correct          bool    `parquet:"correct"`  // the final candidate is correct
	FinalCandidateID string  `parquet:"final_candidate_id"`
	FinalAgent       string  `parquet:"final_agent"`
	LLMCalls         int64   `parquet:"llm_calls"`
	PromptTokens     int64   `parquet:"prompt_tokens"`
	CompletionTokens int64   `parquet:"completion_tokens"`
	Evaluations      int64   `parquet:"evaluations"`
	WallMS           int64   `parquet:"wall_ms"`
	BudgetCalls      int64   `parquet:"budget_calls"`  // cap on LLM calls; 0 = none
	BudgetTokens     int64   `parquet:"budget_tokens"` // cap on tokens; 0 = none
	BudgetHit        bool    `parquet:"budget_hit"`    // the cap stopped the strategy
	RoundBest        string  `parquet:"round_best"`    // best speedup so far after each round, JSON array
	// Generate cells: the final candidate's hidden tests passed of total,
	// and of the base inputs alone; correct is then "every hidden test
	// passed" (pass@1 on HumanEval+/MBPP+, or on HumanEval/MBPP for their
	// own files) and base_passed = base_total > 0 is pass@1 on the base
	// benchmark. 0 for optimize cells.
	Passed     int64 `parquet:"passed"`
	Total      int64 `parquet:"total"`
	BasePassed int64 `parquet:"base_passed"`
	BaseTotal  int64 `parquet:"base_total"`
	// Score is the answer's score in its task's own unit, for a task
	// other than optimize and generate (candidates.score of the final
	// candidate); 0 otherwise.
	Score float64 `parquet:"score"`
}

// Batch is every row of one finished cell.
type Batch struct {
	Key        string
	Cells      []Cell
	LLMCalls   []LLMCall
	Candidates []Candidate
	Timings    []Timing
	Lessons    []Lesson
	Selections []Selection
	Results    []Result
}
