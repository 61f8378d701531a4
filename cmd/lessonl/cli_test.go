package main

import (
	"strings"
	"testing"
)

// testLog is an io.Writer onto the test's log, for what a command prints
// that the test does not check.
type testLog struct{ t testing.TB }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Helper()
	l.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
