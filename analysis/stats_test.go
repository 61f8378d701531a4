package analysis

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"testing"

	"github.com/lessonlab/lessonl/internal/golden"
)

type refInput struct {
	Cases   []refCase   `json:"cases"`
	PValues [][]float64 `json:"pvalues"`
	Samples [][]float64 `json:"samples"`
}

type refCase struct {
	Name string    `json:"name"`
	X    []float64 `json:"x"`
	Y    []float64 `json:"y"`
}

type refOutput struct {
	Scipy    string `json:"scipy"`
	Wilcoxon []struct {
		Name      string  `json:"name"`
		Statistic float64 `json:"statistic"`
		P         float64 `json:"p"`
	} `json:"wilcoxon"`
	Holm  [][]float64 `json:"holm"`
	GMean []struct {
		GMean  float64 `json:"gmean"`
		LogSEM float64 `json:"log_sem"`
	} `json:"gmean"`
}

// refData generates the test data: log speedups of two strategies with an
// effect, in the shapes that matter for the test's branches.
func refData() refInput {
	rng := rand.New(rand.NewPCG(42, 7))
	gen := func(n int, shift float64) ([]float64, []float64) {
		x, y := make([]float64, n), make([]float64, n)
		for i := range x {
			y[i] = rng.NormFloat64() * 0.3
			x[i] = y[i] + shift + rng.NormFloat64()*0.2
		}
		return x, y
	}
	var in refInput
	x, y := gen(12, 0.15)
	in.Cases = append(in.Cases, refCase{"exact n=12", x, y})
	x, y = gen(30, -0.05)
	in.Cases = append(in.Cases, refCase{"exact n=30", x, y})
	x, y = gen(80, 0.05)
	in.Cases = append(in.Cases, refCase{"normal n=80", x, y})
	// Ties: differences rounded to one decimal.
	x, y = gen(25, 0.1)
	for i := range x {
		x[i] = y[i] + math.Round((x[i]-y[i])*10)/10
	}
	in.Cases = append(in.Cases, refCase{"ties n=25", x, y})
	// Zeros: a failed answer on both sides counts 1× (log 0) on both.
	x, y = gen(40, 0.1)
	for i := 0; i < 8; i++ {
		x[i], y[i] = 0, 0
	}
	in.Cases = append(in.Cases, refCase{"zeros n=40", x, y})
	in.PValues = [][]float64{{0.01, 0.04, 0.03, 0.2}, {0.001, 0.5, 0.02, 0.02, 0.9, 0.04}, {0.3}}
	for _, n := range []int{5, 40, 200} {
		s := make([]float64, n)
		for i := range s {
			s[i] = math.Exp(rng.NormFloat64() * 0.5)
		}
		in.Samples = append(in.Samples, s)
	}
	return in
}

// reference returns scipy's values: computed now when /usr/bin/python3 has
// scipy (and -update rewrites the golden file), else read from the golden
// file that a run with scipy wrote.
func reference(t *testing.T, in refInput) refOutput {
	t.Helper()
	const goldenPath = "testdata/reference.golden.json"
	var raw []byte
	if err := exec.Command("/usr/bin/python3", "-c", "import scipy").Run(); err == nil {
		b, _ := json.Marshal(in)
		cmd := exec.Command("/usr/bin/python3", "testdata/reference.py")
		cmd.Stdin = bytes.NewReader(b)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("reference.py: %v", err)
		}
		raw = out
		if *golden.Update {
			os.WriteFile(goldenPath, out, 0o644)
		}
	} else {
		b, err := os.ReadFile(goldenPath)
		if err != nil {
			t.Skip("no scipy (apt-get install python3-scipy) and no golden file")
		}
		raw = b
		t.Log("scipy not installed: checking against the golden file (apt-get install python3-scipy to recompute)")
	}
	var out refOutput
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestStatisticsAgainstScipy(t *testing.T) {
	in := refData()
	ref := reference(t, in)
	t.Logf("reference: scipy %s", ref.Scipy)
	for i, c := range in.Cases {
		got, err := Wilcoxon(c.X, c.Y)
		if err != nil {
			t.Fatal(err)
		}
		want := ref.Wilcoxon[i]
		if math.Abs(got.Statistic-want.Statistic) > 1e-9 {
			t.Errorf("%s: statistic %v, scipy %v", c.Name, got.Statistic, want.Statistic)
		}
		if math.Abs(got.P-want.P) > 1e-6 {
			t.Errorf("%s: p %v (exact %v), scipy %v", c.Name, got.P, got.Exact, want.P)
		}
	}
	for i, ps := range in.PValues {
		got := Holm(ps)
		for j := range got {
			if math.Abs(got[j]-ref.Holm[i][j]) > 1e-12 {
				t.Errorf("Holm(%v) = %v, reference %v", ps, got, ref.Holm[i])
				break
			}
		}
	}
	for i, s := range in.Samples {
		gm := math.Exp(logMean(s))
		logs := make([]float64, len(s))
		for j, v := range s {
			logs[j] = math.Log(v)
		}
		sem := std(logs) / math.Sqrt(float64(len(s)))
		if math.Abs(gm-ref.GMean[i].GMean) > 1e-9*gm || math.Abs(sem-ref.GMean[i].LogSEM) > 1e-9 {
			t.Errorf("sample %d: geomean %v sem %v, scipy %v %v", i, gm, sem, ref.GMean[i].GMean, ref.GMean[i].LogSEM)
		}
	}
}

// TestWilcoxonTextbook checks a hand-computable case: all 6 differences
// positive and distinct, so W− = 0 and the exact two-sided p is 2/2⁶.
func TestWilcoxonTextbook(t *testing.T) {
	r, err := Wilcoxon([]float64{1.1, 2.2, 3.3, 4.4, 5.5, 6.6}, []float64{1, 2, 3, 4, 5, 6})
	if err != nil {
		t.Fatal(err)
	}
	if r.Statistic != 0 || r.WPlus != 21 || !r.Exact || math.Abs(r.P-2.0/64) > 1e-15 {
		t.Errorf("got %+v, want W=0, W+=21, exact p=1/32", r)
	}
}

func TestNestedBootstrap(t *testing.T) {
	groups := [][]float64{{2, 2, 2}, {2, 2}, {2}}
	p, lo, hi := NestedBootstrap(groups, logMean, 500, 1, 0.95)
	if p != math.Log(2) || lo != p || hi != p {
		t.Errorf("constant data: %v [%v, %v], want a collapsed interval at log 2", p, lo, hi)
	}
	// Coverage: problems with true log-speedups ~ N(0.3, 0.2), 3 seeds
	// each with noise 0.1; the interval should cover 0.3 about 95% of the time.
	rng := rand.New(rand.NewPCG(3, 3))
	covered := 0
	const trials = 200
	for k := 0; k < trials; k++ {
		g := make([][]float64, 20)
		for i := range g {
			mu := 0.3 + 0.2*rng.NormFloat64()
			for s := 0; s < 3; s++ {
				g[i] = append(g[i], mu+0.1*rng.NormFloat64())
			}
		}
		mean := func(xs []float64) float64 {
			s := 0.0
			for _, x := range xs {
				s += x
			}
			return s / float64(len(xs))
		}
		_, lo, hi := NestedBootstrap(g, mean, 400, uint64(k), 0.95)
		if lo <= 0.3 && 0.3 <= hi {
			covered++
		}
	}
	if rate := float64(covered) / trials; rate < 0.88 || rate > 0.99 {
		t.Errorf("coverage %.3f, want about 0.95", rate)
	}
	a1, b1, c1 := NestedBootstrap(groups, logMean, 100, 9, 0.9)
	a2, b2, c2 := NestedBootstrap(groups, logMean, 100, 9, 0.9)
	if a1 != a2 || b1 != b2 || c1 != c2 {
		t.Error("same seed, different interval")
	}
}
