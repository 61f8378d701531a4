package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/lessonlab/lessonl/analysis"
	"github.com/lessonlab/lessonl/internal/record"
	"github.com/lessonlab/lessonl/internal/view"
)

func viewCommand() *cli.Command {
	return &cli.Command{
		Name:      "view",
		Usage:     "browse runs in a web browser: metrics, the problem × strategy grid, and each cell's rounds, diffs, lessons and LLM calls",
		ArgsUsage: "RUN...",
		Description: "Serves the run browser on a local address (loopback by default). Filters are query\n" +
			"parameters: category, strategy, variant, seed, status. `lessonl report --html` writes the\n" +
			"same pages as files.",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "addr", Value: "127.0.0.1:8377", Usage: "address to listen on (port 0 picks a free one)"},
		}, statFlags()...),
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return fmt.Errorf("want at least one RUN folder")
			}
			dirs := c.Args().Slice()
			for _, d := range dirs {
				if err := record.CheckRunFolder(d); err != nil {
					return fmt.Errorf("view: %w", err)
				}
			}
			first := true
			// The site is rebuilt whenever the folders gain parts: a run
			// in progress shows its new cells within a second or two.
			live := view.NewLive(dirs, time.Second, func() (*view.Site, error) {
				r, err := analysis.Load(dirs...)
				if err != nil {
					return nil, err
				}
				if first {
					for _, n := range r.Notes {
						fmt.Fprintln(c.App.ErrWriter, "note: "+n)
					}
					for _, w := range r.Warnings {
						fmt.Fprintln(c.App.ErrWriter, "warning: "+w)
					}
					simBanner(c.App.ErrWriter, r)
					first = false
				}
				return newSite(r, statOptions(c), c.App.ErrWriter)
			})
			go live.Run(c.Context)
			ln, err := net.Listen("tcp", c.String("addr"))
			if err != nil {
				return fmt.Errorf("view: %w", err)
			}
			fmt.Fprintf(c.App.ErrWriter, "lessonl view: run(s) %v at http://%s/ (the pages follow the folders as cells are recorded; Ctrl-C stops)\n", dirs, ln.Addr())
			srv := &http.Server{Handler: live.Handler(), ReadHeaderTimeout: 10 * time.Second}
			go func() {
				<-c.Context.Done() // Ctrl-C (see interruptible)
				shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				srv.Shutdown(shut)
			}()
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				return fmt.Errorf("view: %w", err)
			}
			return nil
		},
	}
}

// newSite builds the run browser over r, with the problems' baseline
// code (the old side of every diff) from each run folder's problems table;
// notes go to stderr.
func newSite(r *analysis.Runs, o analysis.Options, stderr io.Writer) (*view.Site, error) {
	rep, err := analysis.Build(r, o, "")
	if err != nil {
		return nil, err
	}
	return siteOf(rep, stderr)
}

func siteOf(rep *analysis.Report, stderr io.Writer) (*view.Site, error) {
	code := map[string]string{}
	for _, dir := range rep.Runs.Dirs {
		if !record.HasProblems(dir) {
			fmt.Fprintf(stderr, "note: %s was recorded before run folders kept their problems (no problems table); diffs use the code in each cell's first prompt\n", dir)
			continue
		}
		ps, err := record.Read[record.Problem](dir, record.TableProblems)
		if err != nil {
			return nil, fmt.Errorf("view: %w", err)
		}
		for _, p := range ps {
			if _, ok := code[p.ProblemID]; !ok {
				code[p.ProblemID] = p.BaselineCode
			}
		}
	}
	return view.New(rep, view.Options{Baseline: func(id string) (string, bool) {
		c, ok := code[id]
		return c, ok
	}})
}

// writePages writes the run browser's pages as static files into out;
// notes go to stderr.
func writePages(rep *analysis.Report, out string, stderr io.Writer) (int, error) {
	site, err := siteOf(rep, stderr)
	if err != nil {
		return 0, err
	}
	return site.WriteStatic(out)
}
