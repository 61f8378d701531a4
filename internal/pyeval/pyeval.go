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
	"github.com/lessonlab/lessonl/internal/sandbox"
)

// The judge and the worker share plain.py, the plain-data codec; the
// interpreter runs in isolated mode (-I), which does not put a script's
// folder on the import path, so each gets it prepended.
var (
	//go:embed plain.py
	plainPy string
	//go:embed judge.py
	judgePy string
	//go:embed worker.py
	workerPy string
)

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

// Config says how to run candidates. The zero value of each field means
// its default.
type Config struct {
	// Python is the interpreter; default python3. It runs with -I
	// (isolated: no user site, no PYTHON* variables) and -B.
	Python string
	// Limits bound each candidate's process: all its tests together.
	// Default DefaultLimits.
	Limits sandbox.Limits
	// Timeout and MemoryGiB are the evaluation settings the Python
	// evaluator shares with the C++ one (evaluate.Config's timeout and
	// memory_gib: a spec's evaluation block, the CLI's --timeout and
	// --memory-gib), applied over Limits: Timeout bounds the wall clock of
	// a candidate's process (its CPU time: twice that), MemoryGiB its
	// address space and its control group's memory. 0 leaves Limits.
	Timeout   time.Duration
	MemoryGiB int
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
func DefaultLimits() sandbox.Limits {
	return sandbox.Limits{Wall: 60 * time.Second, CPU: 120 * time.Second, AddressSpace: 4 << 30,
		FileSize: 64 << 20, Processes: 64, Output: 64 << 10}
}

func (c *Config) fill() {
	if c.Python == "" {
		c.Python = "python3"
	}
	if c.Limits == (sandbox.Limits{}) {
		c.Limits = DefaultLimits()
	}
	if c.Timeout > 0 {
		c.Limits.Wall, c.Limits.CPU = c.Timeout, 2*c.Timeout
	}
	if c.MemoryGiB > 0 {
		c.Limits.AddressSpace = int64(c.MemoryGiB) << 30
		c.Limits.Memory = int64(c.MemoryGiB) << 30
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
	sandbox *sandbox.Sandbox
	dir     string

	mu   sync.Mutex
	refs map[string]*reference
}

// reference is what a problem's canonical solution gives: the expected
// outputs (plain data in the judge's wire form) and per-test time limits.
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
	sb := sandbox.New()
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
		job.Check, job.Prompt = p.Tests.Check, p.Prompt
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

// harnessJob is the configuration judge.py reads from fd 4.
type harnessJob struct {
	Mode       string `json:"mode"`
	Nonce      string `json:"nonce"`
	Candidate  string `json:"candidate"`
	EntryPoint string `json:"entry_point"`
	// Prompt is the problem's prompt, whose helpers (HumanEval's poly,
	// encode_cyclic) the tests call; the judge runs it, never the
	// candidate's code.
	Prompt       string          `json:"prompt,omitempty"`
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

// event is one line judge.py writes on fd 3.
type event struct {
	N        string    `json:"n"`
	Ev       string    `json:"ev"`
	Total    int       `json:"total"`
	I        int       `json:"i"`
	OK       bool      `json:"ok"`
	Msg      string    `json:"msg"`
	Timeout  bool      `json:"timeout"`
	Gone     bool      `json:"gone"` // the candidate's process ended during this step
	Expected string    `json:"expected"`
	Times    []float64 `json:"times"`
}

// runResult is what one judge reported, and how the judge and the
// candidate's process ended.
type runResult struct {
	exit   sandbox.Exit // the judge's
	cand   sandbox.Exit // the candidate's process's
	total  int
	tests  []event
	syntax *event
	load   *event
	ref    *event
	done   bool
	gone   bool   // the judge saw the candidate's end of the channel close
	hungUp bool   // ... while the process itself lived on, until killed
	bad    string // the report itself was malformed
}

// maxReport bounds what is read from fd 3: a reference run's outputs for
// HumanEval+'s largest problems are a few MB.
const maxReport = 256 << 20

// judgeGrace is how much longer than the candidate's process the judge
// may run, so that when the candidate's wall clock runs out the judge
// sees it end and reports it.
const judgeGrace = 10 * time.Second

// run starts the judge and the candidate's process for job and collects
// the report. Where the sandbox falls back to one user for every folder,
// RLIMIT_NPROC counts every sandbox's processes, so concurrent ones can
// leave none for the sandbox's first fork; such a start
// (sandbox.Exit.Unstarted), which ran no candidate code at all, is
// retried a few times before it counts as an error.
func (e *Evaluator) run(ctx context.Context, job harnessJob, code string) (runResult, error) {
	for attempt := 1; ; attempt++ {
		res, err := e.runOnce(ctx, job, code)
		unstarted := res.exit.Unstarted && res.total == 0 || res.cand.Unstarted && res.load != nil && res.gone
		if err != nil || attempt == 4 || !unstarted {
			return res, err
		}
		select {
		case <-ctx.Done():
			return res, ctx.Err()
		case <-time.After(time.Duration(attempt) * 250 * time.Millisecond):
		}
	}
}

// folder makes a fresh folder under the work dir holding files, owned by
// a sandbox user of its own; the sandbox releases it (Release).
func (e *Evaluator) folder(prefix string, files map[string]string) (string, error) {
	dir, err := os.MkdirTemp(e.dir, prefix)
	if err != nil {
		return "", err
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			os.RemoveAll(dir)
			return "", err
		}
	}
	if err := e.sandbox.Owner(dir); err != nil {
		e.sandbox.Release(dir)
		return "", err
	}
	return dir, nil
}

// runOnce runs one evaluation as two sandboxed processes, each in a fresh
// folder of its own (so, where the machine allows, under a user of its
// own): the judge (judge.py), which gets job on fd 4 and reports on fd 3,
// and the candidate's process (worker.py beside candidate.py), which the
// judge drives over two pipes (the judge's fds 5 and 6, the candidate's 3
// and 4). Only the judge's report is read; the candidate's process has
// no channel to lessonl and sees no test or expected value.
func (e *Evaluator) runOnce(ctx context.Context, job harnessJob, code string) (runResult, error) {
	var res runResult
	jdir, err := e.folder("judge-", map[string]string{"judge.py": plainPy + judgePy})
	if err != nil {
		return res, err
	}
	defer e.sandbox.Release(jdir)
	cdir, err := e.folder("cand-", map[string]string{"worker.py": plainPy + workerPy, "candidate.py": code})
	if err != nil {
		return res, err
	}
	defer e.sandbox.Release(cdir)
	nonce := make([]byte, 16)
	if _, err := rand.Read(nonce); err != nil {
		return res, err
	}
	job.Nonce, job.Candidate = hex.EncodeToString(nonce), "candidate.py"
	cfg, err := json.Marshal(job)
	if err != nil {
		return res, err
	}
	var pipes [8]*os.File // result r/w, config r/w, request r/w, reply r/w
	for i := 0; i < len(pipes); i += 2 {
		if pipes[i], pipes[i+1], err = os.Pipe(); err != nil {
			for _, f := range pipes[:i] {
				f.Close()
			}
			return res, err
		}
	}
	resR, resW, cfgR, cfgW, reqR, reqW, repR, repW := pipes[0], pipes[1], pipes[2], pipes[3], pipes[4], pipes[5], pipes[6], pipes[7]
	defer resR.Close()
	jlim := e.cfg.Limits
	jlim.Wall += judgeGrace
	jlim.CPU += judgeGrace
	jargs := []string{"-I", "-B", "judge.py"}
	if !e.sandbox.PrivateFilesystem() {
		jargs = append(jargs, "--undumpable")
	}
	judge := e.sandbox.Command(jdir, jlim, nil, []*os.File{resW, cfgR, reqW, repR}, e.cfg.Python, jargs...)
	cand := e.sandbox.Command(cdir, e.cfg.Limits, nil, []*os.File{reqR, repW}, e.cfg.Python, "-I", "-B", "worker.py")
	jerr := judge.Start()
	cerr := error(nil)
	if jerr == nil {
		cerr = cand.Start()
	}
	for _, f := range []*os.File{resW, cfgR, reqW, repR, reqR, repW} {
		f.Close()
	}
	if jerr != nil || cerr != nil {
		cfgW.Close()
		if jerr == nil {
			judge.Kill()
			judge.Wait()
		}
		return res, fmt.Errorf("start %s: %w", e.cfg.Python, errors.Join(jerr, cerr))
	}
	go func() {
		cfgW.Write(cfg)
		cfgW.Close()
	}()
	stop := context.AfterFunc(ctx, func() { judge.Kill(); cand.Kill() })
	defer stop()
	read := make(chan struct{})
	go func() {
		defer close(read)
		res.collect(io.LimitReader(resR, maxReport), job.Nonce)
		io.Copy(io.Discard, resR)
	}()
	res.exit = judge.Wait()
	// The pipe closes when the judge's namespace ends, so this does not
	// hang.
	<-read
	if res.gone {
		// The candidate's process ended by itself (the judge saw its end
		// of the pipe close): its exit says why, once its sandbox is down.
		ended := make(chan sandbox.Exit, 1)
		go func() { ended <- cand.Wait() }()
		select {
		case res.cand = <-ended:
		case <-time.After(5 * time.Second):
			cand.Kill()
			res.cand, res.hungUp = <-ended, true
		}
	} else {
		cand.Kill()
		res.cand = cand.Wait()
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	return res, nil
}

// collect reads the judge's report lines, keeping only those with the
// nonce.
func (r *runResult) collect(rd io.Reader, nonce string) {
	sc := bufio.NewScanner(rd)
	sc.Buffer(make([]byte, 64<<10), maxReport)
	for sc.Scan() {
		var ev event
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil || ev.N != nonce {
			if r.bad == "" {
				r.bad = "a report line without the judge's nonce: " + firstLine(sc.Text())
			}
			continue
		}
		r.gone = r.gone || ev.Gone
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

// status classifies the run; detail says why when it did not finish. The
// verdict is the judge's; the candidate's process's exit only explains an
// end the judge saw (a time limit, the output cap, a crash).
func (r *runResult) status(lim sandbox.Limits) (Status, string) {
	x := r.exit
	switch {
	case r.syntax != nil:
		return NotParsable, r.syntax.Msg
	case r.load != nil && r.load.Timeout:
		return Timeout, r.load.Msg
	case r.load != nil && r.gone:
		return r.candidateEnded(lim)
	case r.load != nil:
		return Error, r.load.Msg
	}
	for _, t := range r.tests {
		if t.Timeout {
			return Timeout, t.Msg
		}
	}
	if r.gone {
		return r.candidateEnded(lim)
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
		return Timeout, "the judge: " + x.Describe(lim)
	default:
		return Error, "the judge ended before the tests were done: " + x.Describe(lim)
	}
}

// candidateEnded says why the candidate's process ended before its tests
// were done.
func (r *runResult) candidateEnded(lim sandbox.Limits) (Status, string) {
	x := r.cand
	switch {
	case r.hungUp:
		return Error, "the candidate's process closed its channel to the judge and did not end"
	case x.TimedOut:
		return Timeout, x.Describe(lim)
	case x.Code == 0 && x.Signal == "" && !x.OutputCap:
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
