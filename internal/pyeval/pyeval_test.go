package pyeval

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/sandbox"
)

func newEvaluator(t *testing.T, cfg Config) *Evaluator {
	t.Helper()
	ev, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ev.Close() })
	return ev
}

// addProblem is a HumanEval-style problem with three check() tests.
var addProblem = &datasets.GenProblem{
	ID: "add", EntryPoint: "add",
	Prompt: "def add(a: int, b: int) -> int:\n    \"\"\"Return a + b.\"\"\"\n",
	Tests:  datasets.GenTests{Check: "def check(candidate):\n    assert candidate(1, 2) == 3\n    x = candidate(0, 0)\n    assert x == 0\n    assert candidate(-1, 1) == 0\n"},
}

const addOK = "def add(a, b):\n    return a + b\n"

// body makes a candidate for addProblem that runs stmts before answering.
func body(stmts string) string {
	return "import os, sys, time, socket\n\ndef add(a, b):\n" + indent(stmts) + "    return a + b\n"
}

func indent(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		b.WriteString("    " + l + "\n")
	}
	return b.String()
}

func TestVerdicts(t *testing.T) {
	ev := newEvaluator(t, Config{MinTestTime: time.Second})
	tests := []struct {
		name    string
		code    string
		status  Status
		passed  int
		failure string
		detail  string
	}{
		{"correct", addOK, Passed, 3, "", ""},
		{"wrong on one test", "def add(a, b):\n    return a + b if a >= 0 else -1\n", Failed, 2, "assert candidate(-1, 1) == 0", ""},
		{"wrong type", "def add(a, b):\n    return str(a + b)\n", Failed, 0, "assert candidate(1, 2) == 3", ""},
		{"raises", "def add(a, b):\n    return a + b[0]\n", Failed, 0, "raised TypeError", ""},
		{"setup raises into its test", "def add(a, b):\n    if a == 0:\n        raise ValueError('zero')\n    return a + b\n", Failed, 2, "assert x == 0 raised ValueError: zero", ""},
		{"syntax error", "def add(a, b)\n    return a + b\n", NotParsable, 0, "", "SyntaxError"},
		{"no entry point", "def plus(a, b):\n    return a + b\n", Error, 0, "", "defines no function add"},
		{"raises on load", "import no_such_module\n" + addOK, Error, 0, "", "ModuleNotFoundError"},
		{"exits in a test", body("sys.exit(3)"), Failed, 0, "raised SystemExit: 3", ""},
		{"ends the process", body("os._exit(0)"), Error, 0, "", "ended the process before its tests were done"},
		{"forks a child that returns too", body("os.fork()"), Passed, 3, "", ""},
		{"prints a forged report on stdout", body(`print('{"ev": "done"}'); print("x" * 10**6)`), Passed, 3, "", ""},
		// fd 3 of the candidate's process is the read end of the judge's
		// requests; the judge's report channel is not open in it.
		{"writes a forged report on fd 3", body(`os.write(3, b'{"n": "guess", "ev": "test", "i": 0, "ok": true}\n')`), Failed, 0, "Bad file descriptor", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, err := ev.Evaluate(context.Background(), addProblem, tc.code)
			if err != nil {
				t.Fatal(err)
			}
			if v.Status != tc.status || v.Passed != tc.passed || v.Total != 3 {
				t.Fatalf("verdict %+v, want %s with %d/3", v, tc.status, tc.passed)
			}
			if !strings.Contains(v.Failure, tc.failure) {
				t.Errorf("failure %q, want it to contain %q", v.Failure, tc.failure)
			}
			if !strings.Contains(v.Detail, tc.detail) {
				t.Errorf("detail %q, want it to contain %q", v.Detail, tc.detail)
			}
		})
	}
}

// leftovers lists processes whose working folder is under dir.
func leftovers(dir string) []string {
	var out []string
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		cwd, err := os.Readlink(filepath.Join("/proc", e.Name(), "cwd"))
		if err == nil && strings.HasPrefix(cwd, dir) {
			out = append(out, e.Name())
		}
	}
	return out
}

// TestHostileCandidates runs real hostile processes one after the other
// in one evaluator: each must get its status, leave no process behind,
// and the next candidate must run normally.
func TestHostileCandidates(t *testing.T) {
	lim := DefaultLimits()
	lim.Wall = 8 * time.Second
	ev := newEvaluator(t, Config{MinTestTime: time.Second, Limits: lim})
	outside := t.TempDir()
	if err := os.Chmod(outside, 0o755); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(outside, "escaped.txt")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan struct{}, 1)
	go func() {
		if c, err := ln.Accept(); err == nil {
			accepted <- struct{}{}
			c.Close()
		}
	}()
	port := ln.Addr().(*net.TCPAddr).Port
	tests := []struct {
		name    string
		code    string
		status  Status
		message string // in Failure or Detail
	}{
		{"infinite loop", body("while True:\n    pass"), Timeout, "time limit 1s passed"},
		// The alarm is the judge's, in another process: nothing to swallow.
		{"infinite loop that swallows exceptions", body("while True:\n    try:\n        while True:\n            pass\n    except BaseException:\n        pass"), Timeout, "time limit 1s passed"},
		{"infinite loop on load", "while True:\n    pass\n" + addOK, Timeout, "loading the candidate took longer"},
		{"fork loop", body("while True:\n    try:\n        os.fork()\n    except OSError:\n        pass"), Timeout, "time limit"},
		{"100 MB on fd 1", body("for _ in range(100):\n    os.write(1, b'x' * (1 << 20))"), Error, "killed: output passed 65536 bytes"},
		{"100 MB printed", body("for _ in range(100):\n    print('x' * (1 << 20))"), Passed, ""},
		{"10 GB allocation", body("b = bytearray(10 << 30)"), Failed, "MemoryError"},
		// The folder is not in the sandbox's view (FileNotFoundError), or,
		// without one, not the sandbox user's (PermissionError): both are
		// "Error: [Errno".
		{"write outside its folder", body(fmt.Sprintf("open(%q, 'w').write('x')", target)), Failed, "Error: [Errno"},
		{"write inside its folder", body("open('mine.txt', 'w').write('x')\nassert open('mine.txt').read() == 'x'"), Passed, ""},
		// The server listens on the host's loopback: an empty network
		// namespace has no route to it (OSError: Network is unreachable) or,
		// under bubblewrap, which brings its own loopback up, nobody there
		// (ConnectionRefusedError); both are "[Errno".
		{"socket to 127.0.0.1", body(fmt.Sprintf("socket.create_connection(('127.0.0.1', %d), timeout=0.5)", port)), Failed, "[Errno"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, err := ev.Evaluate(context.Background(), addProblem, tc.code)
			if err != nil {
				t.Fatal(err)
			}
			if v.Status != tc.status || !strings.Contains(v.Failure+"\n"+v.Detail, tc.message) {
				t.Fatalf("verdict %+v, want %s mentioning %q", v, tc.status, tc.message)
			}
			if left := leftovers(ev.dir); len(left) > 0 {
				t.Errorf("processes left running: %v", left)
			}
			next, err := ev.Evaluate(context.Background(), addProblem, addOK)
			if err != nil || next.Status != Passed {
				t.Fatalf("the next candidate got %+v, %v", next, err)
			}
		})
	}
	if _, err := os.Stat(target); err == nil {
		t.Errorf("a candidate wrote %s", target)
	}
	select {
	case <-accepted:
		t.Errorf("a candidate reached 127.0.0.1:%d", port)
	default:
	}
}

// TestEnforced checks the protections these tests rely on are in force,
// so the hostile tests above did not pass by luck.
func TestEnforced(t *testing.T) {
	ev := newEvaluator(t, Config{})
	got := ev.Enforced()
	for _, k := range []string{"rlimits", "network", "pid_namespace", "user"} {
		if strings.HasPrefix(got[k], "not") {
			t.Skipf("%s not enforced on this machine: %v", k, got)
		}
	}
	if got["network"] != "none (empty network namespace)" {
		t.Errorf("network: %q", got["network"])
	}
}

func loadFixture(t *testing.T, name string, load func(string) ([]*datasets.GenProblem, error)) []*datasets.GenProblem {
	t.Helper()
	ps, err := load(filepath.Join("..", "..", "datasets", "testdata", "generate", name))
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

// TestEvalPlusRules checks EvalPlus's rules on HumanEval+ and MBPP+
// fixtures: canonical solutions pass, float outputs compare within atol,
// the find_zero oracle accepts any root, MBPP+ arguments arrive as
// tuples, set-valued outputs compare as sets, and a test's time limit
// follows the canonical solution's time.
func TestEvalPlusRules(t *testing.T) {
	// A second at least per input: each call now crosses two processes,
	// which a machine at load 14 can hold up for a good part of 200 ms.
	ev := newEvaluator(t, Config{MinTestTime: time.Second, TimeFactor: 4})
	he := loadFixture(t, "humanevalplus-mini.jsonl", datasets.LoadHumanEval)
	mb := loadFixture(t, "mbppplus-mini.jsonl", datasets.LoadMBPP)
	find := func(ps []*datasets.GenProblem, id string) *datasets.GenProblem {
		p, err := datasets.FindGen(ps, id)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name         string
		p            *datasets.GenProblem
		code         string // "" = the canonical solution
		status       Status
		passed, base int
		failure      string
	}{
		{"mean canonical", find(he, "Mini/0"), "", Passed, 6, 3, ""},
		{"mean scaled by 1+1e-12, within tolerance", find(he, "Mini/0"), "def mean(xs):\n    return sum(xs) / len(xs) * (1 + 1e-12)\n", Passed, 6, 3, ""},
		{"mean off by 1e-3", find(he, "Mini/0"), "def mean(xs):\n    return sum(xs) / len(xs) + 1e-3\n", Failed, 1, 0, "mean([1.0, 2.0]) returned 1.501, expected 1.5"},
		{"mean as int", find(he, "Mini/0"), "def mean(xs):\n    return sum(xs) // len(xs)\n", Failed, 2, 1, "returned 1.0, expected 1.5"},
		{"mean fails plus only", find(he, "Mini/0"), "def mean(xs):\n    return sum(xs) / len(xs) if len(xs) < 3 or xs[0] >= 1 else 0.0\n", Failed, 5, 3, "mean([0.1, 0.2, 0.3]) returned 0.0"},
		{"find_zero canonical", find(he, "Mini/1"), "", Passed, 4, 2, ""},
		{"find_zero another root", find(he, "Mini/1"), "def find_zero(xs):\n    if xs == [-6, 11, -6, 1]:\n        return 3.0\n    lo, hi = -100.0, 100.0\n    for _ in range(200):\n        mid = (lo + hi) / 2\n        if poly(xs, mid) * poly(xs, lo) > 0:\n            lo = mid\n        else:\n            hi = mid\n    return lo\nimport math\ndef poly(xs, x):\n    return sum(c * math.pow(x, i) for i, c in enumerate(xs))\n", Passed, 4, 2, ""},
		{"find_zero returns 0", find(he, "Mini/1"), "def find_zero(xs):\n    return 0.0\n", Failed, 0, 0, "not within 1e-06 of 0"},
		{"clamp with infinities", find(he, "Mini/2"), "", Passed, 5, 2, ""},
		{"clamp forgets hi", find(he, "Mini/2"), "def clamp(x, lo, hi):\n    return max(lo, x)\n", Failed, 3, 1, "clamp(5, 0, 1) returned 5, expected 1"},
		{"triangle by formula", find(he, "Mini/3"), "def triangle(n):\n    return n * (n + 1) // 2\n", Passed, 4, 3, ""},
		{"triangle far slower than canonical", find(he, "Mini/3"), "import time\ndef triangle(n):\n    time.sleep(n / 1000)\n    return n * (n + 1) // 2\n", Timeout, 3, 3, "time limit"},
		{"similar_elements canonical (needs tuples)", find(mb, "Mbpp/2"), "", Passed, 4, 2, ""},
		{"similar_elements in another order", find(mb, "Mbpp/2"), "def similar_elements(a, b):\n    return tuple(sorted(set(a) & set(b), reverse=True))\n", Passed, 4, 2, ""},
		{"similar_elements union", find(mb, "Mbpp/2"), "def similar_elements(a, b):\n    return tuple(set(a) | set(b))\n", Failed, 0, 0, "similar_elements((3, 4, 5, 6), (5, 7, 4, 10)) returned"},
		{"circle area within atol", find(mb, "Mbpp/900"), "def circle_area(r):\n    return 3.14159265 * r * r\n", Passed, 4, 2, ""},
		{"circle area with pi = 3.14", find(mb, "Mbpp/900"), "def circle_area(r):\n    return 3.14 * r * r\n", Failed, 1, 0, "returned 314.0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code := tc.code
			if code == "" {
				code = tc.p.Canonical
			}
			v, err := ev.Evaluate(context.Background(), tc.p, code)
			if err != nil {
				t.Fatal(err)
			}
			if v.Status != tc.status || v.Passed != tc.passed || v.BasePassed != tc.base ||
				v.Total != tc.p.Tests.BaseCount+tc.p.Tests.PlusCount || v.BaseTotal != tc.p.Tests.BaseCount {
				t.Fatalf("verdict %+v, want %s, %d passed, %d base passed", v, tc.status, tc.passed, tc.base)
			}
			if !strings.Contains(v.Failure+v.Detail, tc.failure) {
				t.Errorf("failure %q, want it to contain %q", v.Failure, tc.failure)
			}
		})
	}
}

func TestBrokenCanonicalIsAnError(t *testing.T) {
	ev := newEvaluator(t, Config{})
	p := &datasets.GenProblem{ID: "broken", EntryPoint: "f", Canonical: "def f(x):\n    return 1 / x\n",
		Tests: datasets.GenTests{Base: []byte("[[1], [0]]"), BaseCount: 2}}
	_, err := ev.Evaluate(context.Background(), p, "def f(x):\n    return 1\n")
	if err == nil || !strings.Contains(err.Error(), "reference run of broken") || !strings.Contains(err.Error(), "ZeroDivisionError") {
		t.Fatalf("error %v, want the reference run's ZeroDivisionError", err)
	}
	p = &datasets.GenProblem{ID: "lazy", EntryPoint: "f", Canonical: "def f(x):\n    return iter([x])\n",
		Tests: datasets.GenTests{Base: []byte("[[1]]"), BaseCount: 1}}
	_, err = ev.Evaluate(context.Background(), p, "def f(x):\n    return iter([x])\n")
	if err == nil || !strings.Contains(err.Error(), "returned an iterator") {
		t.Fatalf("error %v, want the canonical solution's iterator refused", err)
	}
}

func TestCancelledContextStopsACandidate(t *testing.T) {
	ev := newEvaluator(t, Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := ev.Evaluate(ctx, addProblem, body("time.sleep(30)"))
	if err == nil || time.Since(start) > 10*time.Second {
		t.Fatalf("error %v after %s, want a prompt cancellation", err, time.Since(start))
	}
}

// TestPySuiteSolutions is `lessonl datasets check --pysuite`: every
// correct solution of the built-in suite passes, every wrong one fails.
func TestPySuiteSolutions(t *testing.T) {
	ps, err := datasets.PySuite()
	if err != nil {
		t.Fatal(err)
	}
	rows, err := Check(context.Background(), newEvaluator(t, Config{}), ps, 2)
	if err != nil {
		t.Fatal(err)
	}
	wrong := 0
	for _, r := range rows {
		if !r.OK {
			t.Errorf("%s %s: expected to %s, got %+v %s", r.ID, r.Solution, r.Expect, r.Verdict, r.Err)
		}
		if r.Expect == "fail" {
			wrong++
		}
	}
	if len(ps) < 20 || wrong < 2*len(ps) {
		t.Errorf("%d problems, %d wrong solutions", len(ps), wrong)
	}
}

// TestOpaqueOracles checks EvalPlus's oracles that do not compare values:
// under not_none (MBPP+'s regex problems, whose canonical solutions
// return re.Match objects) a result that is not plain data counts as not
// None, and under always any result passes; elsewhere such a result fails.
func TestOpaqueOracles(t *testing.T) {
	ev := newEvaluator(t, Config{})
	match := func(oracle string) *datasets.GenProblem {
		return &datasets.GenProblem{ID: "match-" + oracle, EntryPoint: "m",
			Canonical: "import re\ndef m(s):\n    return re.search('ab', s)\n",
			Tests:     datasets.GenTests{Base: []byte(`[["xaby"], ["zz"], ["ab"]]`), BaseCount: 3, Oracle: oracle}}
	}
	tests := []struct {
		name   string
		oracle string
		code   string
		status Status
		passed int
	}{
		{"not_none canonical", datasets.OracleNotNone, "", Passed, 3},
		{"not_none as booleans", datasets.OracleNotNone, "def m(s):\n    return 'ab' in s\n", Passed, 3},
		{"not_none inverted", datasets.OracleNotNone, "import re\ndef m(s):\n    return None if 'ab' in s else re.search('z', s)\n", Failed, 0},
		{"always, anything", datasets.OracleAlways, "def m(s):\n    return object()\n", Passed, 3},
		{"no oracle, a match object", "", "", Failed, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := match(tc.oracle)
			if tc.oracle == "" {
				p.Canonical = "def m(s):\n    return 'ab' in s\n"
				tc.code = "import re\ndef m(s):\n    return re.search('ab', s)\n"
			}
			code := tc.code
			if code == "" {
				code = p.Canonical
			}
			v, err := ev.Evaluate(context.Background(), p, code)
			if err != nil {
				t.Fatal(err)
			}
			if v.Status != tc.status || v.Passed != tc.passed {
				t.Fatalf("verdict %+v, want %s with %d passed", v, tc.status, tc.passed)
			}
			if tc.status == Failed && tc.oracle == "" && !strings.Contains(v.Failure, "is not plain data") {
				t.Errorf("failure %q, want it to say the result is not plain data", v.Failure)
			}
		})
	}
}

// TestCallForms checks that tests of every form run in the judge against
// the proxy: assertions that are not an equality, loops, keyword
// arguments, helpers from the prompt that the tests call (as HumanEval's
// encode_cyclic), an expected exception, and results of every plain type
// compared in the judge; each with an honest and a wrong candidate.
func TestCallForms(t *testing.T) {
	ev := newEvaluator(t, Config{})
	kw := &datasets.GenProblem{ID: "kw", EntryPoint: "power",
		Prompt: "def power(base: int, exp: int = 2) -> int:\n    \"\"\"Return base ** exp.\"\"\"\n",
		Tests:  datasets.GenTests{Check: "def check(candidate):\n    assert candidate(3) == 9\n    assert candidate(base=2, exp=5) == 32\n    assert candidate(2, exp=0) == 1\n"}}
	helper := &datasets.GenProblem{ID: "helper", EntryPoint: "decode_shift",
		Prompt: "def encode_shift(s: str) -> str:\n    return ''.join(chr((ord(c) - 97 + 5) % 26 + 97) for c in s)\n\n\n" +
			"def decode_shift(s: str) -> str:\n    \"\"\"Undo encode_shift.\"\"\"\n",
		Tests: datasets.GenTests{Check: "def check(candidate):\n    for w in ['abc', 'xyz', 'hello']:\n        assert candidate(encode_shift(w)) == w\n"}}
	raises := &datasets.GenProblem{ID: "raises", EntryPoint: "parse",
		Prompt: "def parse(s: str) -> int:\n    \"\"\"Return int(s); raise ValueError when s is not a number.\"\"\"\n",
		Tests: datasets.GenTests{Check: "def check(candidate):\n    assert candidate('12') == 12\n" +
			"    try:\n        candidate('x')\n        raise AssertionError('no ValueError')\n    except ValueError:\n        pass\n"}}
	helperTests := &datasets.GenProblem{ID: "helper-tests", EntryPoint: "count_primes",
		Prompt: "def count_primes(n: int) -> int:\n    \"\"\"Return how many primes are below n.\"\"\"\n",
		Tests:  datasets.GenTests{Check: "def check(candidate):\n    assert count_primes(10) == 4\n    assert is_prime(7) and not is_prime(9)\n"}}
	types := &datasets.GenProblem{ID: "types", EntryPoint: "kinds",
		Prompt: "def kinds(n: int):\n    \"\"\"Return a value of every plain type built from n.\"\"\"\n",
		Tests: datasets.GenTests{Check: "def check(candidate):\n" +
			"    v = candidate(3)\n    assert v == (None, True, 3, 3.5, 3j, '3', b'3', [3], (3,), {3: '3'}, {3}, frozenset({3}), 2 ** 200 + 3, float('inf'))\n" +
			"    assert type(v[5]) is str and type(v[6]) is bytes and type(v[11]) is frozenset\n" +
			"    assert candidate(-1)[12] == 2 ** 200 - 1\n"}}
	count := &datasets.GenProblem{ID: "count", EntryPoint: "upto",
		Prompt: "def upto(n: int) -> list:\n    \"\"\"Return [0, 1, ..., n - 1].\"\"\"\n",
		Tests: datasets.GenTests{Check: "def check(candidate):\n    assert list(candidate(3)) == [0, 1, 2]\n" +
			"    assert sum(candidate(4)) == 6\n    assert candidate(2) == [0, 1]\n"}}
	kinds := "def kinds(n):\n    return (None, True, n, n + 0.5, complex(0, n), str(n), str(n).encode(), [n], (n,), {n: str(n)}, {n}, frozenset({n}), 2 ** 200 + n, float('inf'))\n"
	tests := []struct {
		name   string
		p      *datasets.GenProblem
		code   string
		status Status
		passed int
	}{
		{"set and len", uniqProblem, "def uniq(xs):\n    return sorted(set(xs))\n", Passed, 3},
		{"set and len, unsorted", uniqProblem, "def uniq(xs):\n    return sorted(set(xs), reverse=True)\n", Failed, 2},
		{"tolerance, loop, truth", rootProblem, "def root(x):\n    return x ** 0.5\n", Passed, 3},
		{"tolerance, loop, truth, rounded", rootProblem, "def root(x):\n    return round(x ** 0.5, 3)\n", Failed, 2},
		{"keyword arguments", kw, "def power(base, exp=2):\n    return base ** exp\n", Passed, 3},
		{"keyword arguments, exp ignored", kw, "def power(base, exp=2):\n    return base ** 2\n", Failed, 1},
		{"a helper from the prompt", helper, "def decode_shift(s):\n    return ''.join(chr((ord(c) - 97 - 5) % 26 + 97) for c in s)\n", Passed, 1},
		{"a helper the candidate redefines", helper, "def encode_shift(s):\n    return s\n\ndef decode_shift(s):\n    return s\n", Failed, 0},
		// LLM-written tests call the entry point, and sometimes a helper
		// of the candidate's, by name: the helper is proxied too.
		{"a helper of the candidate's that tests call", helperTests, "def is_prime(k):\n    return k > 1 and all(k % d for d in range(2, k))\n\n" +
			"def count_primes(n):\n    return sum(map(is_prime, range(n)))\n", Passed, 2},
		{"no such helper", helperTests, "def count_primes(n):\n    return 4\n", Failed, 1},
		{"an expected ValueError", raises, "def parse(s):\n    return int(s)\n", Passed, 1},
		{"a TypeError instead", raises, "def parse(s):\n    if not s.isdigit():\n        raise TypeError(s)\n    return int(s)\n", Failed, 0},
		{"a list", count, "def upto(n):\n    return list(range(n))\n", Passed, 3},
		// A returned iterator reaches the tests as an iterator over its
		// items: list() and sum() consume it, and it equals no list.
		{"a generator", count, "def upto(n):\n    yield from range(n)\n", Failed, 2},
		{"a map", count, "def upto(n):\n    return map(int, range(n))\n", Failed, 2},
		{"a generator that raises", count, "def upto(n):\n    yield 0\n    raise ValueError('late')\n", Failed, 0},
		{"every plain type", types, kinds, Passed, 3},
		{"bytearray is not bytes", types, strings.Replace(kinds, "str(n).encode()", "bytearray(str(n).encode())", 1), Failed, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, err := ev.Evaluate(context.Background(), tc.p, tc.code)
			if err != nil {
				t.Fatal(err)
			}
			if v.Status != tc.status || v.Passed != tc.passed {
				t.Fatalf("verdict %+v, want %s with %d passed", v, tc.status, tc.passed)
			}
		})
	}
}

// TestJudgeUndumpable checks the judge's fallback where the sandbox gives
// no process a /proc of its own: after undumpable() a process of the same
// user can neither ptrace it nor read its memory (PR_GET_DUMPABLE goes from 1 to 0).
func TestJudgeUndumpable(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "probe.py")
	src := plainPy + judgePy + "\nprint(__import__(\"ctypes\").CDLL(None).prctl(3, 0, 0, 0, 0))\nundumpable()\nimport ctypes\nprint(ctypes.CDLL(None).prctl(3, 0, 0, 0, 0))\n"
	src = strings.Replace(src, "if __name__ == \"__main__\":\n    main()", "", 1)
	if err := os.WriteFile(script, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("python3", "-I", "-B", script).CombinedOutput()
	if err != nil || strings.Join(strings.Fields(string(out)), " ") != "1 0" {
		t.Fatalf("dumpable after undumpable(): %q, %v", out, err)
	}
}

// TestConfigSettings: the evaluation settings shared with the C++
// evaluator (timeout, memory_gib) replace the default limits they stand
// for, and leave the others.
func TestConfigSettings(t *testing.T) {
	d := DefaultLimits()
	for _, c := range []struct {
		name string
		cfg  Config
		want func(l *sandbox.Limits)
	}{
		{"defaults", Config{}, func(*sandbox.Limits) {}},
		{"timeout", Config{Timeout: 5 * time.Second}, func(l *sandbox.Limits) { l.Wall, l.CPU = 5*time.Second, 10*time.Second }},
		{"memory", Config{MemoryGiB: 2}, func(l *sandbox.Limits) { l.AddressSpace, l.Memory = 2<<30, 2<<30 }},
		{"over given limits", Config{Limits: sandbox.Limits{Wall: time.Second, Output: 10}, Timeout: 3 * time.Second},
			func(l *sandbox.Limits) { *l = sandbox.Limits{Wall: 3 * time.Second, CPU: 6 * time.Second, Output: 10} }},
	} {
		t.Run(c.name, func(t *testing.T) {
			want := d
			c.want(&want)
			c.cfg.fill()
			if c.cfg.Limits != want {
				t.Errorf("limits %+v, want %+v", c.cfg.Limits, want)
			}
		})
	}
}
