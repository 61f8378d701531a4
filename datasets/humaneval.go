package datasets

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
)

// The suites of generate problems, as recorded in GenProblem.Suite.
const (
	SuiteHumanEval     = "humaneval"  // HumanEval: check() assertions
	SuiteHumanEvalPlus = "humaneval+" // EvalPlus's HumanEval+: base and plus inputs
	SuiteMBPPPlus      = "mbpp+"      // EvalPlus's MBPP+: base and plus inputs
)

// evalPlusRecord is one line of HumanEval's or EvalPlus's jsonl files.
type evalPlusRecord struct {
	TaskID            string          `json:"task_id"`
	Prompt            string          `json:"prompt"`
	EntryPoint        string          `json:"entry_point"`
	CanonicalSolution string          `json:"canonical_solution"`
	Test              string          `json:"test"`
	BaseInput         json.RawMessage `json:"base_input"`
	PlusInput         json.RawMessage `json:"plus_input"`
	Atol              *float64        `json:"atol"`
}

func init() {
	RegisterSource(Source{Name: SourceHumanEval, Task: TaskGenerate, Usage: "generate task: HumanEval or EvalPlus's HumanEval+ from this .jsonl[.gz]",
		Flag: SourceHumanEval, LoadGen: func(s Settings) ([]*GenProblem, error) { return LoadHumanEval(s.Path) },
		Suites: []Suite{{Name: SuiteHumanEval, Column: "HumanEval"}, {Name: SuiteHumanEvalPlus, Column: "HumanEval+", BaseColumn: "HumanEval"}}})
}

// LoadHumanEval reads HumanEval (task_id, prompt, entry_point,
// canonical_solution, test) or EvalPlus's HumanEval+ (which adds
// base_input, plus_input and atol) from a .jsonl or .jsonl.gz file. A
// HumanEval+ problem is judged on its base inputs (HumanEval's own) and
// its plus inputs, against the canonical solution's outputs; a plain
// HumanEval problem by its check() assertions.
func LoadHumanEval(path string) ([]*GenProblem, error) {
	return loadJSONL(path, func(r evalPlusRecord, at string) (*GenProblem, error) {
		p := &GenProblem{ID: r.TaskID, Suite: SuiteHumanEval, Prompt: r.Prompt, EntryPoint: r.EntryPoint,
			Canonical: r.Prompt + r.CanonicalSolution, Tests: GenTests{Check: r.Test}}
		if r.Test == "" && r.BaseInput == nil {
			return nil, &FieldError{File: at, Field: "test", Msg: "missing: a HumanEval problem needs test (check) or base_input"}
		}
		if r.BaseInput != nil {
			p.Suite = SuiteHumanEvalPlus
			if err := setInputs(&p.Tests, r, at); err != nil {
				return nil, err
			}
			if r.EntryPoint == "find_zero" {
				p.Tests.Oracle = OraclePolyRoot
			}
		}
		return p, nil
	})
}

// The special oracles of EvalPlus, for tests whose outputs are not
// compared by equality.
const (
	OraclePolyRoot      = "poly_root"      // HumanEval/32: |poly(xs, out)| <= atol
	OracleAlways        = "always"         // Mbpp/164: any output passes
	OracleOrZero        = "or_zero"        // Mbpp/295: the expected output or 0
	OracleSurfaceArea   = "surface_area"   // Mbpp/581: also EvalPlus's alternative reading
	OracleDigitDistance = "digit_distance" // Mbpp/558: also EvalPlus's zero-padded reading
	OracleSetEq         = "set_eq"         // outputs compared as sets
	OracleNotNone       = "not_none"       // only whether the output is None matters
)

// setInputs fills t's differential inputs from r, checking their shape.
func setInputs(t *GenTests, r evalPlusRecord, at string) error {
	var base, plus []json.RawMessage
	if err := json.Unmarshal(r.BaseInput, &base); err != nil {
		return &FieldError{File: at, Field: "base_input", Msg: "want a list of argument lists: " + err.Error()}
	}
	if r.PlusInput != nil {
		if err := json.Unmarshal(r.PlusInput, &plus); err != nil {
			return &FieldError{File: at, Field: "plus_input", Msg: "want a list of argument lists: " + err.Error()}
		}
	}
	for i, in := range append(append([]json.RawMessage{}, base...), plus...) {
		if !bytes.HasPrefix(bytes.TrimSpace(in), []byte("[")) {
			field := fmt.Sprintf("base_input[%d]", i)
			if i >= len(base) {
				field = fmt.Sprintf("plus_input[%d]", i-len(base))
			}
			return &FieldError{File: at, Field: field, Msg: "want a list of arguments"}
		}
	}
	t.Base, t.BaseCount = r.BaseInput, len(base)
	if len(plus) > 0 {
		t.Plus, t.PlusCount = r.PlusInput, len(plus)
	}
	if r.Atol != nil {
		if *r.Atol < 0 {
			return &FieldError{File: at, Field: "atol", Msg: "must not be negative"}
		}
		t.Atol = *r.Atol
	}
	return nil
}

// loadJSONL reads one record per line of path (gzip-compressed when it
// ends in .gz), converts each with conv, and checks ids are present and
// unique. Errors name the file and line.
func loadJSONL(path string, conv func(r evalPlusRecord, at string) (*GenProblem, error)) ([]*GenProblem, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	defer f.Close()
	var rd io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("load %s: %w", path, err)
		}
		defer zr.Close()
		rd = zr
	}
	sc := bufio.NewScanner(rd)
	sc.Buffer(make([]byte, 1<<20), 1<<30)
	var out []*GenProblem
	seen := map[string]int{}
	for line := 1; sc.Scan(); line++ {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		at := fmt.Sprintf("%s:%d", path, line)
		var r evalPlusRecord
		if err := json.Unmarshal(SanitizeJSON(b), &r); err != nil {
			return nil, &FieldError{File: at, Msg: "not a JSON object: " + err.Error()}
		}
		for _, f := range []struct{ name, v string }{{"task_id", r.TaskID}, {"prompt", r.Prompt},
			{"entry_point", r.EntryPoint}, {"canonical_solution", r.CanonicalSolution}} {
			if strings.TrimSpace(f.v) == "" {
				return nil, &FieldError{File: at, Field: f.name, Msg: "missing"}
			}
		}
		if prev, dup := seen[r.TaskID]; dup {
			return nil, &FieldError{File: at, Field: "task_id", Msg: fmt.Sprintf("%q already on line %d", r.TaskID, prev)}
		}
		seen[r.TaskID] = line
		p, err := conv(r, at)
		if err != nil {
			return nil, err
		}
		p.Solutions = []GenSolution{{Name: "canonical", Pass: true, Code: p.Canonical}}
		out = append(out, p)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("load %s: no problems", path)
	}
	return out, nil
}
