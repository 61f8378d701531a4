package datasets

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

const goodMeta = `id: sort-x
category: sort
title: Sort
description: Sort it.
language: cpp
function: sort_x
sizes:
  validate: [0, 1, 5]
  timing: 1000
tolerance: 0
solutions:
  - file: fast.cpp
    technique: library sort
    expected: faster
`

func goodFS() fstest.MapFS {
	return fstest.MapFS{
		"suite/sort-x/problem.yaml":       {Data: []byte(goodMeta)},
		"suite/sort-x/baseline.cpp":       {Data: []byte("void sort_x(std::vector<int>& a) {}\n")},
		"suite/sort-x/driver.cpp":         {Data: []byte("LESSONL_MAIN(Case)\n")},
		"suite/sort-x/solutions/fast.cpp": {Data: []byte("void sort_x(std::vector<int>& a) {}\n")},
	}
}

func TestLoadGood(t *testing.T) {
	ps, err := LoadFS(goodFS(), "suite", "suite", "test")
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 {
		t.Fatalf("got %d problems, want 1", len(ps))
	}
	p := ps[0]
	if p.ID != "sort-x" || p.Category != "sort" || p.Sizes.Timing != 1000 || len(p.Sizes.Validate) != 3 ||
		len(p.Solutions) != 1 || p.Solutions[0].Expected != ExpectFaster || p.Solutions[0].Name != "fast" {
		t.Errorf("loaded %+v", p)
	}
}

// TestLoadBad breaks a good folder one way at a time: each error must name
// the file, the field and, where it has one, the line.
func TestLoadBad(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(fstest.MapFS)
		wants []string
	}{
		{"missing baseline", func(f fstest.MapFS) { delete(f, "suite/sort-x/baseline.cpp") },
			[]string{"suite/sort-x/baseline.cpp", "missing file"}},
		{"missing driver", func(f fstest.MapFS) { delete(f, "suite/sort-x/driver.cpp") },
			[]string{"suite/sort-x/driver.cpp", "missing file"}},
		{"missing metadata", func(f fstest.MapFS) {
			f["suite/other/baseline.cpp"] = &fstest.MapFile{Data: []byte("x")}
		}, []string{"suite/other/problem.yaml", "missing"}},
		{"malformed metadata", func(f fstest.MapFS) {
			f["suite/sort-x/problem.yaml"] = &fstest.MapFile{Data: []byte("id: sort-x\ncategory: [sort\n")}
		}, []string{"suite/sort-x/problem.yaml", "[2:"}},
		{"unknown field", func(f fstest.MapFS) {
			f["suite/sort-x/problem.yaml"] = &fstest.MapFile{Data: []byte(goodMeta + "timeout: 5\n")}
		}, []string{"suite/sort-x/problem.yaml", "timeout", "unknown field"}},
		{"wrong type", func(f fstest.MapFS) {
			f["suite/sort-x/problem.yaml"] = &fstest.MapFile{Data: []byte(strings.Replace(goodMeta, "timing: 1000", "timing: lots", 1))}
		}, []string{"suite/sort-x/problem.yaml", "[9:"}},
		{"unknown category", func(f fstest.MapFS) {
			f["suite/sort-x/problem.yaml"] = &fstest.MapFile{Data: []byte(strings.Replace(goodMeta, "category: sort", "category: sorting", 1))}
		}, []string{"suite/sort-x/problem.yaml:2", "field category", `unknown category "sorting"`}},
		{"unknown outcome", func(f fstest.MapFS) {
			f["suite/sort-x/problem.yaml"] = &fstest.MapFile{Data: []byte(strings.Replace(goodMeta, "expected: faster", "expected: quicker", 1))}
		}, []string{"suite/sort-x/problem.yaml:14", "field solutions[0].expected", `unknown outcome "quicker"`}},
		{"missing solution file", func(f fstest.MapFS) { delete(f, "suite/sort-x/solutions/fast.cpp") },
			[]string{"suite/sort-x/solutions/fast.cpp", "missing file"}},
		{"unlisted solution file", func(f fstest.MapFS) {
			f["suite/sort-x/solutions/extra.cpp"] = &fstest.MapFile{Data: []byte("x")}
		}, []string{"suite/sort-x/solutions/extra.cpp", "not listed"}},
		{"id differs from folder", func(f fstest.MapFS) {
			f["suite/sort-x/problem.yaml"] = &fstest.MapFile{Data: []byte(strings.Replace(goodMeta, "id: sort-x", "id: sort-y", 1))}
		}, []string{"suite/sort-x/problem.yaml:1", "field id", "folder name"}},
		{"negative size", func(f fstest.MapFS) {
			f["suite/sort-x/problem.yaml"] = &fstest.MapFile{Data: []byte(strings.Replace(goodMeta, "[0, 1, 5]", "[0, -1, 5]", 1))}
		}, []string{"suite/sort-x/problem.yaml:8", "field sizes.validate[1]"}},
		{"function not in baseline", func(f fstest.MapFS) {
			f["suite/sort-x/problem.yaml"] = &fstest.MapFile{Data: []byte(strings.Replace(goodMeta, "function: sort_x", "function: sort_z", 1))}
		}, []string{"suite/sort-x/baseline.cpp", `"sort_z"`}},
		{"empty driver", func(f fstest.MapFS) {
			f["suite/sort-x/driver.cpp"] = &fstest.MapFile{Data: []byte("  \n")}
		}, []string{"suite/sort-x/driver.cpp", "empty file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := goodFS()
			tt.edit(fsys)
			_, err := LoadFS(fsys, "suite", "suite", "test")
			if err == nil {
				t.Fatal("loaded without error")
			}
			for _, w := range tt.wants {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestBuiltinSuite(t *testing.T) {
	ps, cats := builtinByCategory(t)
	for _, p := range ps {
		kinds := map[Expected]int{}
		for _, s := range p.Solutions {
			kinds[s.Expected]++
		}
		if kinds[ExpectFaster] < 2 || kinds[ExpectNotFaster] < 1 || kinds[ExpectIncorrect] < 1 || kinds[ExpectNotCompilable] < 1 {
			t.Errorf("%s: solutions %v, want ≥2 faster and ≥1 of each other outcome", p.ID, kinds)
		}
		if len(p.Sizes.Validate) < 5 {
			t.Errorf("%s: %d validation sizes, want at least 5", p.ID, len(p.Sizes.Validate))
		}
	}
	if testing.Short() {
		return
	}
	for _, c := range Categories {
		if cats[c] < 2 {
			t.Errorf("category %s has %d problems, want at least 2", c, cats[c])
		}
	}
}

// builtinByCategory is the built-in suite and how many of its problems
// each category holds.
func builtinByCategory(t *testing.T) ([]*Problem, map[string]int) {
	t.Helper()
	ps, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	cats := map[string]int{}
	for _, p := range ps {
		cats[p.Category]++
	}
	return ps, cats
}

// TestDocCountsBuiltinSuite keeps the package doc's count of the built-in
// suite's problems and categories true.
func TestDocCountsBuiltinSuite(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`codeopt holds (\d+) problems, two or more in each of the\s*//\s*(\d+) categories`).FindSubmatch(doc)
	if m == nil {
		t.Fatal("doc.go no longer says how many problems codeopt holds")
	}
	ps, cats := builtinByCategory(t)
	for c, n := range cats {
		if n < 2 {
			t.Errorf("category %s has %d problem, doc.go says two or more", c, n)
		}
	}
	if got := fmt.Sprintf("%d problems, %d categories", len(ps), len(cats)); got != fmt.Sprintf("%s problems, %s categories", m[1], m[2]) {
		t.Errorf("doc.go says %s problems in %s categories; the suite has %s", m[1], m[2], got)
	}
}
