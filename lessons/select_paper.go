package lessons

// paperOrder puts the speedup picks of the paper policy in the order the
// authors' select_high_speedup leaves them (code-opt/strategies/lesson.py
// at 232336a): it sorts the qualifying lessons by adjusted speedup only
// when more than ⌈k/2⌉ qualify, and otherwise keeps them in bank order.
// The lessons chosen are the same; only their order in the prompt
// ("Lesson 1", "Lesson 2", ...) changes.
func paperOrder(picks []Pick, bank []*Lesson, k int) []Pick {
	qualify := 0
	for _, l := range bank {
		if l.Adjusted() >= Threshold {
			qualify++
		}
	}
	if qualify > (k+1)/2 {
		return picks
	}
	at := make(map[*Lesson]int, len(bank))
	for i, l := range bank {
		at[l] = i
	}
	n := 0
	for n < len(picks) && picks[n].Reason == ReasonSpeedup {
		n++
	}
	head := append([]Pick(nil), picks[:n]...)
	// Insertion sort by bank index: a handful of picks.
	for i := 1; i < len(head); i++ {
		for j := i; j > 0 && at[head[j].Lesson] < at[head[j-1].Lesson]; j-- {
			head[j], head[j-1] = head[j-1], head[j]
		}
	}
	return append(head, picks[n:]...)
}
