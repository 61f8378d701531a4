package view

import (
	"bytes"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
)

// csp allows the page's own stylesheet, script and images only: no inline
// script or style, so even text that escaped its escaping would stay inert.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// Handler serves the pages:
//
//	/ and /index.html   the overview; query parameters filter it
//	/cells/ID.html      a cell (ID: strategy~variant~problem~seed)
//	/cell/S/P/SEED      the cell of strategy S (with [variant]), problem P
//	                    and seed SEED: redirects to its /cells/ID.html
//	/search?q=TEXT      the LLM calls whose prompt or reply holds TEXT
//	/plots/NAME.png     a figure of the report
//	/assets/...         the stylesheet and script
func (s *Site) Handler() http.Handler {
	mux := http.NewServeMux()
	overview := func(w http.ResponseWriter, r *http.Request) {
		s.render(w, "overview.html", s.overview(ParseFilter(r.URL.Query()), false))
	}
	mux.HandleFunc("GET /{$}", overview)
	mux.HandleFunc("GET /index.html", overview)
	mux.HandleFunc("GET /search", func(w http.ResponseWriter, r *http.Request) {
		p, err := s.search(r.URL.Query().Get("q"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		s.render(w, "search.html", p)
	})
	mux.HandleFunc("GET /cells/{file}", func(w http.ResponseWriter, r *http.Request) {
		c := s.byID[strings.TrimSuffix(r.PathValue("file"), ".html")]
		if c == nil || !strings.HasSuffix(r.PathValue("file"), ".html") {
			http.NotFound(w, r)
			return
		}
		p, err := s.cell(c, false)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		s.render(w, "cell.html", p)
	})
	mux.HandleFunc("GET /cell/{strategy}/{problem}/{seed}", func(w http.ResponseWriter, r *http.Request) {
		for _, c := range s.cells {
			problem := r.PathValue("problem")
			if label(c.Result.Strategy, c.Result.Variant) == r.PathValue("strategy") &&
				(c.Result.ProblemID == problem || strings.ReplaceAll(c.Result.ProblemID, "/", "-") == problem) &&
				fmt.Sprint(c.Result.Seed) == r.PathValue("seed") {
				http.Redirect(w, r, "/cells/"+url.PathEscape(c.ID)+".html", http.StatusFound)
				return
			}
		}
		http.NotFound(w, r)
	})
	mux.HandleFunc("GET /plots/{file}", func(w http.ResponseWriter, r *http.Request) {
		plots, err := s.pngs()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		b, ok := plots[r.PathValue("file")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "image/png")
		w.Write(b)
	})
	mux.Handle("GET /assets/", http.StripPrefix("/assets/", http.FileServerFS(assets())))
	return secure(mux)
}

// secure adds the headers every response carries.
func secure(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", csp)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "no-referrer")
		h.ServeHTTP(w, r)
	})
}

// render executes a page into a buffer first, so that a failure is a
// clean 500 rather than half a page.
func (s *Site) render(w http.ResponseWriter, name string, data any) {
	var b bytes.Buffer
	if err := s.tmpl.ExecuteTemplate(&b, name, data); err != nil {
		http.Error(w, fmt.Sprintf("render %s: %v", name, err), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(b.Bytes())
}

// pngs renders the report's figures once.
func (s *Site) pngs() (map[string][]byte, error) {
	s.plotsOnce.Do(func() {
		s.plots = map[string][]byte{}
		for _, f := range s.rep.Figures {
			wt, err := f.Plot.WriterTo(f.Width, f.Height, "png")
			if err != nil {
				s.plotsErr = fmt.Errorf("plot %s: %w", f.Name, err)
				return
			}
			var b bytes.Buffer
			if _, err := wt.WriteTo(&b); err != nil {
				s.plotsErr = fmt.Errorf("plot %s: %w", f.Name, err)
				return
			}
			s.plots[f.Name+".png"] = b.Bytes()
		}
	})
	return s.plots, s.plotsErr
}

// WriteStatic writes the pages into dir as static files: index.html (the
// overview; its script applies filters given as query parameters),
// cells/ID.html for every cell, plots/*.png and assets/. It returns the
// number of files written.
func (s *Site) WriteStatic(dir string) (int, error) {
	for _, sub := range []string{"cells", "plots", "assets"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return 0, fmt.Errorf("write pages: %w", err)
		}
	}
	var mu sync.Mutex
	n := 0
	write := func(path string, b []byte) error {
		if err := os.WriteFile(filepath.Join(dir, path), b, 0o644); err != nil {
			return fmt.Errorf("write pages: %w", err)
		}
		mu.Lock()
		n++
		mu.Unlock()
		return nil
	}
	err := fs.WalkDir(assets(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(assets(), path)
		if err != nil {
			return err
		}
		return write(filepath.Join("assets", path), b)
	})
	if err != nil {
		return n, err
	}
	plots, err := s.pngs()
	if err != nil {
		return n, err
	}
	for name, b := range plots {
		if err := write(filepath.Join("plots", name), b); err != nil {
			return n, err
		}
	}
	var b bytes.Buffer
	if err := s.tmpl.ExecuteTemplate(&b, "overview.html", s.overview(Filter{}, true)); err != nil {
		return n, fmt.Errorf("render overview: %w", err)
	}
	if err := write("index.html", b.Bytes()); err != nil {
		return n, err
	}
	// Cells are independent: render them on every core.
	var (
		wg    sync.WaitGroup
		first error
		once  sync.Once
		slots = make(chan struct{}, runtime.GOMAXPROCS(0))
	)
	for _, c := range s.cells {
		slots <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-slots; wg.Done() }()
			if err := s.writeCell(c, write); err != nil {
				once.Do(func() { first = err })
			}
		}()
	}
	wg.Wait()
	return n, first
}

func (s *Site) writeCell(c *cellRef, write func(string, []byte) error) error {
	p, err := s.cell(c, true)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := s.tmpl.ExecuteTemplate(&b, "cell.html", p); err != nil {
		return fmt.Errorf("render cell %s: %w", c.CellID(), err)
	}
	return write(filepath.Join("cells", c.ID+".html"), b.Bytes())
}
