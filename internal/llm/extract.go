package llm

import (
	"strings"
)

// codeTags are the fence info strings taken as C or C++ code; an untagged
// fence counts too.
var codeTags = map[string]bool{
	"": true, "cpp": true, "c++": true, "cc": true, "c": true, "cxx": true,
	"hpp": true, "h": true, "h++": true,
}

// Block is one fenced code block of a reply.
type Block struct {
	Tag          string // the fence's language tag, lower-cased ("" when none)
	Code         string // the body, ending in one newline
	Unterminated bool   // the reply ended inside the block
}

// Blocks returns the fenced blocks of text (``` or longer, indented at
// most three spaces), in order; a fence left open runs to the end.
func Blocks(text string) []Block {
	var out []Block
	lines := strings.SplitAfter(text, "\n")
	for i := 0; i < len(lines); i++ {
		ticks, info, ok := openFence(lines[i])
		if !ok {
			continue
		}
		tag := ""
		if f := strings.Fields(info); len(f) > 0 {
			tag = strings.ToLower(f[0])
		}
		tag = strings.TrimPrefix(tag, "{.")
		tag = strings.TrimSuffix(tag, "}")
		var body strings.Builder
		closed := false
		j := i + 1
		for ; j < len(lines); j++ {
			if closeFence(lines[j], ticks) {
				closed = true
				break
			}
			body.WriteString(lines[j])
		}
		code := strings.TrimRight(body.String(), " \t\r\n")
		if code != "" {
			code += "\n"
		}
		out = append(out, Block{Tag: tag, Code: code, Unterminated: !closed})
		i = j
	}
	return out
}

// Segment is one run of prose, or the body of one fenced code block, of
// a text.
type Segment struct {
	Code bool
	Text string
}

// Segments cuts text into prose and fenced code blocks, in order, reading
// fences as Blocks does. A prose segment keeps its line ends; a block's
// Text is its body without the fence lines. The simulator reads prompts
// this way.
func Segments(text string) []Segment {
	var out []Segment
	var prose strings.Builder
	flush := func() {
		if prose.Len() > 0 {
			out = append(out, Segment{Text: prose.String()})
			prose.Reset()
		}
	}
	lines := strings.SplitAfter(text, "\n")
	for i := 0; i < len(lines); i++ {
		ticks, _, ok := openFence(lines[i])
		if !ok {
			prose.WriteString(lines[i])
			continue
		}
		flush()
		var body strings.Builder
		j := i + 1
		for ; j < len(lines) && !closeFence(lines[j], ticks); j++ {
			body.WriteString(lines[j])
		}
		out = append(out, Segment{Code: true, Text: body.String()})
		i = j
	}
	flush()
	return out
}

// openFence reports whether line opens a fence, with its backtick count
// and info string.
func openFence(line string) (ticks int, info string, ok bool) {
	s := strings.TrimRight(line, "\r\n")
	trimmed := strings.TrimLeft(s, " ")
	if len(s)-len(trimmed) > 3 {
		return 0, "", false
	}
	for ticks < len(trimmed) && trimmed[ticks] == '`' {
		ticks++
	}
	if ticks < 3 {
		return 0, "", false
	}
	info = strings.TrimSpace(trimmed[ticks:])
	if strings.Contains(info, "`") {
		return 0, "", false // inline code such as ```x``` on one line
	}
	return ticks, info, true
}

func closeFence(line string, ticks int) bool {
	s := strings.TrimSpace(line)
	if len(s) < ticks {
		return false
	}
	return strings.Trim(s, "`") == "" && len(line)-len(strings.TrimLeft(line, " ")) <= 3
}

// ExtractCode takes the candidate code out of a model's reply: the fenced
// block tagged cpp, c++, cc, c, cxx (or untagged) that defines function;
// when none defines it, the longest such block; when several define it,
// the longest of those (the last on a tie). A fence left open at the end of
// the reply (a reply cut by max tokens) still counts. A reply with no code
// block, or only blocks of other languages, has no code: ok is false.
func ExtractCode(reply, function string) (code string, ok bool) {
	best, bestDefines := -1, false
	blocks := Blocks(reply)
	for i, b := range blocks {
		if !codeTags[b.Tag] || b.Code == "" {
			continue
		}
		defines := function != "" && Defines(b.Code, function)
		switch {
		case best < 0,
			defines && !bestDefines,
			defines == bestDefines && len(b.Code) >= len(blocks[best].Code):
			best, bestDefines = i, defines
		}
	}
	if best < 0 {
		return "", false
	}
	return blocks[best].Code, true
}

// Defines reports whether code holds a definition (not only a call or a
// declaration) of function: its name, a balanced parameter list, optional
// qualifiers, then a body.
func Defines(code, function string) bool {
	for from := 0; ; {
		i := strings.Index(code[from:], function)
		if i < 0 {
			return false
		}
		i += from
		from = i + len(function)
		if i > 0 && isIdent(code[i-1]) {
			continue
		}
		j := from
		if j < len(code) && isIdent(code[j]) {
			continue
		}
		j = skipSpace(code, j)
		if j >= len(code) || code[j] != '(' {
			continue
		}
		depth := 0
		for ; j < len(code); j++ {
			if code[j] == '(' {
				depth++
			} else if code[j] == ')' {
				depth--
				if depth == 0 {
					break
				}
			}
		}
		if j >= len(code) {
			return false
		}
		j = skipSpace(code, j+1)
		for _, q := range []string{"const", "noexcept", "override", "final"} {
			if strings.HasPrefix(code[j:], q) {
				j = skipSpace(code, j+len(q))
			}
		}
		if strings.HasPrefix(code[j:], "->") { // trailing return type
			k := strings.IndexAny(code[j:], "{;")
			if k < 0 {
				return false
			}
			j += k
		}
		if j < len(code) && code[j] == '{' {
			return true
		}
	}
}

func isIdent(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}
