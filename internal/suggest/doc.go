// Package suggest finds the did-you-mean for a name that matches none of
// a list (a strategy, a problem, an agent): the listed name fewest edits
// away (Levenshtein distance over runes), offered only when it is near
// enough that a typo is the likely cause. The spec's validation and
// analysis's name lookup both ask it, so a mistyped name gets the same
// suggestion wherever it is typed.
package suggest
