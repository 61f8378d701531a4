package record

import (
	"fmt"
	"path/filepath"
	"strings"
)

// Group is one run as readers see it: one run folder, or the folders of
// shards of one spec run apart.
type Group struct {
	Label     string // how reports name the run: the spec's name, or its folder's when two runs share a name
	RunID     string // the tables' run_id
	Dirs      []string
	Manifests []*Manifest
}

// GroupRuns sorts run folders into runs. Folders of one spec (same spec
// hash) whose cells do not overlap are shards of one run and are read as
// one; folders of different specs, or of one spec run twice (overlapping
// cells), stay apart. The notes say, in a sentence each, what was merged
// and what was kept apart, for the reader to print.
func GroupRuns(dirs ...string) ([]Group, []string, error) {
	var groups []Group
	var notes []string
	cells := make([]map[string]bool, 0)
	for _, d := range dirs {
		m, err := ReadManifest(d)
		if err != nil {
			return nil, nil, fmt.Errorf("load %s: %w", d, err)
		}
		if m.SchemaVersion != SchemaVersion {
			return nil, nil, fmt.Errorf("load %s: records of schema version %d; this lessonl reads version %d", d, m.SchemaVersion, SchemaVersion)
		}
		done, err := Finished(d)
		if err != nil {
			return nil, nil, fmt.Errorf("load %s: %w", d, err)
		}
		joined := false
		for i := range groups {
			g := &groups[i]
			if g.Manifests[0].SpecHash != m.SpecHash {
				continue
			}
			if n := overlap(cells[i], done); n > 0 {
				notes = append(notes, fmt.Sprintf("%s and %s ran the same spec (%s) with %d cells in common: kept apart as two runs",
					strings.Join(g.Dirs, ", "), d, m.RunID, n))
				continue
			}
			g.Dirs = append(g.Dirs, d)
			g.Manifests = append(g.Manifests, m)
			for k := range done {
				cells[i][k] = true
			}
			joined = true
			break
		}
		if !joined {
			groups = append(groups, Group{Label: m.Name, RunID: m.RunID, Dirs: []string{d}, Manifests: []*Manifest{m}})
			c := map[string]bool{}
			for k := range done {
				c[k] = true
			}
			cells = append(cells, c)
		}
	}
	for i, g := range groups {
		if len(g.Dirs) > 1 {
			notes = append(notes, fmt.Sprintf("%s: shards of one run (%s, %d cells), read as one", strings.Join(g.Dirs, ", "), g.RunID, len(cells[i])))
		}
	}
	label(groups)
	if len(groups) > 1 {
		var names []string
		for _, g := range groups {
			names = append(names, fmt.Sprintf("%q (%s)", g.Label, strings.Join(g.Dirs, ", ")))
		}
		notes = append(notes, fmt.Sprintf("%d runs, kept apart: %s", len(groups), strings.Join(names, "; ")))
	}
	return groups, notes, nil
}

// label makes the groups' labels distinct: the spec's name, else the
// first folder's name, else its path.
func label(groups []Group) {
	for _, pick := range []func(Group) string{
		func(g Group) string { return filepath.Base(filepath.Clean(g.Dirs[0])) },
		func(g Group) string { return filepath.Clean(g.Dirs[0]) },
	} {
		count := map[string]int{}
		for _, g := range groups {
			count[g.Label]++
		}
		clash := false
		for i := range groups {
			if count[groups[i].Label] > 1 {
				groups[i].Label = pick(groups[i])
				clash = true
			}
		}
		if !clash {
			return
		}
	}
}

func overlap(a, b map[string]bool) int {
	n := 0
	for k := range b {
		if a[k] {
			n++
		}
	}
	return n
}
