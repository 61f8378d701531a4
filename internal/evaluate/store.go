package evaluate

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/cxx"
	"github.com/lessonlab/lessonl/internal/evaluate/harness"
	"github.com/lessonlab/lessonl/internal/sandbox"
)

// The shared evaluation cache (the store) keeps complete fresh verdicts
// on disk, one JSON file per key, so that a later run, another process on
// the machine or another node with the same fingerprint reuses them. Its
// key holds everything that can change a verdict or a measurement (see
// storeParts); a verdict that a second evaluation could give differently
// because of the machine's load is never stored (see storable). A hit
// reuses the verdict and the timed pairs, and says where they were
// measured (Outcome.Origin).

// The kinds of reuse an Outcome can come from (Outcome.CacheHit).
const (
	HitRun   = "run"   // identical code evaluated earlier by this evaluator
	HitStore = "store" // the shared evaluation cache (Config.CacheDir)
)

// storeFormat is the store's layout version: entries of another format are
// in another folder and never read.
const storeFormat = "v1"

// Origin is the run and cell whose fresh evaluation an outcome is.
type Origin struct {
	Run  string `json:"run,omitempty"`
	Cell string `json:"cell,omitempty"`
}

type originKey struct{}

// WithOrigin returns ctx carrying the run and cell an evaluation is for,
// recorded in the outcome (Outcome.Origin) and in the shared cache's
// entry, so that a later hit names the evaluation it reuses.
func WithOrigin(ctx context.Context, run, cell string) context.Context {
	return context.WithValue(ctx, originKey{}, Origin{Run: run, Cell: cell})
}

func originOf(ctx context.Context) Origin {
	o, _ := ctx.Value(originKey{}).(Origin)
	return o
}

// DefaultCacheDir is the shared evaluation cache's default folder:
// $LESSONL_CACHE when set ("off" or "none": no shared cache, ""
// returned), else lessonl in the user's cache folder (~/.cache/lessonl on
// Linux).
func DefaultCacheDir() string {
	switch d := os.Getenv("LESSONL_CACHE"); d {
	case "off", "none":
		return ""
	case "":
	default:
		return d
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "lessonl")
	}
	return filepath.Join(os.TempDir(), "lessonl-cache")
}

// storeEntry is one stored verdict.
type storeEntry struct {
	Format string `json:"format"`
	Key    string `json:"key"`
	// Parts are what the key hashes, for whoever inspects the store.
	Parts   map[string]string `json:"parts"`
	Stored  time.Time         `json:"stored"`
	Origin  Origin            `json:"origin"`
	Outcome Outcome           `json:"outcome"`
}

// evaluatorSource is the evaluator's own code; its hash is part of every
// key, so that a lessonl whose checks changed never reuses a verdict of
// the old checks.
//
//go:embed *.go
var evaluatorSource embed.FS

// sourceHash hashes the Go files (not their tests) of the evaluator, the
// sandbox and the C++ reader it checks signatures with, and the harness
// header.
var sourceHash = sync.OnceValue(func() string {
	h := sha256.New()
	for _, src := range []struct {
		pkg  string
		fsys embed.FS
	}{{"evaluate", evaluatorSource}, {"sandbox", sandbox.Source}, {"cxx", cxx.Source}} {
		names, _ := fs.Glob(src.fsys, "*.go")
		sort.Strings(names)
		for _, name := range names {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			b, _ := src.fsys.ReadFile(name)
			fmt.Fprintf(h, "%s/%s\x00%d\x00", src.pkg, name, len(b))
			h.Write(b)
		}
	}
	fmt.Fprintf(h, "harness\x00%s", harness.Header)
	return hex.EncodeToString(h.Sum(nil))
})

// Machine is the fingerprint of the machine timings are taken on: CPU
// model, logical cores and kernel release. Timed pairs measured on one
// machine are reused only on a machine with the same fingerprint.
var Machine = sync.OnceValue(func() string {
	model := "unknown cpu"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			k, v, ok := strings.Cut(line, ":")
			if ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	kernel := runtime.GOOS
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		kernel += " " + strings.TrimSpace(string(b))
	}
	return fmt.Sprintf("%s; %d cores; %s/%s %s", model, runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, kernel)
})

var compilerVersions sync.Map // compiler → its full --version output

// compilerVersion is the compiler's whole --version output and where it
// resolves on PATH.
func compilerVersion(compiler string) string {
	if v, ok := compilerVersions.Load(compiler); ok {
		return v.(string)
	}
	path, err := exec.LookPath(compiler)
	if err != nil {
		path = compiler + " (not found)"
	}
	out, err := exec.Command(compiler, "--version").Output()
	v := path + "\n" + strings.TrimSpace(string(out))
	if err != nil {
		v += " (version unknown: " + err.Error() + ")"
	}
	compilerVersions.Store(compiler, v)
	return v
}

// storeParts is everything the shared cache's key holds for code on p:
// the in-run hash (normalized code, problem fields, compiler, flags, mode,
// threads, validation switches), the problem's content hash, the
// compiler's version, every evaluator setting that can change a verdict
// or a timing (the timing protocol, repetitions, limits, slots), the
// sandbox's enforced mechanisms, the evaluator's own code and harness,
// and the machine's fingerprint.
func (e *Evaluator) storeParts(p *datasets.Problem, code string) map[string]string {
	c := e.cfg
	settings, _ := json.Marshal(struct {
		Timing                          string
		Warmup, MinReps, MaxReps, Slots int
		TargetWidth, RunToRun           float64
		Budget                          time.Duration
		NoChecked, Strict, VerdictOnly  bool
		RunLimits, CompileLimits        sandbox.Limits
		Compiler                        string
		Flags                           []string
		Mode                            Mode
		Threads                         int
	}{c.Timing, c.Warmup, c.MinReps, c.MaxReps, c.Slots, c.TargetWidth, c.RunToRun, c.Budget,
		c.NoCheckedBuild, c.StrictValidation, c.VerdictOnly, c.RunLimits, c.CompileLimits, c.Compiler, c.Flags, c.Mode, c.Threads})
	enforced, _ := json.Marshal(e.Enforced())
	return map[string]string{
		"code":     e.Hash(p, code),
		"problem":  p.ContentHash(),
		"compiler": compilerVersion(c.Compiler),
		"settings": string(settings),
		"sandbox":  string(enforced),
		"source":   sourceHash(),
		"machine":  Machine(),
	}
}

// storeKey hashes named parts in the order of their names: a stored
// outcome's key parts, or the files a problem's build writes (objects.go).
func storeKey(parts map[string]string) string {
	names := make([]string, 0, len(parts))
	for k := range parts {
		names = append(names, k)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, k := range names {
		fmt.Fprintf(h, "%s\x00%d\x00%s\x00", k, len(parts[k]), parts[k])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// storable says whether a fresh outcome may be kept for other runs: a
// complete verdict that the code alone decides. A timeout, a limit hit
// while compiling, a runtime error (a crash, a memory or process limit,
// which a loaded machine can cause) and a correct candidate without its
// timed pairs are measured again instead.
func (e *Evaluator) storable(o Outcome) bool {
	if strings.Contains(o.Detail, sandbox.TimeLimitNote) {
		return false
	}
	switch o.Status {
	case Incorrect, NotCompilable, NotSerial:
		return true
	case Correct:
		return e.cfg.VerdictOnly || (len(o.BaselineReps) > 0 && len(o.BaselineReps) == len(o.CandidateReps))
	}
	return false
}

// entryPath is where key's entry lives.
func (e *Evaluator) entryPath(key string) string {
	return filepath.Join(e.cfg.CacheDir, storeFormat, key[:2], key+".json")
}

// readEntry returns key's entry, or false when there is none or it does
// not read whole (an entry is written under a temporary name and renamed,
// so a torn one is not another process's write in progress but damage).
func (e *Evaluator) readEntry(key string) (storeEntry, bool) {
	b, err := os.ReadFile(e.entryPath(key))
	if err != nil {
		return storeEntry{}, false
	}
	var en storeEntry
	if err := json.Unmarshal(b, &en); err != nil || en.Format != storeFormat || en.Key != key {
		return storeEntry{}, false
	}
	return en, true
}

// writeEntry stores en atomically: a temporary file in the same folder,
// synced, then renamed over the entry's name.
func (e *Evaluator) writeEntry(en storeEntry) error {
	path := e.entryPath(en.Key)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("evaluation cache: %w", err)
	}
	b, err := json.Marshal(en)
	if err != nil {
		return fmt.Errorf("evaluation cache: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return fmt.Errorf("evaluation cache: %w", err)
	}
	_, err = f.Write(b)
	err = errors.Join(err, f.Sync(), f.Close())
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("evaluation cache: %w", err)
	}
	return nil
}

// lockKey takes an exclusive flock on key's lock file, polling until it
// is free or ctx ends, so that two processes sharing the cache evaluate
// the same code once: the second waits and then finds the first's entry.
func (e *Evaluator) lockKey(ctx context.Context, key string) (unlock func(), err error) {
	dir := filepath.Join(e.cfg.CacheDir, storeFormat, key[:2])
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("evaluation cache: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, key+".lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("evaluation cache: %w", err)
	}
	for {
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err == nil {
			return func() {
				syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
				f.Close()
			}, nil
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// evaluateStored is evaluate behind the shared cache: a stored verdict
// for the same key is returned as a hit; otherwise the code is evaluated
// fresh and, when the verdict is storable, stored. Without
// Config.CacheDir it is evaluate.
func (e *Evaluator) evaluateStored(ctx context.Context, p *datasets.Problem, code string) (Outcome, error) {
	origin := originOf(ctx)
	if e.cfg.CacheDir == "" || e.storeUnsafe() != nil {
		out, err := e.evaluate(ctx, p, code)
		out.Origin = origin
		return out, err
	}
	parts := e.storeParts(p, code)
	key := storeKey(parts)
	if out, ok := e.stored(key); ok {
		return out, nil
	}
	unlock, err := e.lockKey(ctx, key)
	if err != nil {
		return Outcome{}, err
	}
	defer unlock()
	if out, ok := e.stored(key); ok {
		return out, nil
	}
	out, err := e.evaluate(ctx, p, code)
	out.Origin = origin
	if err != nil || ctx.Err() != nil || !e.storable(out) {
		return out, err
	}
	en := storeEntry{Format: storeFormat, Key: key, Parts: parts, Stored: time.Now().UTC(), Origin: origin, Outcome: out}
	en.Outcome.CodeHash = e.Hash(p, code)
	if werr := e.writeEntry(en); werr != nil {
		// The verdict stands; only its reuse is lost.
		e.storeErrs.Add(1)
	}
	return out, nil
}

// storeUnsafe says why the shared cache must not be used, nil when it
// may: a candidate must not be able to write an entry that a later
// evaluation would trust. So the candidate runs either as another user
// than lessonl's or in a private filesystem view, and the cache's folder
// is lessonl's user's own and writable by no one else (not a folder a
// candidate made in a shared /tmp before lessonl did).
func (e *Evaluator) storeUnsafe() error {
	e.storeOnce.Do(func() {
		if e.sandbox.Enforced()["user"] == "not enforced" && !e.sandbox.PrivateFilesystem() {
			e.storeErr = errors.New("candidates run as lessonl's own user with the whole filesystem visible, so they could write entries")
			return
		}
		dir := filepath.Join(e.cfg.CacheDir, storeFormat)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			e.storeErr = err
			return
		}
		for _, d := range []string{e.cfg.CacheDir, dir} {
			if err := ownFolder(d); err != nil {
				e.storeErr = err
				return
			}
		}
	})
	return e.storeErr
}

// ownFolder is nil when d is this user's own folder, writable by it alone.
func ownFolder(d string) error {
	fi, err := os.Stat(d)
	if err != nil {
		return err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || int(st.Uid) != os.Getuid() || fi.Mode().Perm()&0o022 != 0 || !fi.IsDir() {
		return fmt.Errorf("%s is not this user's own folder, writable by it alone", d)
	}
	return nil
}

// StoreUnusable says why the shared evaluation cache is not used (nil
// when it is, or when Config.CacheDir is "").
func (e *Evaluator) StoreUnusable() error {
	if e.cfg.CacheDir == "" {
		return nil
	}
	return e.storeUnsafe()
}

// stored returns key's stored outcome as a hit.
func (e *Evaluator) stored(key string) (Outcome, bool) {
	en, ok := e.readEntry(key)
	if !ok {
		return Outcome{}, false
	}
	out := en.Outcome
	out.Cached, out.CacheHit, out.Origin = true, HitStore, en.Origin
	out.CompileMS, out.RunMS, out.CheckMS = 0, 0, 0
	return out, true
}

// StoreErrors is how many storable verdicts could not be written to the
// shared cache (a full disk, a read-only folder).
func (e *Evaluator) StoreErrors() int64 { return e.storeErrs.Load() }
