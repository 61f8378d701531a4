package datasets

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// solutionRecord is one line of a known-solutions file.
type solutionRecord struct {
	TaskID     string `json:"task_id"`
	Name       string `json:"name"`
	Pass       *bool  `json:"pass"`
	Note       string `json:"note"`
	Completion string `json:"completion"`
	Solution   string `json:"solution"`
}

// AddGenSolutions reads known candidates from a .jsonl file and adds them
// to their problems, so that `lessonl datasets check` verifies each gets
// its expected verdict. A line holds task_id, name, pass (whether it
// should pass every hidden test), an optional note, and either
// completion (appended to the prompt, as HumanEval's samples are) or
// solution (a whole program, as MBPP's and EvalPlus's are).
func AddGenSolutions(ps []*GenProblem, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("known solutions: %w", err)
	}
	byID := make(map[string]*GenProblem, len(ps))
	for _, p := range ps {
		byID[p.ID] = p
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for line := 1; sc.Scan(); line++ {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		at := fmt.Sprintf("%s:%d", path, line)
		var r solutionRecord
		if err := json.Unmarshal(b, &r); err != nil {
			return &FieldError{File: at, Msg: "not a JSON object: " + err.Error()}
		}
		p, ok := byID[r.TaskID]
		switch {
		case !ok:
			return &FieldError{File: at, Field: "task_id", Msg: fmt.Sprintf("no problem %q among the %d loaded", r.TaskID, len(ps))}
		case strings.TrimSpace(r.Name) == "":
			return &FieldError{File: at, Field: "name", Msg: "missing"}
		case r.Pass == nil:
			return &FieldError{File: at, Field: "pass", Msg: "missing: say whether it should pass (true or false)"}
		case (r.Completion == "") == (r.Solution == ""):
			return &FieldError{File: at, Field: "completion", Msg: "give exactly one of completion and solution"}
		}
		for _, s := range p.Solutions {
			if s.Name == r.Name {
				return &FieldError{File: at, Field: "name", Msg: fmt.Sprintf("%s already has a solution %q", p.ID, r.Name)}
			}
		}
		code := r.Solution
		if code == "" {
			code = p.Prompt + r.Completion
		}
		p.Solutions = append(p.Solutions, GenSolution{Name: r.Name, Pass: *r.Pass, Note: r.Note, Code: code})
	}
	return sc.Err()
}
