package cxx

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
)

// Type is the file-scope definition of a struct or class: its name and
// its text up to and including the closing ";". A problem's entry function
// may share such a type with its driver (a Point in its signature).
type Type struct {
	Name       string `json:"name"`
	Definition string `json:"definition"`
}

// Blank returns code with comments, string and character literals (raw
// strings too; the quotes stay) and preprocessor directives replaced by
// spaces, newlines kept, so that offsets still match code and nothing in a
// comment, a literal or a directive looks like a brace, a loop or a
// semicolon to a scan of the result.
func Blank(code string) string {
	b := []byte(code)
	blankTo := func(from, to int) { // blank b[from:to], newlines kept
		for k := from; k < to && k < len(b); k++ {
			if b[k] != '\n' {
				b[k] = ' '
			}
		}
	}
	lineStart := true // only white space since the last newline
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '\n':
			lineStart = true
			continue
		case c == ' ' || c == '\t' || c == '\r':
			continue
		case lineStart && c == '#':
			j := i
			for ; j < len(b); j++ {
				if b[j] == '\n' && !bytes.HasSuffix(bytes.TrimRight(b[i:j], "\r"), []byte(`\`)) {
					break
				}
			}
			blankTo(i, j)
			i = j - 1
		case c == '/' && i+1 < len(b) && b[i+1] == '/':
			j := i
			for j < len(b) && b[j] != '\n' {
				j++
			}
			blankTo(i, j)
			i = j - 1
		case c == '/' && i+1 < len(b) && b[i+1] == '*':
			j := bytes.Index(b[i+2:], []byte("*/"))
			end := len(b)
			if j >= 0 {
				end = i + 2 + j + 2
			}
			blankTo(i, end)
			i = end - 1
		case c == '"' && rawPrefix(b, i):
			lp := bytes.IndexByte(b[i+1:], '(')
			end := len(b)
			if lp >= 0 {
				delim := ")" + string(b[i+1:i+1+lp]) + `"`
				if k := bytes.Index(b[i+1+lp:], []byte(delim)); k >= 0 {
					end = i + 1 + lp + k + len(delim) - 1
				}
			}
			blankTo(i+1, end)
			i = end
		case c == '"' || c == '\'' && !digitSeparator(b, i):
			j := i + 1
			for ; j < len(b) && b[j] != c && b[j] != '\n'; j++ {
				if b[j] == '\\' && j+1 < len(b) && b[j+1] != '\n' {
					b[j] = ' '
					j++
				}
				b[j] = ' '
			}
			i = j
		}
		lineStart = false
	}
	return string(b)
}

// rawPrefix reports whether the quote at i opens a raw string literal:
// it follows R, u8R, uR, UR or LR, itself not part of a longer name.
func rawPrefix(b []byte, i int) bool {
	j := i
	for j > 0 && IsIdentByte(b[j-1]) {
		j--
	}
	switch string(b[j:i]) {
	case "R", "u8R", "uR", "UR", "LR":
		return true
	}
	return false
}

// digitSeparator reports whether the quote at i is inside a number, as in
// 1'000'000.
func digitSeparator(b []byte, i int) bool {
	j := i
	for j > 0 && (IsIdentByte(b[j-1]) || b[j-1] == '\'' || b[j-1] == '.') {
		j--
	}
	return j < i && b[j] >= '0' && b[j] <= '9' && i+1 < len(b) && IsIdentByte(b[i+1])
}

// IsIdentByte reports whether c may be part of a C++ identifier.
func IsIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// Depths gives the brace depth before each byte of code blanked by Blank
// (0 at file scope), and after the last.
func Depths(blanked string) []int {
	d := make([]int, len(blanked)+1)
	cur := 0
	for i := 0; i < len(blanked); i++ {
		d[i] = cur
		switch blanked[i] {
		case '{':
			cur++
		case '}':
			cur--
		}
	}
	d[len(blanked)] = cur
	return d
}

// MatchingBracket returns the offset of the bracket closing the one at
// open ("(", "[" or "{") in code blanked by Blank, or -1.
func MatchingBracket(blanked string, open int) int {
	o := blanked[open]
	c := map[byte]byte{'(': ')', '[': ']', '{': '}'}[o]
	n := 0
	for i := open; i < len(blanked); i++ {
		switch blanked[i] {
		case o:
			n++
		case c:
			n--
			if n == 0 {
				return i
			}
		}
	}
	return -1
}

var reTypeHead = regexp.MustCompile(`(?m)^[ \t]*(?:typedef[ \t]+)?(?:struct|class)[ \t]+(\w+)[^;{()]*\{`)

// typeSpan is one file-scope struct or class definition: its name, and its
// text's offsets from the start of its line to just past the closing ";".
type typeSpan struct {
	name       string
	start, end int
}

// typeSpans finds the struct and class definitions at file scope of code.
func typeSpans(code string) []typeSpan {
	bl := Blank(code)
	d := Depths(bl)
	var out []typeSpan
	for _, m := range reTypeHead.FindAllStringSubmatchIndex(bl, -1) {
		if d[m[0]] != 0 {
			continue
		}
		end := MatchingBracket(bl, m[1]-1)
		if end < 0 {
			continue
		}
		semi := strings.IndexByte(bl[end:], ';')
		if semi < 0 {
			continue
		}
		out = append(out, typeSpan{name: code[m[2]:m[3]], start: m[0], end: end + semi + 1})
	}
	return out
}

// Types finds the struct and class definitions at file scope of code,
// each with its text up to and including the closing ";".
func Types(code string) []Type {
	var out []Type
	for _, t := range typeSpans(code) {
		out = append(out, Type{Name: t.name, Definition: strings.TrimSpace(code[t.start:t.end])})
	}
	return out
}

// Defines reports whether code defines a struct or class called name at
// file scope.
func Defines(code, name string) bool {
	start, _ := TypeSpan(code, name)
	return start >= 0
}

// TypeSpan locates the file-scope definition of the type name in code: its
// start and end offsets (end just past the ";"), or -1, -1.
func TypeSpan(code, name string) (int, int) {
	for _, t := range typeSpans(code) {
		if t.name == name {
			return t.start, t.end
		}
	}
	return -1, -1
}

// Signature returns the declaration of the file-scope function fn defined
// in code, its definition's head up to the body, ended with ";".
func Signature(code, fn string) (string, error) {
	bl := Blank(code)
	d := Depths(bl)
	re := regexp.MustCompile(`\b` + regexp.QuoteMeta(fn) + `\s*\(`)
	for _, m := range re.FindAllStringIndex(bl, -1) {
		if d[m[0]] != 0 {
			continue
		}
		closeParen := MatchingBracket(bl, m[1]-1)
		if closeParen < 0 {
			continue
		}
		rest := strings.TrimLeft(bl[closeParen+1:], " \t\r\n")
		rest = strings.TrimPrefix(rest, "const")
		if !strings.HasPrefix(strings.TrimLeft(rest, " \t\r\n"), "{") {
			continue // a call or a declaration, not the definition
		}
		// The head starts after the previous ";", "}" or preprocessor line
		// at file scope.
		start := m[0]
		for start > 0 {
			c := bl[start-1]
			if c == ';' || c == '}' || c == '{' {
				break
			}
			if c == '\n' {
				prev := bl[:start-1]
				if k := strings.LastIndexByte(prev, '\n'); k >= 0 {
					prev = prev[k+1:]
				}
				if strings.HasPrefix(strings.TrimSpace(prev), "#") {
					break
				}
			}
			start--
		}
		head := strings.Join(strings.Fields(bl[start:closeParen+1]), " ")
		head = strings.TrimSpace(strings.ReplaceAll(head, "NO_INLINE", ""))
		return strings.Join(strings.Fields(head), " ") + ";", nil
	}
	return "", fmt.Errorf("no definition of %s at file scope", fn)
}
