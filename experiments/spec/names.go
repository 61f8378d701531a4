package spec

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lessonlab/lessonl/internal/suggest"
)

// unknownName says that name is none of have (what names them: strategy,
// problem): the closest as a did-you-mean when one is close, then every
// name, one per line (or, past 20, where to list them).
func unknownName(what, name string, have []string, listing string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "no %s %q", what, name)
	if best, ok := suggest.Closest(name, have); ok {
		fmt.Fprintf(&b, "; did you mean %q?", best)
	}
	if len(have) > 20 && listing != "" {
		fmt.Fprintf(&b, " (%d %s: `%s` lists them)", len(have), plural(what), listing)
		return b.String()
	}
	sorted := slices.Clone(have)
	slices.Sort(sorted)
	fmt.Fprintf(&b, " The %s are:", plural(what))
	for _, h := range sorted {
		b.WriteString("\n  " + h)
	}
	return b.String()
}

func plural(what string) string {
	if strings.HasSuffix(what, "y") {
		return strings.TrimSuffix(what, "y") + "ies"
	}
	return what + "s"
}
