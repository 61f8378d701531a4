package view

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/lessonlab/lessonl/internal/record"
)

// Live serves the run browser over run folders that may still be growing:
// it watches the folders' parts and, when a cell's parts appear (or a run
// ends), rebuilds the site, so the pages show new cells within a poll
// interval. The pages of a live site ask /version once a second and reload
// when it changes.
type Live struct {
	dirs     []string
	build    func() (*Site, error)
	interval time.Duration

	mu      sync.RWMutex
	site    *Site
	handler http.Handler
	err     error // why the last build failed (no cell recorded yet, say)
	version int64
	sig     string
}

// NewLive prepares a live site over dirs; build makes a Site from what the
// folders hold now. Call Run to start watching.
func NewLive(dirs []string, interval time.Duration, build func() (*Site, error)) *Live {
	if interval <= 0 {
		interval = time.Second
	}
	l := &Live{dirs: dirs, build: build, interval: interval}
	l.refresh()
	return l
}

// Run watches the folders until ctx ends.
func (l *Live) Run(ctx context.Context) {
	t := time.NewTicker(l.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			l.refresh()
		}
	}
}

// Version is the number of builds so far.
func (l *Live) Version() int64 {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.version
}

// signature hashes what the folders hold: every finished cell's part
// (the cells table's part is written last, so a cell counts once all its
// parts are there) with its size and time, and the manifests.
func (l *Live) signature() string {
	h := sha256.New()
	for _, d := range l.dirs {
		parts, _ := record.Parts(d, record.TableCells)
		for _, p := range parts {
			if st, err := os.Stat(p); err == nil {
				fmt.Fprintf(h, "%s %d %d\n", p, st.Size(), st.ModTime().UnixNano())
			}
		}
		if st, err := os.Stat(d + "/" + record.ManifestFile); err == nil {
			fmt.Fprintf(h, "%s %d\n", d, st.ModTime().UnixNano())
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// refresh rebuilds the site when the folders changed.
func (l *Live) refresh() {
	sig := l.signature()
	l.mu.RLock()
	same := sig == l.sig && l.version > 0
	l.mu.RUnlock()
	if same {
		return
	}
	site, err := l.build()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sig = sig
	l.version++
	l.err = err
	if err == nil {
		site.live = true
		l.site, l.handler = site, site.Handler()
	}
}

var waiting = template.Must(template.New("waiting").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>lessonl runs</title>
<link rel="stylesheet" href="assets/style.css"><script src="assets/filter.js" defer></script></head>
<body data-live="1"><h1>lessonl runs</h1><p class="note">Nothing to show yet: {{.}}. This page reloads when the first cell is recorded.</p></body></html>
`))

// Handler serves /version (JSON: the build number and the cells shown)
// and the current site's pages.
func (l *Live) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /version", func(w http.ResponseWriter, r *http.Request) {
		l.mu.RLock()
		v, n := l.version, 0
		if l.site != nil {
			n = len(l.site.cells)
		}
		l.mu.RUnlock()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		json.NewEncoder(w).Encode(map[string]int64{"version": v, "cells": int64(n)})
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		l.mu.RLock()
		h, err := l.handler, l.err
		l.mu.RUnlock()
		if h == nil {
			if r.URL.Path != "/" && r.URL.Path != "/index.html" {
				if len(r.URL.Path) > len("/assets/") && r.URL.Path[:len("/assets/")] == "/assets/" {
					http.StripPrefix("/assets/", http.FileServerFS(assets())).ServeHTTP(w, r)
					return
				}
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			waiting.Execute(w, fmt.Sprint(err))
			return
		}
		h.ServeHTTP(w, r)
	})
	return secure(mux)
}
