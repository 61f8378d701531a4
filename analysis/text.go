package analysis

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// MetricsTable prints metrics rows as `lessonl analyze` shows them: the
// speedup table for optimize rows and, when there are generate rows, the
// pass@1 table for those (a generate cell has no speedup). categories
// false keeps the overall rows only.
func MetricsTable(w io.Writer, rows []Row, categories bool) error {
	var opt, gen []Row
	for _, r := range rows {
		if r.Category != AllCategories && !categories {
			continue
		}
		if r.Generate() {
			gen = append(gen, r)
		} else {
			opt = append(opt, r)
		}
	}
	if len(opt) > 0 || len(gen) == 0 {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "STRATEGY\tVARIANT\tCATEGORY\tN\tCOMPILED\tCORRECT\tFASTER\tGEOMEAN [95% CI]\tMEAN\t≥2×\tCALLS\tTOKENS")
		for _, x := range opt {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%.0f%%\t%.0f%%\t%.0f%%\t%s\t%.2f\t%.0f%%\t%.1f\t%.0f\n", x.Strategy, dash(x.Variant), x.Category, x.N,
				x.PctCompiled, x.PctCorrect, x.PctFaster, geoText(x), x.MeanSpeedup, 100*x.Share2x, x.LLMCalls, x.Tokens)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		if _, err := fmt.Fprintf(w, "geomean interval: bootstrap over problems (n problems instead when fewer than %d)\n", minIntervalN); err != nil {
			return err
		}
	}
	if len(gen) == 0 {
		return nil
	}
	if len(opt) > 0 {
		fmt.Fprintln(w)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STRATEGY\tVARIANT\tSUITE\tN\tPROBLEMS\tPARSED\tPASS@1 [95% CI]\tTESTS PASSED\tCALLS\tTOKENS")
	for _, x := range gen {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%.0f%%\t%s\t%.0f%%\t%.1f\t%.0f\n", x.Strategy, dash(x.Variant), x.Category, x.N, x.Problems,
			x.PctCompiled, passCI(x), 100*x.TestsPassed, x.LLMCalls, x.Tokens)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "pass@1 = share of cells whose answer passed every hidden test; interval: bootstrap over problems, seeds nested (n problems when fewer than %d); code-generation cells have no speedup\n", minIntervalN)
	return err
}

// geoText is an optimize row's geometric mean with its interval, or with
// its n when too few problems back an interval.
func geoText(r Row) string {
	if r.Problems < minIntervalN {
		return fmt.Sprintf("%.3f (n=%d)", r.GeoMean, r.Problems)
	}
	return fmt.Sprintf("%.3f [%.3f, %.3f]", r.GeoMean, r.GeoLow, r.GeoHigh)
}

// passCI is a generate row's pass@1 with its interval, or with its n
// when too few problems back an interval.
func passCI(r Row) string {
	if r.Problems < minIntervalN {
		return fmt.Sprintf("%s (n=%d)", three(r.Pass1), r.Problems)
	}
	return fmt.Sprintf("%s [%s, %s]", three(r.Pass1), three(r.Pass1Low), three(r.Pass1High))
}

func dash(v string) string {
	if v == "" {
		return "-"
	}
	return v
}
