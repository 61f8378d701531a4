package analysis

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
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
		best, dist := "", -1
		for _, h := range sorted {
			if d := editDistance(want, canonicalName(h)); dist < 0 || d < dist {
				best, dist = h, d
			}
		}
		if dist <= max(3, len(want)/3) {
			fmt.Fprintf(&b, "; did you mean %q?", canonicalName(best))
		}
		b.WriteString(" The strategies are:")
		for _, h := range sorted {
			b.WriteString("\n  " + canonicalName(h))
		}
	}
	return "", fmt.Errorf("%s", b.String())
}

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
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
