package view

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"sort"
	"strings"
	"sync"

	"github.com/lessonlab/lessonl/analysis"
	"github.com/lessonlab/lessonl/internal/record"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed assets
var assetFS embed.FS

// Options shape the pages.
type Options struct {
	// Baseline returns a problem's baseline code, the old side of every
	// diff. When it is nil or does not know the problem, the code in the
	// cell's first prompt is taken instead (every strategy's first prompt
	// shows the code to optimize), and the page says so.
	Baseline func(problemID string) (string, bool)
	// MaxOutput caps the compiler or run output shown per candidate, in
	// bytes; 0 means 4000.
	MaxOutput int
	// Context is the number of unchanged lines around each change of a
	// diff; 0 means 3.
	Context int
}

func (o *Options) fill() {
	if o.MaxOutput <= 0 {
		o.MaxOutput = 4000
	}
	if o.Context <= 0 {
		o.Context = 3
	}
}

// Site is the browser over the runs of one analysis report: the report's
// numbers, and an index from every cell to the run folder that holds its
// records.
type Site struct {
	rep   *analysis.Report
	opts  Options
	tmpl  *template.Template
	cells []*cellRef // in the report's results order
	byID  map[string]*cellRef

	live bool // served by Live: pages reload when the run grows

	plotsOnce sync.Once
	plots     map[string][]byte // figure name + ".png" → PNG
	plotsErr  error
}

// cellRef locates one cell: its result as analysis names it (variants
// carry the run's mode), and the folder and recorded variant of its rows.
type cellRef struct {
	ID      string
	Dir     string
	Variant string // as recorded in Dir
	// Strategy is the strategy as recorded in Dir, when the report
	// renamed it (analysis.Runs.Pick); "" for the result's own.
	Strategy string
	Result   record.Result
	// Task is the cell's task as its run recorded it (analysis.Result.Task).
	Task string
}

// Key is the cell's record key in its run folder.
func (c *cellRef) Key() string {
	s := c.Result.Strategy
	if c.Strategy != "" {
		s = c.Strategy
	}
	return record.Key(s, c.Variant, c.Result.ProblemID, c.Result.Seed)
}

// CellID is the cell's canonical id, as its run folder's cell_id column
// and every message hold it: strategy[variant]/problem/seed.
func (c *cellRef) CellID() string {
	return record.CellID(c.Result.Strategy, c.Variant, c.Result.ProblemID, c.Result.Seed)
}

// New builds the browser over rep, whose runs analysis.Load read; it reads
// each run folder's results once more to learn which folder holds which
// cell (the first folder, as in analysis).
func New(rep *analysis.Report, opts Options) (*Site, error) {
	if rep == nil || rep.Runs == nil {
		return nil, fmt.Errorf("view: no report")
	}
	opts.fill()
	tmpl, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	s := &Site{rep: rep, opts: opts, tmpl: tmpl, byID: map[string]*cellRef{}}
	for _, r := range rep.Runs.Results {
		k := record.Key(r.Strategy, r.Variant, r.ProblemID, r.Seed)
		p, ok := rep.Runs.Origin(k)
		if !ok {
			return nil, fmt.Errorf("view: cell %s is in the report but in no run folder", record.CellIDOfKey(k))
		}
		c := &cellRef{ID: cellID(k), Dir: p.Dir, Variant: p.Variant, Strategy: p.Strategy, Result: r.Result, Task: r.Task()}
		if _, dup := s.byID[c.ID]; dup { // two keys that slug alike
			c.ID += "-" + keyHash(k)
		}
		if _, dup := s.byID[c.ID]; dup {
			return nil, fmt.Errorf("view: two cells share the id %s", c.ID)
		}
		s.cells = append(s.cells, c)
		s.byID[c.ID] = c
	}
	return s, nil
}

// cellID names a cell in URLs and file names, readably:
// strategy~variant~problem~seed ("lessonl~HumanEval-3~1" for problem
// HumanEval/3,
// "lessonl~k=2,selection=none~sort-insertion~1"), with any character
// outside letters, digits and "-_.=,+" written as "_", so that no
// recorded text ever makes a path of its own. New adds a short hash when
// two cells would share one.
func cellID(key string) string {
	parts := strings.Split(key, "|")
	if len(parts) != 4 {
		return keyHash(key)
	}
	var out []string
	for i, p := range parts {
		if i == 1 && p == "" {
			continue
		}
		out = append(out, slug(p))
	}
	return strings.Join(out, "~")
}

func keyHash(key string) string {
	h := sha256.Sum256([]byte(key))
	return hex.EncodeToString(h[:4])
}

func slug(s string) string {
	if s == "" {
		return "_"
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune("-_.=,+", r):
			return r
		case r == '/': // HumanEval/3 → HumanEval-3
			return '-'
		}
		return '_'
	}, s)
}

// shortLesson is a lesson's id within its cell: "r0-coder-a" (round and
// agent) for "lessonl/sort-insertion/1/r0-coder-a".
func shortLesson(id string) string {
	if i := strings.LastIndex(id, "/"); i >= 0 {
		return id[i+1:]
	}
	return id
}

func parseTemplates() (*template.Template, error) {
	t, err := template.New("view").Funcs(funcs).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("view templates: %w", err)
	}
	return t, nil
}

// assets is the embedded assets folder (style.css, filter.js).
func assets() fs.FS {
	sub, err := fs.Sub(assetFS, "assets")
	if err != nil {
		panic(err) // the folder is embedded at build time
	}
	return sub
}

var funcs = template.FuncMap{
	"x":    speedup,
	"join": strings.Join,
	// model names a call's model once: "sim/coder-a", not "sim/sim/coder-a".
	"model": func(provider, model string) string {
		if provider == "" || strings.HasPrefix(model, provider+"/") {
			return model
		}
		return provider + "/" + model
	},
	"ci":     interval,
	"f3":     func(x float64) string { return num(x, 3) },
	"f2":     func(x float64) string { return num(x, 2) },
	"f1":     func(x float64) string { return num(x, 1) },
	"f0":     func(x float64) string { return num(x, 0) },
	"pct":    func(x float64) string { return num(x, 0) + "%" },
	"class":  speedClass,
	"short":  shortLesson,
	"label":  label,
	"mul100": func(x float64) float64 { return 100 * x },
	"vparam": func(v string) string {
		if v == "" {
			return noVariant
		}
		return v
	},
}

// noVariant is the filter value of cells recorded without a variant.
const noVariant = "-"

func num(x float64, prec int) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "–"
	}
	return fmt.Sprintf("%.*f", prec, x)
}

// speedup formats a speedup as "1.23×"; "–" when there is none.
func speedup(x float64) string {
	if x <= 0 || math.IsNaN(x) {
		return "–"
	}
	return num(x, 2) + "×"
}

// interval formats a 95% interval as "[lo, hi]"; "" when there is none.
func interval(lo, hi float64) string {
	if lo <= 0 && hi <= 0 || math.IsNaN(lo) || math.IsNaN(hi) {
		return ""
	}
	return "[" + num(lo, 2) + ", " + num(hi, 2) + "]"
}

// label is a strategy with its variant, as analysis's tables show it.
func label(strategy, variant string) string {
	if variant == "" {
		return strategy
	}
	return strategy + "[" + variant + "]"
}

// banner is the sim banner for the runs' cells (see analysis.SimBannerFor).
func (s *Site) banner() string { return analysis.SimBannerFor(s.rep.Runs.Results) }

// passClass is the colour class of a code-generation answer: passed
// every hidden test, or not.
func passClass(passed bool) string {
	if passed {
		return "sp-3"
	}
	return "sp-fail"
}

// speedClass is the colour class of a speedup: sp-fail for no correct
// answer, then slower, about even, and nine steps of faster on a log
// scale, so 2×, 20× and 2,000× look different.
func speedClass(correct bool, x float64) string {
	switch {
	case !correct:
		return "sp-fail"
	case x < 0.95:
		return "sp-slow"
	case x < 1.1:
		return "sp-even"
	}
	for i, top := range speedSteps {
		if x < top {
			return fmt.Sprintf("sp-%d", i+1)
		}
	}
	return fmt.Sprintf("sp-%d", len(speedSteps)+1)
}

// speedSteps are the upper bounds of the faster colour steps (sp-1 …
// sp-8; sp-9 above the last).
var speedSteps = []float64{1.5, 2, 4, 16, 64, 256, 1024, 2048}

// distinct returns the sorted distinct values of f over the cells.
func (s *Site) distinct(f func(*cellRef) string) []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range s.cells {
		if v := f(c); !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	sort.Strings(out)
	return out
}

// sortedPairs returns m's entries sorted by key, for stable pages.
func sortedPairs(m map[string]string) [][2]string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([][2]string, len(keys))
	for i, k := range keys {
		out[i] = [2]string{k, m[k]}
	}
	return out
}

// truncate keeps the first max bytes of s (on a rune boundary) and says
// how many bytes it dropped.
func truncate(s string, max int) (string, int) {
	if len(s) <= max {
		return s, 0
	}
	cut := max
	for cut > 0 && !utf8Start(s[cut]) {
		cut--
	}
	return s[:cut], len(s) - cut
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

// firstFence returns the body of the first ``` block of text.
func firstFence(text string) (string, bool) {
	i := strings.Index(text, "```")
	if i < 0 {
		return "", false
	}
	rest := text[i+3:]
	nl := strings.IndexByte(rest, '\n')
	if nl < 0 {
		return "", false
	}
	body := rest[nl+1:]
	end := strings.Index(body, "```")
	if end < 0 {
		return "", false
	}
	return body[:end], true
}
