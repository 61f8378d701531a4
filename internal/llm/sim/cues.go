package sim

import (
	"errors"
	"fmt"
	"hash"
	"slices"
	"strconv"
	"strings"

	"github.com/lessonlab/lessonl/internal/llm"
)

// ErrNoCues is the answer to a request that carries no cues: the sim
// follows what a template marked, never a prompt's wording.
var ErrNoCues = errors.New("no cues: this prompt was not rendered by a lessonl template; the simulator only follows cues")

// badCues is a request whose cues the sim cannot follow (a template's
// mistake, not the sim's); serve-sim answers it with 400.
type badCues struct{ err error }

func (e badCues) Error() string { return e.err.Error() }
func (e badCues) Unwrap() error { return e.err }

// reader is how the sim reads one request: what is asked and the parts the
// answer depends on (cueReader reads the cues a template marked).
type reader interface {
	// ask is one of the llm.Ask* names.
	ask() string
	// count is how many plans or recalled problems are asked for.
	count() int
	// recognition is the code that tells which problem this is.
	recognition() []string
	// own is the code sent back unchanged when no problem is recognised.
	own() []string
	// evidence is what the request says worked or failed for p.
	evidence(p *simProblem) []evidence
	// outcome is, for a lesson request, the outcome of the candidate the
	// lesson is about, with its speedup when known.
	outcome() (outcome, float64)
	// lessonCandidate is that candidate among p's options (nil when it is
	// none of them); identity when it is the original code.
	lessonCandidate(p *simProblem) (o *option, identity bool)
	// candidates are the numbered candidates of a vote.
	candidates(p *simProblem) []*shownCandidate
	// previous is the last known rewrite shown (a reflection's subject)
	// and its outcome.
	previous(p *simProblem) (*option, outcome)
	// plans are the plans shown (a confidence request's subject).
	plans() []string
	// fingerprint writes what the answer may depend on into h.
	fingerprint(h hash.Hash)
}

// shownCandidate is one candidate of a vote: its number, the option its
// code is (nil when none), and its result when shown.
type shownCandidate struct {
	n     int
	opt   *option
	speed float64
	kind  outcome
}

// read returns the reader of req's cues; a request without cues gets
// ErrNoCues.
func (s *Sim) read(req llm.Request) (reader, error) {
	if len(req.Cues) > 0 {
		r, err := readCues(req.Messages, req.Cues)
		if err != nil {
			return nil, badCues{err}
		}
		return r, nil
	}
	return nil, ErrNoCues
}

// asks are the ask cue names the sim answers.
var asks = []string{llm.AskOptimize, llm.AskLesson, llm.AskVote, llm.AskPlan, llm.AskConfidence,
	llm.AskRetrieve, llm.AskReflect, llm.AskAggregate, llm.AskRevise, llm.AskPing}

// marked is one content cue's text, with the verdict paired with it.
type marked struct {
	name    string
	text    string
	verdict outcome
	speed   float64
	judged  bool // a verdict cue was paired with it
}

// cueReader reads a request by its cues only (see doc.go, "Cues").
type cueReader struct {
	askName string
	n       int
	code    []string
	lessons []marked
	cands   []marked
	plan    []string
	feed    []string
	// texts are what the answer may depend on, one per cue in prompt
	// order: its name, then its content (none for the ask and verdicts,
	// whose names say it all; code without its fence).
	texts []string
}

// readCues checks req's cues and collects what they mark.
func readCues(msgs []llm.Message, cues []llm.Cue) (*cueReader, error) {
	if err := llm.CheckCues(msgs, cues); err != nil {
		return nil, fmt.Errorf("cues: %w", err)
	}
	cs := slices.Clone(cues)
	slices.SortStableFunc(cs, func(a, b llm.Cue) int {
		if a.Message != b.Message {
			return a.Message - b.Message
		}
		return a.Start - b.Start
	})
	r := &cueReader{}
	var askCues []string
	var outcomes, lessonOutcomes []llm.Cue
	for _, c := range cs {
		name, arg, _ := strings.Cut(c.Name, ":")
		text := c.Text(msgs)
		if strings.HasPrefix(name, "ask/") {
			askCues = append(askCues, c.Name)
			if !slices.Contains(asks, name) {
				return nil, fmt.Errorf("cues: unknown ask %q (the sim answers %s)", c.Name, strings.Join(asks, ", "))
			}
			r.askName = name
			if arg != "" {
				n, err := strconv.Atoi(arg)
				if err != nil || n < 1 || n > 20 {
					return nil, fmt.Errorf("cues: %q: the count after the colon must be 1 to 20", c.Name)
				}
				r.n = n
			}
			r.texts = append(r.texts, c.Name)
			continue
		}
		switch name {
		case llm.CueOutcome, llm.CueLessonOutcome:
			r.texts = append(r.texts, c.Name) // the verdict is in the name; the span is wording
		case llm.CueCode, llm.CueCandidate:
			r.texts = append(r.texts, c.Name+"\x00"+strings.TrimSpace(codeIn(text)))
		default:
			r.texts = append(r.texts, c.Name+"\x00"+strings.TrimSpace(text))
		}
		switch name {
		case llm.CueCode:
			r.code = append(r.code, codeIn(text))
		case llm.CueCandidate:
			r.cands = append(r.cands, marked{name: name, text: codeIn(text)})
		case llm.CueLesson:
			r.lessons = append(r.lessons, marked{name: name, text: text})
		case llm.CueOutcome:
			outcomes = append(outcomes, c)
		case llm.CueLessonOutcome:
			lessonOutcomes = append(lessonOutcomes, c)
		case llm.CuePlan:
			r.plan = append(r.plan, text)
		case llm.CueFeedback:
			r.feed = append(r.feed, text)
		}
		// compiler output and names the sim does not know are not read.
	}
	if len(askCues) != 1 {
		return nil, fmt.Errorf("cues: want exactly one ask cue (%s), got %d %v", strings.Join(asks, ", "), len(askCues), askCues)
	}
	if err := pair(r.cands, outcomes, llm.CueCandidate, llm.CueOutcome); err != nil {
		return nil, err
	}
	if err := pair(r.lessons, lessonOutcomes, llm.CueLesson, llm.CueLessonOutcome); err != nil {
		return nil, err
	}
	return r, nil
}

// pair gives the k-th verdict cue to the k-th content cue, in the order
// of the prompt. There must be no verdict cues or one for each.
func pair(items []marked, verdicts []llm.Cue, what, verdictName string) error {
	if len(verdicts) == 0 {
		return nil
	}
	if len(verdicts) != len(items) {
		return fmt.Errorf("cues: %d %s cues but %d %s cues; give each %s its verdict (unknown when it has none) or none at all",
			len(items), what, len(verdicts), verdictName, what)
	}
	for i, v := range verdicts {
		_, verdict, _ := strings.Cut(v.Name, ":")
		k, speed, err := parseVerdict(verdict)
		if err != nil {
			return fmt.Errorf("cues: %q: %w", v.Name, err)
		}
		items[i].verdict, items[i].speed, items[i].judged = k, speed, true
	}
	return nil
}

// verdictWords maps the first word of a verdict to its outcome; a number
// after the word, the speedup, decides among the three correct outcomes.
var verdictWords = map[string]outcome{
	"faster": significant, "significant": significant, "slight": slight, "same": slight,
	"slower": degrades, "degrades": degrades,
	"incorrect": notEquivalent, "not_equivalent": notEquivalent, "runtime_error": notEquivalent,
	"timeout": notEquivalent, "crash": notEquivalent, "not_serial": notEquivalent,
	"not_compilable": notCompilable,
	"unknown":        noOutcome, "no_code": noOutcome,
}

// parseVerdict reads a verdict such as "faster 2.10", "slower 0.80",
// "incorrect" or "not_compilable": a speedup below 1 is degrades, below
// 1.1 slight, else significant, whatever the word.
func parseVerdict(v string) (outcome, float64, error) {
	f := strings.Fields(v)
	if len(f) == 0 || len(f) > 2 {
		return noOutcome, 0, fmt.Errorf("verdict %q: want a word and an optional speedup", v)
	}
	k, ok := verdictWords[f[0]]
	if !ok {
		words := make([]string, 0, len(verdictWords))
		for w := range verdictWords {
			words = append(words, w)
		}
		slices.Sort(words)
		return noOutcome, 0, fmt.Errorf("verdict %q: unknown word %q (want one of %s)", v, f[0], strings.Join(words, ", "))
	}
	if len(f) == 1 {
		return k, 0, nil
	}
	s, err := strconv.ParseFloat(f[1], 64)
	if err != nil || s <= 0 {
		return noOutcome, 0, fmt.Errorf("verdict %q: the speedup %q is not a positive number", v, f[1])
	}
	if k != significant && k != slight && k != degrades {
		return k, 0, nil
	}
	switch {
	case s < 1:
		return degrades, s, nil
	case s < 1.1:
		return slight, s, nil
	}
	return significant, s, nil
}

// codeIn is the code a code-bearing cue marks: the body of the first
// fenced block of its span, or the span itself when it holds no fence.
func codeIn(text string) string {
	for _, s := range llm.Segments(text) {
		if s.Code {
			return s.Text
		}
	}
	return text
}

func (r *cueReader) ask() string { return r.askName }

// count is the ask's ":N", 1 when it has none.
func (r *cueReader) count() int { return max(r.n, 1) }

func (r *cueReader) recognition() []string {
	out := slices.Clone(r.code)
	for _, c := range r.cands {
		out = append(out, c.text)
	}
	return out
}

func (r *cueReader) own() []string { return r.code }

func (r *cueReader) plans() []string { return r.plan }

// evidence: lessons with their verdicts; known rewrites shown as
// candidates (with their verdicts, else imitation); plans (suggestions);
// feedback read line by line as model-written text.
func (r *cueReader) evidence(p *simProblem) []evidence {
	if p == nil {
		return nil
	}
	var out []evidence
	for _, l := range r.lessons {
		if !l.judged || l.verdict == noOutcome {
			continue
		}
		if o := p.retold(l.text); o != nil {
			out = append(out, evidence{o.technique, o.name, evidenceFactor[l.verdict], l.text})
			continue
		}
		for _, t := range p.named(l.text) {
			out = append(out, evidence{t, "", evidenceFactor[l.verdict], l.text})
		}
	}
	for _, c := range r.cands {
		o, sim := p.match(c.text)
		if o.solution == nil || sim < matchThreshold {
			continue
		}
		f := shownFactor
		if c.judged && c.verdict != noOutcome {
			f = evidenceFactor[c.verdict]
		}
		out = append(out, evidence{o.technique, o.name, f, "(candidate)"})
	}
	for _, pl := range r.plan {
		for _, t := range p.named(pl) {
			out = append(out, evidence{t, "", followFactor, pl})
		}
	}
	for _, fb := range r.feed {
		for _, line := range strings.Split(fb, "\n") {
			k, _ := outcomeOf(line)
			if o := p.retold(line); o != nil && k != noOutcome {
				out = append(out, evidence{o.technique, o.name, evidenceFactor[k], line})
				continue
			}
			for _, t := range p.named(line) {
				f := followFactor
				if k != noOutcome {
					f = evidenceFactor[k]
				}
				out = append(out, evidence{t, "", f, line})
			}
		}
	}
	return out
}

// lessonCand is the candidate a lesson request is about: the last one.
func (r *cueReader) lessonCand() (marked, bool) {
	if len(r.cands) == 0 {
		return marked{}, false
	}
	return r.cands[len(r.cands)-1], true
}

func (r *cueReader) outcome() (outcome, float64) {
	c, ok := r.lessonCand()
	if !ok {
		return noOutcome, 0
	}
	return c.verdict, c.speed
}

func (r *cueReader) lessonCandidate(p *simProblem) (*option, bool) {
	c, ok := r.lessonCand()
	if !ok {
		return nil, false
	}
	o, sim := p.match(c.text)
	if o.solution == nil {
		return nil, sim >= 0.99
	}
	if sim < matchThreshold {
		return nil, false
	}
	return o, false
}

func (r *cueReader) candidates(p *simProblem) []*shownCandidate {
	out := make([]*shownCandidate, len(r.cands))
	for i, c := range r.cands {
		sc := &shownCandidate{n: i + 1, kind: c.verdict, speed: c.speed}
		if p != nil {
			if o, sim := p.match(c.text); sim >= matchThreshold {
				sc.opt = o
			}
		}
		out[i] = sc
	}
	return out
}

func (r *cueReader) previous(p *simProblem) (*option, outcome) {
	for i := len(r.cands) - 1; i >= 0; i-- {
		o, sim := p.match(r.cands[i].text)
		if o.solution != nil && sim >= matchThreshold {
			return o, r.cands[i].verdict
		}
	}
	return nil, noOutcome
}

// fingerprint writes the cues' names and contents grouped by name (in
// prompt order within a name), so that neither a template's wording nor
// the order of its sections changes the answer.
func (r *cueReader) fingerprint(h hash.Hash) {
	ts := slices.Clone(r.texts)
	slices.SortStableFunc(ts, func(a, b string) int {
		an, _, _ := strings.Cut(a, "\x00")
		bn, _, _ := strings.Cut(b, "\x00")
		return strings.Compare(an, bn)
	})
	for _, t := range ts {
		h.Write([]byte(t + "\x00"))
	}
}
