package pyeval

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lessonlab/lessonl/datasets"
)

// uniqProblem checks a list-valued answer through set() and len().
var uniqProblem = &datasets.GenProblem{
	ID: "uniq", EntryPoint: "uniq",
	Prompt: "def uniq(xs: list) -> list:\n    \"\"\"Return the distinct elements of xs in increasing order.\"\"\"\n",
	Tests: datasets.GenTests{Check: "def check(candidate):\n    assert candidate([3, 1, 3]) == [1, 3]\n" +
		"    assert set(candidate([2, 2, 5])) == {2, 5}\n    assert len(candidate([])) == 0\n"},
}

// rootProblem asserts through forms other than equality: a tolerance, a
// loop over math.isclose, a bare truth test.
var rootProblem = &datasets.GenProblem{
	ID: "root", EntryPoint: "root",
	Prompt: "import math\n\n\ndef root(x: float) -> float:\n    \"\"\"Return the square root of x.\"\"\"\n",
	Tests: datasets.GenTests{Check: "import math\n\n\ndef check(candidate):\n" +
		"    assert abs(candidate(2.0) - 1.4142135623730951) < 1e-9\n" +
		"    for x in [9.0, 16.0, 25.0]:\n        assert math.isclose(candidate(x) ** 2, x)\n" +
		"    assert candidate(1.0)\n"},
}

// TestHostileProbes runs the hostile candidates of testdata/hostile, one
// per class of attack on the judgement (a value whose __eq__ lies,
// reading the expected values, replacing the harness, forging its
// report, exceptions in special methods, oversized or malformed results,
// crashes), each against a problem it would cheat: none may pass, each
// gets its status for its reason, leaves no process behind, and the next
// candidate runs normally.
func TestHostileProbes(t *testing.T) {
	lim := DefaultLimits()
	lim.Wall = 20 * time.Second
	ev := newEvaluator(t, Config{MinTestTime: 5 * time.Second, Limits: lim})
	mean, err := datasets.FindGen(loadFixture(t, "humanevalplus-mini.jsonl", datasets.LoadHumanEval), "Mini/0")
	if err != nil {
		t.Fatal(err)
	}
	honest := map[string]string{"add": addOK,
		"uniq": "def uniq(xs):\n    return sorted(set(xs))\n",
		"root": "def root(x):\n    return x ** 0.5\n",
		"mean": mean.Canonical}
	tests := []struct {
		file      string
		p         *datasets.GenProblem
		status    Status
		maxPassed int
		message   string // in Failure or Detail
	}{
		{"eq-always-true.py", addProblem, Failed, 0, "a value of type Anything is not plain data"},
		{"mean-eq-always-true.py", mean, Failed, 0, "a value of type Anything is not plain data"},
		{"int-subclass.py", addProblem, Failed, 0, "a value of type Int is not plain data"},
		{"list-subclass.py", uniqProblem, Failed, 0, "a value of type List is not plain data"},
		{"numeric-dunders.py", rootProblem, Failed, 0, "a value of type Close is not plain data"},
		{"frames-differential.py", mean, Failed, 0, "returned -1.0, expected 1.5"},
		{"gc-expected.py", mean, Failed, 0, "returned -1.0, expected 1.5"},
		{"inspect-consts.py", addProblem, Failed, 0, "assert candidate(1, 2) == 3"},
		{"replace-reporting.py", addProblem, Failed, 0, "assert candidate(1, 2) == 3"},
		{"import-judge.py", mean, Failed, 0, "returned b'\\x80"},
		{"kill-everyone.py", addProblem, Failed, 0, "assert candidate(1, 2) == 3"},
		{"forged-verdict-lines.py", addProblem, Failed, 0, "malformed reply"},
		{"sys-exit-zero.py", addProblem, Failed, 0, "raised SystemExit"},
		{"exit-at-load.py", addProblem, Error, 0, "the candidate ended the process before its tests were done"},
		{"forged-reply-frame.py", addProblem, Failed, 1, "answered out of turn"},
		{"fork-answers.py", addProblem, Failed, 1, "assert x == 0"},
		{"repr-raises.py", addProblem, Failed, 0, "a value of type Loud is not plain data"},
		{"del-exits.py", addProblem, Error, 0, "the candidate ended the process before its tests were done"},
		{"close-channel.py", addProblem, Error, 0, "closed its channel to the judge and did not end"},
		{"huge-output.py", addProblem, Failed, 0, "the candidate returned too much data: a message passes the 67108864-byte cap"},
		{"huge-frame.py", addProblem, Failed, 0, "a message of 4294967295 bytes passes the 67108864-byte cap"},
		{"deep-nesting.py", addProblem, Failed, 0, "nested deeper than 200"},
		// Python frames live on the heap: the time limit or the address
		// space limit (4 GiB), whichever a machine reaches first.
		{"recursion-bomb.py", addProblem, Timeout, 0, "time limit 5s passed"},
		{"recursion-crash.py", addProblem, Error, 0, "killed by signal: SIGSEGV"},
	}
	// The other verdict a probe may get, where the machine decides which
	// limit comes first.
	or := map[string]struct {
		status  Status
		message string
	}{"recursion-bomb.py": {Failed, "MemoryError"}}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			code, err := os.ReadFile(filepath.Join("testdata", "hostile", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			v, err := ev.Evaluate(context.Background(), tc.p, string(code))
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("| %s | %s | %s %d/%d | %.100s |", tc.file, tc.p.ID, v.Status, v.Passed, v.Total, firstLine(v.Failure+" "+v.Detail))
			got := func(st Status, msg string) bool {
				return v.Status == st && strings.Contains(v.Failure+"\n"+v.Detail, msg)
			}
			alt, ok := or[tc.file]
			if v.Passed > tc.maxPassed || !got(tc.status, tc.message) && !(ok && got(alt.status, alt.message)) {
				t.Fatalf("verdict %+v, want %s with at most %d passed, mentioning %q", v, tc.status, tc.maxPassed, tc.message)
			}
			if left := leftovers(ev.dir); len(left) > 0 {
				t.Errorf("processes left running: %v", left)
			}
			next, err := ev.Evaluate(context.Background(), tc.p, honest[tc.p.EntryPoint])
			if err != nil || next.Status != Passed {
				t.Fatalf("the next candidate got %+v, %v", next, err)
			}
		})
	}
}
