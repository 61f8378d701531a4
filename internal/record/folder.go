package record

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"time"
)

// SpecFile is the name of the spec's copy in a run folder.
const SpecFile = "spec.yaml"

// Opening says how a process starts, resumes or joins the run in a folder.
type Opening struct {
	// Spec is the spec file's text as run (with the command line's
	// overrides); its sha256 (SpecHash) identifies the run, and a new
	// folder keeps it as spec.yaml.
	Spec []byte
	// Resume continues the run already in the folder.
	Resume bool
	// Shard is "i/n" when this process runs one shard of the run, ""
	// when it runs them all.
	Shard string
	// New is the manifest of a new folder, given the spec hash; Open
	// sets its state and adds the shard.
	New func(specHash string) Manifest
	// Each, when set, changes the manifest every time a process opens
	// the folder (e.g. to add what a folder from an older version lacks).
	Each func(m *Manifest)
}

// SpecHash is the hex sha256 of a spec's text: the identity of its run.
func SpecHash(raw []byte) string {
	h := sha256.Sum256(raw)
	return hex.EncodeToString(h[:])
}

// OpenRunFolder prepares dir for a run of o.Spec: a new folder gets
// spec.yaml and a manifest; an existing one is refused unless resuming or
// adding a shard with the same spec, so a run never mixes the records of
// two specs. Shards starting at once (a Slurm array) update the manifest
// under a lock (see UpdateManifest).
func OpenRunFolder(dir string, o Opening) error {
	specHash := SpecHash(o.Spec)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("run folder: %w", err)
	}
	return UpdateManifest(dir, func(m *Manifest, exists bool) error {
		switch {
		case exists && m.SpecHash != specHash:
			return fmt.Errorf("run folder %s holds a run of another spec (hash %.12s, this one %.12s); choose another --out", dir, m.SpecHash, specHash)
		case exists && m.SchemaVersion != SchemaVersion:
			return fmt.Errorf("run folder %s holds records of schema version %d, this lessonl writes version %d; choose another --out", dir, m.SchemaVersion, SchemaVersion)
		case exists && !o.Resume && o.Shard == "":
			return fmt.Errorf("run folder %s already holds this run; add --resume to finish it, or choose another --out", dir)
		case !exists && o.Resume:
			return fmt.Errorf("resume: %s holds no run (no %s)", dir, ManifestFile)
		case !exists:
			if err := os.WriteFile(filepath.Join(dir, SpecFile), o.Spec, 0o644); err != nil {
				return fmt.Errorf("run folder: %w", err)
			}
			*m = o.New(specHash)
		}
		if o.Each != nil {
			o.Each(m)
		}
		if o.Shard != "" && !slices.Contains(m.Shards, o.Shard) {
			m.Shards = append(m.Shards, o.Shard)
		}
		m.Ended, m.State = time.Time{}, StateRunning
		return nil
	})
}

// CheckResume refuses to resume a run folder with damaged parts: a cell
// whose results part was cut short still has its cells part, and a resume
// would skip it. The error names the parts and the repair. A folder
// without a manifest passes (OpenRunFolder says what is wrong).
func CheckResume(dir string) error {
	if _, err := os.Stat(filepath.Join(dir, ManifestFile)); err != nil {
		return nil
	}
	rep, err := Check(dir)
	if err != nil {
		return fmt.Errorf("resume: %w", err)
	}
	if len(rep.Faults) == 0 {
		return nil
	}
	return fmt.Errorf("resume: %s holds %d damaged parts in %d cells (first: %s); `lessonl check --repair %s` moves those cells aside, then resume again to redo them",
		dir, len(rep.Faults), len(rep.Cells()), rep.Faults[0], dir)
}

// UpdateManifest reads dir's manifest, lets f change it, and writes it
// back, holding an flock on the folder itself (no lock file is left behind)
// so concurrent shards do not lose each other's changes. f gets an empty
// manifest and exists false when the folder has none yet.
func UpdateManifest(dir string, f func(m *Manifest, exists bool) error) error {
	lock, err := lockFolder(dir)
	if err != nil {
		return fmt.Errorf("lock run folder: %w", err)
	}
	defer lock.Close()
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
	m, err := ReadManifest(dir)
	exists := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if m == nil {
		m = &Manifest{}
	}
	if err := f(m, exists); err != nil {
		return err
	}
	return WriteManifest(dir, m)
}

// lockFolder takes an exclusive flock on the folder itself, which leaves
// nothing behind; where the file system does not lock folders (NFS emulates
// flock with write locks, which a folder opened for reading cannot take),
// it locks the file .lessonl.lock in it instead, on every shard alike.
func lockFolder(dir string) (*os.File, error) {
	d, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	if syscall.Flock(int(d.Fd()), syscall.LOCK_EX) == nil {
		return d, nil
	}
	d.Close()
	f, err := os.OpenFile(filepath.Join(dir, ".lessonl.lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// CloseRunFolder stamps the end time and the run's state from the cells
// recorded in dir (interrupted when this process was stopped before every
// cell was recorded) and adds replay, this process's replay counts (nil
// without replay agents), to the manifest's.
func CloseRunFolder(dir string, interrupted bool, replay *ReplayCounts) error {
	cells, err := Read[Cell](dir, TableCells)
	if err != nil {
		return fmt.Errorf("finish manifest: %w", err)
	}
	return UpdateManifest(dir, func(m *Manifest, _ bool) error {
		m.Ended = time.Now().UTC()
		m.State = ""
		st := StateOf(m, cells)
		m.Done, m.Failed = st.Done, st.Failed
		m.State = Settled(m.Cells, st.Done, st.Failed)
		if interrupted && m.State != StateComplete {
			m.State = StateInterrupted
		}
		if replay != nil {
			if m.Replay == nil {
				m.Replay = &ReplayCounts{}
			}
			m.Replay.Answered += replay.Answered
			m.Replay.Differed += replay.Differed
			m.Replay.Misses += replay.Misses
			m.Replay.Differences = append(m.Replay.Differences, replay.Differences...)
		}
		return nil
	})
}

// MergeManifests writes out's manifest from the manifests of dirs: the
// union of their shards, the earliest start and the latest end. Runs of
// different specs are refused.
func MergeManifests(out string, dirs ...string) error {
	var m *Manifest
	for _, d := range dirs {
		dm, err := ReadManifest(d)
		if err != nil {
			return err
		}
		if m == nil {
			cp := *dm
			m = &cp
			continue
		}
		if dm.SpecHash != m.SpecHash {
			return fmt.Errorf("merge: %s is a run of another spec (hash %.12s, not %.12s)", d, dm.SpecHash, m.SpecHash)
		}
		for _, s := range dm.Shards {
			if !slices.Contains(m.Shards, s) {
				m.Shards = append(m.Shards, s)
			}
		}
		if dm.Started.Before(m.Started) {
			m.Started = dm.Started
		}
		if dm.Ended.After(m.Ended) {
			m.Ended = dm.Ended
		}
	}
	if m == nil {
		return fmt.Errorf("merge: no run folders")
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if b, err := os.ReadFile(filepath.Join(dirs[0], SpecFile)); err == nil {
		os.WriteFile(filepath.Join(out, SpecFile), b, 0o644)
	}
	return WriteManifest(out, m)
}
