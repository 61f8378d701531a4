package lessons

import "fmt"

// Kind is a lesson's outcome as the agents are told it.
type Kind string

// The kinds of lesson, by the outcome of the candidate they explain.
const (
	Significant   Kind = "significant"    // correct and at least Threshold faster
	Slight        Kind = "slight"         // correct, faster, below Threshold
	Degrades      Kind = "degrades"       // correct but slower than the original
	NotEquivalent Kind = "not_equivalent" // wrong results, a crash or a time-out
	NotCompilable Kind = "not_compilable" // does not compile
)

// Threshold is the speedup a lesson needs to be selected for its speedup
// (the paper's 1.1).
const Threshold = 1.1

// KindOf classifies a candidate by its evaluator status and speedup.
// Statuses are the evaluator's strings (correct, incorrect, not_compilable,
// runtime_error, timeout) and "no_code" for a reply without code, which
// counts as not compilable.
func KindOf(status string, speedup float64) Kind {
	switch status {
	case "correct":
		switch {
		case speedup >= Threshold:
			return Significant
		case speedup >= 1:
			return Slight
		default:
			return Degrades
		}
	case "not_compilable", "no_code":
		return NotCompilable
	default:
		return NotEquivalent
	}
}

// Phrase is how a lesson of this kind is introduced to the agents.
func (k Kind) Phrase() string {
	switch k {
	case Significant:
		return "significantly improves performance"
	case Slight:
		return "slightly improves performance (marginal)"
	case Degrades:
		return "degrades performance"
	case NotEquivalent:
		return "compromises code equivalence"
	case NotCompilable:
		return "produces non-compilable code"
	}
	return string(k)
}

// Lesson is one entry of a bank.
type Lesson struct {
	ID          string  // unique within a cell, e.g. "r1-coder-a"
	Text        string  // the one or two sentences the author wrote
	Kind        Kind    // the outcome of the candidate it explains
	Speedup     float64 // the candidate's speedup; 0 when it failed
	Author      string  // the agent that wrote it
	Round       int     // the round it was written in, from 0
	CandidateID string  // the candidate it explains
	// Factor scales Speedup by how well the lesson worked when shown; 1
	// until the lesson has been shown once.
	Factor float64
	seq    int // order of arrival, for stable tie-breaking
}

// Adjusted is the speedup selection ranks by: Speedup × Factor.
func (l *Lesson) Adjusted() float64 { return l.Speedup * l.Factor }

// Bank keeps a problem's lessons in order of arrival.
type Bank struct {
	lessons []*Lesson
}

// Add banks a lesson; its factor starts at 1.
func (b *Bank) Add(l Lesson) *Lesson {
	if l.ID == "" {
		l.ID = fmt.Sprintf("r%d-%s-%d", l.Round, l.Author, len(b.lessons))
	}
	if l.Speedup < 0 || l.Kind == NotEquivalent || l.Kind == NotCompilable {
		l.Speedup = 0
	}
	l.Factor = 1
	l.seq = len(b.lessons)
	b.lessons = append(b.lessons, &l)
	return b.lessons[len(b.lessons)-1]
}

// Lessons returns the banked lessons in order of arrival.
func (b *Bank) Lessons() []*Lesson { return b.lessons }

// Len is the number of banked lessons.
func (b *Bank) Len() int { return len(b.lessons) }
