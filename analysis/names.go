package analysis

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/lessonlab/lessonl/internal/suggest"
)

// canonicalName is a strategy label in one form whatever its spelling:
// no spaces, and the variant's parameters sorted, so that
// "lessonl [k=4,selection=paper]", "lessonl[k=4, selection=paper]" and
// "lessonl[selection=paper,k=4]" are one name.
func canonicalName(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	name, rest, ok := strings.Cut(s, "[")
	if !ok {
		return s
	}
	params := strings.Split(strings.TrimSuffix(rest, "]"), ",")
	sort.Strings(params)
	return name + "[" + strings.Join(params, ",") + "]"
}

// ResolveName finds the strategy label in have that name spells, with or
// without spaces and in any order of the variant's parameters. An
// unknown name gets an error listing the names, one per line, with the
// closest first as a did-you-mean.
func ResolveName(name string, have []string) (string, error) {
	want := canonicalName(name)
	for _, h := range have {
		if canonicalName(h) == want {
			return h, nil
		}
	}
	sorted := append([]string(nil), have...)
	sort.Strings(sorted)
	var b strings.Builder
	fmt.Fprintf(&b, "no strategy %q in the records", name)
	if len(sorted) > 0 {
		canonical := make([]string, len(sorted))
		for i, h := range sorted {
			canonical[i] = canonicalName(h)
		}
		if best, ok := suggest.Closest(want, canonical); ok {
			fmt.Fprintf(&b, "; did you mean %q?", best)
		}
		b.WriteString(" The strategies are:")
		for _, h := range canonical {
			b.WriteString("\n  " + h)
		}
	}
	return "", fmt.Errorf("%s", b.String())
}
