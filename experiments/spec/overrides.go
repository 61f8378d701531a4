package spec

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Overrides narrow a spec for a small trial from the command line,
// without a copied and edited spec file: which problems, how many, which
// seeds, which strategies. Zero fields change nothing.
type Overrides struct {
	Problems   []string
	Limit      int
	Seeds      []int64
	Strategies []string
}

// Empty reports whether o changes nothing.
func (o Overrides) Empty() bool {
	return len(o.Problems) == 0 && o.Limit == 0 && len(o.Seeds) == 0 && len(o.Strategies) == 0
}

// Strings are the overrides as command-line flags, for the manifest.
func (o Overrides) Strings() []string {
	var out []string
	if len(o.Problems) > 0 {
		out = append(out, "--problems "+strings.Join(o.Problems, ","))
	}
	if o.Limit != 0 {
		out = append(out, "--limit "+strconv.Itoa(o.Limit))
	}
	if len(o.Seeds) > 0 {
		s := make([]string, len(o.Seeds))
		for i, sd := range o.Seeds {
			s[i] = strconv.FormatInt(sd, 10)
		}
		out = append(out, "--seeds "+strings.Join(s, ","))
	}
	if len(o.Strategies) > 0 {
		out = append(out, "--strategies "+strings.Join(o.Strategies, ","))
	}
	return out
}

// hashed is the spec text a run with these overrides records: the file
// as given plus a comment naming the overrides, so that the spec hash
// says the run differs from the file's and a resume must repeat them.
func (o Overrides) Hashed(raw []byte) []byte {
	if o.Empty() {
		return raw
	}
	out := append([]byte{}, raw...)
	if len(out) > 0 && out[len(out)-1] != '\n' {
		out = append(out, '\n')
	}
	return append(out, fmt.Sprintf("# lessonl run overrides: %s\n", strings.Join(o.Strings(), " "))...)
}

// Apply narrows s by o. Unknown strategy names and bad values are errors
// naming the flag.
func (s *Spec) Apply(o Overrides) error {
	if o.Limit < 0 {
		return fmt.Errorf("--limit: must not be negative, got %d", o.Limit)
	}
	if len(o.Problems) > 0 {
		s.Dataset.Problems = o.Problems
	}
	if o.Limit > 0 {
		s.Dataset.Limit = o.Limit
	}
	if len(o.Seeds) > 0 {
		seen := map[int64]bool{}
		for _, sd := range o.Seeds {
			if seen[sd] {
				return fmt.Errorf("--seeds: seed %d appears twice", sd)
			}
			seen[sd] = true
		}
		s.Seeds = o.Seeds
	}
	if len(o.Strategies) > 0 {
		var names []string
		for _, st := range s.Strategies {
			names = append(names, st.Name)
		}
		for _, n := range o.Strategies {
			if !slices.Contains(names, n) {
				return fmt.Errorf("--strategies: %s", unknownName("strategy", n, names, ""))
			}
		}
		var keep []StrategySpec
		for _, st := range s.Strategies {
			if slices.Contains(o.Strategies, st.Name) {
				keep = append(keep, st)
			}
		}
		s.Strategies = keep
		for name := range s.Matrix {
			if !slices.Contains(o.Strategies, name) {
				delete(s.Matrix, name)
			}
		}
	}
	return nil
}
