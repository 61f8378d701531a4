package llm

// The cue vocabulary shared by the prompt templates (which mark where they
// put each thing) and the simulator (which reads only what is marked).
// A request's cues say what it asks for (one Ask cue) and where its parts
// are (any number of content cues). Rewording a template moves the spans,
// never the meaning the sim reads.
const (
	// AskOptimize asks for a rewrite of the code (the span is the
	// instruction); AskLesson for a lesson about one candidate; AskVote for
	// the number of the best of several answers; AskPlan for plans;
	// AskConfidence for a plan's confidence; AskRetrieve for similar
	// problems (MapCoder's knowledge base); AskReflect for a reflection
	// on feedback; AskAggregate for one answer from several proposals;
	// AskRevise for a revision after seeing others' answers (debate).
	AskOptimize   = "ask/optimize"
	AskLesson     = "ask/lesson"
	AskVote       = "ask/vote"
	AskPlan       = "ask/plan"
	AskConfidence = "ask/confidence"
	AskRetrieve   = "ask/retrieve"
	AskReflect    = "ask/reflect"
	AskAggregate  = "ask/aggregate"
	AskRevise     = "ask/revise"

	// CueCode is the code to rewrite (the problem's original code).
	CueCode = "code"
	// CueCandidate is one candidate's code shown in the prompt (the code
	// a lesson is about, a previous attempt, another agent's answer).
	CueCandidate = "candidate"
	// CueOutcome is the evaluator's verdict on the candidate next to it,
	// in words: "faster 2.10", "slower 0.80", "incorrect",
	// "not_compilable", "same". Its span holds the template's wording;
	// the cue's name suffix (CueOutcome+":"+verdict) carries the verdict.
	CueOutcome = "outcome"
	// CueLesson is one lesson shown to the agent; CueLessonOutcome+":"+
	// verdict names that lesson's outcome as CueOutcome does.
	CueLesson        = "lesson"
	CueLessonOutcome = "lesson-outcome"
	// CueFeedback is evaluator or self feedback on an earlier attempt.
	CueFeedback = "feedback"
	// CuePlan is one plan (MapCoder).
	CuePlan = "plan"
	// CueCompiler is compiler output shown in a prompt.
	CueCompiler = "compiler"
)
