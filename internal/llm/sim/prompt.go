package sim

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// This file holds what the cue reader (cues.go) builds on: outcomes and
// how model-written words report them,
// evidence and its factors, which techniques a text names or which note
// it retells, and code similarity. The rules are documented in doc.go.

// outcome is what a text reports about a technique.
type outcome int

const (
	noOutcome outcome = iota
	significant
	slight
	degrades
	notEquivalent
	notCompilable
)

var (
	reNotCompile = regexp.MustCompile(`(?i)non-compilable|not compil|(does not|doesn't|did not|didn't|fails? to|failed to|won't|cannot|can't) (even )?compile|compil(e|ation|er) error`)
	reNotEquiv   = regexp.MustCompile(`(?i)compromis\w* (code |the )?equivalence|not (functionally )?equivalent|broke the equivalence|incorrect|wrong (result|output|answer)|(does not|doesn't|did not|didn't) (compute|produce|give|return) the same|crash|runs? out of time|time[sd]? out|fail(s|ed)? (validation|the tests?)`)
	reSpeed      = regexp.MustCompile(`(?i)(\d+(?:\.\d+)?)\s*(?:x|×)(?:[^0-9a-z]|$)`)
	reDegrade    = regexp.MustCompile(`(?i)degrad|slower|slows? (it |the code )?down|regress`)
	reSlight     = regexp.MustCompile(`(?i)\bslight|marginal`)
	reImprove    = regexp.MustCompile(`(?i)improv|faster|speed-?ups?\b|speeds? (it |the code )?up|sped up`)
)

// outcomeOf reads the outcome a line of text reports: failures first,
// then a measured speedup ("1.04x"), then words.
func outcomeOf(text string) (outcome, float64) {
	switch {
	case reNotCompile.MatchString(text):
		return notCompilable, 0
	case reNotEquiv.MatchString(text):
		return notEquivalent, 0
	}
	if m := reSpeed.FindStringSubmatch(text); m != nil {
		if s, err := strconv.ParseFloat(m[1], 64); err == nil && s > 0 {
			switch {
			case s < 1:
				return degrades, s
			case s < 1.1:
				return slight, s
			default:
				return significant, s
			}
		}
	}
	switch {
	case reDegrade.MatchString(text):
		return degrades, 0
	case reSlight.MatchString(text):
		return slight, 0
	case reImprove.MatchString(text):
		return significant, 0
	}
	return noOutcome, 0
}

// Evidence factors: how much one line of a prompt multiplies the weight of
// the technique it names (documented in doc.go).
var evidenceFactor = map[outcome]float64{
	significant:   3,
	slight:        1.5,
	degrades:      0.5,
	notEquivalent: 0.4,
	notCompilable: 0.4,
}

const (
	followFactor = 4.0      // a plan or reflection line suggesting the technique
	shownFactor  = 1.5      // a known solution shown in the prompt without a result
	minFactor    = 1.0 / 16 // bounds of a technique's combined factor
	maxFactor    = 16.0
)

// evidence is one thing a prompt says about a technique.
type evidence struct {
	technique string
	// solution, when set, names the one rewrite the evidence is about
	// (its code was shown, or the line retells its note); the factor then
	// applies to that rewrite alone, not to its whole technique.
	solution string
	factor   float64
	line     string
}

// Retelling a note: a line covering at least retoldShare of a solution's
// note words (and the note has at least retoldMin of them) is about that
// rewrite.
const (
	retoldShare = 0.75
	retoldMin   = 5
)

// retold returns the solution whose note text retells, the one with the
// largest share of its note words present, or nil. This is how the sim
// tells "prefix sums in a 32-bit table overflowed" from "prefix sums made
// it faster" when both name the same technique, as a reader would.
func (p *simProblem) retold(text string) *option {
	have := map[string]bool{}
	for _, s := range stems(text) {
		have[s] = true
	}
	var best *option
	bestShare := 0.0
	for _, o := range p.options {
		if len(o.noteStems) < retoldMin {
			continue
		}
		n := 0
		for _, w := range o.noteStems {
			if have[w] {
				n++
			}
		}
		if share := float64(n) / float64(len(o.noteStems)); share >= retoldShare && share > bestShare {
			best, bestShare = o, share
		}
	}
	return best
}

// distinct returns xs without repeats, in first-seen order.
func distinct(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// stopWords are left out when matching technique names.
var stopWords = map[string]bool{
	"a": true, "an": true, "the": true, "of": true, "to": true, "and": true, "or": true,
	"in": true, "on": true, "for": true, "with": true, "by": true, "use": true, "using": true,
	"via": true, "into": true, "from": true, "is": true,
}

var stemSuffixes = []string{"izations", "ization", "isations", "isation", "izing", "ising", "ized",
	"ised", "izes", "ises", "ations", "ation", "ions", "ion", "ing", "ed", "es", "s", "e"}

// stem cuts a lower-case word's common English suffix, lightly.
func stem(w string) string {
	for _, s := range stemSuffixes {
		if strings.HasSuffix(w, s) && len(w)-len(s) >= 3 {
			return w[:len(w)-len(s)]
		}
	}
	return w
}

// stems returns the stemmed content words of text.
func stems(text string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '+')
	}) {
		if !stopWords[w] {
			out = append(out, stem(w))
		}
	}
	return out
}

// named returns p's techniques that text names: every content word of the
// technique appears in text (after light stemming). A technique whose
// words are all part of another named technique ("sort" within "radix
// sort") is left out.
func (p *simProblem) named(text string) []string {
	have := map[string]bool{}
	for _, s := range stems(text) {
		have[s] = true
	}
	var hits []string
	for _, t := range p.techniques {
		ws := p.techStems[t]
		if len(ws) == 0 {
			continue
		}
		all := true
		for _, w := range ws {
			if !have[w] {
				all = false
				break
			}
		}
		if all {
			hits = append(hits, t)
		}
	}
	var out []string
	for _, t := range hits {
		sub := false
		for _, u := range hits {
			if u != t && len(p.techStems[u]) > len(p.techStems[t]) && containsAll(p.techStems[u], p.techStems[t]) {
				sub = true
				break
			}
		}
		if !sub {
			out = append(out, t)
		}
	}
	return out
}

func containsAll(set, sub []string) bool {
	for _, w := range sub {
		if !slices.Contains(set, w) {
			return false
		}
	}
	return true
}

// codeTokens splits code into identifiers, numbers and single punctuation
// characters.
func codeTokens(code string) []string {
	var out []string
	i := 0
	for i < len(code) {
		c := code[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case isIdent(c):
			j := i
			for j < len(code) && isIdent(code[j]) {
				j++
			}
			out = append(out, code[i:j])
			i = j
		default:
			out = append(out, code[i:i+1])
			i++
		}
	}
	return out
}

// shingles is the set of adjacent token pairs of code.
func shingles(code string) map[string]bool {
	toks := codeTokens(code)
	out := make(map[string]bool, len(toks))
	for i := range toks {
		if i+1 < len(toks) {
			out[toks[i]+" "+toks[i+1]] = true
		} else {
			out[toks[i]] = true
		}
	}
	return out
}

func jaccard(a, b map[string]bool) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 0
	}
	inter := 0
	for k := range a {
		if b[k] {
			inter++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

// normalizeCode collapses white space, so that re-indented code matches.
func normalizeCode(code string) string { return strings.Join(strings.Fields(code), " ") }
