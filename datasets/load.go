package datasets

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// The files of a problem folder.
const (
	MetaFile     = "problem.yaml"
	BaselineFile = "baseline.cpp"
	DriverFile   = "driver.cpp"
	SolutionsDir = "solutions"
)

// meta is problem.yaml as written.
type meta struct {
	ID          string     `yaml:"id"`
	Category    string     `yaml:"category"`
	Title       string     `yaml:"title"`
	Description string     `yaml:"description"`
	Language    string     `yaml:"language"`
	Function    string     `yaml:"function"`
	Sizes       metaSizes  `yaml:"sizes"`
	Tolerance   *float64   `yaml:"tolerance"`
	Solutions   []metaSoln `yaml:"solutions"`
}

type metaSizes struct {
	Validate []int `yaml:"validate"`
	Timing   int   `yaml:"timing"`
}

type metaSoln struct {
	File      string   `yaml:"file"`
	Technique string   `yaml:"technique"`
	Expected  Expected `yaml:"expected"`
	Note      string   `yaml:"note"`
}

// FieldError says which field of which file is wrong, with its line when
// known, so a researcher writing a problem can fix it without guessing.
type FieldError struct {
	File  string // path of the file
	Line  int    // 1-based; 0 when unknown
	Field string // YAML path of the field, e.g. "solutions[2].expected"
	Msg   string
}

func (e *FieldError) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	if e.Field == "" {
		return fmt.Sprintf("%s: %s", loc, e.Msg)
	}
	return fmt.Sprintf("%s: field %s: %s", loc, e.Field, e.Msg)
}

// LoadDir loads every problem under dir: either dir is itself a problem
// folder, or each of its subfolders holding a problem.yaml is one.
func LoadDir(dir string) ([]*Problem, error) {
	return LoadFS(os.DirFS(dir), ".", dir, dir)
}

func init() {
	RegisterSource(Source{Name: SourcePath, Task: TaskOptimize, Usage: "load problems from this folder instead of the built-in suite",
		Flag: "dir", Load: func(s Settings) ([]*Problem, error) { return LoadDir(s.Path) }})
}

// LoadFS loads every problem folder under root in fsys. display is the
// prefix used for paths in errors; suite is recorded in each Problem.
func LoadFS(fsys fs.FS, root, display, suite string) ([]*Problem, error) {
	if _, err := fs.Stat(fsys, path.Join(root, MetaFile)); err == nil {
		p, err := loadProblem(fsys, root, display, suite)
		if err != nil {
			return nil, err
		}
		return []*Problem{p}, nil
	}
	entries, err := fs.ReadDir(fsys, root)
	if err != nil {
		return nil, fmt.Errorf("read dataset %s: %w", display, err)
	}
	var out []*Problem
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		dir := path.Join(root, e.Name())
		if _, err := fs.Stat(fsys, path.Join(dir, MetaFile)); err != nil {
			return nil, &FieldError{File: path.Join(display, e.Name(), MetaFile), Msg: "missing problem metadata file"}
		}
		p, err := loadProblem(fsys, dir, path.Join(display, e.Name()), suite)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("dataset %s: no problem folders (each needs a %s)", display, MetaFile)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	for i := 1; i < len(out); i++ {
		if out[i].ID == out[i-1].ID {
			return nil, fmt.Errorf("dataset %s: problem id %q appears twice", display, out[i].ID)
		}
	}
	return out, nil
}

func loadProblem(fsys fs.FS, dir, display, suite string) (*Problem, error) {
	metaPath := path.Join(display, MetaFile)
	raw, err := fs.ReadFile(fsys, path.Join(dir, MetaFile))
	if err != nil {
		return nil, &FieldError{File: metaPath, Msg: err.Error()}
	}
	var m meta
	if err := yaml.UnmarshalWithOptions(raw, &m, yaml.Strict()); err != nil {
		return nil, fmt.Errorf("%s: %s", metaPath, yaml.FormatError(err, false, true))
	}
	file, _ := parser.ParseBytes(raw, 0)
	fieldErr := func(field, format string, args ...any) error {
		return &FieldError{File: metaPath, Line: lineOf(file, field), Field: field, Msg: fmt.Sprintf(format, args...)}
	}

	switch {
	case m.ID == "":
		return nil, fieldErr("id", "missing")
	case m.ID != path.Base(dir) && path.Base(dir) != ".":
		return nil, fieldErr("id", "%q differs from the folder name %q", m.ID, path.Base(dir))
	case m.Category == "":
		return nil, fieldErr("category", "missing")
	case !IsCategory(m.Category):
		return nil, fieldErr("category", "unknown category %q (want one of %s)", m.Category, strings.Join(Categories, ", "))
	case m.Title == "":
		return nil, fieldErr("title", "missing")
	case m.Language != "cpp":
		return nil, fieldErr("language", "unsupported language %q (want cpp)", m.Language)
	case m.Function == "":
		return nil, fieldErr("function", "missing: name the entry function both sides define")
	case len(m.Sizes.Validate) == 0:
		return nil, fieldErr("sizes.validate", "missing: list at least one validation size")
	case m.Sizes.Timing <= 0:
		return nil, fieldErr("sizes.timing", "must be a positive size, got %d", m.Sizes.Timing)
	case m.Tolerance != nil && *m.Tolerance < 0:
		return nil, fieldErr("tolerance", "must not be negative, got %g", *m.Tolerance)
	}
	for i, n := range m.Sizes.Validate {
		if n < 0 {
			return nil, fieldErr(fmt.Sprintf("sizes.validate[%d]", i), "must not be negative, got %d", n)
		}
	}

	p := &Problem{
		ID: m.ID, Category: m.Category, Title: m.Title,
		Description: strings.TrimSpace(m.Description), Language: m.Language,
		Function: m.Function, Suite: suite,
		Sizes: Sizes{Validate: m.Sizes.Validate, Timing: m.Sizes.Timing},
	}
	if m.Tolerance != nil {
		p.Tolerance = *m.Tolerance
	}
	if p.BaselineCode, err = readText(fsys, dir, display, BaselineFile); err != nil {
		return nil, err
	}
	if !strings.Contains(p.BaselineCode, m.Function) {
		return nil, &FieldError{File: path.Join(display, BaselineFile), Msg: fmt.Sprintf("does not define the function %q named in %s", m.Function, MetaFile)}
	}
	if p.Driver, err = readText(fsys, dir, display, DriverFile); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for i, s := range m.Solutions {
		field := fmt.Sprintf("solutions[%d]", i)
		switch {
		case s.File == "" || !strings.HasSuffix(s.File, ".cpp") || strings.Contains(s.File, "/"):
			return nil, fieldErr(field+".file", "want a file name ending in .cpp inside %s/, got %q", SolutionsDir, s.File)
		case seen[s.File]:
			return nil, fieldErr(field+".file", "%q listed twice", s.File)
		case s.Technique == "":
			return nil, fieldErr(field+".technique", "missing: name the technique in an LLM's words")
		case !s.Expected.Valid():
			return nil, fieldErr(field+".expected", "unknown outcome %q (want faster, not_faster, correct, incorrect or not_compilable)", s.Expected)
		}
		seen[s.File] = true
		code, err := readText(fsys, path.Join(dir, SolutionsDir), path.Join(display, SolutionsDir), s.File)
		if err != nil {
			return nil, err
		}
		p.Solutions = append(p.Solutions, Solution{
			Name: strings.TrimSuffix(s.File, ".cpp"), Technique: s.Technique,
			Expected: s.Expected, Note: strings.TrimSpace(s.Note), Code: code,
		})
	}
	if entries, err := fs.ReadDir(fsys, path.Join(dir, SolutionsDir)); err == nil {
		for _, e := range entries {
			if !seen[e.Name()] {
				return nil, &FieldError{File: path.Join(display, SolutionsDir, e.Name()), Msg: fmt.Sprintf("not listed under solutions in %s", MetaFile)}
			}
		}
	}
	return p, nil
}

func readText(fsys fs.FS, dir, display, name string) (string, error) {
	b, err := fs.ReadFile(fsys, path.Join(dir, name))
	if errors.Is(err, fs.ErrNotExist) {
		return "", &FieldError{File: path.Join(display, name), Msg: "missing file"}
	}
	if err != nil {
		return "", fmt.Errorf("read %s: %w", path.Join(display, name), err)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return "", &FieldError{File: path.Join(display, name), Msg: "empty file"}
	}
	return string(b), nil
}

// lineOf finds the line of a field given as a dotted path with indices
// ("solutions[2].expected"); 0 when the field is absent.
func lineOf(file *ast.File, field string) int {
	if file == nil {
		return 0
	}
	p, err := yaml.PathString("$." + field)
	if err != nil {
		return 0
	}
	n, err := p.FilterFile(file)
	if err != nil || n == nil {
		return 0
	}
	return n.GetToken().Position.Line
}
