package sim

import (
	"regexp"
	"strings"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/cxx"
)

// This file holds the sim's generic rewrites: for a problem it knows no
// rewrites of (no known solutions, as with the paper's ParEval and
// PolyBench problems), the sim answers with the baseline and small,
// purely textual rewrites of it that need no knowledge of the problem.
// See "Generic rewrites" in doc.go.

// genericLabel is how the sim calls a generic rewrite wherever it names
// one (answers, plans, votes, reflections, and the note its lessons
// retell), so no record passes one off as a model's idea.
const genericLabel = "a generic rewrite by the simulator"

// genericPrefix starts every generic rewrite's name.
const genericPrefix = "sim-generic-"

// genericNotePrefix starts every generic rewrite's note, so the lessons
// that retell the note say what the rewrite was.
const genericNotePrefix = "Generic rewrite by the simulator: "

// The generic rewrites, in the order smallRewrites returns them. A note
// holds no outcome words (faster, incorrect, compile, ...): the sim reads
// those from a lesson's prose, and the note is retold in its lessons.
var genericRewrites = []struct {
	name, technique string
	expected        datasets.Expected
	note            string
	apply           func(*cxxFunc) (string, bool)
}{
	{"parallel-for", "OpenMP parallel for on the outer loop", datasets.ExpectFaster,
		"a #pragma omp parallel for put before the first loop of the function, with no check that its iterations are independent; only an OpenMP build honours it.",
		(*cxxFunc).parallelFor},
	{"unroll-hint", "loop unrolling hint", datasets.ExpectNotFaster,
		"a #pragma GCC unroll 4 hint put before the innermost loop, which -O3 mostly does on its own.",
		(*cxxFunc).unrollHint},
	{"pre-increment", "pre-increment loop counters", datasets.ExpectNotFaster,
		"the loop counters are stepped with ++i instead of i++, which the compiler treats the same for integers.",
		(*cxxFunc).preIncrement},
	{"off-by-one", "loop bound tightening", datasets.ExpectIncorrect,
		"the first loop's bound gets a + 1 on its counter, so that loop stops one iteration before its last.",
		(*cxxFunc).offByOne},
	{"typo", "code cleanup", datasets.ExpectNotCompilable,
		"the semicolon that ends the function's last statement is missing.",
		(*cxxFunc).typo},
}

// smallRewrites returns the generic rewrites of p.BaselineCode that apply
// to it: OpenMP parallel for on the first loop of the entry function
// (expected faster; the pragma is ignored outside OpenMP mode), an unroll
// hint on its innermost loop and postfix-to-prefix increments in its for
// headers (not faster), its first "i < n" bound as "i + 1 < n"
// (incorrect), and its last statement without its semicolon (not
// compilable). A rewrite is left out when it does not apply (no loop, no
// such bound, no entry function found) or leaves the code unchanged, or
// repeats an earlier one. Expected is what a rewrite intends; the
// evaluator decides what it gets.
func smallRewrites(p *datasets.Problem) []datasets.Solution {
	f, ok := parseFunc(p.BaselineCode, p.Function)
	if !ok {
		return nil
	}
	seen := map[string]bool{normalizeCode(p.BaselineCode): true}
	var out []datasets.Solution
	for _, r := range genericRewrites {
		code, ok := r.apply(f)
		if !ok || seen[normalizeCode(code)] {
			continue
		}
		seen[normalizeCode(code)] = true
		out = append(out, datasets.Solution{
			Name: genericPrefix + r.name, Technique: r.technique, Expected: r.expected,
			Note: genericNotePrefix + r.note, Code: code,
		})
	}
	return out
}

// labelled returns a technique as the sim names it for p: with
// genericLabel when p's rewrites are generic.
func (p *simProblem) labelled(technique string) string {
	if p != nil && p.generic {
		return technique + " (" + genericLabel + ")"
	}
	return technique
}

// cxxFunc is a problem's code and the entry function found in it.
type cxxFunc struct {
	code string
	// bl is code with comments, literals and preprocessor lines blanked
	// (see cxx.Blank): offsets are the same, and nothing in it is text
	// that only looks like code.
	bl string
	// open and close are the offsets of the braces of the entry
	// function's body.
	open, close int
	// loops are the for loops of the body, in source order.
	loops []forLoop
}

// forLoop is one for loop, as offsets into the code.
type forLoop struct {
	kw     int // the "for" keyword
	lp, rp int // its header's parentheses
	// clauses are the [start, end) offsets of the init, condition and
	// increment clauses; nil for a range-based for.
	clauses [][2]int
	end     int // the last byte of the loop's body statement
}

// parseFunc finds fn's definition in code and the for loops of its body.
func parseFunc(code, fn string) (*cxxFunc, bool) {
	bl := cxx.Blank(code)
	open, closing, ok := entryBody(bl, fn)
	if !ok {
		return nil, false
	}
	f := &cxxFunc{code: code, bl: bl, open: open, close: closing}
	for i := open + 1; i < closing; i++ {
		if !wordAt(bl, i, "for") {
			continue
		}
		lp := skipSpace(bl, i+3)
		if lp >= closing || bl[lp] != '(' {
			continue
		}
		rp := cxx.MatchingBracket(bl, lp)
		if rp < 0 || rp > closing {
			continue
		}
		l := forLoop{kw: i, lp: lp, rp: rp, end: stmtEnd(bl, rp+1, closing)}
		start, depth := lp+1, 0
		var clauses [][2]int
		for j := lp + 1; j < rp; j++ {
			switch bl[j] {
			case '(', '[', '{':
				depth++
			case ')', ']', '}':
				depth--
			case ';':
				if depth == 0 {
					clauses = append(clauses, [2]int{start, j})
					start = j + 1
				}
			}
		}
		if len(clauses) == 2 {
			l.clauses = append(clauses, [2]int{start, rp})
		}
		f.loops = append(f.loops, l)
	}
	return f, true
}

// parallelFor puts "#pragma omp parallel for" before the first loop.
func (f *cxxFunc) parallelFor() (string, bool) {
	if len(f.loops) == 0 {
		return "", false
	}
	return f.pragmaBefore(f.loops[0].kw, "#pragma omp parallel for")
}

// unrollHint puts "#pragma GCC unroll 4" before the innermost loop of the
// first loop nest (the first loop when it holds none).
func (f *cxxFunc) unrollHint() (string, bool) {
	if len(f.loops) == 0 {
		return "", false
	}
	cur := 0
	for {
		next := -1
		for j := cur + 1; j < len(f.loops); j++ {
			if f.loops[j].kw > f.loops[cur].rp && f.loops[j].kw <= f.loops[cur].end {
				next = j
				break
			}
		}
		if next < 0 {
			break
		}
		cur = next
	}
	return f.pragmaBefore(f.loops[cur].kw, "#pragma GCC unroll 4")
}

// reIncrement is a for header's increment clause that is only a postfix
// increment or decrement of a variable.
var reIncrement = regexp.MustCompile(`^(\s*)([A-Za-z_]\w*)\s*(\+\+|--)(\s*)$`)

// preIncrement turns "i++" ("i--") increment clauses of the for headers
// into "++i" ("--i").
func (f *cxxFunc) preIncrement() (string, bool) {
	var b strings.Builder
	last := 0
	for _, l := range f.loops {
		if l.clauses == nil {
			continue
		}
		c := l.clauses[2]
		text := f.code[c[0]:c[1]]
		m := reIncrement.FindStringSubmatch(text)
		if m == nil || f.bl[c[0]:c[1]] != text {
			continue // not a lone postfix step, or it holds a comment
		}
		b.WriteString(f.code[last:c[0]])
		b.WriteString(m[1] + m[3] + m[2] + m[4])
		last = c[1]
	}
	if last == 0 {
		return "", false
	}
	b.WriteString(f.code[last:])
	return b.String(), true
}

// reBound is a for condition that starts by comparing a variable with "<"
// or "<=".
var reBound = regexp.MustCompile(`^\s*([A-Za-z_]\w*)\s*<=?`)

// offByOne turns the first loop condition "i < n" (or "i <= n") into
// "i + 1 < n": "+" binds tighter than any comparison or logical operator,
// so the rest of the condition keeps its meaning and the loop loses its
// last iteration. A loop under a pragma is passed over: OpenMP wants its
// loops in canonical form, and "i + 1 < n" is not.
func (f *cxxFunc) offByOne() (string, bool) {
	for _, l := range f.loops {
		if l.clauses == nil || f.underPragma(l.kw) {
			continue
		}
		c := l.clauses[1]
		cond := f.bl[c[0]:c[1]]
		m := reBound.FindStringSubmatchIndex(cond)
		if m == nil {
			continue
		}
		if rest := cond[m[1]:]; strings.HasPrefix(rest, "<") || strings.HasPrefix(rest, ">") {
			continue // "<<" or "<=>"
		}
		at := c[0] + m[3]
		return f.code[:at] + " + 1" + f.code[at:], true
	}
	return "", false
}

// typo drops the semicolon of the body's last statement, the last ";"
// that is followed by a "}": "x }" never compiles. A ";" after "}", ";",
// "{" or ":" is passed over, since it may end nothing ("if (c) {};").
func (f *cxxFunc) typo() (string, bool) {
	for i := f.close - 1; i > f.open; i-- {
		if f.bl[i] != ';' {
			continue
		}
		if next := skipSpace(f.bl, i+1); next >= len(f.bl) || f.bl[next] != '}' {
			continue
		}
		prev := i - 1
		for prev > f.open && isSpace(f.bl[prev]) {
			prev--
		}
		if prev <= f.open || strings.IndexByte(";{}:", f.bl[prev]) >= 0 {
			continue
		}
		return f.code[:i] + f.code[i+1:], true
	}
	return "", false
}

// pragmaBefore puts a pragma line before the statement starting at at,
// with its indentation; a statement that does not start its line (as in
// "if (c) for (...)") is moved to a line of its own. A statement that
// already follows a pragma line is left alone.
func (f *cxxFunc) pragmaBefore(at int, pragma string) (string, bool) {
	if f.underPragma(at) {
		return "", false
	}
	lineStart := strings.LastIndexByte(f.code[:at], '\n') + 1
	before := f.code[lineStart:at]
	indent := before[:len(before)-len(strings.TrimLeft(before, " \t"))]
	if strings.TrimSpace(before) == "" {
		return f.code[:lineStart] + indent + pragma + "\n" + f.code[lineStart:], true
	}
	return strings.TrimRight(f.code[:at], " \t") + "\n" + indent + pragma + "\n" + indent + f.code[at:], true
}

// underPragma reports whether the statement starting at at starts its
// line and follows a #pragma line.
func (f *cxxFunc) underPragma(at int) bool {
	lineStart := strings.LastIndexByte(f.code[:at], '\n') + 1
	if strings.TrimSpace(f.code[lineStart:at]) != "" {
		return false
	}
	prevLines := strings.TrimRight(f.code[:lineStart], " \t\r\n")
	prev := prevLines[strings.LastIndexByte(prevLines, '\n')+1:]
	return strings.HasPrefix(strings.TrimSpace(prev), "#pragma")
}

// entryBody finds the definition of fn in blanked code (its name, a
// balanced parameter list, optional qualifiers, then a body, as llm.Defines
// reads it) and returns the offsets of its body's braces.
func entryBody(bl, fn string) (open, closing int, ok bool) {
	if fn == "" {
		return 0, 0, false
	}
	for from := 0; ; {
		i := strings.Index(bl[from:], fn)
		if i < 0 {
			return 0, 0, false
		}
		i += from
		from = i + len(fn)
		if !wordAt(bl, i, fn) {
			continue
		}
		lp := skipSpace(bl, from)
		if lp >= len(bl) || bl[lp] != '(' {
			continue
		}
		rp := cxx.MatchingBracket(bl, lp)
		if rp < 0 {
			return 0, 0, false
		}
		j := skipQualifiers(bl, rp+1)
		if j < len(bl) && bl[j] == '{' {
			if e := cxx.MatchingBracket(bl, j); e >= 0 {
				return j, e, true
			}
			return 0, 0, false
		}
	}
}

// skipQualifiers skips what may stand between a function's parameter list
// and its body: cv and ref qualifiers, noexcept(...), override, final, a
// trailing return type.
func skipQualifiers(bl string, j int) int {
	for {
		j = skipSpace(bl, j)
		switch {
		case j >= len(bl):
			return j
		case strings.HasPrefix(bl[j:], "->"):
			if k := strings.IndexAny(bl[j:], "{;"); k >= 0 {
				return j + k
			}
			return len(bl)
		case bl[j] == '&':
			j++
			continue
		}
		moved := false
		for _, q := range []string{"const", "volatile", "noexcept", "override", "final", "throw"} {
			if wordAt(bl, j, q) {
				j = skipSpace(bl, j+len(q))
				if j < len(bl) && bl[j] == '(' && (q == "noexcept" || q == "throw") {
					if k := cxx.MatchingBracket(bl, j); k >= 0 {
						j = k + 1
					}
				}
				moved = true
				break
			}
		}
		if !moved {
			return j
		}
	}
}

// stmtEnd returns the offset of the last byte of the statement starting
// at or after s in blanked code (its "}" or ";"), not past limit; limit
// when it cannot tell.
func stmtEnd(bl string, s, limit int) int {
	s = skipSpace(bl, s)
	if s >= limit {
		return limit
	}
	if bl[s] == '{' {
		if e := cxx.MatchingBracket(bl, s); e >= 0 && e <= limit {
			return e
		}
		return limit
	}
	for _, kw := range []string{"for", "while", "if", "switch"} {
		if !wordAt(bl, s, kw) {
			continue
		}
		lp := skipSpace(bl, s+len(kw))
		if kw == "if" && wordAt(bl, lp, "constexpr") {
			lp = skipSpace(bl, lp+len("constexpr"))
		}
		if lp >= limit || bl[lp] != '(' {
			return limit
		}
		rp := cxx.MatchingBracket(bl, lp)
		if rp < 0 || rp >= limit {
			return limit
		}
		e := stmtEnd(bl, rp+1, limit)
		if kw == "if" && e < limit {
			if k := skipSpace(bl, e+1); wordAt(bl, k, "else") {
				e = stmtEnd(bl, k+len("else"), limit)
			}
		}
		return e
	}
	if wordAt(bl, s, "do") {
		e := stmtEnd(bl, s+2, limit)
		if e >= limit {
			return limit
		}
		s = e + 1 // then "while (...);"
	}
	depth := 0
	for i := s; i < limit; i++ {
		switch bl[i] {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
			if depth < 0 {
				return limit
			}
		case ';':
			if depth == 0 {
				return i
			}
		}
	}
	return limit
}

// wordAt reports whether the identifier word starts at i in s and is not
// part of a longer identifier.
func wordAt(s string, i int, word string) bool {
	if i < 0 || !strings.HasPrefix(s[i:], word) {
		return false
	}
	if i > 0 && isIdent(s[i-1]) {
		return false
	}
	return i+len(word) >= len(s) || !isIdent(s[i+len(word)])
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isIdent(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func skipSpace(s string, i int) int {
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return i
}
