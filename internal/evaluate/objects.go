package evaluate

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// The object cache keeps what a problem's own build makes, the harness's
// side of every evaluation: the driver's, the baseline's and the helpers'
// objects and the baseline's timed binary, and the checked build's
// objects. They take most of a problem's first evaluation (a ParEval
// driver compiles in about 5 s, and in 13 s with the sanitizers), and they
// depend only on the sources written to the problem's folder, the
// compiler and its flags, which their key hashes. A hit copies the files
// into the problem's folder, where the build would have written them, so
// that nothing after the build can tell the two apart: the same bytes are
// linked and run.
//
// The cache is trusted as the harness's own files are, so only lessonl
// writes it: the folder must be lessonl's user's own and writable by it
// alone (as the shared evaluation cache's, store.go), and files are
// stored only when no sandboxed process can have written in the problem's
// folder before they were copied (sandbox.FoldersApart): there, only the
// compiler and the baseline's own code run.

// objectFormat is the object cache's layout version, the name of its
// folder under the cache's.
const objectFormat = "objects-v1"

// ObjectDir is the object cache's folder in the cache folder cacheDir
// (DefaultCacheDir, Config.CacheDir); "" when cacheDir is "".
func ObjectDir(cacheDir string) string {
	if cacheDir == "" {
		return ""
	}
	return filepath.Join(cacheDir, objectFormat)
}

// objectCache is an Evaluator's use of the object cache.
type objectCache struct {
	dir  string // "" when off
	once sync.Once
	err  error // why the cache is not used
}

// ShareObjects keeps problems' built objects in dir (an object cache
// shared by every lessonl process of the user), and takes them from there
// instead of building them again; "" turns that off. An evaluator with a
// Config.CacheDir shares objects below it unless told otherwise. Call it
// before the first evaluation.
func (e *Evaluator) ShareObjects(dir string) {
	e.objects.dir = dir
}

// ObjectsUnusable says why the object cache is not used, nil when it is
// or when none was asked for.
func (e *Evaluator) ObjectsUnusable() error {
	if e.objects.dir == "" {
		return nil
	}
	return e.objectsUnsafe()
}

// objectsUnsafe is nil when the object cache may be read and written.
func (e *Evaluator) objectsUnsafe() error {
	c := &e.objects
	c.once.Do(func() {
		if c.dir == "" {
			c.err = errors.New("no object cache")
			return
		}
		if !e.sandbox.FoldersApart() {
			c.err = errors.New("sandboxed processes could write in a problem's folder before its objects are stored")
			return
		}
		if err := os.MkdirAll(c.dir, 0o755); err != nil {
			c.err = fmt.Errorf("object cache: %w", err)
			return
		}
		for _, d := range []string{filepath.Dir(c.dir), c.dir} {
			if err := ownFolder(d); err != nil {
				c.err = fmt.Errorf("object cache: %w", err)
				return
			}
		}
	})
	return c.err
}

// objectKey names the set of files outputs built from the sources whose
// hash is sources with flags by the evaluator's compiler.
func (e *Evaluator) objectKey(sources string, flags, outputs []string) string {
	h := sha256.New()
	for _, part := range []string{objectFormat, compilerVersion(e.cfg.Compiler), e.cfg.Compiler,
		strings.Join(flags, "\x01"), sources, strings.Join(outputs, "\x01")} {
		fmt.Fprintf(h, "%d\x00%s\x00", len(part), part)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// reuseObjects copies the files names of key's entry into dst and
// reports whether it could copy them all (false: build them).
func (e *Evaluator) reuseObjects(key, dst string, names []string) bool {
	if e.objectsUnsafe() != nil {
		return false
	}
	src := filepath.Join(e.objects.dir, key)
	for _, name := range names {
		if err := copyFile(filepath.Join(src, name), filepath.Join(dst, name), false); err != nil {
			for _, n := range names {
				os.Remove(filepath.Join(dst, n))
			}
			return false
		}
	}
	e.counts.reused.Add(1)
	return true
}

// keepObjects stores the files names of src as key's entry: copied into
// a temporary folder of the cache, then renamed into place, so that a
// reader sees the whole entry or none. An entry another process stored
// meanwhile stays. Failing to store costs only the reuse.
func (e *Evaluator) keepObjects(key, src string, names []string) {
	if e.objectsUnsafe() != nil {
		return
	}
	tmp, err := os.MkdirTemp(e.objects.dir, ".tmp-")
	if err != nil {
		return
	}
	defer os.RemoveAll(tmp)
	if err := os.Chmod(tmp, 0o755); err != nil {
		return
	}
	for _, name := range names {
		if err := copyFile(filepath.Join(src, name), filepath.Join(tmp, name), true); err != nil {
			return
		}
	}
	_ = os.Rename(tmp, filepath.Join(e.objects.dir, key))
}

// copyFile copies src to dst (replacing it) with src's permission bits
// but for group and others' write; with sync, the copy is on disk before
// it returns (a torn object would fail the link of a candidate that did
// nothing wrong).
func copyFile(src, dst string, sync bool) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", src)
	}
	os.Remove(dst)
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, fi.Mode().Perm()&^0o022)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if sync && err == nil {
		err = out.Sync()
	}
	return errors.Join(err, out.Close())
}
