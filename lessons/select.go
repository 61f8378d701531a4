package lessons

import (
	"math/rand/v2"
	"sort"
)

// Policy is how k lessons are chosen from the bank.
type Policy string

// The selection policies. Paper is the method; the rest are the ablations
// of its Table 3 and two more baselines for selection studies.
const (
	PolicyPaper     Policy = "paper"     // ⌈k/2⌉ by adjusted speedup (≥ Threshold), the rest by relevance
	PolicySpeedup   Policy = "speedup"   // k by adjusted speedup only
	PolicyRelevance Policy = "relevance" // k by relevance only
	PolicyRandom    Policy = "random"    // k uniformly at random
	PolicyRecent    Policy = "recent"    // the k most recent
	PolicyNone      Policy = "none"      // no lessons at all
)

// Policies lists every policy, for validation and help texts.
var Policies = []Policy{PolicyPaper, PolicySpeedup, PolicyRelevance, PolicyRandom, PolicyRecent, PolicyNone}

// Reasons a lesson was picked, recorded in the selections table.
const (
	ReasonAll       = "all"       // the bank held at most k lessons
	ReasonSpeedup   = "speedup"   // high adjusted speedup
	ReasonRelevance = "relevance" // relevant to the original code
	ReasonRandom    = "random"
	ReasonRecent    = "recent"
)

// Pick is one selected lesson with why it was picked and the score that
// ranked it (adjusted speedup or relevance; 0 for random picks).
type Pick struct {
	Lesson *Lesson
	Reason string
	Score  float64
}

// Select chooses up to k lessons from bank. relevance[i] is bank[i]'s
// relevance to the original code (needed by paper and relevance). rng
// drives the random policy. While the bank holds at most k lessons every
// policy but none shows them all, as the paper does.
//
// Ties are broken by order of arrival, earlier first, so selection is
// deterministic.
func Select(bank []*Lesson, relevance []float64, k int, policy Policy, rng *rand.Rand) []Pick {
	if policy == PolicyNone || k <= 0 || len(bank) == 0 {
		return nil
	}
	if len(bank) <= k {
		picks := make([]Pick, len(bank))
		for i, l := range bank {
			picks[i] = Pick{Lesson: l, Reason: ReasonAll, Score: l.Adjusted()}
		}
		return picks
	}
	idx := make([]int, len(bank))
	for i := range idx {
		idx[i] = i
	}
	bySpeedup := func(ids []int) {
		sort.SliceStable(ids, func(a, b int) bool { return bank[ids[a]].Adjusted() > bank[ids[b]].Adjusted() })
	}
	byRelevance := func(ids []int) {
		sort.SliceStable(ids, func(a, b int) bool { return relevance[ids[a]] > relevance[ids[b]] })
	}
	var picks []Pick
	switch policy {
	case PolicyPaper:
		cands := append([]int(nil), idx...)
		bySpeedup(cands)
		taken := map[int]bool{}
		for _, i := range cands {
			if len(picks) == (k+1)/2 || bank[i].Adjusted() < Threshold {
				break
			}
			picks = append(picks, Pick{bank[i], ReasonSpeedup, bank[i].Adjusted()})
			taken[i] = true
		}
		rest := make([]int, 0, len(bank))
		for _, i := range idx {
			if !taken[i] {
				rest = append(rest, i)
			}
		}
		byRelevance(rest)
		for _, i := range rest[:k-len(picks)] {
			picks = append(picks, Pick{bank[i], ReasonRelevance, relevance[i]})
		}
	case PolicySpeedup:
		bySpeedup(idx)
		for _, i := range idx[:k] {
			picks = append(picks, Pick{bank[i], ReasonSpeedup, bank[i].Adjusted()})
		}
	case PolicyRelevance:
		byRelevance(idx)
		for _, i := range idx[:k] {
			picks = append(picks, Pick{bank[i], ReasonRelevance, relevance[i]})
		}
	case PolicyRandom:
		rng.Shuffle(len(idx), func(a, b int) { idx[a], idx[b] = idx[b], idx[a] })
		for _, i := range idx[:k] {
			picks = append(picks, Pick{bank[i], ReasonRandom, 0})
		}
	case PolicyRecent:
		for i := len(bank) - 1; i >= len(bank)-k; i-- {
			picks = append(picks, Pick{bank[i], ReasonRecent, float64(bank[i].Round)})
		}
	}
	return picks
}

// Epsilon is the paper's adjustment step ε.
const Epsilon = 0.1

// Adjust recomputes the factor of every shown lesson from this round's
// candidate speedups (0 for failed candidates): the mean over candidates
// of 1+eps when the candidate's speedup beat the lesson's own, else 1−eps
// (a tie counts as not beating it). Factors are recomputed, not
// accumulated. A round without candidates leaves factors as they were.
func Adjust(shown []Pick, round []float64, eps float64) {
	if len(round) == 0 {
		return
	}
	for _, p := range shown {
		c := 0.0
		for _, s := range round {
			if s > p.Lesson.Speedup {
				c += 1 + eps
			} else {
				c += 1 - eps
			}
		}
		p.Lesson.Factor = c / float64(len(round))
	}
}
