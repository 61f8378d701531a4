// Package view is the run browser: web pages over one or more run folders
// that show why a strategy won, not only that it did. The overview holds
// each run's manifest, the metrics per strategy and category with their
// confidence intervals (computed by analysis, never here), the plots, and
// a problem × strategy grid coloured by speedup; each square links to a
// cell's page, which walks its rounds: the lessons selected for the round
// (with reason and score), every candidate (agent, status, speedup with
// its interval, compiler or run output, and its code as a diff against
// the baseline), the lessons written from them with their outcome, and
// every LLM call's prompt and reply on demand.
//
// The same pages are served by Site.Handler (`lessonl view RUN`) and
// written as static files by Site.WriteStatic (`lessonl report --html`):
// links are relative, filters are query parameters (applied by the server,
// or by a few lines of embedded JavaScript in static files), and the
// stylesheet, script and templates are embedded with go:embed, so there is
// no build step.
//
// Everything read from a run folder is untrusted: generated code, compiler
// output and LLM replies may hold any text, markup included. Pages are
// html/template executions over plain strings, so every value is escaped
// for its context; nothing from a run is ever marked as trusted HTML, and
// the server also sends a Content-Security-Policy that allows no inline
// script.
//
// A cell is shown as its task's part says (partOf): optimize's answers by
// their speedup, generate's by the hidden tests that grade them, and any
// other task's by the status and score its task gave them, so a new task's
// cells need nothing here.
//
// A run in progress is served live (Live): the folders' parts are watched
// and the site rebuilt when cells appear; the overview polls /version and
// reloads. The overview opens on the grid and a sortable cell list; /search
// finds text in every prompt and reply.
//
// The overview's data (analysis's report) is computed once per build; a cell's
// records are read when its page is asked for, from the parts that the
// run folder keeps per cell (record.ReadCell), so a large run opens quickly and stays small
// in memory.
package view
