package experiments

import (
	"fmt"
	"runtime/debug"
)

// Build is what the running binary knows of its own build: the module
// version and the VCS revision it was built from, and whether that
// checkout had uncommitted changes. Every manifest carries it.
type Build struct {
	Version  string // module version, "(devel)" for a build inside the checkout
	Revision string // vcs.revision; "" when built without VCS information
	Time     string // vcs.time
	Modified bool   // vcs.modified: the checkout had uncommitted changes
	Go       string // the Go version that built it
}

// ReadBuild reads the binary's build information
// (runtime/debug.ReadBuildInfo); a binary without any gives a zero Build.
func ReadBuild() Build {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return Build{}
	}
	b := Build{Version: bi.Main.Version, Go: bi.GoVersion}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Revision = s.Value
		case "vcs.time":
			b.Time = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		}
	}
	return b
}

// String is one line: version, revision (with "+dirty" for a modified
// checkout), commit time and Go version.
func (b Build) String() string {
	v := b.Version
	if v == "" {
		v = "unknown"
	}
	rev := b.Revision
	switch {
	case rev == "":
		rev = "no VCS revision"
	case b.Modified:
		rev += "+dirty"
	}
	s := fmt.Sprintf("%s (%s", v, rev)
	if b.Time != "" {
		s += ", " + b.Time
	}
	if b.Go != "" {
		s += ", " + b.Go
	}
	return s + ")"
}
