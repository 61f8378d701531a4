package evaluate

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/cxx"
)

// reUndefined is a linker's complaint about a function of the candidate's
// namespace that no object defines: its name and its parameter types, as
// the linker demangles them.
var reUndefined = regexp.MustCompile("undefined reference to [`']" + CandidateNamespace + `::(\w+)\(([^\n]*)\)'`)

// linkDiagnosis turns a link failure for want of a function in the
// candidate's namespace into what went wrong in the candidate's terms,
// naming the function the linker did not find:
//   - the entry function: the candidate defines no such function, defines
//     it with another signature than the driver calls (expected and found
//     differ in more than parameter names), or defines it as the driver
//     calls it where the linker cannot see it (static, inline, a template);
//   - a helper the problem's prompt declares (datasets.Helper): the
//     candidate declares it otherwise than the driver defines it;
//   - any other function: the candidate calls one it declares but does
//     not define where the linker can see it.
//
// Other compiler output is returned as is.
func linkDiagnosis(p *datasets.Problem, code, msg string) string {
	m := reUndefined.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	name, linker := m[1], strings.TrimSpace(m[0])
	code = Normalize(code)
	if name == p.Function {
		expected, err := cxx.Signature(p.BaselineCode, p.Function)
		if err != nil {
			return msg
		}
		found, err := cxx.Signature(code, p.Function)
		switch {
		case err != nil:
			return fmt.Sprintf("the candidate defines no function %s; the driver calls\n  expected: %s\n(linker: %s)", p.Function, expected, linker)
		case ParamTypes(found) != ParamTypes(expected):
			return fmt.Sprintf("the candidate's %s has another signature than the driver calls\n  expected: %s\n  found:    %s\n(linker: %s)", p.Function, expected, found, linker)
		}
		return fmt.Sprintf("the candidate defines %s as the driver calls it (%s), but where the linker cannot see it: "+
			"define it as a plain function, not static, inline or inside a namespace or class of its own\n(linker: %s)", p.Function, found, linker)
	}
	declared := ""
	for _, d := range datasets.FunctionDeclarations(code) {
		if d.Name == name {
			declared = d.Declaration
			break
		}
	}
	for _, h := range p.Helpers {
		if h.Name != name {
			continue
		}
		if declared == "" {
			declared = name + "(" + m[2] + ")"
		}
		return fmt.Sprintf("the candidate calls the helper %s, which the driver defines, with another signature and defines none of its own\n  driver's: %s\n  declared: %s\n(linker: %s)",
			name, h.Declaration, declared, linker)
	}
	if declared == "" {
		declared = name + "(" + m[2] + ")"
	}
	return fmt.Sprintf("the candidate calls %s, which it declares but does not define where the linker can see it\n  declared: %s\n(linker: %s)", name, declared, linker)
}

var specifiers = map[string]bool{"static": true, "inline": true, "extern": true, "constexpr": true}

var reParamName = regexp.MustCompile(`\s*\b[A-Za-z_]\w*\s*$`)

// ParamTypes is a function's declaration without its parameters' names,
// its specifiers (static, inline, extern, constexpr) and spaces: two
// declarations whose types a caller cannot tell apart have equal
// ParamTypes.
func ParamTypes(sig string) string {
	open, closing := strings.IndexByte(sig, '('), strings.LastIndexByte(sig, ')')
	if open < 0 || closing < open {
		return sig
	}
	var params []string
	for _, p := range strings.Split(sig[open+1:closing], ",") {
		p = strings.TrimSpace(p)
		if t := strings.TrimSpace(reParamName.ReplaceAllString(p, "")); t != "" && !strings.HasSuffix(t, "::") && t != "const" && t != "unsigned" {
			p = t
		}
		params = append(params, strings.ReplaceAll(p, " ", ""))
	}
	var head []string
	for _, w := range strings.Fields(sig[:open]) {
		if !specifiers[w] {
			head = append(head, w)
		}
	}
	return strings.Join(head, " ") + "(" + strings.Join(params, ",") + sig[closing:]
}
