package analysis

import (
	"fmt"
	"sort"
	"strings"

	"github.com/lessonlab/lessonl/internal/record"
)

// Pick returns the runs with only the chosen series, relabelled: a
// figure or table for a paper shows the strategies it is about under the
// names the paper uses. strategies names series by label ("lessonl
// [k=2,selection=none]") or by strategy ("lessonl", every variant of
// it), in the order the figures and tables list them (nil keeps every
// series, in the usual order); relabel maps a label (before renaming) to
// the name shown. Every table is filtered and renamed alike, so costs,
// curves and comparisons follow. A name that matches nothing is an
// error, as is a relabel that joins two series under one name.
func (r *Runs) Pick(strategies []string, relabel map[string]string) (*Runs, error) {
	if len(strategies) == 0 && len(relabel) == 0 {
		return r, nil
	}
	labels := map[string]bool{}
	for _, x := range r.Results {
		labels[x.Label()] = true
	}
	// A name may be spelt with spaces or its parameters in any order.
	byCanon := map[string]string{}
	for l := range labels {
		byCanon[canonicalName(l)] = l
	}
	norm := map[string]string{}
	for old, new := range relabel {
		if l, ok := byCanon[canonicalName(old)]; ok {
			old = l
		}
		norm[old] = new
	}
	relabel = norm
	keep := map[string]bool{}
	var order []string
	for _, s := range strategies {
		n := 0
		for _, l := range sortedKeys(labels) {
			if l == byCanon[canonicalName(s)] || strings.HasPrefix(l, strings.TrimSpace(s)+"[") {
				if !keep[l] {
					keep[l] = true
					order = append(order, l)
				}
				n++
			}
		}
		if n == 0 {
			return nil, fmt.Errorf("--strategies: no series %q (the runs have %s)", s, strings.Join(sortedKeys(labels), ", "))
		}
	}
	shown := map[string]string{}
	for old, new := range relabel {
		if !labels[old] {
			return nil, fmt.Errorf("--label %s=%s: no series %q (the runs have %s)", old, new, old, strings.Join(sortedKeys(labels), ", "))
		}
		if prev, ok := shown[new]; ok {
			return nil, fmt.Errorf("--label: %q and %q would both show as %q", prev, old, new)
		}
		shown[new] = old
	}
	for l := range labels {
		if _, renamed := relabel[l]; !renamed && shown[l] != "" && (len(keep) == 0 || keep[l]) {
			return nil, fmt.Errorf("--label: %q is already a series; renaming %q to it would join them", l, shown[l])
		}
	}
	// name gives a row's new strategy and variant, or false to drop it.
	name := func(strategy, variant string) (string, string, bool) {
		l := label(strategy, variant)
		if len(keep) > 0 && !keep[l] {
			return "", "", false
		}
		if n, ok := relabel[l]; ok {
			return n, "", true
		}
		return strategy, variant, true
	}
	out := &Runs{Dirs: r.Dirs, Groups: r.Groups, Notes: r.Notes, Manifests: r.Manifests, origin: map[string]Origin{}}
	for _, x := range r.Results {
		s, v, ok := name(x.Strategy, x.Variant)
		if !ok {
			continue
		}
		if o, ok := r.origin[record.Key(x.Strategy, x.Variant, x.ProblemID, x.Seed)]; ok {
			if o.Strategy == "" {
				o.Strategy = x.Strategy
			}
			out.origin[record.Key(s, v, x.ProblemID, x.Seed)] = o
		}
		x.Strategy, x.Variant = s, v
		out.Results = append(out.Results, x)
	}
	out.Candidates = renamed(r.Candidates, func(x *record.Candidate) *record.CellRef { return &x.CellRef }, name)
	out.Calls = renamed(r.Calls, func(x *record.LLMCall) *record.CellRef { return &x.CellRef }, name)
	out.Selections = renamed(r.Selections, func(x *record.Selection) *record.CellRef { return &x.CellRef }, name)
	out.Lessons = renamed(r.Lessons, func(x *record.Lesson) *record.CellRef { return &x.CellRef }, name)
	for _, l := range order {
		if n, ok := relabel[l]; ok {
			l = n
		}
		out.Order = append(out.Order, l)
	}
	if len(out.Results) == 0 {
		return nil, fmt.Errorf("--strategies %s: no results", strings.Join(strategies, ","))
	}
	sort.SliceStable(out.Results, func(i, j int) bool { return out.Results[i].Label() < out.Results[j].Label() })
	return out, nil
}

// renamed is the rows that name keeps, each with the strategy and variant
// name gives it (ref is the row's cell columns).
func renamed[T any](rows []T, ref func(*T) *record.CellRef, name func(strategy, variant string) (string, string, bool)) []T {
	var out []T
	for _, x := range rows {
		r := ref(&x)
		var ok bool
		if r.Strategy, r.Variant, ok = name(r.Strategy, r.Variant); ok {
			out = append(out, x)
		}
	}
	return out
}

// ParseLabels reads --label values "old=new" (repeated, or joined by
// commas outside brackets) into a map.
func ParseLabels(vals []string) (map[string]string, error) {
	out := map[string]string{}
	for _, v := range vals {
		for _, part := range splitOutside(v, ',') {
			old, new, ok := strings.Cut(part, "=")
			// A label may hold "=" inside its brackets: cut at the first
			// "=" after the closing bracket, if there is one.
			if i := strings.LastIndex(part, "]"); i >= 0 {
				if j := strings.Index(part[i:], "="); j >= 0 {
					old, new, ok = part[:i+j], part[i+j+1:], true
				}
			}
			old, new = strings.TrimSpace(old), strings.TrimSpace(new)
			if !ok || old == "" || new == "" {
				return nil, fmt.Errorf("--label %q: want old=new", part)
			}
			out[old] = new
		}
	}
	return out, nil
}

// SplitSeries splits a list of series at commas outside brackets, so
// "lessonl [k=2,selection=none],single-a" is two series.
func SplitSeries(s string) []string {
	if s == "" {
		return nil
	}
	return splitOutside(s, ',')
}

// splitOutside splits s at sep where sep is not inside brackets.
func splitOutside(s string, sep rune) []string {
	var parts []string
	depth, start := 0, 0
	for i, c := range s {
		switch {
		case c == '[':
			depth++
		case c == ']':
			depth--
		case c == sep && depth == 0:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}
