package strategy

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

// The authors' code extraction (MITIBM-FastCoder/LessonL at 232336a), which
// protocol paper follows reply for reply, its defects included.

// pyStrip is Python's str.strip(): it trims what str.isspace() calls
// white space, which is Go's unicode.IsSpace plus the separators
// U+001C..U+001F.
func pyStrip(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return r == ' ' || (r >= '\t' && r <= '\r') || (r >= 0x1c && r <= 0x1f) || r == 0x85 || r == 0xa0 ||
			r == 0x1680 || (r >= 0x2000 && r <= 0x200a) || r == 0x2028 || r == 0x2029 || r == 0x202f || r == 0x205f || r == 0x3000
	})
}

// CleanOutput is the authors' clean_output (code-opt/agents/utils.py): the
// text between the first "```"+lang and the next "```" after it, stripped;
// "" when there is no such block or it is not closed. Offsets count code
// points in Python and bytes here; both fences are ASCII, so the cut is
// the same. With lang "python" it is code-gen's clean_output
// (lesson_generators/utils.py), which skips 9 characters after the
// fence's start, as this does.
func CleanOutput(reply, lang string) string {
	start := strings.Index(reply, "```"+lang)
	if start < 0 {
		return ""
	}
	end := strings.Index(reply[start+3:], "```")
	if end < 0 {
		return ""
	}
	end += start + 3
	from := start + 3 + len(lang)
	if from > end {
		// Python slices an empty string when start passes end.
		return ""
	}
	return pyStrip(reply[from:end])
}

// PaperExtract is the extraction of the authors' code-opt strategies: the
// first ```c++ block, closed; the LessonL agents (agents/agent_vllm.py)
// alone try a ```cpp block when that finds nothing. A reply without such
// a block is an empty program, which the authors evaluate (it does not
// compile), so the result is always reported as code.
func PaperExtract(cppFallback bool) func(reply, function string) (string, bool) {
	return func(reply, _ string) (string, bool) {
		code := CleanOutput(reply, "c++")
		if code == "" && cppFallback {
			code = CleanOutput(reply, "cpp")
		}
		return code, true
	}
}

var (
	pythonBlock  = regexp.MustCompile("(?s)```python\n(.*?)\n```")
	untaggedBody = regexp.MustCompile("(?s)```\n(.*?)\n```")
)

// ParseCodeBlock is the authors' code-gen parse_code_block(reply,
// "python") (code-gen/generators/parse.py): the first ```python block,
// else the first untagged one (each needing its fence lines exactly),
// else parse_first_func's cut of unfenced text from the first top-level
// def; false where theirs returns None.
func ParseCodeBlock(reply string) (string, bool) {
	if m := pythonBlock.FindStringSubmatch(reply); m != nil {
		return m[1], true
	}
	if m := untaggedBody.FindStringSubmatch(reply); m != nil {
		return m[1], true
	}
	return parseFirstFunc(reply)
}

// parseFirstFunc is parse_first_func: from the first line starting with
// "def " to the first empty line after a line holding "return" (or the
// next "def " line, exclusive, or the end), with the characters of
// "[/PYTHON]" trimmed from the right as Python's rstrip does.
func parseFirstFunc(code string) (string, bool) {
	lines := strings.Split(code, "\n")
	defI, lastI, gotReturn := -1, 0, false
	for i, line := range lines {
		if strings.HasPrefix(line, "def ") {
			if defI == -1 {
				defI = i
			} else {
				break
			}
		} else if strings.Contains(line, "return") && defI != -1 {
			gotReturn = true
		}
		if line == "" && defI != -1 && gotReturn {
			lastI = i
			break
		}
	}
	if lastI == 0 {
		lastI = len(lines) - 1
	}
	if defI == -1 {
		return "", false
	}
	if lastI < defI {
		// Python's slice lines[defI:lastI+1] is empty then.
		return "", true
	}
	return strings.TrimRight(strings.Join(lines[defI:lastI+1], "\n"), "[/PYTHON]"), true
}

// PaperPythonClean is code-gen's clean_output as an extractor (the
// LessonL code-gen agents and MoA): the first closed ```python block,
// else an empty function, which fails every test.
func PaperPythonClean(reply, _ string) (string, bool) {
	return CleanOutput(reply, "python"), true
}

// PaperPythonParse is parse_code_block as an extractor (the authors'
// simple and Reflexion code-gen strategies); a reply it finds nothing in
// has no code.
func PaperPythonParse(reply, _ string) (string, bool) {
	return ParseCodeBlock(reply)
}

// PyFloat formats f as Python's str(float) does: the shortest digits that
// read back as f, with ".0" on whole numbers and an exponent below 1e-4
// and from 1e16 ("1.25", "2.0", "1e-05", "1e+16").
func PyFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	if a := math.Abs(f); a != 0 && (a < 1e-4 || a >= 1e16) {
		s := strconv.FormatFloat(f, 'e', -1, 64)
		mant, exp, _ := strings.Cut(s, "e")
		sign, digits := exp[:1], strings.TrimLeft(exp[1:], "0")
		if len(digits) < 2 {
			digits = strings.Repeat("0", 2-len(digits)) + digits
		}
		return mant + "e" + sign + digits
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}
