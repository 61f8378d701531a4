package datasets

import (
	"embed"
	"fmt"
	"sync"
)

// BuiltinSuite is the name of the embedded suite.
const BuiltinSuite = "codeopt"

//go:embed all:codeopt
var builtinFS embed.FS

var builtin struct {
	once     sync.Once
	problems []*Problem
	err      error
}

// Builtin returns the embedded suite codeopt, loaded once per process.
func Builtin() ([]*Problem, error) {
	builtin.once.Do(func() {
		builtin.problems, builtin.err = LoadFS(builtinFS, BuiltinSuite, BuiltinSuite, BuiltinSuite)
	})
	return builtin.problems, builtin.err
}

func init() {
	RegisterSource(Source{Name: SourceBuiltin, Task: TaskOptimize, Usage: "the built-in C++ suite " + BuiltinSuite,
		Load: func(Settings) ([]*Problem, error) { return Builtin() }})
}

// Find returns the problem with the given id.
func Find(problems []*Problem, id string) (*Problem, error) {
	for _, p := range problems {
		if p.ID == id {
			return p, nil
		}
	}
	return nil, fmt.Errorf("no problem %q", id)
}
