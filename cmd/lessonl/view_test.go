package main

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/lessonlab/lessonl/analysis"
	"github.com/lessonlab/lessonl/internal/busy"
	"github.com/lessonlab/lessonl/internal/record"
	"github.com/lessonlab/lessonl/internal/view"
	"github.com/lessonlab/lessonl/internal/view/viewtest"
)

// browser starts Debian's chromium under chromedp; the test is skipped
// when no chromium is installed (.ci/run installs it). A dialog the page
// opens (an alert from injected script) fails the test.
func browser(t *testing.T) context.Context {
	t.Helper()
	bin := os.Getenv("LESSONL_CHROMIUM")
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if bin != "" {
			break
		}
		bin, _ = exec.LookPath(name)
	}
	if bin == "" {
		t.Skip("no chromium binary (apt-get install chromium, or set LESSONL_CHROMIUM)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(bin), chromedp.NoSandbox, chromedp.WindowSize(1400, 1000))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// The first run starts the browser and lives as long as ctx: no
	// timeout on it (steps get theirs in do).
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	var mu sync.Mutex
	var dialogs []string
	go func() {
		for ev, err := range chromedp.Events(ctx, page.JavascriptDialogOpening) {
			if err != nil {
				return
			}
			mu.Lock()
			dialogs = append(dialogs, string(ev.Type)+": "+ev.Message)
			mu.Unlock()
			chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}()
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		if len(dialogs) > 0 {
			t.Errorf("the pages opened dialogs %q: recorded text ran as script", dialogs)
		}
	})
	return ctx
}

// do runs browser steps with a time limit.
func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// value runs one browser action that returns a value, with a time limit.
func value[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// screenshots is where the browser test leaves its screenshots:
// $LESSONL_SCREENSHOTS, else a temporary folder.
func screenshots(t *testing.T) string {
	if d := os.Getenv("LESSONL_SCREENSHOTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

func shoot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	value(t, ctx, chromedp.Evaluate[int]("window.scrollTo(0, 0), 0"))
	png := value(t, ctx, chromedp.FullScreenshot(100))
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s", path)
}

func count(t *testing.T, ctx context.Context, selector string) int {
	t.Helper()
	return value(t, ctx, chromedp.Evaluate[int](fmt.Sprintf("document.querySelectorAll(%q).length", selector)))
}

// quickstartSpec is the quickstart cut down for a test: LessonL (two
// rounds, k = 2) and one agent alone on two problems, on the sim team.
const quickstartSpec = `name: quickstart-view
description: the quickstart cut down for the run browser's test (sim team, a simulator)
dataset: {suite: codeopt, limit: 2}
evaluation: {compiler: g++, flags: [-std=c++17, -O3], mode: serial, repetitions: 5, warmup: 1, timeout: 60s}
agents:
  - {name: coder-a, provider: sim, model: sim/coder-a}
  - {name: coder-b, provider: sim, model: sim/coder-b}
  - {name: coder-c, provider: sim, model: sim/coder-c}
strategies:
  - name: lessonl
    kind: lessonl
    agents: [coder-a, coder-b, coder-c]
    params: {rounds: 2, k: 2, selection: paper, relevance: tfidf, adjustment: true}
  - {name: single-a, kind: single, agents: [coder-a]}
seeds: [1]
`

func serveRun(t *testing.T, dir string) string {
	t.Helper()
	r, err := analysis.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	site, err := newSite(r, analysis.Options{Resamples: 200}, testLog{t})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(site.Handler())
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestBrowserQuickstart runs a small quickstart, opens its overview in
// chromium, clicks into the LessonL cell and checks that the page shows a
// diff, a lesson and a selection.
func TestBrowserQuickstart(t *testing.T) {
	ctx := browser(t)
	if _, err := exec.LookPath("g++"); err != nil {
		t.Skip("no g++: the quickstart cannot run")
	}
	if testing.Short() {
		t.Skip("runs a quickstart (-short)")
	}
	run := runSpecText(t, quickstartSpec)
	cells, err := record.Finished(run)
	if err != nil {
		t.Fatal(err)
	}
	url := serveRun(t, run)
	shots := screenshots(t)
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }

	do(t, ctx, chromedp.Navigate(url+"/"), chromedp.WaitVisible(css("table.grid")))
	shoot(t, ctx, shots, "overview.png")
	if n := count(t, ctx, "table.grid a.chip"); n != len(cells) {
		t.Errorf("the grid links %d cells, want %d", n, len(cells))
	}
	if n := count(t, ctx, "table.metrics tbody tr[data-strategy=lessonl]"); n < 2 {
		t.Errorf("%d metrics rows of lessonl, want its overall row and one per category", n)
	}
	if n := count(t, ctx, "#plots img"); n == 0 {
		t.Error("the overview shows no plot")
	}

	do(t, ctx, chromedp.Click(css("td.sq[data-strategy=lessonl] a.chip")), chromedp.WaitVisible(css("section.round")))
	// Rounds are collapsed to a summary line; open them all.
	value(t, ctx, chromedp.Evaluate[int]("document.querySelectorAll('details.round-body').forEach(d => d.open = true), 0"))
	if h1 := value(t, ctx, chromedp.Text(css("h1"))); !strings.HasPrefix(h1, "lessonl · ") {
		t.Errorf("clicked into %q, want a lessonl cell", h1)
	}
	for _, tt := range []struct {
		what, selector string
	}{
		{"diff line", "details.diff[open] table.diff tr.added td.code"},
		{"lesson", "ul.lessons li.lesson .lesson-text"},
		{"selection", "table.selections tr.selection"},
		{"round", "section.round"},
		{"LLM call", "details.call"},
	} {
		if n := count(t, ctx, tt.selector); n == 0 {
			t.Errorf("the cell page shows no %s (%s)", tt.what, tt.selector)
		}
	}
	if reason := value(t, ctx, chromedp.Text(css("table.selections tr.selection td:nth-child(3)"))); reason != "all" && reason != "speedup" && reason != "relevance" {
		t.Errorf("selection reason %q", reason)
	}
	if diff := value(t, ctx, chromedp.Text(css("details.diff[open] table.diff tr.added td.code"))); !strings.HasPrefix(diff, "+") {
		t.Errorf("an added diff line reads %q", diff)
	}
	// Open the first LLM call: its prompt and reply appear.
	do(t, ctx, chromedp.Click(css("details.call summary")), chromedp.WaitVisible(css("details.call[open] .reply pre")))
	shoot(t, ctx, shots, "lessonl-cell.png")

	// A filter narrows the grid.
	do(t, ctx, chromedp.Navigate(url+"/?strategy=lessonl"), chromedp.WaitVisible(css("table.grid")))
	if n, want := count(t, ctx, "table.grid a.chip"), len(cells)/2; n != want {
		t.Errorf("?strategy=lessonl: %d cells in the grid, want %d", n, want)
	}
}

// TestBrowserEscapes opens a cell whose reply, lesson and compiler output
// hold script and markup, and checks that the browser shows them as text:
// no injected element, no dialog, the text intact. It also opens the
// static pages and checks that their script applies a filter.
func TestBrowserEscapes(t *testing.T) {
	ctx := browser(t)
	run := filepath.Join(t.TempDir(), "run")
	if err := viewtest.Write(run); err != nil {
		t.Fatal(err)
	}
	url := serveRun(t, run)
	shots := screenshots(t)
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }
	sel := fmt.Sprintf("tr[data-category=%s] td.sq[data-strategy=%s] a.chip[data-seed=%q]", viewtest.Category, viewtest.Strategy, fmt.Sprint(viewtest.Seed))
	do(t, ctx,
		chromedp.Navigate(url+"/"),
		chromedp.Click(css(sel)),
		chromedp.WaitVisible(css("section.round")),
		chromedp.Evaluate[chromedp.Void]("document.querySelectorAll('details.round-body').forEach(d => d.open = true)"),
		chromedp.Click(css("#call-c001 summary")),
		chromedp.WaitVisible(css("#call-c001 .reply pre")))
	reply := value(t, ctx, chromedp.Text(css("#call-c001 .reply pre")))
	lesson := value(t, ctx, chromedp.Text(css("#lesson-r0-coder-a .lesson-text")))
	output := value(t, ctx, chromedp.Text(css("#cand-k002 details.output pre")))
	shoot(t, ctx, shots, "hostile-cell.png")
	if !strings.Contains(reply, "<script>alert(1)</script>") || !strings.Contains(reply, `<b id="injected">bold</b>`) {
		t.Errorf("the reply is not shown as text: %q", reply)
	}
	if lesson != viewtest.HostileLesson {
		t.Errorf("lesson shown as %q, want the text %q", lesson, viewtest.HostileLesson)
	}
	if output != viewtest.HostileDetail {
		t.Errorf("compiler output shown as %q, want the text %q", output, viewtest.HostileDetail)
	}
	for _, s := range []string{"#injected", "img", "section b", "section script"} {
		if n := count(t, ctx, s); n != 0 {
			t.Errorf("%d elements %s came from recorded text", n, s)
		}
	}

	// Static pages: the script applies a filter given in the query.
	static := t.TempDir()
	r, err := analysis.Load(run)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := analysis.Build(r, analysis.Options{Resamples: 100}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := writePages(rep, static, testLog{t}); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, chromedp.Navigate("file://"+filepath.Join(static, "index.html")+"?category=stencil&seed=2"), chromedp.WaitVisible(css("table.grid")))
	visible := value(t, ctx, chromedp.Evaluate[int](`[...document.querySelectorAll("table.grid a.chip")].filter(a => a.offsetParent !== null).length`))
	if visible != 2 {
		t.Errorf("static index.html?category=stencil&seed=2 shows %d cells, want 2 (one per strategy)", visible)
	}
	shoot(t, ctx, shots, "static-filtered.png")
}

// TestBrowserLive serves a run folder that grows, as `lessonl view` does on
// a run in progress, and checks that the overview open in chromium shows a
// new cell within 5 s of its parts appearing (5 s on an idle machine,
// stretched by the load measured meanwhile), without a manual reload.
func TestBrowserLive(t *testing.T) {
	ctx := browser(t)
	run := filepath.Join(t.TempDir(), "run")
	if err := viewtest.Write(run); err != nil {
		t.Fatal(err)
	}
	live := view.NewLive([]string{run}, time.Second, func() (*view.Site, error) {
		r, err := analysis.Load(run)
		if err != nil {
			return nil, err
		}
		return newSite(r, analysis.Options{Resamples: 100}, testLog{t})
	})
	lctx, stop := context.WithCancel(context.Background())
	defer stop()
	go live.Run(lctx)
	srv := httptest.NewServer(live.Handler())
	defer srv.Close()
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }
	do(t, ctx, chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(css("table.grid")))
	before := count(t, ctx, "table.grid a.chip")
	// Let the page's first poll of /version settle.
	time.Sleep(1500 * time.Millisecond)

	load := busy.Start()
	defer load.Stop()
	if err := viewtest.WriteCell(run, "scan-new", "scan", 1); err != nil {
		t.Fatal(err)
	}
	appeared := time.Now()
	for {
		// Between a reload's navigation and the new document, the
		// query may fail: try again.
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("table.grid a.chip").length`))
		if err == nil && n == before+1 {
			break
		}
		if bound := load.Scale(5 * time.Second); time.Since(appeared) > bound {
			t.Fatalf("the overview shows %d cells %s after a new cell's parts appeared (had %d; bound %s at slowdown %.1f)",
				n, time.Since(appeared).Round(time.Millisecond), before, bound, load.Slowdown())
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("the new cell showed %s after its parts appeared", time.Since(appeared).Round(time.Millisecond))
	if n := count(t, ctx, `tr[data-category=scan] a.chip`); n != 1 {
		t.Errorf("the new problem's row shows %d cells, want 1", n)
	}
	// The cell list sorts by a column: twice on speedup puts the fastest first.
	do(t, ctx, chromedp.Click(css(`table.cells th[data-sort=num]:nth-child(6)`)), chromedp.Click(css(`table.cells th[data-sort=num]:nth-child(6)`)))
	first := value(t, ctx, chromedp.Evaluate[string](`document.querySelector("table.cells tbody tr td:nth-child(6)").getAttribute("data-value")`))
	most := value(t, ctx, chromedp.Evaluate[string](`String(Math.max(...Array.from(document.querySelectorAll("table.cells tbody td:nth-child(6)")).map(td => parseFloat(td.getAttribute("data-value")))))`))
	if first != most {
		t.Errorf("sorted by speedup (descending), the first row has %s, the fastest %s", first, most)
	}
}

// humanevalSpec is LessonL and one agent alone on the two problems of a
// HumanEval-format file, on the sim team (a simulator), offline.
const humanevalSpec = `name: humaneval-view
description: the run browser's code-generation test (sim team, a simulator)
dataset:
  humaneval: {path: %q}
agents:
  - {name: coder-a, provider: sim, model: sim/coder-a}
  - {name: coder-b, provider: sim, model: sim/coder-b}
  - {name: coder-c, provider: sim, model: sim/coder-c}
strategies:
  - {name: lessonl, kind: lessonl, agents: [coder-a, coder-b, coder-c], params: {rounds: 2, k: 2, tests: 6}}
  - {name: single, kind: single, agents: [coder-c]}
seeds: [1]
`

// TestBrowserHumanEvalCell runs LessonL on two HumanEval-format problems,
// opens a LessonL cell by its readable address (/cell/lessonl/Mini-0/1)
// in chromium and checks that every candidate shows its generated-test
// score (what the strategy saw) beside its hidden-test result (what
// grades it), that the page says why the answer was chosen, and that
// lessons carry short labels and no speedup.
func TestBrowserHumanEvalCell(t *testing.T) {
	ctx := browser(t)
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("no python3: the hidden tests cannot run")
	}
	data, _ := filepath.Abs("../../datasets/testdata/generate/humaneval-mini.jsonl")
	url := serveRun(t, runSpecText(t, fmt.Sprintf(humanevalSpec, data)))
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }
	do(t, ctx, chromedp.Navigate(url+"/cell/lessonl/Mini-0/1"), chromedp.WaitVisible(css("section.round")))
	value(t, ctx, chromedp.Evaluate[int]("document.querySelectorAll('details.round-body').forEach(d => d.open = true), 0"))
	shoot(t, ctx, screenshots(t), "humaneval-cell.png")
	if h1 := value(t, ctx, chromedp.Text(css("h1"))); h1 != "lessonl · Mini/0 · seed 1" {
		t.Errorf("/cell/lessonl/Mini-0/1 opened %q", h1)
	}
	if loc := value(t, ctx, chromedp.Evaluate[string]("location.pathname")); loc != "/cells/lessonl~Mini-0~1.html" {
		t.Errorf("the cell's page is at %s", loc)
	}
	cands := count(t, ctx, "article.candidate")
	scores := value(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("article.candidate h4 .gen-tests")].map(e => e.textContent)`))
	if cands == 0 || len(scores) != cands {
		t.Fatalf("%d candidates, %d with test scores", cands, len(scores))
	}
	for _, s := range scores {
		if !strings.Contains(s, "generated tests ") || !strings.Contains(s, "(what the strategy saw) · hidden tests ") {
			t.Errorf("a candidate's scores read %q", s)
		}
	}
	why := value(t, ctx, chromedp.Text(css("#why")))
	if !strings.Contains(why, "The strategy saw only its own generated tests: the answer k") || !strings.Contains(why, "The hidden tests, which no agent sees, grade it") {
		t.Errorf("the page does not say why the answer was chosen: %q", why)
	}
	lessons := value(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("ul.lessons li.lesson")].map(e => e.firstChild.textContent + " | " + e.textContent)`))
	if len(lessons) == 0 {
		t.Error("no lesson on the page")
	}
	for _, l := range lessons {
		if !strings.HasPrefix(l, "r") || strings.Contains(l, "×") || strings.Contains(l, "Mini") {
			t.Errorf("a lesson reads %q: want a short label (round and agent) and no speedup", l)
		}
	}
}
