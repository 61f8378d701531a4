package experiments

import (
	"fmt"
	"slices"
	"strings"
)

// unknownName says that name is none of have (what names them: strategy,
// problem): the closest as a did-you-mean when one is close, then every
// name, one per line (or, past 20, where to list them).
func unknownName(what, name string, have []string, listing string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "no %s %q", what, name)
	best, dist := "", -1
	for _, h := range have {
		if d := editDistance(name, h); dist < 0 || d < dist {
			best, dist = h, d
		}
	}
	if dist >= 0 && dist <= max(3, len(name)/3) {
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

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev, cur := make([]int, len(rb)+1), make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

func plural(what string) string {
	if strings.HasSuffix(what, "y") {
		return strings.TrimSuffix(what, "y") + "ies"
	}
	return what + "s"
}
