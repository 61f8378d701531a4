package evaluate

import (
	"context"
	"fmt"
	"strings"
)

// A candidate's unit may define only what lives in its namespace. A
// strong definition outside it (operator new, memcpy, rand, an explicit
// specialization of a library template) would replace the library's for
// the whole process, harness included, so the harness would run the
// candidate's code where it prepares inputs and writes outputs, outside
// the timed call. Weak definitions (inline functions, template
// instantiations) are safe: the driver's object is linked first, and the
// linker keeps its copy.

// outsideNamespace lists the strong global symbols the object obj in dir
// defines outside the candidate's namespace, as nm names them (demangled);
// a name that mentions the namespace (a vtable, a hash of a candidate's
// type) is the candidate's own.
func (e *Evaluator) outsideNamespace(ctx context.Context, dir, obj string) ([]string, error) {
	x, err := e.sandbox.Command(dir, e.cfg.CompileLimits, nil, nil, "nm", "--defined-only", "-g", "-C", obj).Run(ctx)
	if err != nil {
		return nil, fmt.Errorf("nm %s: %w", obj, err)
	}
	if x.Code != 0 {
		return nil, fmt.Errorf("nm %s: %s", obj, truncate(x.Describe(e.cfg.CompileLimits)+" "+x.Stderr, 300))
	}
	return strongOutside(x.Stdout), nil
}

// strongOutside reads nm's listing: "ADDRESS TYPE NAME" lines.
func strongOutside(listing string) []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range strings.Split(listing, "\n") {
		f := strings.SplitN(strings.TrimSpace(l), " ", 3)
		if len(f) < 3 || len(f[1]) != 1 {
			continue
		}
		// Strong definitions: text, data, bss, read-only, common, small
		// data, indirect functions. W, V (weak) and u (unique) are not.
		if !strings.Contains("TDBRCGSi", f[1]) {
			continue
		}
		name := f[2]
		if strings.Contains(name, CandidateNamespace+"::") || seen[name] {
			continue
		}
		seen[name] = true
		out = append(out, name)
	}
	return out
}
