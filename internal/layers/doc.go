// Package layers holds no code: its test keeps lessonl's lower packages
// below the ones that use them (C++ source reading and the sandbox import
// nothing of lessonl; the Python evaluator does not import the C++ one).
// A new rule is a row of its table.
package layers
