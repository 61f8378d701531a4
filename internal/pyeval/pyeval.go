package pyeval

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/evaluate"
)

//go:embed harness.py
var harnessPy []byte

// Status is how a candidate fared on its hidden tests.
type Status string

// The statuses of a generate candidate.
const (
	Passed      Status = "passed"       // every hidden test passed
	Failed      Status = "failed"       // a test failed: wrong output or an exception in the call
	Error       Status = "error"        // the candidate could not be loaded, or its process died or flooded output
	Timeout     Status = "timeout"      // a test passed its time limit, or the process its wall or CPU limit
	NotParsable Status = "not_parsable" // the code is not valid Python
)

// Verdict is the result of one candidate on one problem's hidden tests.
type Verdict struct {
	Status Status `json:"status"`
	// Passed and Total count the hidden tests (for EvalPlus data, base and
	// plus inputs together: the + score).
	Passed int `json:"passed"`
	Total  int `json:"total"`
	// BasePassed and BaseTotal count the base inputs alone (HumanEval's or
	// MBPP's own tests) when the problem also has plus inputs; otherwise
	// they equal Passed and Total.
	BasePassed int `json:"base_passed"`
	BaseTotal  int `json:"base_total"`
	// Failure is the first failing test's message.
	Failure string `json:"failure,omitempty"`
	// Detail says why the process ended early, if it did (killed, stderr).
	Detail   string `json:"detail,omitempty"`
	WallMS   int64  `json:"wall_ms"`
	CodeHash string `json:"code_hash"`
	// Failed lists the index of every test that ran and failed, in order
	// (a strategy's feedback on its own generated tests lists them).
	Failed []int `json:"failed,omitempty"`
}

// BasePass reports whether every base test passed: pass@1 on HumanEval
// or MBPP, where Passed == Total is pass@1 on their + variants.
func (v Verdict) BasePass() bool { return v.BaseTotal > 0 && v.BasePassed == v.BaseTotal }

// Config says how to run candidates. The zero value of each field means
// its default.
type Config struct {
	// Python is the interpreter; default python3. It runs with -I
	// (isolated: no user site, no PYTHON* variables) and -B.
	Python string
	// Limits bound each candidate's process: all its tests together.
	// Default DefaultLimits.
	Limits evaluate.Limits
	// MinTestTime and TimeFactor give each differential test its time
	// limit, EvalPlus's rule: max(MinTestTime, TimeFactor × the canonical
	// solution's time on that input). A check() test gets MinTestTime.
	// Defaults EvalPlus's: 4 s and 4.
	MinTestTime time.Duration
	TimeFactor  float64
	// FailFast stops a candidate at its first failing test (EvalPlus's
	// default when only pass/fail is wanted); Passed then counts only the
	// tests before it.
	FailFast bool
	// WorkDir is where private folders go; default the system temp dir.
	WorkDir string
}

// DefaultLimits bound a candidate's process: 60 s of wall clock (EvalPlus's
// cap per task), 120 s of CPU, 4 GiB of address space (EvalPlus's memory
// limit), 64 MiB per file, 64 processes, 64 KiB of output.
func DefaultLimits() evaluate.Limits {
	return evaluate.Limits{Wall: 60 * time.Second, CPU: 120 * time.Second, AddressSpace: 4 << 30,
		FileSize: 64 << 20, Processes: 64, Output: 64 << 10}
}

func (c *Config) fill() {
	if c.Python == "" {
		c.Python = "python3"
	}
	if c.Limits == (evaluate.Limits{}) {
		c.Limits = DefaultLimits()
	}
	if c.MinTestTime <= 0 {
		c.MinTestTime = 4 * time.Second
	}
	if c.TimeFactor <= 0 {
		c.TimeFactor = 4
	}
}

// Evaluator runs Python candidates against hidden tests, each candidate in
// its own sandboxed process. It is safe for concurrent use; each problem's
// reference run (the canonical solution on the differential inputs) is
// made once.
type Evaluator struct {
	cfg     Config
	sandbox *evaluate.Sandbox
	dir     string

	mu   sync.Mutex
	refs map[string]*reference
}

// reference is what a problem's canonical solution gives: the expected
// outputs (a pickle, base64) and per-test time limits.
type reference struct {
	mu       sync.Mutex
	done     bool
	expected string
	limits   []float64
	err      error
}

// New makes an evaluator with its private work folder.
func New(cfg Config) (*Evaluator, error) {
	cfg.fill()
	sb := evaluate.NewSandbox()
	dir, err := os.MkdirTemp(cfg.WorkDir, "lessonl-py-")
	if err != nil {
		return nil, fmt.Errorf("python evaluator work dir: %w", err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("python evaluator work dir: %w", err)
	}
	if strings.HasPrefix(sb.Enforced()["user"], "runs as") {
		if err := reachable(dir); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	return &Evaluator{cfg: cfg, sandbox: sb, dir: dir, refs: map[string]*reference{}}, nil
}

// Close removes the work folder.
func (e *Evaluator) Close() error {
	err := e.sandbox.Close()
	return errors.Join(err, os.RemoveAll(e.dir))
}

// Enforced says which protections the sandbox applies on this machine.
func (e *Evaluator) Enforced() map[string]string { return e.sandbox.Enforced() }

// Config returns the evaluator's configuration with defaults filled.
func (e *Evaluator) Config() Config { return e.cfg }

// Evaluate runs code's hidden tests for p in one sandboxed process and
// says how it fared. An error means the evaluation itself could not be
// made (no interpreter, a broken reference run, a cancelled context); a
// candidate's own failures are in the Verdict.
func (e *Evaluator) Evaluate(ctx context.Context, p *datasets.GenProblem, code string) (Verdict, error) {
	sum := sha256.Sum256([]byte(code))
	v := Verdict{CodeHash: hex.EncodeToString(sum[:8])}
	job := harnessJob{Mode: "run", EntryPoint: p.EntryPoint, DefaultLimit: e.cfg.MinTestTime.Seconds(),
		FailFast: e.cfg.FailFast}
	baseTotal := 0
	if p.Tests.Differential() {
		ref, err := e.reference(ctx, p)
		if err != nil {
			return v, err
		}
		job.Inputs, job.Expected, job.Limits = inputs(p), ref.expected, ref.limits
		job.Atol, job.Oracle, job.Convert = p.Tests.Atol, p.Tests.Oracle, p.Tests.Convert
		baseTotal = p.Tests.BaseCount
	} else {
		job.Check = p.Tests.Check
	}
	res, err := e.run(ctx, job, code)
	if err != nil {
		return v, fmt.Errorf("evaluate %s: %w", p.ID, err)
	}
	v.Total, v.WallMS = res.total, res.exit.Wall.Milliseconds()
	if baseTotal == 0 {
		baseTotal = v.Total
	}
	v.BaseTotal = baseTotal
	for i, t := range res.tests {
		if t.OK {
			v.Passed++
			if i < baseTotal {
				v.BasePassed++
			}
		} else {
			v.Failed = append(v.Failed, i)
			if v.Failure == "" {
				v.Failure = t.Msg
			}
		}
	}
	v.Status, v.Detail = res.status(e.cfg.Limits)
	if v.Status == Passed && v.Passed != v.Total {
		v.Status = Failed
	}
	return v, nil
}

// inputs joins a problem's base and plus inputs into one JSON array.
func inputs(p *datasets.GenProblem) json.RawMessage {
	base := strings.TrimSpace(string(p.Tests.Base))
	plus := strings.TrimSpace(string(p.Tests.Plus))
	if p.Tests.PlusCount == 0 || plus == "" {
		return json.RawMessage(base)
	}
	if p.Tests.BaseCount == 0 {
		return json.RawMessage(plus)
	}
	return json.RawMessage(base[:len(base)-1] + "," + plus[1:])
}

// reference runs p's canonical solution on its differential inputs once,
// for the expected outputs and the per-test time limits.
func (e *Evaluator) reference(ctx context.Context, p *datasets.GenProblem) (*reference, error) {
	key := p.ID + "\x00" + p.Canonical + "\x00" + string(p.Tests.Base) + "\x00" + string(p.Tests.Plus)
	sum := sha256.Sum256([]byte(key))
	k := hex.EncodeToString(sum[:])
	e.mu.Lock()
	r, ok := e.refs[k]
	if !ok {
		r = &reference{}
		e.refs[k] = r
	}
	e.mu.Unlock()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.done {
		return r, r.err
	}
	err := func() error {
		job := harnessJob{Mode: "reference", EntryPoint: p.EntryPoint, Inputs: inputs(p),
			DefaultLimit: e.cfg.Limits.Wall.Seconds(), Oracle: p.Tests.Oracle, Convert: p.Tests.Convert, Atol: p.Tests.Atol}
		res, err := e.run(ctx, job, p.Canonical)
		if err != nil {
			return fmt.Errorf("reference run of %s: %w", p.ID, err)
		}
		if st, detail := res.status(e.cfg.Limits); st != Passed || res.ref == nil || len(res.ref.Times) != res.total {
			msg := detail
			for _, t := range res.tests {
				if !t.OK {
					msg = t.Msg
					break
				}
			}
			return fmt.Errorf("reference run of %s: the canonical solution did not run every input (%s): %s", p.ID, st, firstLine(msg))
		}
		r.expected = res.ref.Expected
		for _, t := range res.ref.Times {
			r.limits = append(r.limits, max(e.cfg.MinTestTime.Seconds(), e.cfg.TimeFactor*t))
		}
		return nil
	}()
	if ctx.Err() != nil {
		return nil, err // a cancelled run says nothing about the problem; the next call retries
	}
	r.done, r.err = true, err
	return r, r.err
}

// harnessJob is the configuration harness.py reads from fd 4.
type harnessJob struct {
	Mode         string          `json:"mode"`
	Nonce        string          `json:"nonce"`
	Candidate    string          `json:"candidate"`
	EntryPoint   string          `json:"entry_point"`
	Check        string          `json:"check,omitempty"`
	Inputs       json.RawMessage `json:"inputs,omitempty"`
	Expected     string          `json:"expected,omitempty"`
	Limits       []float64       `json:"limits,omitempty"`
	DefaultLimit float64         `json:"default_limit"`
	Atol         float64         `json:"atol"`
	Oracle       string          `json:"oracle,omitempty"`
	Convert      string          `json:"convert,omitempty"`
	FailFast     bool            `json:"fail_fast"`
}

// event is one line harness.py writes on fd 3.
type event struct {
	N        string    `json:"n"`
	Ev       string    `json:"ev"`
	Total    int       `json:"total"`
	I        int       `json:"i"`
	OK       bool      `json:"ok"`
	Msg      string    `json:"msg"`
	Timeout  bool      `json:"timeout"`
	Expected string    `json:"expected"`
	Times    []float64 `json:"times"`
}

// runResult is what one harness process reported, and how it ended.
type runResult struct {
	exit   evaluate.Exit
	total  int
	tests  []event
	syntax *event
	load   *event
	ref    *event
	done   bool
	bad    string // the report itself was malformed
}

// maxReport bounds what is read from fd 3: a reference run's pickled
// outputs for HumanEval+'s largest problems are a few MB.
const maxReport = 256 << 20

// run starts harness.py on code with job and collects its report. Where
// the sandbox falls back to one user for every folder, RLIMIT_NPROC counts
// every sandbox's processes, so concurrent ones can leave none for the
// sandbox's first fork; such a start (evaluate.Exit.Unstarted), which ran
// no candidate code at all, is retried a few times before it counts as an
// error.
func (e *Evaluator) run(ctx context.Context, job harnessJob, code string) (runResult, error) {
	for attempt := 1; ; attempt++ {
		res, err := e.runOnce(ctx, job, code)
		if err != nil || attempt == 4 || res.total > 0 || !res.exit.Unstarted {
			return res, err
		}
		select {
		case <-ctx.Done():
			return res, ctx.Err()
		case <-time.After(time.Duration(attempt) * 250 * time.Millisecond):
		}
	}
}

// runOnce starts harness.py on code with job, in a fresh folder, and
// collects its report.
func (e *Evaluator) runOnce(ctx context.Context, job harnessJob, code string) (runResult, error) {
	var res runResult
	dir, err := os.MkdirTemp(e.dir, "cand-")
	if err != nil {
		return res, err
	}
	defer e.sandbox.Release(dir)
	for name, data := range map[string][]byte{"harness.py": harnessPy, "candidate.py": []byte(code)} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return res, err
		}
	}
	if err := e.sandbox.Owner(dir); err != nil {
		return res, err
	}
	nonce := make([]byte, 16)
	if _, err := rand.Read(nonce); err != nil {
		return res, err
	}
	job.Nonce, job.Candidate = hex.EncodeToString(nonce), "candidate.py"
	cfg, err := json.Marshal(job)
	if err != nil {
		return res, err
	}
	resR, resW, err := os.Pipe()
	if err != nil {
		return res, err
	}
	defer resR.Close()
	cfgR, cfgW, err := os.Pipe()
	if err != nil {
		resW.Close()
		return res, err
	}
	proc := e.sandbox.Command(dir, e.cfg.Limits, nil, []*os.File{resW, cfgR}, e.cfg.Python, "-I", "-B", "harness.py")
	if err := proc.Start(); err != nil {
		resW.Close()
		cfgR.Close()
		cfgW.Close()
		return res, fmt.Errorf("start %s: %w", e.cfg.Python, err)
	}
	resW.Close()
	cfgR.Close()
	go func() {
		cfgW.Write(cfg)
		cfgW.Close()
	}()
	stop := context.AfterFunc(ctx, proc.Kill)
	defer stop()
	read := make(chan struct{})
	go func() {
		defer close(read)
		res.collect(io.LimitReader(resR, maxReport), job.Nonce)
		io.Copy(io.Discard, resR)
	}()
	res.exit = proc.Wait()
	// The pipe closes when the last process holding fd 3 dies; the PID
	// namespace ends them all with the harness, so this does not hang.
	<-read
	if err := ctx.Err(); err != nil {
		return res, err
	}
	return res, nil
}

// collect reads the harness's report lines, keeping only those with the
// nonce.
func (r *runResult) collect(rd io.Reader, nonce string) {
	sc := bufio.NewScanner(rd)
	sc.Buffer(make([]byte, 64<<10), maxReport)
	for sc.Scan() {
		var ev event
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil || ev.N != nonce {
			if r.bad == "" {
				r.bad = "a report line without the harness's nonce: " + firstLine(sc.Text())
			}
			continue
		}
		switch ev.Ev {
		case "tests":
			r.total = ev.Total
		case "test":
			if ev.I == len(r.tests) {
				r.tests = append(r.tests, ev)
			}
		case "syntax":
			r.syntax = &ev
		case "load":
			r.load = &ev
		case "reference":
			r.ref = &ev
		case "done":
			r.done = true
		}
	}
}

// status classifies the run; detail says why when it did not finish.
func (r *runResult) status(lim evaluate.Limits) (Status, string) {
	x := r.exit
	switch {
	case r.syntax != nil:
		return NotParsable, r.syntax.Msg
	case r.load != nil && r.load.Timeout:
		return Timeout, r.load.Msg
	case r.load != nil:
		return Error, r.load.Msg
	}
	for _, t := range r.tests {
		if t.Timeout {
			return Timeout, t.Msg
		}
	}
	switch {
	case r.done && x.Code == 0 && x.Signal == "" && !x.OutputCap && !x.TimedOut:
		if r.bad != "" {
			return Error, r.bad
		}
		for _, t := range r.tests {
			if !t.OK {
				return Failed, ""
			}
		}
		return Passed, ""
	case x.TimedOut:
		return Timeout, x.Describe(lim)
	case x.OutputCap:
		return Error, x.Describe(lim)
	case x.Code == 0 && x.Signal == "":
		return Error, "the candidate ended the process before its tests were done"
	default:
		return Error, x.Describe(lim)
	}
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// reachable checks that every folder above dir lets others pass (o+x):
// the sandbox's unprivileged user must reach its candidate's folder.
func reachable(dir string) error {
	for d := filepath.Dir(dir); ; d = filepath.Dir(d) {
		st, err := os.Stat(d)
		if err != nil {
			return fmt.Errorf("python evaluator work dir: %w", err)
		}
		if st.Mode().Perm()&0o001 == 0 {
			return fmt.Errorf("python evaluator work dir %s: the sandbox user cannot pass through %s (mode %v); choose a work dir under a world-accessible folder such as /tmp",
				dir, d, st.Mode().Perm())
		}
		if d == filepath.Dir(d) {
			return nil
		}
	}
}
