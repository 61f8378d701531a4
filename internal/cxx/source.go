package cxx

import "embed"

// Source is this package's own code. The evaluator's shared cache hashes
// it into every key, so that a lessonl whose cxx changed never reuses a
// verdict reached under the old one.
//
//go:embed *.go
var Source embed.FS
