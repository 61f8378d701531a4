package view

import (
	"html/template"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/analysis"
	"github.com/lessonlab/lessonl/internal/record"
	"github.com/lessonlab/lessonl/internal/view/viewtest"
)

// testSite serves the viewtest run folder.
func testSite(t *testing.T, opts Options) (*Site, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "run")
	if err := viewtest.Write(dir); err != nil {
		t.Fatal(err)
	}
	return siteOver(t, opts, dir), dir
}

func siteOver(t testing.TB, opts Options, dirs ...string) *Site {
	t.Helper()
	runs, err := analysis.Load(dirs...)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := analysis.Build(runs, analysis.Options{Resamples: 100}, "")
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(rep, opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func withBaseline() Options {
	return Options{Baseline: func(string) (string, bool) { return viewtest.Baseline, true }}
}

func get(t *testing.T, srv *httptest.Server, path string) (int, http.Header, string) {
	t.Helper()
	resp, err := http.Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(b)
}

// escape is text as html/template writes it in an element's body.
func escape(s string) string {
	var b strings.Builder
	template.Must(template.New("").Parse("{{.}}")).Execute(&b, s)
	return b.String()
}

// the detailed cell's link, as the grid writes it.
func detailedLink() string {
	return "cells/" + cellID(record.Key(viewtest.Strategy, "", viewtest.Problem, viewtest.Seed)) + ".html"
}

func TestPages(t *testing.T) {
	s, _ := testSite(t, withBaseline())
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	esc := escape
	for _, tt := range []struct {
		name, path string
		status     int
		want       []string // substrings of the page
		absent     []string
	}{
		{name: "overview", path: "/", status: 200, want: []string{
			`href="` + detailedLink() + `"`, // the grid links the cell
			`<th>sort-merge</th>`, `data-strategy="lessonl"`, `data-seed="2"`,
			`class="badge sp-`, "geomean speedup [95% CI]", "viewtest", esc("g++ (test) 12"),
			esc("<i>nobody</i>"), // manifest text escaped
			`src="plots/`,        // the report's figures
		}, absent: []string{"<i>nobody</i>"}},
		{name: "index.html is the overview", path: "/index.html", status: 200, want: []string{`href="` + detailedLink() + `"`}},
		{name: "cell", path: "/" + detailedLink(), status: 200, want: []string{
			"<h1>lessonl · sort-merge · seed 1</h1>",
			"cell <code>lessonl/sort-merge/1</code>",
			// a diff line: the unrolled loop's new line, marked added
			`<tr class="added"><td class="ln"></td><td class="ln">9</td><td class="code"><span class="mark">` + esc("+") + `</span>` + esc(viewtest.AddedLine) + `</td></tr>`,
			`<tr class="removed">`, "@@ -",
			// a lesson with its outcome, and the selections with reason and score
			`id="lesson-r0-coder-a"`, `<span class="outcome o-significant">significant</span>`, esc(viewtest.HostileLesson),
			`<tr class="selection"><td title="r0-coder-a">r0-coder-a</td><td>coder-a, coder-b</td><td>speedup</td><td>–</td><td>2.50</td>`,
			`<tr class="selection"><td title="r0-coder-b">r0-coder-b</td><td>coder-a, coder-b</td><td>relevance</td><td>0.42</td>`,
			// every call on demand; hostile text shown as text
			`<details class="call" id="call-c001">`, esc(viewtest.Hostile), esc(viewtest.HostileDetail),
			"Round 0", "Round 1", "the problem&#39;s baseline code", "final answer", "2.40× [2.30, 2.50]",
		}, absent: []string{"<script>alert", `<b id="injected">`, "<b>before</b>", `onerror="alert`}},
		{name: "overview opens on the grid, then the sortable cell list", path: "/", status: 200, want: []string{
			`<nav><a href="#grid">`, `<table class="cells sortable">`, `<th data-sort="num">speedup</th>`, `action="search"`}},
		{name: "search finds a reply's text, escaped", path: "/search?q=" + url.QueryEscape(`<B id="injected">`), status: 200, want: []string{
			`<tr class="hit">`, `<mark>&lt;b id=&#34;injected&#34;&gt;</mark>`, `#call-c001`, "reply"}, absent: []string{`<b id="injected">`}},
		{name: "search with no hit", path: "/search?q=zzz-nowhere", status: 200, want: []string{"no prompt or reply holds it"}},
		{name: "unknown cell", path: "/cells/0000000000000000.html", status: 404},
		{name: "cell without .html", path: "/" + strings.TrimSuffix(detailedLink(), ".html"), status: 404},
		{name: "unknown plot", path: "/plots/nothing.png", status: 404},
		{name: "stylesheet", path: "/assets/style.css", status: 200, want: []string{".sp-fail"}},
		{name: "script", path: "/assets/filter.js", status: 200, want: []string{"data-static"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, hdr, body := get(t, srv, tt.path)
			if code != tt.status {
				t.Fatalf("GET %s: %d, want %d\n%s", tt.path, code, tt.status, body)
			}
			if csp := hdr.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
				t.Errorf("Content-Security-Policy %q allows inline script", csp)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("GET %s lacks %q", tt.path, w)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(body, a) {
					t.Errorf("GET %s holds %q unescaped", tt.path, a)
				}
			}
		})
	}
}

func TestPlot(t *testing.T) {
	s, _ := testSite(t, withBaseline())
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	name := s.rep.Figures[0].Name + ".png"
	code, hdr, body := get(t, srv, "/plots/"+name)
	if code != 200 || hdr.Get("Content-Type") != "image/png" || !strings.HasPrefix(body, "\x89PNG") {
		t.Fatalf("GET /plots/%s: %d %s, %d bytes", name, code, hdr.Get("Content-Type"), len(body))
	}
}

func TestFilters(t *testing.T) {
	s, _ := testSite(t, withBaseline())
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	link := func(strategy, problem string, seed int64) string {
		return `href="cells/` + cellID(record.Key(strategy, "", problem, seed)) + `.html"`
	}
	all := []string{link("lessonl", "sort-merge", 1), link("lessonl", "sort-merge", 2), link("single", "sort-merge", 1),
		link("lessonl", "stencil-blur", 1), link("single", "stencil-blur", 2)}
	for _, tt := range []struct {
		query string
		want  []string // links present; the others of all absent
		rows  []string // metrics rows present, as data attributes
	}{
		{"", all, []string{`data-category="all"`}},
		{"?category=stencil", []string{link("lessonl", "stencil-blur", 1), link("single", "stencil-blur", 2)}, []string{`data-category="stencil"`}},
		{"?strategy=single", []string{link("single", "sort-merge", 1), link("single", "stencil-blur", 2)}, []string{`data-strategy="single"`}},
		{"?seed=2", []string{link("lessonl", "sort-merge", 2), link("single", "stencil-blur", 2)}, nil},
		{"?strategy=lessonl&seed=1&category=sort", []string{link("lessonl", "sort-merge", 1)}, nil},
		{"?status=correct", all, nil},
		{"?status=not_compilable", nil, nil},
		{"?variant=-", all, nil},
		{"?variant=k%3D2", nil, nil},
	} {
		t.Run(tt.query, func(t *testing.T) {
			_, _, body := get(t, srv, "/"+tt.query)
			for _, l := range all {
				want := false
				for _, w := range tt.want {
					want = want || w == l
				}
				if got := strings.Contains(body, l); got != want {
					t.Errorf("GET /%s: link %s present %v, want %v", tt.query, l, got, want)
				}
			}
			for _, r := range tt.rows {
				if !strings.Contains(body, r) {
					t.Errorf("GET /%s: no metrics row with %s", tt.query, r)
				}
			}
		})
	}
}

func TestBaselineFromPrompt(t *testing.T) {
	s, _ := testSite(t, Options{})
	var b strings.Builder
	p, err := s.cell(s.byID[cellID(record.Key(viewtest.Strategy, "", viewtest.Problem, viewtest.Seed))], false)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p.BaselineSource, "first prompt (call c001)") {
		t.Errorf("baseline source %q", p.BaselineSource)
	}
	d := p.Rounds[0].Candidates[0].Diff
	if d == nil || d.Identical() || d.Added == 0 || len(d.Hunks) != 1 {
		t.Fatalf("diff against the prompt's code: %+v", d)
	}
	if err := s.tmpl.ExecuteTemplate(&b, "cell.html", p); err != nil {
		t.Fatal(err)
	}
}

// TestPackedParts reads cells from a folder whose parts each hold several
// cells (as merged or generated folders may): the cell page scans.
func TestPackedParts(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	if err := viewtest.Write(dir); err != nil {
		t.Fatal(err)
	}
	// Repack every table into a single part.
	packed := filepath.Join(t.TempDir(), "packed")
	w, err := record.NewWriter(packed)
	if err != nil {
		t.Fatal(err)
	}
	b := &record.Batch{Key: "everything"}
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	b.Cells, err = record.Read[record.Cell](dir, record.TableCells)
	must(err)
	b.LLMCalls, err = record.Read[record.LLMCall](dir, record.TableLLMCalls)
	must(err)
	b.Candidates, err = record.Read[record.Candidate](dir, record.TableCandidates)
	must(err)
	b.Lessons, err = record.Read[record.Lesson](dir, record.TableLessons)
	must(err)
	b.Selections, err = record.Read[record.Selection](dir, record.TableSelections)
	must(err)
	b.Results, err = record.Read[record.Result](dir, record.TableResults)
	must(err)
	must(w.Write(b))
	m, err := record.ReadManifest(dir)
	must(err)
	must(record.WriteManifest(packed, m))

	s := siteOver(t, withBaseline(), packed)
	p, err := s.cell(s.byID[cellID(record.Key(viewtest.Strategy, "", viewtest.Problem, viewtest.Seed))], false)
	must(err)
	if p.Cell == nil || len(p.Rounds) != 2 || len(p.Rounds[1].Selections) != 2 || len(p.Rounds[0].Lessons) != 2 || p.Calls != 5 {
		t.Fatalf("packed cell: cell %v, %d rounds, calls %d", p.Cell, len(p.Rounds), p.Calls)
	}
}

func TestWriteStatic(t *testing.T) {
	s, _ := testSite(t, withBaseline())
	out := t.TempDir()
	n, err := s.WriteStatic(out)
	if err != nil {
		t.Fatal(err)
	}
	// index, 8 cells, 2 assets, the figures
	if want := 1 + 8 + 2 + len(s.rep.Figures); n != want {
		t.Errorf("wrote %d files, want %d", n, want)
	}
	index, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{`href="` + detailedLink() + `"`, `data-static="1"`, `src="assets/filter.js"`} {
		if !strings.Contains(string(index), w) {
			t.Errorf("index.html lacks %q", w)
		}
	}
	cell, err := os.ReadFile(filepath.Join(out, detailedLink()))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{`href="../index.html"`, `href="../assets/style.css"`, escape(viewtest.Hostile)} {
		if !strings.Contains(string(cell), w) {
			t.Errorf("%s lacks %q", detailedLink(), w)
		}
	}
	for _, f := range s.rep.Figures {
		if _, err := os.Stat(filepath.Join(out, "plots", f.Name+".png")); err != nil {
			t.Error(err)
		}
	}
}
