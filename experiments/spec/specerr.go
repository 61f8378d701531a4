package spec

import (
	"encoding"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// SpecErrors is every problem found in a spec, one line each, in line
// order, so that one `spec validate` shows them all.
type SpecErrors []*SpecError

// Error is one line per problem.
func (e SpecErrors) Error() string {
	lines := make([]string, len(e))
	for i, x := range e {
		lines[i] = x.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap gives errors.As access to each problem.
func (e SpecErrors) Unwrap() []error {
	out := make([]error, len(e))
	for i, x := range e {
		out[i] = x
	}
	return out
}

// err is nil without problems, the one *SpecError for one, else all of
// them sorted by line.
func (e SpecErrors) err() error {
	switch len(e) {
	case 0:
		return nil
	case 1:
		return e[0]
	}
	sort.SliceStable(e, func(i, j int) bool { return e[i].Line < e[j].Line })
	return e
}

// syntaxError describes a YAML syntax error in plain words: what is
// unclosed (and where it was opened) or what is unexpected.
func syntaxError(file string, raw []byte, err error) *SpecError {
	msg, line, _ := yamlMessage(err)
	if open, what := unclosed(raw); open > 0 {
		return &SpecError{File: file, Line: open, Msg: fmt.Sprintf("YAML syntax: %s opened on this line is never closed (the parser gave up at line %d: %s)", what, line, msg)}
	}
	switch {
	case strings.Contains(msg, "cannot start any token") && strings.Contains(msg, "\t"):
		msg = "a tab in the indentation; YAML indents with spaces only"
	case strings.Contains(msg, "already defined"):
		msg = "unexpected: " + msg + " (a key appears twice in one mapping)"
	case strings.Contains(msg, "mapping value is not allowed"):
		msg = "unexpected ':' (" + msg + "); quote a value that holds ': ', or check the indentation"
	default:
		msg = "unexpected: " + msg
	}
	return &SpecError{File: file, Line: line, Msg: "YAML syntax: " + msg}
}

// unclosed finds the first flow bracket or quote of raw that is never
// closed: the line it opens on and what it is. Comments and quoted text
// are skipped; block scalars are not YAML this scanner knows, so a spec
// that uses them only gets the parser's own message.
func unclosed(raw []byte) (int, string) {
	type open struct {
		ch   byte
		line int
	}
	var stack []open
	line := 1
	var quote byte
	quoteLine := 0
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c == '\n' {
			line++
			if quote == '\'' || quote == '"' {
				continue // quoted text may span lines
			}
			continue
		}
		if quote != 0 {
			switch {
			case quote == '"' && c == '\\':
				i++
			case c == quote:
				quote = 0
			}
			continue
		}
		switch c {
		case '#':
			if i == 0 || raw[i-1] == ' ' || raw[i-1] == '\t' || raw[i-1] == '\n' {
				for i < len(raw) && raw[i] != '\n' {
					i++
				}
				i--
			}
		case '"', '\'':
			if i == 0 || strings.ContainsRune(" \t\n[{,:", rune(raw[i-1])) {
				quote, quoteLine = c, line
			}
		case '[', '{':
			stack = append(stack, open{c, line})
		case ']', '}':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
	if quote != 0 {
		return quoteLine, fmt.Sprintf("the %c that starts quoted text", quote)
	}
	if len(stack) > 0 {
		o := stack[len(stack)-1]
		if o.ch == '[' {
			return o.line, "the list's '['"
		}
		return o.line, "the mapping's '{'"
	}
	return 0, ""
}

// fieldExample is a well-formed example of fields whose shape is often
// mistaken.
var fieldExample = map[string]string{
	"seeds":                 "seeds: [1, 2]",
	"flags":                 "flags: [-std=c++17, -O3]",
	"categories":            "categories: [sort, stencil]",
	"problems":              "problems: [sort-insertion, reduce-sum]",
	"agents":                "agents: [{name: coder-a, provider: sim, model: sim/coder-a}]",
	"strategies":            "strategies: [{name: single, kind: single, agents: [coder-a]}]",
	"strategies[].agents":   "agents: [coder-a, coder-b]",
	"strategies[].params":   "params: {rounds: 4, k: 4}",
	"matrix":                "matrix: {lessonl: {k: [2, 4]}}",
	"price":                 "price: {input_per_mtok: 0.8, output_per_mtok: 0.8}",
	"evaluation":            "evaluation: {mode: serial, timeout: 60s}",
	"dataset":               "dataset: {suite: codeopt, limit: 8}",
	"budget":                "budget: {calls: 20}",
	"concurrency":           "concurrency: {cells: 4}",
	"tolerance":             "tolerance: {failed_calls: 0.1}",
	"dataset.pareval":       "pareval: {root: /path/to/ParEval-PolyBench-Code-Opt}",
	"dataset.options":       "options: {suite: polybench, faithful: true}",
	"evaluation.run_to_run": "run_to_run: 0.005",
}

var (
	bytesUnmarshaler = reflect.TypeOf((*yaml.BytesUnmarshaler)(nil)).Elem()
	ifaceUnmarshaler = reflect.TypeOf((*yaml.InterfaceUnmarshaler)(nil)).Elem()
	textUnmarshaler  = reflect.TypeOf((*encoding.TextUnmarshaler)(nil)).Elem()
	durationType     = reflect.TypeOf(Duration(0))
	indexPart        = regexp.MustCompile(`\[\d+\]`)
)

// checkShape compares the YAML tree with the Go type it decodes into and
// reports every unknown field and every value of the wrong kind, each
// with its line, field path and an example of the right shape.
func checkShape(file string, f *ast.File) SpecErrors {
	var errs SpecErrors
	if len(f.Docs) == 0 || f.Docs[0].Body == nil {
		return SpecErrors{{File: file, Line: 1, Msg: "the spec is empty"}}
	}
	var walk func(n ast.Node, t reflect.Type, path, key string)
	add := func(n ast.Node, path, msg string) {
		errs = append(errs, &SpecError{File: file, Line: n.GetToken().Position.Line, Field: path, Msg: msg})
	}
	example := func(path, key string, t reflect.Type) string {
		if e, ok := fieldExample[indexPart.ReplaceAllString(path, "[]")]; ok {
			return e
		}
		if e, ok := fieldExample[key]; ok {
			return e
		}
		switch {
		case t == durationType:
			return key + ": 60s"
		case t.Kind() == reflect.Slice:
			return key + ": [a, b]"
		case t.Kind() == reflect.Map:
			return key + ": {name: value}"
		case t.Kind() == reflect.Struct:
			var fs []string
			for i := 0; i < t.NumField() && len(fs) < 2; i++ {
				if tag := yamlName(t.Field(i)); tag != "" {
					fs = append(fs, tag+": ...")
				}
			}
			return key + ": {" + strings.Join(fs, ", ") + "}"
		case t.Kind() == reflect.Bool:
			return key + ": true"
		case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
			return key + ": 8"
		case t.Kind() == reflect.Float64 || t.Kind() == reflect.Float32:
			return key + ": 0.5"
		}
		return key + ": text"
	}
	walk = func(n ast.Node, t reflect.Type, path, key string) {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch n.(type) {
		case *ast.NullNode, nil:
			return
		case *ast.TagNode, *ast.AnchorNode, *ast.AliasNode:
			return // rare in specs; the decoder judges them
		}
		got := shapeName(n)
		if t != durationType && (reflect.PointerTo(t).Implements(bytesUnmarshaler) ||
			reflect.PointerTo(t).Implements(ifaceUnmarshaler) || reflect.PointerTo(t).Implements(textUnmarshaler)) {
			return // a type that decodes itself judges its own values
		}
		if t == durationType {
			s, ok := scalar(n)
			if !ok {
				add(n, path, fmt.Sprintf("want a duration, e.g. %s; got %s", example(path, key, t), got))
				return
			}
			if d, err := time.ParseDuration(s); err != nil || d < 0 {
				add(n, path, fmt.Sprintf("want a duration such as 60s or 200ms, e.g. %s; got %q", example(path, key, t), s))
			}
			return
		}
		switch t.Kind() {
		case reflect.Interface:
			return
		case reflect.Struct:
			m := mappingValues(n)
			if m == nil {
				add(n, path, fmt.Sprintf("want a mapping of fields, e.g. %s; got %s", example(path, key, t), got))
				return
			}
			fields := map[string]reflect.Type{}
			var names []string
			for i := 0; i < t.NumField(); i++ {
				if name := yamlName(t.Field(i)); name != "" {
					fields[name] = t.Field(i).Type
					names = append(names, name)
				}
			}
			for _, v := range m {
				k := v.Key.GetToken().Value
				ft, ok := fields[k]
				sub := join(path, k)
				if !ok {
					add(v.Key, sub, fmt.Sprintf("unknown field %q (want one of %s)", k, strings.Join(names, ", ")))
					continue
				}
				walk(v.Value, ft, sub, k)
			}
		case reflect.Map:
			m := mappingValues(n)
			if m == nil {
				add(n, path, fmt.Sprintf("want a mapping, e.g. %s; got %s", example(path, key, t), got))
				return
			}
			for _, v := range m {
				k := v.Key.GetToken().Value
				walk(v.Value, t.Elem(), join(path, k), k)
			}
		case reflect.Slice:
			seq, ok := n.(*ast.SequenceNode)
			if !ok {
				add(n, path, fmt.Sprintf("want a list, e.g. %s; got %s", example(path, key, t), got))
				return
			}
			for i, v := range seq.Values {
				walk(v, t.Elem(), fmt.Sprintf("%s[%d]", path, i), key)
			}
		case reflect.String:
			if _, ok := scalar(n); !ok {
				add(n, path, fmt.Sprintf("want a single value, e.g. %s; got %s", example(path, key, t), got))
			}
		case reflect.Bool:
			if _, ok := n.(*ast.BoolNode); !ok {
				add(n, path, fmt.Sprintf("want true or false, e.g. %s; got %s", example(path, key, t), got))
			}
		case reflect.Int, reflect.Int64, reflect.Int32:
			if _, ok := n.(*ast.IntegerNode); !ok {
				add(n, path, fmt.Sprintf("want a whole number, e.g. %s; got %s", example(path, key, t), got))
			}
		case reflect.Float64, reflect.Float32:
			switch n.(type) {
			case *ast.IntegerNode, *ast.FloatNode:
			default:
				add(n, path, fmt.Sprintf("want a number, e.g. %s; got %s", example(path, key, t), got))
			}
		}
	}
	walk(f.Docs[0].Body, reflect.TypeOf(Spec{}), "", "")
	return errs
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func yamlName(f reflect.StructField) string {
	tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	if tag == "-" {
		return ""
	}
	return tag
}

func mappingValues(n ast.Node) []*ast.MappingValueNode {
	switch m := n.(type) {
	case *ast.MappingNode:
		return m.Values
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{m}
	}
	return nil
}

func scalar(n ast.Node) (string, bool) {
	switch v := n.(type) {
	case *ast.StringNode:
		return v.Value, true
	case *ast.LiteralNode:
		return v.Value.Value, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		return n.GetToken().Value, true
	}
	return "", false
}

// shapeName says in words what a value is, quoting a short scalar.
func shapeName(n ast.Node) string {
	switch n.(type) {
	case *ast.SequenceNode:
		return "a list"
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	}
	if s, ok := scalar(n); ok {
		if len(s) > 40 {
			s = s[:40] + "..."
		}
		return strconv.Quote(s)
	}
	return "something else"
}

// scalarPaths maps each scalar value of the tree to its field path, by
// line and column, so that an error found in the text (an unset
// environment variable) can name its field.
type scalarPath struct {
	line, col int
	path      string
}

func scalarPaths(f *ast.File) []scalarPath {
	var out []scalarPath
	var walk func(n ast.Node, path string)
	walk = func(n ast.Node, path string) {
		switch v := n.(type) {
		case *ast.MappingNode:
			for _, mv := range v.Values {
				walk(mv, path)
			}
		case *ast.MappingValueNode:
			walk(v.Value, join(path, v.Key.GetToken().Value))
		case *ast.SequenceNode:
			for i, x := range v.Values {
				walk(x, fmt.Sprintf("%s[%d]", path, i))
			}
		case nil:
		default:
			if tk := n.GetToken(); tk != nil {
				out = append(out, scalarPath{tk.Position.Line, tk.Position.Column, path})
			}
		}
	}
	if len(f.Docs) > 0 {
		walk(f.Docs[0].Body, "")
	}
	return out
}

// fieldAt is the path of the value at line and (1-based) column: the
// scalar on that line that starts last at or before col.
func fieldAt(paths []scalarPath, line, col int) string {
	best, bestCol := "", 0
	for _, p := range paths {
		if p.line == line && p.col <= col && p.col >= bestCol {
			best, bestCol = p.path, p.col
		}
	}
	return best
}

// placeholders replaces every ${...} with as many x's, keeping columns,
// so that the text parses to find fields.
func placeholders(raw []byte) []byte {
	return envRef.ReplaceAllFunc(raw, func(m []byte) []byte { return []byte(strings.Repeat("x", len(m))) })
}

// parseForPaths parses text whose ${...} are replaced; nil when it does
// not parse.
func parseForPaths(raw []byte) []scalarPath {
	f, err := parser.ParseBytes(placeholders(raw), 0)
	if err != nil {
		return nil
	}
	return scalarPaths(f)
}
