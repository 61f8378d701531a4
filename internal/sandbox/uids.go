package sandbox

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// The users of per-folder sandboxes: far above the ids of real accounts
// (LDAP sites hand out ids well below 2³¹), never in /etc/passwd, so a
// candidate owns nothing outside its folder.
const (
	uidFloor = 3_000_000_000
	uidSpan  = 1 << 16
)

// uidRegistryDir is where every lessonl process on the machine takes its
// sandbox users: one lock file per user id, held with flock for as long
// as a folder runs as that user. /run is private to root, which is the
// only case with per-folder users at all.
const uidRegistryDir = "/run/lessonl/uids"

// uidRegistry hands out the users of per-folder sandboxes so that no two
// folders on the machine share one, whichever lessonl process made them:
// a user is taken by an exclusive flock on its lock file in dir, held
// until the folder is released. The kernel drops the lock when the
// process holding it dies, so a crashed lessonl frees its users without
// any bookkeeping, and two processes (or two registries in one process:
// flock locks belong to the open file) can never hold the same one.
type uidRegistry struct {
	dir  string
	base uint32
	span uint32
}

// newUIDRegistry makes dir (private to its owner) and returns the
// registry of ids [base, base+span) kept there.
func newUIDRegistry(dir string, base, span uint32) (*uidRegistry, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("uid registry: %w", err)
	}
	return &uidRegistry{dir: dir, base: base, span: span}, nil
}

// uidLease is one user taken from a registry; release gives it back.
type uidLease struct {
	uid uint32
	f   *os.File
}

// acquire takes a user no one else on the machine holds, starting the
// search at a random id so that concurrent processes rarely contend.
func (r *uidRegistry) acquire() (*uidLease, error) {
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, fmt.Errorf("uid registry: %w", err)
	}
	start := binary.LittleEndian.Uint32(b[:]) % r.span
	for i := uint32(0); i < r.span; i++ {
		uid := r.base + (start+i)%r.span
		path := filepath.Join(r.dir, strconv.FormatUint(uint64(uid), 10))
		f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR|syscall.O_CLOEXEC, 0o600)
		if err != nil {
			return nil, fmt.Errorf("uid registry: %w", err)
		}
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return &uidLease{uid: uid, f: f}, nil
		}
		f.Close()
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("uid registry %s: %w", path, err)
		}
	}
	return nil, fmt.Errorf("uid registry %s: all %d users are taken", r.dir, r.span)
}

// release gives the user back.
func (l *uidLease) release() {
	if l == nil || l.f == nil {
		return
	}
	_ = syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	l.f.Close()
	l.f = nil
}
