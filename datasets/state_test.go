package datasets

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lessonlab/lessonl/internal/cxx"
	"github.com/lessonlab/lessonl/internal/evaluate/harness"
)

// malformed is compare's answer to a state that does not parse.
const malformed = "differ the candidate's process sent a malformed state"

// lastMemberIsInput names the problems whose Case declares an input last,
// so the last byte of their dumped state is that input's "unchanged"
// marker.
var lastMemberIsInput = map[string]bool{
	"scan-window-max":    true, // k
	"sort-smallest-k":    true, // k
	"sparse-coo-spmv":    true, // n
	"stencil-box-sums":   true, // r
	"stencil-jacobi-2d":  true, // sweeps
	"stencil-life":       true, // cols
	"stencil-median-3x3": true, // cols
}

// TestDriversStateNamesEveryMember checks that each driver's Case.state
// names every data member of Case, in declaration order: a member left
// out would not reach the baseline's process (an output left out would
// be compared as the baseline's own).
func TestDriversStateNamesEveryMember(t *testing.T) {
	for _, s := range stateSuites(t) {
		for _, p := range s.problems {
			members, err := caseMembers(p.Driver)
			if err != nil {
				t.Errorf("%s/%s: %v", s.name, p.ID, err)
				continue
			}
			named, err := stateNames(p.Driver)
			if err != nil {
				t.Errorf("%s/%s: %v", s.name, p.ID, err)
				continue
			}
			if strings.Join(named, " ") != strings.Join(members, " ") {
				t.Errorf("%s/%s: state() names %v, want the members %v", s.name, p.ID, named, members)
			}
		}
	}
}

// caseMembers returns the data members of the driver's struct Case in
// declaration order.
func caseMembers(driver string) ([]string, error) {
	start, end := cxx.TypeSpan(driver, "Case")
	if start < 0 {
		return nil, fmt.Errorf("no struct Case")
	}
	bl := cxx.Blank(driver)[start:end]
	open := strings.IndexByte(bl, '{')
	body := bl[open+1 : cxx.MatchingBracket(bl, open)]
	var names []string
	var stmt strings.Builder
	depth := 0
	for i := 0; i < len(body); i++ {
		c := body[i]
		stmt.WriteByte(c)
		switch {
		case c == '{':
			depth++
		case c == '}':
			depth--
			// A member function's body ends its definition; a braced
			// initializer does not (no parameter list before it).
			if depth == 0 && strings.Contains(stmt.String(), ")") {
				stmt.Reset()
			}
		case c == ';' && depth == 0:
			names = append(names, declared(stmt.String())...)
			stmt.Reset()
		}
	}
	return names, nil
}

// declared returns the names a member declaration (up to its ";")
// declares, or nothing for a declaration of no data member.
func declared(decl string) []string {
	decl = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(decl), ";"))
	for _, w := range []string{"static ", "using ", "typedef ", "friend ", "template", "public:", "private:", "protected:"} {
		if strings.HasPrefix(decl, w) {
			return nil
		}
	}
	// Split the declarators at commas outside brackets and initializers.
	var parts []string
	level, from := 0, 0
	for i := 0; i < len(decl); i++ {
		switch decl[i] {
		case '<', '(', '[', '{':
			level++
		case '>', ')', ']', '}':
			level--
		case ',':
			if level == 0 {
				parts = append(parts, decl[from:i])
				from = i + 1
			}
		}
	}
	parts = append(parts, decl[from:])
	var names []string
	for _, part := range parts {
		head, _, _ := strings.Cut(part, "=")
		if i := strings.IndexByte(head, '{'); i >= 0 {
			head = head[:i]
		}
		if strings.Contains(head, "(") {
			return nil // a member function declared, not defined
		}
		head = strings.TrimRight(head, " \t\n")
		j := len(head)
		for j > 0 && cxx.IsIdentByte(head[j-1]) {
			j--
		}
		if j < len(head) {
			names = append(names, head[j:])
		}
	}
	return names
}

var stateHead = regexp.MustCompile(`void\s+state\s*\(\s*V\s*&\s*(\w+)\s*\)\s*\{`)

// stateNames returns the members Case.state hands its visitor, in order.
func stateNames(driver string) ([]string, error) {
	bl := cxx.Blank(driver)
	m := stateHead.FindStringSubmatchIndex(bl)
	if m == nil {
		return nil, fmt.Errorf("no template <class V> void state(V& v)")
	}
	body := bl[m[1]:cxx.MatchingBracket(bl, m[1]-1)]
	call := regexp.MustCompile(`\b` + bl[m[2]:m[3]] + `\(\s*(\w+)\s*\)\s*;`)
	var names []string
	for _, c := range call.FindAllStringSubmatch(body, -1) {
		names = append(names, c[1])
	}
	return names, nil
}

// stateSuite is a set of problems whose drivers are checked.
type stateSuite struct {
	name     string
	problems []*Problem
}

// stateSuites returns the built-in suite and the test problems of the
// evaluator and of experiments.
func stateSuites(t *testing.T) []stateSuite {
	t.Helper()
	builtin, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	suites := []stateSuite{{BuiltinSuite, builtin}}
	for _, dir := range []string{"../internal/evaluate/testdata/reduce-sum", "../experiments/testdata/mini"} {
		ps, err := LoadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		suites = append(suites, stateSuite{strings.TrimPrefix(dir, "../"), ps})
	}
	return suites
}

// TestDriversCarryState builds every driver with the baseline on both
// sides, as the baseline's process of the timed protocol is built, and
// drives two processes through input, call, dump and judge: a state
// carried from one process to the other for the same input is "same"
// against the other's own; one with its last byte changed is "differ"
// when that byte is an output's and malformed when it is an unchanged
// input's marker; one with a byte of its last output changed is "differ";
// a truncated or overlong one is malformed; and no change to one byte
// makes the process fail.
func TestDriversCarryState(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles every driver")
	}
	if _, err := exec.LookPath("g++"); err != nil {
		t.Skip("g++ not installed")
	}
	tmp := t.TempDir()
	if err := os.WriteFile(filepath.Join(tmp, harness.HeaderName), []byte(harness.Header), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, s := range stateSuites(t) {
		for _, p := range s.problems {
			t.Run(s.name+"/"+p.ID, func(t *testing.T) {
				dir := filepath.Join(tmp, strings.ReplaceAll(s.name, "/", "-"), p.ID)
				bin := buildBaselinePair(t, dir, tmp, p)
				tol := strconv.FormatFloat(p.Tolerance, 'g', -1, 64)
				n := stateSize(p.Sizes.Validate)

				a := startDriver(t, bin, tol)
				s0 := a.state(t, 0, 5)
				s1 := a.state(t, n, 1)
				a.quit(t)

				b := startDriver(t, bin, tol)
				if got := b.state(t, 0, 5); string(got) != string(s0) {
					t.Errorf("n=0: two processes dumped different states (%d and %d bytes)", len(s0), len(got))
				}
				b.compare(t, s0, "same")
				// Any one byte changed, lengths included: an answer, never
				// a crash or a read past the end.
				for i := range s0 {
					changed := bytes.Clone(s0)
					changed[i] ^= 0x41
					if got := b.ask(t, changed); got != "same" && !strings.HasPrefix(got, "differ ") {
						t.Fatalf("n=0, byte %d of %d changed: got %q", i, len(s0), got)
					}
				}

				if got := b.state(t, n, 1); string(got) != string(s1) {
					t.Errorf("n=%d: two processes dumped different states (%d and %d bytes)", n, len(s1), len(got))
				}
				b.compare(t, s1, "same")
				flipped := bytes.Clone(s1)
				flipped[len(flipped)-1] ^= 1
				if lastMemberIsInput[p.ID] {
					// The last byte is the unchanged input's marker:
					// flipped, it claims bytes the state does not hold.
					b.compare(t, flipped, malformed)
				} else {
					b.compare(t, flipped, "differ ")
				}
				// Walking back from the end, past any inputs declared after
				// the outputs, a changed byte of the last output is told
				// apart from the state itself.
				told := false
				for i := len(s1) - 1; i >= 0 && !told; i-- {
					changed := bytes.Clone(s1)
					changed[i] ^= 0x41
					got := b.ask(t, changed)
					told = strings.HasPrefix(got, "differ ") && got != malformed
				}
				// A state of markers alone carries no output: each came
				// back from the call as the input had it.
				if !told && bytes.Count(s1, []byte{0}) != len(s1) {
					t.Errorf("n=%d: no change to one byte of the %d-byte state was told apart from it", n, len(s1))
				}
				b.compare(t, s1[:len(s1)-1], malformed)
				b.compare(t, append(bytes.Clone(s1), 0), malformed)
				b.quit(t)
			})
		}
	}
}

// stateSize is the input size the state is checked at: the first
// validation size of at least 17, so outputs are not empty.
func stateSize(sizes []int) int {
	largest := 0
	for _, n := range sizes {
		if n >= 17 {
			return n
		}
		largest = max(largest, n)
	}
	return largest
}

var (
	stateInclude    = regexp.MustCompile(`^\s*#\s*include\b`)
	statePragmaOnce = regexp.MustCompile(`^\s*#\s*pragma\s+once\s*$`)
)

// stateWrap encloses code in namespace ns with its #include lines hoisted
// to file scope, as the evaluator wraps each side.
func stateWrap(code, ns string) string {
	var head, body strings.Builder
	for _, l := range strings.Split(code, "\n") {
		switch {
		case statePragmaOnce.MatchString(l):
			body.WriteString("\n")
		case stateInclude.MatchString(l):
			head.WriteString(l + "\n")
			body.WriteString("\n")
		default:
			body.WriteString(l + "\n")
		}
	}
	return fmt.Sprintf("%snamespace %s {\n%s\n}  // namespace %s\n", head.String(), ns, body.String(), ns)
}

// buildBaselinePair compiles p's driver with p's baseline as both sides
// into dir, with the harness header in include, and returns the binary's
// path.
func buildBaselinePair(t *testing.T, dir, include string, p *Problem) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"driver.cpp":    p.Driver,
		"baseline.cpp":  p.Prelude + stateWrap(p.BaselineCode, "lessonl_baseline"),
		"candidate.cpp": p.Prelude + stateWrap(p.BaselineCode, "lessonl_candidate"),
	}
	for name, text := range p.Files {
		files[name] = text
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("g++", "-std=c++17", "-O1", "-I", include,
		"driver.cpp", "baseline.cpp", "candidate.cpp", "-o", "driver")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return filepath.Join(dir, "driver")
}

// driverProc is a running driver spoken to on fds 3 (results) and 4
// (commands).
type driverProc struct {
	cmd     *exec.Cmd
	cmds    *os.File
	results *os.File
	r       *bufio.Reader
}

func startDriver(t *testing.T, bin, tol string) *driverProc {
	t.Helper()
	resR, resW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmdR, cmdW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin)
	cmd.Env = []string{"LESSONL_TOLERANCE=" + tol}
	cmd.ExtraFiles = []*os.File{resW, cmdR}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	resW.Close()
	cmdR.Close()
	d := &driverProc{cmd: cmd, cmds: cmdW, results: resR, r: bufio.NewReader(resR)}
	t.Cleanup(func() {
		d.cmds.Close()
		d.results.Close()
		if d.cmd.ProcessState == nil {
			d.cmd.Process.Kill()
			d.cmd.Wait()
		}
	})
	return d
}

// send writes a command line and, after it, data.
func (d *driverProc) send(t *testing.T, line string, data []byte) {
	t.Helper()
	if _, err := d.cmds.Write(append([]byte(line+"\n"), data...)); err != nil {
		t.Fatalf("send %q: %v", line, err)
	}
}

// line reads one result line.
func (d *driverProc) line(t *testing.T, after string) string {
	t.Helper()
	d.results.SetReadDeadline(time.Now().Add(time.Minute))
	l, err := d.r.ReadString('\n')
	if err != nil {
		t.Fatalf("after %q: read: %v", after, err)
	}
	return strings.TrimSuffix(l, "\n")
}

// expect sends a command and checks its one-line answer.
func (d *driverProc) expect(t *testing.T, cmd, want string) {
	t.Helper()
	d.send(t, cmd, nil)
	if got := d.line(t, cmd); got != want {
		t.Fatalf("%q: got %q, want %q", cmd, got, want)
	}
}

// state builds the input of size n from seed, calls the side in the
// candidate's place on it and returns the dumped state.
func (d *driverProc) state(t *testing.T, n int, seed uint64) []byte {
	t.Helper()
	d.expect(t, fmt.Sprintf("input %d %d", n, seed), "ready")
	d.expect(t, "call", "done")
	d.send(t, "dump", nil)
	head := d.line(t, "dump")
	size, ok := strings.CutPrefix(head, "state ")
	if !ok {
		t.Fatalf("dump at n=%d seed %d: got %q, want \"state LEN\"", n, seed, head)
	}
	k, err := strconv.Atoi(size)
	if err != nil || k <= 0 {
		t.Fatalf("dump at n=%d seed %d: bad length in %q", n, seed, head)
	}
	data := make([]byte, k)
	d.results.SetReadDeadline(time.Now().Add(time.Minute))
	if _, err := io.ReadFull(d.r, data); err != nil {
		t.Fatalf("dump at n=%d seed %d: read %d bytes: %v", n, seed, k, err)
	}
	return data
}

// ask sends state to be judged against this process's own after its last
// call, as the reference, and returns the answer.
func (d *driverProc) ask(t *testing.T, state []byte) string {
	t.Helper()
	d.send(t, fmt.Sprintf("judge %d", len(state)), state)
	return d.line(t, "judge")
}

// compare is ask that checks the answer starts with want ("same" must be
// all of it).
func (d *driverProc) compare(t *testing.T, state []byte, want string) {
	t.Helper()
	got := d.ask(t, state)
	if want == "same" && got != "same" || want != "same" && !strings.HasPrefix(got, want) {
		t.Errorf("compare %d bytes: got %q, want %q", len(state), got, want)
	}
}

// quit ends the process and checks it exits 0.
func (d *driverProc) quit(t *testing.T) {
	t.Helper()
	d.send(t, "quit", nil)
	if err := d.cmd.Wait(); err != nil {
		t.Errorf("quit: %v", err)
	}
}
