package stats

import (
	"fmt"
)

// PassAtK is the unbiased estimator of pass@k from n samples of which c
// passed (Chen et al. 2021, "Evaluating Large Language Models Trained on
// Code", the estimator HumanEval and EvalPlus report): the probability
// that at least one of k samples drawn without replacement from the n
// passes, 1 − C(n−c, k)/C(n, k). It is computed as the product
// 1 − ∏_{i=n−c+1..n} (1 − k/i), which stays exact in float64 where the
// binomials overflow (n = 200, k = 100). k must lie in 1..n and c in 0..n.
func PassAtK(n, c, k int) (float64, error) {
	switch {
	case n < 1:
		return 0, fmt.Errorf("pass@%d: %d samples; want at least 1", k, n)
	case c < 0 || c > n:
		return 0, fmt.Errorf("pass@%d: %d of %d samples passed; want 0..%d", k, c, n, n)
	case k < 1 || k > n:
		return 0, fmt.Errorf("pass@%d with %d samples: want 1 ≤ k ≤ n", k, n)
	}
	if n-c < k {
		return 1, nil
	}
	miss := 1.0
	for i := n - c + 1; i <= n; i++ {
		miss *= 1 - float64(k)/float64(i)
	}
	return 1 - miss, nil
}

// Samples is how many candidates a cell sampled for one problem and how
// many of them passed.
type Samples struct {
	N, C int
}

// MeanPassAtK is pass@k averaged over problems, the figure a benchmark
// reports (HumanEval's pass@1 is the share of problems whose one sample
// passed). Every problem needs at least k samples.
func MeanPassAtK(problems []Samples, k int) (float64, error) {
	if len(problems) == 0 {
		return 0, fmt.Errorf("pass@%d: no problems", k)
	}
	sum := 0.0
	for i, s := range problems {
		p, err := PassAtK(s.N, s.C, k)
		if err != nil {
			return 0, fmt.Errorf("problem %d: %w", i, err)
		}
		sum += p
	}
	return sum / float64(len(problems)), nil
}
