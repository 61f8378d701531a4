package stats

import (
	"errors"
	"fmt"
	"strings"
)

// The kinds of warning a result can carry; each warning wraps one of them
// (test with errors.Is).
var (
	// ErrSmallN: too few observations for the result to say much: a test
	// that can never reach significance, an interval over fewer than
	// MinIntervalN groups.
	ErrSmallN = errors.New("small n")
	// ErrTies: tied (or zero) values; the test used its normal
	// approximation with the tie correction instead of the exact
	// distribution.
	ErrTies = errors.New("ties")
	// ErrDegenerate: every resample gave the same value, so the interval is
	// a point and says nothing of the uncertainty.
	ErrDegenerate = errors.New("degenerate interval")
)

// Alpha is the significance level of lessonl's tests.
const Alpha = 0.05

// MinIntervalN is the fewest groups (problems) over which lessonl shows a
// bootstrap interval; below it a table shows n instead.
const MinIntervalN = 3

func warnf(kind error, format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{kind}, args...)...)
}

// Messages are warnings' texts, for records that hold strings (JSON).
func Messages(warnings []error) []string {
	if len(warnings) == 0 {
		return nil
	}
	out := make([]string, len(warnings))
	for i, w := range warnings {
		out[i] = w.Error()
	}
	return out
}

// HasMessage reports whether any of msgs, warnings' texts (Messages), is
// of kind.
func HasMessage(msgs []string, kind error) bool {
	for _, m := range msgs {
		if strings.HasPrefix(m, kind.Error()+":") {
			return true
		}
	}
	return false
}

// Has reports whether any of warnings is of kind.
func Has(warnings []error, kind error) bool {
	for _, w := range warnings {
		if errors.Is(w, kind) {
			return true
		}
	}
	return false
}
