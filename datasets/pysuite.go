package datasets

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/goccy/go-yaml"
)

// PySuiteName is the name of the embedded Python suite of the generate
// task.
const PySuiteName = "pysuite"

//go:embed pysuite/*.yaml
var pysuiteFS embed.FS

var pysuite struct {
	once     sync.Once
	problems []*GenProblem
	err      error
}

// pyMeta is one pysuite/*.yaml file.
type pyMeta struct {
	ID         string   `yaml:"id"`
	EntryPoint string   `yaml:"entry_point"`
	Prompt     string   `yaml:"prompt"`
	Tests      string   `yaml:"tests"`
	Solutions  []pySoln `yaml:"solutions"`
}

type pySoln struct {
	Name string `yaml:"name"`
	Pass bool   `yaml:"pass"`
	Note string `yaml:"note"`
	Body string `yaml:"body"`
}

// PySuite returns the built-in Python suite, written for lessonl so that
// the generate task runs offline: each problem has a HumanEval-style prompt
// and check() tests, a correct solution (its canonical one, listed first)
// and plausible wrong ones (off by one, a missed edge case, a wrong type),
// which `lessonl datasets check --pysuite` verifies fail. Loaded once per
// process.
func PySuite() ([]*GenProblem, error) {
	pysuite.once.Do(func() {
		pysuite.problems, pysuite.err = loadPySuite(pysuiteFS, "pysuite")
	})
	return pysuite.problems, pysuite.err
}

func init() {
	RegisterSource(Source{Name: PySuiteName, Task: TaskGenerate, Usage: "generate task: the built-in Python suite",
		Flag: PySuiteName, Switch: true, LoadGen: func(Settings) ([]*GenProblem, error) { return PySuite() }})
}

// loadPySuite reads every .yaml file under dir in fsys as one problem.
func loadPySuite(fsys fs.FS, dir string) ([]*GenProblem, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []*GenProblem
	seen := map[string]string{}
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		var m pyMeta
		if err := yaml.UnmarshalWithOptions(data, &m, yaml.Strict()); err != nil {
			return nil, &FieldError{File: name, Msg: yaml.FormatError(err, false, true)}
		}
		fail := func(field, format string, args ...any) error {
			return &FieldError{File: name, Field: field, Msg: fmt.Sprintf(format, args...)}
		}
		switch {
		case m.ID == "":
			return nil, fail("id", "missing")
		case seen[m.ID] != "":
			return nil, fail("id", "%q already in %s", m.ID, seen[m.ID])
		case m.EntryPoint == "":
			return nil, fail("entry_point", "missing")
		case !strings.Contains(m.Prompt, "def "+m.EntryPoint+"("):
			return nil, fail("prompt", "does not define %s(", m.EntryPoint)
		case !strings.Contains(m.Tests, "def check(candidate)"):
			return nil, fail("tests", "missing: define check(candidate)")
		case len(m.Solutions) < 2:
			return nil, fail("solutions", "want a correct solution first and at least one wrong one")
		case !m.Solutions[0].Pass:
			return nil, fail("solutions[0].pass", "the first solution is the canonical one and must pass")
		}
		seen[m.ID] = name
		p := &GenProblem{ID: m.ID, Suite: PySuiteName, Prompt: m.Prompt, EntryPoint: m.EntryPoint,
			Canonical: m.Prompt + m.Solutions[0].Body, Tests: GenTests{Check: m.Tests}}
		names := map[string]bool{}
		for i, s := range m.Solutions {
			if s.Name == "" || names[s.Name] {
				return nil, fail(fmt.Sprintf("solutions[%d].name", i), "missing or repeated: %q", s.Name)
			}
			if strings.TrimSpace(s.Body) == "" {
				return nil, fail(fmt.Sprintf("solutions[%d].body", i), "missing")
			}
			names[s.Name] = true
			p.Solutions = append(p.Solutions, GenSolution{Name: s.Name, Pass: s.Pass, Note: s.Note, Code: m.Prompt + s.Body})
		}
		out = append(out, p)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no problems", dir)
	}
	return out, nil
}
