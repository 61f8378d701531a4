package main

import (
	"os"
	"testing"
)

// TestMain keeps the package's tests off the user's shared evaluation
// cache: a test that wants the cache names its own folder (cache_dir).
func TestMain(m *testing.M) {
	os.Setenv("LESSONL_CACHE", "off")
	os.Exit(m.Run())
}
