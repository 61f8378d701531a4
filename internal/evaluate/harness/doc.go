// Package harness embeds lessonl.hpp, the C++ header every problem driver
// includes: the seeded generator, output comparisons, and the main loop that
// validates and times baseline and candidate in one process.
package harness

import _ "embed"

// Header is the text of lessonl.hpp.
//
//go:embed lessonl.hpp
var Header string

// HeaderName is the file name drivers include.
const HeaderName = "lessonl.hpp"
