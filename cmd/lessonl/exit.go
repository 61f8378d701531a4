package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"
)

// The exit statuses of lessonl, as a test runner's: 0 when the command did
// what was asked (for eval: the verdict is correct or passed), 1 for any
// other outcome or failure, 2 for a usage error (an unknown flag, a
// missing argument), 130 after Ctrl-C.
const (
	exitFailure     = 1
	exitUsage       = 2
	exitInterrupted = 130
)

// usageError is a command line the command cannot run: wrong arguments or
// flags. main exits 2 on it.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// usageErr returns a usageError with the message format makes.
func usageErr(format string, a ...any) error {
	return usageError{fmt.Errorf(format, a...)}
}

// verdictError is a command that ran to its end with a verdict that is
// not a pass (eval of a candidate that does not compile, say): the verdict
// is printed, and main exits 1 without more.
type verdictError struct{ verdict string }

func (e verdictError) Error() string { return "verdict " + e.verdict }

// exitStatus is the status main exits with after err.
func exitStatus(err error) int {
	var u usageError
	if errors.As(err, &u) || isCLIUsage(err) {
		return exitUsage
	}
	return exitFailure
}

// isCLIUsage reports whether err is urfave/cli's own complaint about the
// command line: a required flag that was not given (cli exports no type
// for it; its message is fixed).
func isCLIUsage(err error) bool {
	msg := err.Error()
	return strings.HasPrefix(msg, "Required flag") || strings.HasPrefix(msg, "Required flags")
}

// markUsageErrors makes every command's flag-parsing error a usageError.
func markUsageErrors(cmds []*cli.Command) {
	for _, c := range cmds {
		if c.OnUsageError == nil {
			c.OnUsageError = func(cc *cli.Context, err error, _ bool) error {
				fmt.Fprintf(cc.App.ErrWriter, "Incorrect usage: %v (see lessonl %s --help)\n", err, c.Name)
				return usageError{err}
			}
		}
		markUsageErrors(c.Subcommands)
	}
}
