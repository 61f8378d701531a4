package view

import (
	"bytes"
	"encoding/json"
	"html/template"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/lessonlab/lessonl/analysis"
	"github.com/lessonlab/lessonl/internal/record"
)

// Filter narrows the overview to some cells. An empty field matches
// everything; Variant "-" matches cells recorded without a variant.
// Category, Strategy and Variant narrow the metrics table too; Seed and
// Status only the grid (the metrics always cover every seed).
type Filter struct {
	Category string
	Strategy string
	Variant  string
	Seed     string
	Status   string
}

// ParseFilter reads a filter from query parameters of the same names.
func ParseFilter(q url.Values) Filter {
	return Filter{Category: q.Get("category"), Strategy: q.Get("strategy"), Variant: q.Get("variant"),
		Seed: q.Get("seed"), Status: q.Get("status")}
}

// Active reports whether the filter narrows anything.
func (f Filter) Active() bool { return f != Filter{} }

func (f Filter) variant(v string) bool {
	if f.Variant == "" {
		return true
	}
	if f.Variant == noVariant {
		return v == ""
	}
	return f.Variant == v
}

func (f Filter) column(strategy, variant string) bool {
	return (f.Strategy == "" || f.Strategy == strategy) && f.variant(variant)
}

func (f Filter) row(r analysis.Row) bool {
	return f.column(r.Strategy, r.Variant) && (f.Category == "" || f.Category == r.Category)
}

func (f Filter) cell(r record.Result) bool {
	return f.column(r.Strategy, r.Variant) && (f.Category == "" || f.Category == r.Category) &&
		(f.Seed == "" || f.Seed == strconv.FormatInt(r.Seed, 10)) && (f.Status == "" || f.Status == r.Status)
}

// page is what every page template gets besides its own data.
type page struct {
	Title  string
	Root   string // relative path to the site's root: "" or "../"
	Static bool   // written as files: the script applies the filters
	// Simulated says the agents include the sim team, a simulator;
	// Banner is then what that means for these runs.
	Simulated bool
	Banner    string
	// Live says the page is served by Live and reloads as the run grows.
	Live bool
}

type overviewPage struct {
	page
	Runs    []runView
	Options analysis.Options
	Rows    []analysis.Row // code-optimization rows: speedups
	GenRows []analysis.Row // code-generation rows: pass@1, no speedup
	// Tasks are the sections of other tasks' results, each laid out by
	// its task's report (analysis.TaskSections).
	Tasks []taskView
	// Speedups and Tests say how the cells shown show their answers (their
	// tasks' parts): by speedup, by hidden tests.
	Speedups, Tests bool
	Figures         []figureView
	Filter          Filter
	Choices         []choice
	Columns         []column
	Grid            []gridRow
	Cells           []listRow // the sortable, filterable cell list
	MultiSeed       bool      // cells have more than one seed: chips name theirs
	Shown           int       // cells in the grid after filtering
	Total           int
}

type runView struct {
	Dir      string
	Manifest *record.Manifest
	Wall     string
	Sandbox  [][2]string
	Spec     string // the resolved spec, indented JSON
}

type figureView struct{ Name, Title string }

// taskView is one other task's section: its table as HTML (escaped by
// table.WriteHTML).
type taskView struct {
	Task, Title string
	Table       template.HTML
}

// choice is one filter's select box.
type choice struct {
	Name    string // query parameter
	Label   string
	Options []option
}

type option struct {
	Value, Label string
	Selected     bool
}

type column struct {
	Strategy, Variant string
}

type gridRow struct {
	Problem, Category string
	Squares           []*square // one per column
}

type square struct {
	Strategy, Variant string
	Entries           []entry
	GeoMean           float64 // paper convention over the seeds shown
	Summary           string  // over several seeds: the geometric mean, or for code generation "k/n passed"
	Class             string
	part              part // the task's part of the square's cells (one problem, one task)
}

// listRow is one cell in the overview's cell list.
type listRow struct {
	ID                                   string
	Strategy, Variant, Problem, Category string
	Seed                                 int64
	Status                               string
	Speedup                              float64
	Correct                              bool
	Class                                string
	Score                                string  // the answer as the list shows it: a speedup, or hidden tests passed
	Value                                float64 // what the list sorts the score by
	Calls, Tokens                        int64
	WallMS                               int64
}

type entry struct {
	ID      string
	Seed    int64
	Status  string
	Speedup float64
	Correct bool
	Text    string // the chip's text: the speedup or the status
	Class   string
}

// score is how the browser shows a cell's answer, as its task reads it
// (analysis.ReadResult): a timed answer (code optimization) by its
// speedup when correct (else its status), coloured by speedup; any other
// by its reading's text (for code generation passed, or its status with
// the hidden tests passed), coloured pass or fail. value sorts it.
func score(r record.Result, task string) (text, class string, value float64) {
	rd := analysis.ReadResult(r, task)
	switch {
	case !rd.Timed:
		return rd.Text, passClass(rd.Correct), rd.Value
	case rd.Correct:
		return speedup(rd.Value), speedClass(true, rd.Value), rd.Value
	}
	return rd.Text, speedClass(false, r.Speedup), 0
}

// overview computes the overview page for a filter.
func (s *Site) overview(f Filter, static bool) *overviewPage {
	rep := s.rep
	p := &overviewPage{page: page{Title: "lessonl runs", Static: static, Simulated: rep.Runs.Simulated(), Banner: s.banner(), Live: s.live && !static},
		Options: rep.Options, Filter: f, Total: len(s.cells)}
	if static {
		// Static files show everything; the script hides what the
		// query's filter excludes.
		f = Filter{}
	}
	for i, m := range rep.Runs.Manifests {
		rv := runView{Dir: rep.Runs.Dirs[i], Manifest: m, Wall: "–", Sandbox: sortedPairs(m.Sandbox)}
		if !m.Ended.IsZero() {
			rv.Wall = m.Ended.Sub(m.Started).Round(time.Second).String()
		}
		var b bytes.Buffer
		if json.Indent(&b, m.Spec, "", "  ") == nil {
			rv.Spec = b.String()
		} else {
			rv.Spec = string(m.Spec)
		}
		p.Runs = append(p.Runs, rv)
	}
	for _, r := range rep.Rows {
		if f.row(r) {
			partOf(r.Task).metricsRow(p, r)
		}
	}
	for _, sec := range rep.Tasks {
		var b strings.Builder
		sec.Table.WriteHTML(&b) // a strings.Builder does not fail
		p.Tasks = append(p.Tasks, taskView{Task: sec.Task, Title: sec.Title, Table: template.HTML(b.String())})
	}
	for _, fig := range rep.Figures {
		p.Figures = append(p.Figures, figureView{Name: fig.Name, Title: fig.Plot.Title.Text})
	}
	p.Choices = s.choices(p.Filter)
	p.MultiSeed = len(p.Choices[3].Options) > 2 // "all" and one seed

	// Columns: every strategy variant, in the report's order.
	colIndex := map[column]int{}
	for _, c := range s.cells {
		k := column{c.Result.Strategy, c.Result.Variant}
		if _, ok := colIndex[k]; !ok && f.column(k.Strategy, k.Variant) {
			colIndex[k] = len(p.Columns)
			p.Columns = append(p.Columns, k)
		}
	}
	rows := map[string]*gridRow{}
	for _, c := range s.cells {
		r := c.Result
		if !f.cell(r) {
			continue
		}
		g := rows[r.ProblemID]
		if g == nil {
			g = &gridRow{Problem: r.ProblemID, Category: r.Category, Squares: make([]*square, len(p.Columns))}
			rows[r.ProblemID] = g
		}
		i := colIndex[column{r.Strategy, r.Variant}]
		pt := partOf(c.Task)
		sq := g.Squares[i]
		if sq == nil {
			sq = &square{Strategy: r.Strategy, Variant: r.Variant, part: pt}
			g.Squares[i] = sq
		}
		text, class, value := score(r, c.Task)
		p.Tests = p.Tests || pt.shows() == byTests
		p.Speedups = p.Speedups || pt.shows() == bySpeedup
		sq.Entries = append(sq.Entries, entry{ID: c.ID, Seed: r.Seed, Status: r.Status, Speedup: r.Speedup,
			Correct: r.Correct, Text: text, Class: class})
		text = pt.listText(text, r.Correct)
		p.Cells = append(p.Cells, listRow{ID: c.ID, Strategy: r.Strategy, Variant: r.Variant, Problem: r.ProblemID, Category: r.Category,
			Seed: r.Seed, Status: r.Status, Speedup: r.Speedup, Correct: r.Correct, Class: class, Score: text, Value: value,
			Calls: r.LLMCalls, Tokens: r.PromptTokens + r.CompletionTokens, WallMS: r.WallMS})
		p.Shown++
	}
	for _, g := range rows {
		for i, sq := range g.Squares {
			if sq == nil {
				g.Squares[i] = &square{Strategy: p.Columns[i].Strategy, Variant: p.Columns[i].Variant, Class: "sp-none"}
				continue
			}
			sort.Slice(sq.Entries, func(i, j int) bool { return sq.Entries[i].Seed < sq.Entries[j].Seed })
			sq.part.summarize(sq)
		}
		p.Grid = append(p.Grid, *g)
	}
	sort.Slice(p.Grid, func(i, j int) bool {
		a, b := p.Grid[i], p.Grid[j]
		if a.Category != b.Category {
			return a.Category < b.Category
		}
		return a.Problem < b.Problem
	})
	return p
}

// choices lists each filter's values, the current one selected.
func (s *Site) choices(f Filter) []choice {
	mk := func(name, lbl, cur string, values []string, show func(string) string) choice {
		c := choice{Name: name, Label: lbl, Options: []option{{Value: "", Label: "all", Selected: cur == ""}}}
		for _, v := range values {
			c.Options = append(c.Options, option{Value: v, Label: show(v), Selected: cur == v})
		}
		return c
	}
	same := func(v string) string { return v }
	variants := s.distinct(func(c *cellRef) string { return c.Result.Variant })
	for i, v := range variants {
		if v == "" {
			variants[i] = noVariant
		}
	}
	seeds := s.distinct(func(c *cellRef) string { return strconv.FormatInt(c.Result.Seed, 10) })
	sort.Slice(seeds, func(i, j int) bool {
		a, _ := strconv.ParseInt(seeds[i], 10, 64)
		b, _ := strconv.ParseInt(seeds[j], 10, 64)
		return a < b
	})
	return []choice{
		mk("category", "category", f.Category, s.distinct(func(c *cellRef) string { return c.Result.Category }), same),
		mk("strategy", "strategy", f.Strategy, s.distinct(func(c *cellRef) string { return c.Result.Strategy }), same),
		mk("variant", "variant", f.Variant, variants, func(v string) string {
			if v == noVariant {
				return "(none)"
			}
			return v
		}),
		mk("seed", "seed", f.Seed, seeds, same),
		mk("status", "status", f.Status, s.distinct(func(c *cellRef) string { return c.Result.Status }), same),
	}
}
