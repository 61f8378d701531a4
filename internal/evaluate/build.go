package evaluate

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// The namespaces the two sides are compiled in; drivers declare the entry
// function in both.
const (
	BaselineNamespace  = "lessonl_baseline"
	CandidateNamespace = "lessonl_candidate"
)

var includeLine = regexp.MustCompile(`^\s*#\s*include\b`)

// Normalize makes equivalent texts hash alike: LF line ends, no trailing
// blanks, one final newline.
func Normalize(code string) string {
	code = strings.ReplaceAll(code, "\r\n", "\n")
	lines := strings.Split(code, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\r")
	}
	return strings.TrimSpace(strings.Join(lines, "\n")) + "\n"
}

// Wrap turns a side's code into its translation unit: #include lines are
// hoisted to file scope and the rest is enclosed in namespace ns, so that
// baseline and candidate may both define the entry function and helpers of
// the same name, and a candidate may bring its own includes. Line numbers
// in compiler messages stay those of the code as written.
func Wrap(code, ns, file string) string {
	var head, body strings.Builder
	for _, l := range strings.Split(code, "\n") {
		if includeLine.MatchString(l) {
			head.WriteString(l + "\n")
			body.WriteString("\n")
			continue
		}
		body.WriteString(l + "\n")
	}
	return fmt.Sprintf("%snamespace %s {\n#line 1 %q\n%s\n}  // namespace %s\n", head.String(), ns, file, body.String(), ns)
}

// compile runs the compiler once in the sandbox; a non-nil error means the
// compiler could not be run at all, while a failed compile comes back as
// ok=false with the compiler's messages.
func (e *Evaluator) compile(ctx context.Context, dir string, args ...string) (ok bool, out string, took time.Duration, err error) {
	p := e.sandbox.Command(dir, e.cfg.CompileLimits, nil, nil, e.cfg.Compiler, args...)
	start := time.Now()
	x, err := p.Run(ctx)
	if err != nil {
		return false, "", 0, fmt.Errorf("start %s: %w", e.cfg.Compiler, err)
	}
	took = time.Since(start)
	msg := strings.TrimSpace(x.Stderr + "\n" + x.Stdout)
	if x.TimedOut || x.OutputCap || x.Signal != "" {
		return false, truncate(x.Describe(e.cfg.CompileLimits)+"\n"+msg, 4096), took, nil
	}
	return x.Code == 0, truncate(msg, 4096), took, nil
}

// sideFlags are the flags both sides and the driver are compiled with. Both
// sides get the same flags and the same function alignment, so identical
// code gets identical machine code at an identically aligned address.
func (e *Evaluator) sideFlags() []string {
	f := append([]string{}, e.cfg.Flags...)
	f = append(f, "-falign-functions=64", "-falign-loops=32")
	if e.cfg.Mode == ModeOpenMP {
		f = append(f, "-fopenmp")
	}
	return f
}

// problemBuild holds a problem's objects that do not change between
// candidates: the driver and the baseline, built once.
type problemBuild struct {
	dir      string
	driver   string // driver object
	baseline string // baseline object
	err      error
}

func (e *Evaluator) buildProblem(ctx context.Context, key string, src problemSource) *problemBuild {
	e.mu.Lock()
	b, ok := e.builds[key]
	if !ok {
		b = &problemBuild{}
		e.builds[key] = b
		e.buildOnce[key] = make(chan struct{})
	}
	done := e.buildOnce[key]
	e.mu.Unlock()
	if ok {
		<-done
		return b
	}
	defer close(done)
	b.err = e.doBuildProblem(ctx, b, src)
	return b
}

type problemSource struct {
	id, baseline, driver string
	headers              map[string]string
}

func (e *Evaluator) doBuildProblem(ctx context.Context, b *problemBuild, src problemSource) error {
	dir, err := os.MkdirTemp(e.workDir, "problem-")
	if err != nil {
		return fmt.Errorf("problem %s: %w", src.id, err)
	}
	if err := e.sandbox.Owner(dir); err != nil {
		return fmt.Errorf("problem %s: %w", src.id, err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		return fmt.Errorf("problem %s: %w", src.id, err)
	}
	b.dir = dir
	files := map[string]string{
		"driver.cpp":   src.driver,
		"baseline.cpp": Wrap(Normalize(src.baseline), BaselineNamespace, "baseline.cpp"),
	}
	for name, text := range src.headers {
		files[name] = text
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			return fmt.Errorf("problem %s: %w", src.id, err)
		}
	}
	flags := e.sideFlags()
	for _, unit := range []struct{ src, obj, what string }{
		{"driver.cpp", "driver.o", "driver"},
		{"baseline.cpp", "baseline.o", "baseline"},
	} {
		args := append(append([]string{}, flags...), "-I", dir, "-c", unit.src, "-o", unit.obj)
		ok, out, _, err := e.compile(ctx, dir, args...)
		if err != nil {
			return fmt.Errorf("problem %s: compile %s: %w", src.id, unit.what, err)
		}
		if !ok {
			return fmt.Errorf("problem %s: the %s does not compile:\n%s", src.id, unit.what, out)
		}
	}
	b.driver = filepath.Join(dir, "driver.o")
	b.baseline = filepath.Join(dir, "baseline.o")
	return nil
}
