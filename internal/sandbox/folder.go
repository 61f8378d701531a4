package sandbox

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// defaultFolderCap is the size of a candidate's folder: a tmpfs of its own
// (Sandbox.Owner), far above what a compile and its binaries take.
const defaultFolderCap = 256 << 20

// folder is a folder handed to Owner: the user its processes run as and
// how it was set up.
type folder struct {
	uid, gid uint32
	lease    *uidLease // the user's lock in the machine-wide registry
	mounted  bool      // a tmpfs of the sandbox's folder cap
}

// folderSource names the tmpfs of this lessonl process's folders in
// /proc/self/mountinfo, so that a later process can find and remove those
// of one that died (sweepFolders).
func folderSource(pid int) string { return "lessonl-folder-" + strconv.Itoa(pid) }

// Owner makes dir a sandbox folder: with per-folder users it takes a user
// no other folder on the machine holds (uidRegistry) and a group of the
// same id; when it can mount, dir becomes a tmpfs of the sandbox's folder
// cap (its contents so far are kept), so that a candidate cannot fill the
// disk and every byte it stores counts in memory it is charged for. Every
// process run in dir, or below it, takes that user (credFor). Release
// undoes it.
func (s *Sandbox) Owner(dir string) error {
	if s.cred == nil {
		return nil
	}
	dir = filepath.Clean(dir)
	s.mu.Lock()
	f, ok := s.folders[dir]
	s.mu.Unlock()
	if ok {
		return nil
	}
	s.forgetRemoved()
	f = &folder{uid: s.cred.Uid, gid: s.cred.Gid}
	if s.uids != nil {
		l, err := s.uids.acquire()
		if err != nil {
			return err
		}
		f.lease, f.uid, f.gid = l, l.uid, l.uid
	}
	if s.folderCap > 0 {
		if err := mountFolder(dir, s.folderCap); err != nil {
			f.lease.release()
			return err
		}
		f.mounted = true
	}
	s.mu.Lock()
	s.folders[dir] = f
	s.mu.Unlock()
	return s.chownFolder(dir, f)
}

// chownFolder gives dir to f's user.
func (s *Sandbox) chownFolder(dir string, f *folder) error {
	if err := os.Chown(dir, int(f.uid), int(f.gid)); err != nil {
		return fmt.Errorf("sandbox folder: %w", err)
	}
	return nil
}

// mountFolder mounts a tmpfs of size bytes on dir, keeping what dir held
// (a caller may write its files before handing the folder over).
func mountFolder(dir string, size int64) error {
	st, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("sandbox folder: %w", err)
	}
	kept, err := readTree(dir)
	if err != nil {
		return fmt.Errorf("sandbox folder: %w", err)
	}
	opts := fmt.Sprintf("size=%d,mode=%o,nr_inodes=65536", size, st.Mode().Perm())
	if err := unix.Mount(folderSource(os.Getpid()), dir, "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, opts); err != nil {
		return fmt.Errorf("sandbox folder: mount a tmpfs on %s: %w", dir, err)
	}
	for _, e := range kept {
		p := filepath.Join(dir, e.rel)
		var err error
		if e.dir {
			err = os.Mkdir(p, e.mode)
		} else {
			err = os.WriteFile(p, e.data, e.mode)
		}
		if err != nil {
			unmountFolder(dir)
			return fmt.Errorf("sandbox folder: %w", err)
		}
	}
	return nil
}

// treeEntry is a file or folder of a tree read by readTree.
type treeEntry struct {
	rel  string
	dir  bool
	mode fs.FileMode
	data []byte
}

// readTree reads the regular files and folders under dir, parents first.
func readTree(dir string) ([]treeEntry, error) {
	var out []treeEntry
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || path == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			out = append(out, treeEntry{rel: rel, dir: true, mode: info.Mode().Perm()})
		case d.Type().IsRegular():
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			out = append(out, treeEntry{rel: rel, mode: info.Mode().Perm(), data: b})
		}
		return nil
	})
	return out, err
}

func unmountFolder(dir string) {
	_ = unix.Unmount(dir, unix.MNT_DETACH)
}

// Release ends dir as a sandbox folder: it removes dir and everything in
// it (unmounting its tmpfs) and gives its user back to the registry. On a
// folder never handed to Owner it is os.RemoveAll.
func (s *Sandbox) Release(dir string) error {
	dir = filepath.Clean(dir)
	s.mu.Lock()
	f := s.folders[dir]
	delete(s.folders, dir)
	s.shared = deleteString(s.shared, dir)
	s.mu.Unlock()
	if f != nil && f.mounted {
		unmountFolder(dir)
	}
	err := os.RemoveAll(dir)
	if f != nil {
		f.lease.release()
	}
	return err
}

// Close releases every folder still held; the Sandbox must not be used
// after.
func (s *Sandbox) Close() error {
	s.mu.Lock()
	dirs := make([]string, 0, len(s.folders))
	for d := range s.folders {
		dirs = append(dirs, d)
	}
	s.mu.Unlock()
	var errs []error
	for _, d := range dirs {
		errs = append(errs, s.Release(d))
	}
	return errors.Join(errs...)
}

// forgetRemoved drops the folders a caller removed without Release
// (their users go back to the registry).
func (s *Sandbox) forgetRemoved() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for d, f := range s.folders {
		if _, err := os.Lstat(d); errors.Is(err, os.ErrNotExist) {
			f.lease.release()
			delete(s.folders, d)
		}
	}
}

// Share makes dir, a folder of the harness's own files (a problem's
// built driver and baseline), readable by every sandboxed process: it is
// bound read-only into every filesystem view.
func (s *Sandbox) Share(dir string) {
	dir = filepath.Clean(dir)
	s.mu.Lock()
	defer s.mu.Unlock()
	if !contains(s.shared, dir) {
		s.shared = append(s.shared, dir)
	}
}

// sharedFor are the shared folders a process run in dir sees read-only.
func (s *Sandbox) sharedFor(dir string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, d := range s.shared {
		if d == dir || within(dir, d) || within(d, dir) {
			continue
		}
		out = append(out, d)
	}
	return out
}

// within reports whether path lies strictly below dir.
func within(path, dir string) bool {
	return strings.HasPrefix(path, dir+string(filepath.Separator))
}

// folderOf is the sandbox folder dir lies in (dir itself or the closest
// one above it), "" and nil when none.
func (s *Sandbox) folderOf(dir string) (string, *folder) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		if f, ok := s.folders[d]; ok {
			return d, f
		}
		if d == filepath.Dir(d) {
			return "", nil
		}
	}
}

// seal protects what the harness relies on in folder dir before a
// process starts there: every executable file (the linked driver
// binaries) becomes root's and read-only, and dir becomes root's and
// sticky (its user keeps writing through its group), so the process can
// neither change, rename nor remove an executable or a file the harness
// wrote (sources, harness.py: root's already). Files it creates itself
// are its own, and data files stay writable by the folder's user from one
// process to the next. Files are opened without following symbolic links
// and changed through their descriptors, so a link the candidate left
// cannot make root change a file elsewhere.
func (s *Sandbox) seal(dir string) error {
	root, f := s.folderOf(dir)
	if f == nil || s.cred == nil {
		return nil
	}
	ents, err := os.ReadDir(root)
	if err != nil {
		return fmt.Errorf("seal %s: %w", root, err)
	}
	for _, e := range ents {
		if !e.Type().IsRegular() {
			continue
		}
		if err := sealFile(filepath.Join(root, e.Name())); err != nil {
			return err
		}
	}
	st, err := os.Stat(root)
	if err != nil {
		return fmt.Errorf("seal %s: %w", root, err)
	}
	sys := st.Sys().(*syscall.Stat_t)
	mode := st.Mode().Perm()&0o007 | 0o770 | os.ModeSticky
	if sys.Uid != 0 || sys.Gid != f.gid {
		if err := os.Chown(root, 0, int(f.gid)); err != nil {
			return fmt.Errorf("seal %s: %w", root, err)
		}
	}
	if st.Mode()&(os.ModePerm|os.ModeSticky) != mode {
		if err := os.Chmod(root, mode); err != nil {
			return fmt.Errorf("seal %s: %w", root, err)
		}
	}
	return nil
}

// sealFile makes the executable regular file at path root's and
// read-only.
func sealFile(path string) error {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC|unix.O_NOCTTY, 0)
	if err != nil {
		if errors.Is(err, unix.ELOOP) || errors.Is(err, unix.ENOENT) {
			return nil
		}
		return fmt.Errorf("seal %s: %w", path, err)
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return fmt.Errorf("seal %s: %w", path, err)
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG || st.Mode&0o111 == 0 || st.Uid == 0 && st.Mode&0o222 == 0 {
		return nil
	}
	if err := unix.Fchown(fd, 0, 0); err != nil {
		return fmt.Errorf("seal %s: %w", path, err)
	}
	if err := unix.Fchmod(fd, st.Mode&0o555); err != nil {
		return fmt.Errorf("seal %s: %w", path, err)
	}
	return nil
}

// folderFull reports whether the tmpfs of folder dir has no room left.
func folderFull(dir string) bool {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return false
	}
	return st.Bavail == 0
}

// sweepFolders unmounts and removes the folders of lessonl processes that
// died before they could release them.
func sweepFolders() {
	for _, m := range mounts() {
		pid, ok := strings.CutPrefix(m.source, "lessonl-folder-")
		if !ok || m.fstype != "tmpfs" {
			continue
		}
		n, err := strconv.Atoi(pid)
		if err != nil || n == os.Getpid() || alive(n) {
			continue
		}
		unmountFolder(m.point)
		os.RemoveAll(m.point)
	}
}

func deleteString(list []string, s string) []string {
	out := list[:0]
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}
