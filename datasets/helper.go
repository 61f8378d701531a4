package datasets

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/lessonlab/lessonl/internal/cxx"
)

// A Helper is a function a problem's driver defines at file scope that
// the code the authors' driver includes may call: ParEval's
// 05_fft_inverse_fft prompt forward-declares fft, which baseline.hpp
// defines, and the authors' driver includes the generated code after
// baseline.hpp, so a model's ifft that calls fft builds and runs there;
// likewise a model's componentCount that calls 18_graph_count_components'
// dfs, which no prompt declares.
type Helper struct {
	Name string `json:"name"`
	// Declaration is the prompt's declaration or else the head of the
	// driver's definition, one line, ended with ";".
	Declaration string `json:"declaration"`
}

// Forwarder is a weak definition of h in namespace ns that calls the
// driver's h: a side whose code declares h in its namespace without
// defining it reaches the driver's, and a side that defines h (even
// inline) keeps its own, since the forwarder's object is linked after the
// side's and the linker prefers a strong definition, or the first weak one.
func (h Helper) Forwarder(ns string) (string, error) {
	bl := cxx.Blank(h.Declaration)
	m := regexp.MustCompile(`\b` + regexp.QuoteMeta(h.Name) + `\s*\(`).FindStringIndex(bl)
	if m == nil {
		return "", fmt.Errorf("helper %s: its declaration %q does not declare it", h.Name, h.Declaration)
	}
	closeParen := cxx.MatchingBracket(bl, m[1]-1)
	if closeParen < 0 {
		return "", fmt.Errorf("helper %s: unbalanced parentheses in %q", h.Name, h.Declaration)
	}
	head := strings.TrimSpace(h.Declaration[:m[0]])
	var params, args []string
	if list := strings.TrimSpace(h.Declaration[m[1]:closeParen]); list != "" && list != "void" {
		for i, p := range splitTopLevel(list) {
			if j := strings.IndexByte(p, '='); j >= 0 {
				p = p[:j] // a default argument belongs to the declaration the caller sees
			}
			name := fmt.Sprintf("lessonl_a%d", i)
			params = append(params, paramType(p)+" "+name)
			args = append(args, fmt.Sprintf("static_cast<decltype(%[1]s)&&>(%[1]s)", name))
		}
	}
	return fmt.Sprintf("namespace %s { __attribute__((weak)) %s %s(%s) { return ::%s(%s); } }\n",
		ns, head, h.Name, strings.Join(params, ", "), h.Name, strings.Join(args, ", ")), nil
}

var (
	reParamName = regexp.MustCompile(`^(.*[\s*&>])([A-Za-z_]\w*)\s*((?:\[[^\]]*\]\s*)*)$`)
	// typeWords end a parameter's type; a parameter ending in one has no name.
	typeWords = map[string]bool{"int": true, "double": true, "float": true, "char": true, "bool": true, "long": true,
		"short": true, "unsigned": true, "signed": true, "const": true, "volatile": true, "size_t": true, "auto": true}
)

// paramType is a parameter declaration without its name ("int n[]"
// becomes "int []", kept as an array so that it decays as before).
func paramType(p string) string {
	p = strings.TrimSpace(p)
	m := reParamName.FindStringSubmatch(p)
	if m == nil || typeWords[m[2]] || strings.TrimSpace(m[1]) == "" || strings.HasSuffix(strings.TrimSpace(m[1]), "::") {
		return p
	}
	if m[3] != "" {
		return strings.TrimSpace(m[1]) + "*"
	}
	return strings.TrimSpace(m[1])
}

// Declarations are the helpers' declarations, one a line.
func Declarations(helpers []Helper) string {
	var b strings.Builder
	for _, h := range helpers {
		b.WriteString(h.Declaration + "\n")
	}
	return b.String()
}

// FunctionDeclarations lists the functions code declares at file scope
// without defining them, by name, each declaration on one line.
func FunctionDeclarations(code string) []Helper {
	bl := cxx.Blank(code)
	d := cxx.Depths(bl)
	var out []Helper
	for _, m := range reFunctionName.FindAllStringSubmatchIndex(bl, -1) {
		if d[m[0]] != 0 {
			continue
		}
		closeParen := cxx.MatchingBracket(bl, m[1]-1)
		if closeParen < 0 || !strings.HasPrefix(strings.TrimLeft(bl[closeParen+1:], " \t\r\n"), ";") {
			continue // a definition, or not a function
		}
		start := m[0]
		for start > 0 && !strings.ContainsRune(";{}\n", rune(bl[start-1])) {
			start--
		}
		// A declaration's head may span lines: back up over lines that end
		// neither a statement nor a block.
		for start > 0 && bl[start-1] == '\n' {
			prev := strings.TrimSpace(bl[:start-1])
			if prev == "" || strings.ContainsRune(";{}", rune(prev[len(prev)-1])) {
				break
			}
			start = strings.LastIndexAny(bl[:start-1], ";{}\n") + 1
		}
		head := strings.Join(strings.Fields(bl[start:m[2]]), " ")
		if head == "" || strings.HasPrefix(head, "return") {
			continue // a call (a macro's, say), not a declaration
		}
		out = append(out, Helper{Name: bl[m[2]:m[3]], Declaration: strings.Join(strings.Fields(bl[start:closeParen+1]), " ") + ";"})
	}
	return out
}

var reFunctionName = regexp.MustCompile(`\b([A-Za-z_]\w*)\s*\(`)

// promptHelpers are the functions any of prompts declares without
// defining, other than fn, that the driver's texts define at file scope.
func promptHelpers(fn string, driver []string, prompts ...string) []Helper {
	var out []Helper
	seen := map[string]bool{fn: true}
	for _, p := range prompts {
		for _, h := range FunctionDeclarations(p) {
			if seen[h.Name] {
				continue
			}
			for _, text := range driver {
				if _, err := cxx.Signature(text, h.Name); err == nil {
					seen[h.Name] = true
					out = append(out, h)
					break
				}
			}
		}
	}
	return out
}

// FunctionDefinitions lists the functions code defines at file scope that
// code in another translation unit can call: not templates, not static,
// inline or constexpr, not members, and not inside a preprocessor
// conditional (utilities.hpp's CUDA, HIP and Kokkos code, which a serial
// or OpenMP build never compiles). Each comes with its definition's head
// as its declaration, on one line.
func FunctionDefinitions(code string) []Helper {
	bl := cxx.Blank(code)
	d := cxx.Depths(bl)
	cond := conditionalDepths(code)
	var out []Helper
	for _, m := range reFunctionName.FindAllStringSubmatchIndex(bl, -1) {
		if d[m[0]] != 0 || cond[m[0]] != 0 || strings.HasSuffix(strings.TrimRight(bl[:m[0]], " \t\r\n"), "::") {
			continue
		}
		closeParen := cxx.MatchingBracket(bl, m[1]-1)
		if closeParen < 0 {
			continue
		}
		rest := strings.TrimLeft(bl[closeParen+1:], " \t\r\n")
		if !strings.HasPrefix(rest, "{") {
			continue // a call, a declaration or an attribute, not a definition
		}
		start := m[0]
		for start > 0 && !strings.ContainsRune(";{}", rune(bl[start-1])) {
			start--
		}
		words := strings.Fields(strings.ReplaceAll(bl[start:m[2]], "NO_INLINE", ""))
		if len(words) == 0 || !definable(words) {
			continue
		}
		decl := strings.Join(words, " ") + " " + strings.Join(strings.Fields(bl[m[2]:closeParen+1]), " ") + ";"
		out = append(out, Helper{Name: bl[m[2]:m[3]], Declaration: decl})
	}
	return out
}

// definable reports whether a function head's words (before its name)
// make it a plain function with external linkage: a type, no template,
// no specifier that keeps it from other units, no CUDA or Kokkos marker.
func definable(words []string) bool {
	for _, w := range words {
		switch {
		case w == "static", w == "inline", w == "constexpr", w == "consteval", w == "return", w == "else",
			strings.HasPrefix(w, "template"), strings.HasPrefix(w, "__"), strings.HasPrefix(w, "KOKKOS_"),
			strings.Contains(w, "="), strings.Contains(w, "("):
			return false
		}
	}
	return true
}

// conditionalDepths gives, for each byte of code, how many preprocessor
// conditionals (#if, #ifdef, #ifndef) enclose it.
func conditionalDepths(code string) []int {
	out := make([]int, len(code)+1)
	depth, at := 0, 0
	for _, line := range strings.SplitAfter(code, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "#") {
			switch dir := strings.Fields(strings.TrimSpace(t[1:]) + " "); {
			case len(dir) == 0:
			case strings.HasPrefix(dir[0], "if"):
				depth++
			case dir[0] == "endif":
				depth = max(0, depth-1)
			}
		}
		for i := at; i < at+len(line); i++ {
			out[i] = depth
		}
		at += len(line)
	}
	out[len(code)] = depth
	return out
}

// visibleHelpers are the functions the authors' driver unit defines at
// file scope before it includes the generated code, other than fn, the
// reference its best() calls and those of have: the generated code is
// included at file scope, so a model's code that calls one unqualified
// builds and runs there. They come from the driver's texts in cpu.cc's
// include order (utilities.hpp, baseline.hpp where it comes first, other
// local headers) and cpu.cc's own lines before the include. Templates are
// not among them (FunctionDefinitions), nor functions whose declaration
// names a type the driver defines, since a side's prelude precedes its
// shared types. The reference is left out: it is the answer the harness
// checks against, which a rewrite may not return in place of its own
// work, timed at another address than the baseline's code.
func visibleHelpers(fn, cpu, utilities, base string, extra map[string]string, have []Helper) []Helper {
	var texts []string
	gen := -1
	for _, m := range reAnyInclude.FindAllStringSubmatchIndex(cpu, -1) {
		name := cpu[m[2]:m[3]]
		if name == "generated-code.hpp" {
			gen = m[0]
			break
		}
		switch {
		case name == "utilities.hpp":
			texts = append(texts, utilities)
		case name == "baseline.hpp":
			texts = append(texts, base)
		case extra[name] != "":
			texts = append(texts, extra[name])
		}
	}
	if gen < 0 {
		return nil // the driver does not include generated code
	}
	texts = append(texts, cpu[:gen])
	skip := map[string]bool{fn: true, referenceName(cpu): true}
	for _, h := range have {
		skip[h.Name] = true
	}
	var types []string
	for _, t := range texts {
		for _, ty := range cxx.Types(t) {
			types = append(types, ty.Name)
		}
	}
	var out []Helper
	seen := map[string]bool{}
	for _, t := range texts {
		for _, h := range FunctionDefinitions(t) {
			if skip[h.Name] || seen[h.Declaration] || namesAny(h.Declaration, types) {
				continue
			}
			seen[h.Declaration] = true
			out = append(out, h)
		}
	}
	return out
}

// referenceName is the function cpu.cc's best() calls, the benchmark's
// reference, or "".
func referenceName(cpu string) string {
	if m := reBestBody.FindStringSubmatch(cpu); m != nil {
		if c := reCorrectCall.FindStringSubmatch(m[1]); c != nil {
			return c[1]
		}
	}
	return ""
}

// namesAny reports whether decl names any of names as a whole word.
func namesAny(decl string, names []string) bool {
	for _, n := range names {
		if regexp.MustCompile(`\b` + regexp.QuoteMeta(n) + `\b`).MatchString(decl) {
			return true
		}
	}
	return false
}
