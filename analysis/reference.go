package analysis

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// AgainstReference is every strategy tested against one reference
// (lessonl compare --reference): optimization cells by their paired
// speedups (Compare), code-generation cells by pass@1 in the Table 2
// layout's paired tests (GenerateTable). Either part is empty when the
// runs hold no cell of its task.
type AgainstReference struct {
	Comparisons []Comparison
	// Generate is nil when no cell is of the generate task.
	Generate *GenTable
}

// CompareReference tests every strategy of r against reference, each
// task's cells as its reporter tests them (code generation by pass@1,
// optimization by speedup). When some results are of a task without such
// a test, or there are none, the speedup comparison (Compare) runs over
// them all unless it already ran.
func CompareReference(r *Runs, reference string, o Options) (*AgainstReference, error) {
	a := &AgainstReference{}
	ls, by := byLayout(r.Results)
	tested, untested := map[string]bool{}, len(ls) == 0
	for _, l := range ls {
		ok, err := l.against(a, by[l.Name()], r.Candidates, reference, o)
		if err != nil {
			return nil, err
		}
		tested[l.Name()], untested = ok, untested || !ok
	}
	if untested && !tested[defaultLayout.Name()] {
		if _, err := defaultLayout.against(a, r.Results, r.Candidates, reference, o); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// MarshalJSON is the comparisons alone when no cell is of the generate
// task (the form that predates code generation), else an object with
// "comparisons" and "generate".
func (a *AgainstReference) MarshalJSON() ([]byte, error) {
	if a.Generate == nil {
		return json.Marshal(a.Comparisons)
	}
	return json.Marshal(map[string]any{"comparisons": a.Comparisons, "generate": a.Generate})
}

// Text writes the generate task's table (Markdown) and then the
// optimization comparisons, each when there is one; simulated marks the
// generate table as the sim team's.
func (a *AgainstReference) Text(w io.Writer, simulated bool) {
	if a.Generate != nil {
		a.Generate.Markdown(w, simulated)
	}
	if a.Comparisons != nil {
		CompareTable(w, a.Comparisons)
	}
}

// SplitTwo splits results by the value of key into the two sides a
// comparison takes (SplitBy's order: old first); a key with one value or
// more than two is an error that names the values.
func SplitTwo(rs []Result, key string) (old, new Side, err error) {
	sides, err := SplitBy(rs, key)
	if err != nil {
		return old, new, err
	}
	if len(sides) != 2 {
		var names []string
		for _, s := range sides {
			names = append(names, s.Name)
		}
		values := "one value"
		if len(sides) != 1 {
			values = fmt.Sprintf("%d values", len(sides))
		}
		return old, new, fmt.Errorf("--group-by %s: the runs have %s of %s (%s); compare takes exactly two: narrow the runs or group by another key",
			key, values, key, strings.Join(names, ", "))
	}
	return sides[0], sides[1], nil
}
