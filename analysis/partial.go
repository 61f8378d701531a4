package analysis

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/lessonlab/lessonl/internal/record"
	"github.com/lessonlab/lessonl/internal/table"
)

// Completeness is whether one run (a folder, or the shards of one spec
// read as one) holds every cell it planned.
type Completeness struct {
	Run    string // the run's label
	Dirs   []string
	Status record.Status
}

// completeness reads the state of every run r holds: the manifests'
// plan and state, counted against the cells tables.
func completeness(r *Runs) ([]Completeness, error) {
	var out []Completeness
	for _, g := range r.Groups {
		var cells []record.Cell
		for _, d := range g.Dirs {
			c, err := record.Read[record.Cell](d, record.TableCells)
			if err != nil {
				return nil, err
			}
			cells = append(cells, c...)
		}
		st := record.StateOf(g.Manifests[0], cells)
		// Shards read as one run: the run is as far as its least
		// advanced folder says, unless the cells show it whole.
		for _, m := range g.Manifests[1:] {
			if s := record.StateOf(m, nil).State; s == record.StateRunning || s == record.StateInterrupted {
				st.State = s
			}
		}
		if st.Whole() {
			st.State = record.StateComplete
		} else if st.State == record.StateComplete {
			st.State = record.Settled(st.Planned, st.Done, st.Failed)
		}
		out = append(out, Completeness{Run: g.Label, Dirs: g.Dirs, Status: st})
	}
	return out, nil
}

// partialWarnings says, a sentence each, which runs are not whole (with
// their counts) and which strategies have unequal numbers of results,
// whose summaries then cover different problems or seeds.
func partialWarnings(r *Runs, cs []Completeness) []string {
	var w []string
	for _, c := range cs {
		if c.Status.Whole() && c.Status.State == record.StateComplete {
			continue
		}
		msg := fmt.Sprintf("run %s (%s) is %s", c.Run, strings.Join(c.Dirs, ", "), c.Status)
		if len(c.Status.FailedCells) > 0 {
			msg += "; failed: " + strings.Join(firstN(c.Status.FailedCells, 5), ", ")
		}
		w = append(w, msg+"; its summaries cover only the recorded cells")
	}
	n := map[string]int{}
	for _, x := range r.Results {
		n[cellLabel(x.Strategy, x.Variant)]++
	}
	if len(n) > 1 {
		names := make([]string, 0, len(n))
		for k := range n {
			names = append(names, k)
		}
		sort.Strings(names)
		equal := true
		var parts []string
		for _, k := range names {
			equal = equal && n[k] == n[names[0]]
			parts = append(parts, fmt.Sprintf("%s %d", k, n[k]))
		}
		if !equal {
			w = append(w, "strategies have unequal numbers of cells (n: "+strings.Join(parts, ", ")+"): their summaries cover different problems or seeds, and paired comparisons use only the cells both have")
		}
	}
	return w
}

func cellLabel(strategy, variant string) string {
	if variant == "" {
		return strategy
	}
	return strategy + "[" + variant + "]"
}

func firstN(xs []string, n int) []string {
	if len(xs) <= n {
		return xs
	}
	return append(append([]string(nil), xs[:n]...), fmt.Sprintf("and %d more", len(xs)-n))
}

// StatusOf is the completeness of the run that folder dir belongs to;
// false when its state was not read (runs built in memory).
func (r *Runs) StatusOf(dir string) (record.Status, bool) {
	for _, c := range r.Runs {
		for _, d := range c.Dirs {
			if d == dir {
				return c.Status, true
			}
		}
	}
	return record.Status{}, false
}

// stateText is a run folder's state with its counts for the run table,
// e.g. "interrupted: 5 of 8 cells done, 3 missing"; "–" when unknown.
func (r *Runs) stateText(dir string) string {
	if st, ok := r.StatusOf(dir); ok {
		return st.String()
	}
	return "–"
}

// runsLaTeX writes the run table for LaTeX: each run's cells planned,
// done, failed and missing, and its state, so a table of results from a
// partial run says so. mark is the document note's mark (texNoteWriter).
func (rep *Report) runsLaTeX(w io.Writer, mark string) {
	if len(rep.Runs.Manifests) == 0 {
		return
	}
	t := table.Table{Label: "tab:lessonl-runs",
		TeXCaption: "Runs: cells planned and recorded, and each run's state (complete, interrupted, incomplete, or failed with its failed cells)." + mark,
		Columns: []table.Column{{Name: "Run", Align: table.Left}, {Name: "Spec", Align: table.Left}, {Name: "Planned", Align: table.Right},
			{Name: "Done", Align: table.Right}, {Name: "Failed", Align: table.Right}, {Name: "Missing", Align: table.Right}, {Name: "State", Align: table.Left}}}
	for i, m := range rep.Runs.Manifests {
		d := rep.Runs.Dirs[i]
		st, ok := rep.Runs.StatusOf(d)
		if !ok {
			t.Add(table.Text(d), table.Text(m.Name), table.Text(fmt.Sprint(m.Cells)), table.Missing, table.Missing, table.Missing, table.Missing)
			continue
		}
		t.AddTexts(d, m.Name, fmt.Sprint(st.Planned), fmt.Sprint(st.Done), fmt.Sprint(st.Failed), fmt.Sprint(st.Missing()), st.State)
	}
	fmt.Fprintln(w)
	t.WriteLaTeX(w)
}
