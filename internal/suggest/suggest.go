package suggest

// Closest returns the name of have nearest to name by Distance (the first
// of those equally near, in have's order), and whether it is near enough
// to suggest: at most max(3, len(name)/3) edits away.
func Closest(name string, have []string) (string, bool) {
	best, dist := "", -1
	for _, h := range have {
		if d := Distance(name, h); dist < 0 || d < dist {
			best, dist = h, d
		}
	}
	return best, dist >= 0 && dist <= max(3, len(name)/3)
}

// Distance is the Levenshtein distance between a and b, in runes: the
// fewest insertions, deletions and substitutions that turn a into b.
func Distance(a, b string) int {
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
