// Package cxx reads just enough C++ source for lessonl to handle problems
// and candidates as text: it blanks comments, literals and preprocessor
// lines (Blank) so that a scan for braces, loops or semicolons sees only
// code, matches brackets, finds the file-scope struct and class
// definitions (Types, TypeSpan, Defines) and a function's declaration
// (Signature).
//
// It is no parser: it knows file scope by brace depth and a definition by
// its head, which is what the built-in suite, the ParEval bridge, the
// evaluator's namespace wrapping and the sim's rewrites need. It sits below
// datasets and the evaluators and imports nothing of lessonl.
package cxx
