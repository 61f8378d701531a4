package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/lessonlab/lessonl/datasets"
)

// TestSourceFlags: the source flags come from the registered sources, in
// the order users have always seen them.
func TestSourceFlags(t *testing.T) {
	names := func(fs []cli.Flag) string {
		var out []string
		for _, f := range fs {
			out = append(out, f.Names()[0])
		}
		return strings.Join(out, " ")
	}
	for _, tt := range []struct {
		name  string
		flags []cli.Flag
		want  string
	}{
		{"optimize", sourceFlags(), "dir pareval suite faithful"},
		{"generate", genFlags(), "humaneval mbpp pysuite solutions"},
	} {
		// A source registered by another test of this binary adds its
		// flag after these.
		if got := names(tt.flags); !strings.HasPrefix(got, tt.want) {
			t.Errorf("%s flags %q, want %q first", tt.name, got, tt.want)
		}
	}
}

// TestSourceConflict: two source flags are refused, naming both.
func TestSourceConflict(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"datasets", "list", "--dir", "x", "--pareval", "y"}, "--dir and --pareval name different sources; give one"},
		{[]string{"datasets", "list", "--pysuite", "--dir", "x"}, "--dir and --pysuite name different sources; give one"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), &stdout, &stderr, append([]string{"lessonl"}, tt.args...)); code == 0 || !strings.Contains(stderr.String(), tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want it to say %q", tt.args, code, stderr.String(), tt.want)
		}
	}
}

// TestCxxSource: the commands that evaluate C++ take optimize sources and
// refuse a source of another task, naming it and its task.
func TestCxxSource(t *testing.T) {
	for _, tt := range []struct {
		src  datasets.Source
		want string
	}{
		{datasets.Source{Name: "builtin", Task: datasets.TaskOptimize}, ""},
		{datasets.Source{Name: "questions", Task: "tokens"}, "source questions serves tokens problems, which a run scores by their task"},
	} {
		err := cxxSource(&tt.src)
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%s: %v, want %q", tt.src.Name, err, tt.want)
		}
	}
}

var registerToy sync.Once

// TestToySourceFlag registers a source in this test, as a user would in
// its own file, and lists its problems through the flag the registration
// gives the CLI.
func TestToySourceFlag(t *testing.T) {
	registerToy.Do(func() {
		datasets.RegisterSource(datasets.Source{Name: "cli-toy", Task: datasets.TaskOptimize, Usage: "problems named in this file, one a line",
			Flag: "cli-toy", Load: func(s datasets.Settings) ([]*datasets.Problem, error) {
				b, err := os.ReadFile(s.Path)
				if err != nil {
					return nil, err
				}
				var out []*datasets.Problem
				for _, id := range strings.Fields(string(b)) {
					out = append(out, &datasets.Problem{ID: id, Category: "toy", Title: "toy " + id})
				}
				return out, nil
			}})
	})
	file := filepath.Join(t.TempDir(), "ids.txt")
	if err := os.WriteFile(file, []byte("alpha\nbeta\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), &stdout, &stderr, []string{"lessonl", "datasets", "list", "--cli-toy", file}); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	want := "ID     CATEGORY  SOLUTIONS  TITLE\nalpha  toy       0          toy alpha\nbeta   toy       0          toy beta\n"
	if stdout.String() != want {
		t.Errorf("datasets list --cli-toy printed\n%s\nwant\n%s", stdout.String(), want)
	}
}

var registerQuestions sync.Once

// TestOtherTaskSource: a source of another task than optimize, registered
// in this test, is listed and shown by what every problem has (the show
// names its task, with no C++ baseline or sizes), and the commands that
// evaluate C++ refuse it, naming the source and its task, before
// evaluating anything.
func TestOtherTaskSource(t *testing.T) {
	registerQuestions.Do(func() {
		datasets.RegisterSource(datasets.Source{Name: "cli-questions", Task: "cli-tokens", Usage: "questions in this file, one a line",
			Flag: "cli-questions", Load: func(s datasets.Settings) ([]*datasets.Problem, error) {
				b, err := os.ReadFile(s.Path)
				if err != nil {
					return nil, err
				}
				var out []*datasets.Problem
				for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
					id, q, _ := strings.Cut(line, " ")
					out = append(out, &datasets.Problem{ID: id, Category: "questions", Title: id, Description: q, Sizes: datasets.Sizes{Timing: 5}})
				}
				return out, nil
			}})
	})
	dir := t.TempDir()
	file, cand := filepath.Join(dir, "questions.txt"), filepath.Join(dir, "answer.cpp")
	if err := os.WriteFile(file, []byte("hello Say hello.\nbye Say goodbye.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cand, []byte("int main() { return 0; }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	refused := "source cli-questions serves cli-tokens problems, which a run scores by their task"
	for _, tt := range []struct {
		args []string
		ok   bool
		want string // stdout when ok, in stderr otherwise
	}{
		{[]string{"datasets", "list", "--cli-questions", file}, true, "ID     CATEGORY   SOLUTIONS  TITLE\nhello  questions  0          hello\nbye    questions  0          bye\n"},
		{[]string{"datasets", "show", "--cli-questions", file, "bye"}, true, "bye (questions): bye\n\nSay goodbye.\n\ntask cli-tokens (source cli-questions): a run scores its answers by the task\n"},
		{[]string{"datasets", "check", "--cli-questions", file}, false, refused},
		{[]string{"eval", "--cli-questions", file, "--problem", "hello", cand}, false, refused},
	} {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), &stdout, &stderr, append([]string{"lessonl"}, tt.args...))
		switch {
		case tt.ok && (code != 0 || stdout.String() != tt.want):
			t.Errorf("%v: exit %d, stderr %q, stdout\n%s\nwant\n%s", tt.args, code, stderr.String(), stdout.String(), tt.want)
		case !tt.ok && (code == 0 || !strings.Contains(stderr.String(), tt.want)):
			t.Errorf("%v: exit %d, stderr %q; want it to say %q", tt.args, code, stderr.String(), tt.want)
		}
	}
}
