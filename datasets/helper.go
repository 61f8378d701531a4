package datasets

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/lessonlab/lessonl/internal/cxx"
)

// A Helper is a function a problem's prompt declares without defining and
// its driver defines at file scope: ParEval's 05_fft_inverse_fft prompt
// forward-declares fft, which baseline.hpp defines, and the authors'
// driver includes the generated code after baseline.hpp, so a model's
// ifft that calls fft builds and runs there.
type Helper struct {
	Name string `json:"name"`
	// Declaration is the prompt's declaration, one line, ended with ";".
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
