package sim

import (
	"hash"
	"regexp"
	"strconv"
	"strings"

	"github.com/lessonlab/lessonl/internal/llm"
)

// TEMPORARY (issue 14): this file is the sim's old reader, which tells what
// a prompt asks and what it reports from its wording. The sim uses it only
// for requests without cues, so that strategies whose prompts are not yet
// rendered by cue-marking templates keep running. Once every strategy's
// prompts carry cues, set readsWording to false (requests without cues
// then fail with ErrNoCues), delete this file and legacy_test.go, and
// drop the legacyReader branch of Sim.read. Nothing else depends on it.

// readsWording says whether requests without cues are read by their
// wording (the temporary legacy reader) instead of failing with ErrNoCues.
const readsWording = true

// legacyReader reads a prompt by its wording; see the top of this file.
type legacyReader struct {
	msgs []llm.Message
	v    promptView
}

func readLegacy(msgs []llm.Message) legacyReader { return legacyReader{msgs, readPrompt(msgs)} }

func (r legacyReader) ask() string {
	return [...]string{llm.AskOptimize, llm.AskLesson, llm.AskVote, llm.AskPlan, llm.AskReflect}[r.v.kind]
}

// count is the number of plans the prose asks for ("3 plans"), 3 when it
// names none.
func (r legacyReader) count() int {
	if m := rePlanCount.FindStringSubmatch(r.v.prose); m != nil {
		if x, err := strconv.Atoi(m[1]); err == nil && x > 0 && x <= 20 {
			return x
		}
	}
	return 3
}

func (r legacyReader) recognition() []string { return r.v.blocks(r.v.all) }
func (r legacyReader) own() []string         { return r.v.blocks(r.v.last) }
func (r legacyReader) plans() []string       { return nil }

func (r legacyReader) evidence(p *simProblem) []evidence {
	if p == nil {
		return nil
	}
	return readEvidence(p, r.v.all)
}

func (r legacyReader) outcome() (outcome, float64) { return outcomeOf(r.v.prose) }

func (r legacyReader) lessonCandidate(p *simProblem) (*option, bool) {
	return candidateOf(p, r.v.blocks(r.v.last))
}

func (r legacyReader) fingerprint(h hash.Hash) {
	for _, m := range r.msgs {
		h.Write([]byte(m.Role + "\x00" + m.Content + "\x00"))
	}
}

// candidates reads a vote prompt's numbered candidates ("Candidate 2:")
// and the result line after each one's code.
func (r legacyReader) candidates(p *simProblem) []*shownCandidate {
	var cands []*shownCandidate
	var cur *shownCandidate
	pendingResult := false
	for _, pc := range r.v.last {
		if pc.Code {
			if cur != nil && cur.opt == nil && p != nil {
				if o, sim := p.match(pc.Text); sim >= matchThreshold {
					cur.opt = o
				}
			}
			pendingResult = cur != nil
			continue
		}
		for _, line := range strings.Split(pc.Text, "\n") {
			if m := reCandidate.FindStringSubmatch(line); m != nil {
				n, _ := strconv.Atoi(m[1])
				cur = &shownCandidate{n: n}
				cands = append(cands, cur)
				pendingResult = false
				continue
			}
			if pendingResult && strings.TrimSpace(line) != "" {
				cur.kind, cur.speed = outcomeOf(line)
				pendingResult = false
			}
		}
	}
	return cands
}

// previous finds the last known rewrite shown in the last message and
// the result line after it.
func (r legacyReader) previous(p *simProblem) (*option, outcome) {
	var prev *option
	k := noOutcome
	pending := false
	for _, pc := range r.v.last {
		if pc.Code {
			o, sim := p.match(pc.Text)
			pending = false
			if o.solution != nil && sim >= matchThreshold {
				prev, k, pending = o, noOutcome, true
			}
			continue
		}
		for _, line := range strings.Split(pc.Text, "\n") {
			if pending && strings.TrimSpace(line) != "" {
				k, _ = outcomeOf(line)
				pending = false
			}
		}
	}
	return prev, k
}

// kind is what a prompt asks for.
type kind int

const (
	askCode kind = iota
	askLesson
	askVote
	askPlans
	askReflection
)

func (k kind) String() string {
	return [...]string{"code", "lesson", "vote", "plans", "reflection"}[k]
}

// piece is a run of prose or one fenced code block of a message.
type piece = llm.Segment

// pieces cuts text into prose and fenced blocks, in order.
func pieces(text string) []piece { return llm.Segments(text) }

// promptView is a parsed prompt.
type promptView struct {
	kind  kind
	last  []piece // the last user message
	all   []piece // every user message, in order
	prose string  // the last user message without its code
}

func (v promptView) blocks(ps []piece) []string {
	var out []string
	for _, p := range ps {
		if p.Code {
			out = append(out, p.Text)
		}
	}
	return out
}

func readPrompt(msgs []llm.Message) promptView {
	var v promptView
	lastUser := -1
	for i, m := range msgs {
		if m.Role == "user" {
			lastUser = i
		}
	}
	for i, m := range msgs {
		if m.Role != "user" {
			continue
		}
		ps := pieces(m.Content)
		v.all = append(v.all, ps...)
		if i == lastUser {
			v.last = ps
		}
	}
	var b strings.Builder
	for _, p := range v.last {
		if !p.Code {
			b.WriteString(p.Text)
		}
	}
	v.prose = b.String()
	v.kind = classify(v.prose)
	return v
}

var (
	reVote       = regexp.MustCompile(`(?i)\bvote\s*:`)
	reNoCode     = regexp.MustCompile(`(?i)\b(do not|don't|dont|without)\s+(write|writing|any)\b[^.\n]*\bcode\b`)
	rePlans      = regexp.MustCompile(`(?i)\bplans\b`)
	reReflect    = regexp.MustCompile(`(?i)\breflect\b`)
	reLessonCue  = regexp.MustCompile(`(?i)\blesson\s*:`)
	reExplain    = regexp.MustCompile(`(?i)\bexplain\b`)
	reLessonWord = regexp.MustCompile(`(?i)\blessons?\b`)
	rePlanWord   = regexp.MustCompile(`(?i)\bplans?\b`)
	reReflection = regexp.MustCompile(`(?i)\breflect(ion|ions|ed)?\b`)
	reCodeAsk    = regexp.MustCompile(`(?i)\b(answer|reply|respond|return|write|give|provide|output)\b.*\bcode\b|\bcode\b.*\b(block|fence)\b`)
	reNegation   = regexp.MustCompile(`(?i)\b(do not|don't|dont|never|no|without)\b`)
	reSentence   = regexp.MustCompile(`[.!?\n]+`)
)

// classify tells what the prose of a prompt asks for.
func classify(prose string) kind {
	switch {
	case reVote.MatchString(prose):
		return askVote
	case reNoCode.MatchString(prose) && rePlans.MatchString(prose):
		return askPlans
	case reNoCode.MatchString(prose) && reReflect.MatchString(prose):
		return askReflection
	case (reLessonCue.MatchString(prose) || reExplain.MatchString(prose) && reLessonWord.MatchString(prose)) && !asksForCode(prose):
		return askLesson
	}
	return askCode
}

// asksForCode reports whether a sentence of prose asks for code (and does
// not forbid it).
func asksForCode(prose string) bool {
	for _, s := range reSentence.Split(prose, -1) {
		if reCodeAsk.MatchString(s) && !reNegation.MatchString(s) {
			return true
		}
	}
	return false
}

// reLessonHeader splits "Lesson 2 degrades performance (0.50x): text".
var reLessonHeader = regexp.MustCompile(`(?i)^\s*(?:[-*•]\s*)?lesson\s*#?\s*\d*\b([^:]*):(.*)$`)

// readEvidence collects what the prompt's pieces say about p's
// techniques: lesson lines (with their outcomes), plan and reflection
// lines (suggestions), and code shown in the prompt (with the result that
// follows it, if any).
func readEvidence(p *simProblem, ps []piece) []evidence {
	var out []evidence
	const (
		none = iota
		lessonSec
		planSec
		reflectSec
	)
	section := none
	var pending *option // the last code block's solution, awaiting its result line
	for _, pc := range ps {
		if pc.Code {
			section = none
			if pending != nil {
				out = append(out, evidence{pending.technique, pending.name, shownFactor, "(shown code)"})
			}
			pending = nil
			if o, sim := p.match(pc.Text); o != nil && o.solution != nil && sim >= matchThreshold {
				pending = o
			}
			continue
		}
		for _, line := range strings.Split(pc.Text, "\n") {
			if strings.TrimSpace(line) == "" {
				section = none
				continue
			}
			if pending != nil {
				f := shownFactor
				if k, _ := outcomeOf(line); k != noOutcome {
					f = evidenceFactor[k]
				}
				out = append(out, evidence{pending.technique, pending.name, f, line})
				pending = nil
			}
			switch {
			case reLessonWord.MatchString(line):
				section = lessonSec
			case rePlanWord.MatchString(line):
				section = planSec
			case reReflection.MatchString(line):
				section = reflectSec
			}
			if section == none {
				continue
			}
			head, body := line, line
			if m := reLessonHeader.FindStringSubmatch(line); m != nil {
				head, body = m[1], m[2]
				if k, _ := outcomeOf(head); k == noOutcome {
					head = line
				}
			}
			k, _ := outcomeOf(head)
			if o := p.retold(body); o != nil && k != noOutcome {
				out = append(out, evidence{o.technique, o.name, evidenceFactor[k], line})
				continue
			}
			for _, t := range p.named(body) {
				switch {
				case k != noOutcome:
					out = append(out, evidence{t, "", evidenceFactor[k], line})
				case section != lessonSec:
					out = append(out, evidence{t, "", followFactor, line})
				}
			}
		}
	}
	if pending != nil {
		out = append(out, evidence{pending.technique, pending.name, shownFactor, "(shown code)"})
	}
	return out
}

// candidateOf finds the rewrite among the blocks of a lesson prompt: the
// block most like one of p's solutions. identity is true when the rewrite
// is the baseline itself.
func candidateOf(p *simProblem, blocks []string) (o *option, identity bool) {
	best := -1.0
	baselines := 0
	for _, b := range blocks {
		m, sim := p.match(b)
		if m.solution == nil {
			if sim >= 0.99 {
				baselines++
			}
			continue
		}
		if sim >= matchThreshold && sim > best {
			o, best = m, sim
		}
	}
	return o, o == nil && baselines >= 2
}

var reCandidate = regexp.MustCompile(`(?i)\b(?:candidate|response|engineer|option)\s*#?\s*(\d+)\b[^:\n]*:`)

var rePlanCount = regexp.MustCompile(`(?i)\b(\d+)\s+(?:different\s+|distinct\s+)?plans\b`)
