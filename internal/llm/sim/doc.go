// Package sim is the sim team: a simulator that stands in for LLM agents
// where none is reachable. It implements llm.Provider and llm.Embedder in
// process, and Handler serves it over the OpenAI wire format (what
// `lessonl serve-sim` runs), so that the real client's HTTP path runs
// end to end.
//
// The sim is a simulator, labelled as one everywhere (models sim/...,
// owned_by "lessonl-simulator"). It answers the prompts real agents get,
// reading only what their cues mark (see Cues below): it recognises the
// problem from the code the cues mark (the baseline
// most similar to a code block, by token-pair overlap, with a bonus when
// the block defines the problem's function) and answers with one of that
// problem's known solutions, or the baseline unchanged; a problem with no
// known solutions gets the sim's generic rewrites of its baseline instead
// (see Generic rewrites below). Only the choice of code is simulated; the
// evaluator really compiles, validates and times what it returns.
//
// An agent's choice among a problem's options (its solutions and the
// unchanged baseline) follows its profile. With s the agent's skill in the
// problem's category, each option gets the weight
//
//	class mass × affinity(option) / Σ affinity(options of its class) × evidence(technique)
//
// where the class masses are s for the solutions expected faster, and of
// the remaining 1−s: 40% for not_faster, 30% for incorrect, 20% for
// not_compilable and 10% for the unchanged baseline (affinity 1); absent
// classes drop out and the weights are renormalised. So, without evidence
// and with every class present, an agent answers a faster solution with
// probability exactly its skill, and its affinities only decide which
// technique within each class. Temperature up to 0.2 (the
// paper's) leaves this distribution as it is; above, it is mixed with the
// uniform one, fully uniform at 2. top_p in (0, 1) keeps the most likely
// options up to that mass. A technique's family is the first of parallel,
// vector, library, memory, loop whose keywords its name contains
// (Family), else algorithm.
//
// The built-in team (Profiles); these numbers are the ground truth an
// ablation is checked against, not tuned for any strategy:
//
//	category    sim/coder-a  sim/coder-b  sim/coder-c  sim/large
//	graph          0.75         0.45         0.20        0.55
//	histogram      0.75         0.45         0.20        0.55
//	search         0.75         0.45         0.20        0.55
//	sort           0.75         0.45         0.20        0.55
//	dense_la       0.20         0.75         0.45        0.55
//	sparse_la      0.20         0.75         0.45        0.55
//	stencil        0.20         0.75         0.45        0.55
//	transform      0.20         0.75         0.45        0.55
//	fft            0.45         0.20         0.75        0.55
//	geometry       0.45         0.20         0.75        0.55
//	reduce         0.45         0.20         0.75        0.55
//	scan           0.45         0.20         0.75        0.55
//	other          0.467        0.467        0.467       0.55
//
//	affinity    sim/coder-a  sim/coder-b  sim/coder-c  sim/large
//	algorithm      1.5          0.7          0.7         1
//	library        1.5          1            0.7         1
//	loop           1            1.5          1           1
//	memory         0.7          1.5          1           1
//	vector         0.7          1            1.5         1
//	parallel       0.7          0.7          1.5         1
//
// Every category has one strong, one medium and one weak small agent, and
// the three have the same mean skill, so none dominates; the large
// generalist beats each small agent on average but loses to the best of
// them in every category (the paper's observation, Table 10).
//
// # Generic rewrites
//
// The paper's own benchmarks (ParEval and PolyBench, as
// datasets.LoadParEval reads them) and a folder of problems without
// solutions give the sim no known rewrites. For such a problem the sim
// answers with the baseline and small, purely textual rewrites of it that
// need no knowledge of the problem (rewrites.go). Each is made in the
// body of the entry function, read with its comments, literals and
// preprocessor lines blanked (a "for" in a comment or a string is not a
// loop), and is left out when it does not apply or changes nothing (names
// without their sim-generic- prefix):
//
//	name            technique (family)                                  intends         the rewrite
//	parallel-for    OpenMP parallel for on the outer loop (parallel)    faster          #pragma omp parallel for before the first loop
//	unroll-hint     loop unrolling hint (loop)                          not_faster      #pragma GCC unroll 4 before the innermost loop of the first nest
//	pre-increment   pre-increment loop counters (loop)                  not_faster      "i++" steps of for headers become "++i"
//	off-by-one      loop bound tightening (loop)                        incorrect       the first "i < n" or "i <= n" bound gets "i + 1"
//	typo            code cleanup (algorithm)                            not_compilable  the last statement loses its semicolon
//
// A loop right under a #pragma gets no second pragma and keeps its bound
// (OpenMP wants its loops in canonical form). "Intends" is only the class
// a rewrite enters the choice with; the evaluator decides what it gets:
// outside OpenMP mode the OpenMP pragma is ignored, so parallel-for times
// like the baseline, and in OpenMP mode it may be faster, or incorrect
// when the iterations write a shared variable (a sum, a maximum). The
// rewrites enter the choice exactly as known solutions do (class masses,
// affinities by family, evidence from lessons), with the profiles
// unchanged: without evidence and with all five present, an agent answers
// parallel-for with probability exactly its skill. The sim says what they are wherever it names one: its
// code answers read "The simulator knows no rewrites of `f`; here is a
// generic rewrite by the simulator: <technique>." (and "The simulator
// knows no rewrites of `f`, so here it is unchanged." for the baseline),
// plans, votes and reflections add "(a generic rewrite by the
// simulator)" to the technique, the names start with sim-generic-, and
// the notes its lessons retell start with "Generic rewrite by the
// simulator:". A problem with known solutions, such as every problem of
// the built-in suite, never gets generic rewrites.
//
// # Cues: what the sim reads
//
// The sim reads a request only through its cues (llm.Request.Cues, the
// names in internal/llm/cues.go): byte spans of message contents that the
// prompt templates mark. Rewording a template moves the spans, never what
// the sim reads; neither the wording nor the order of a template's
// sections changes an answer (the random draw is seeded by the cues'
// names and contents, not by the messages). Over HTTP the cues travel in
// the X-Lessonl-Cues header, a comma-separated list of
// name@message:start+length (llm.EncodeCues); serve-sim answers 400 with
// the reason when they are malformed or do not fit the messages.
//
// A request without cues gets ErrNoCues ("no cues: this prompt was not
// rendered by a lessonl template; the simulator only follows cues";
// serve-sim answers 400, code no_cues). A request has exactly one ask
// cue, which says what is asked; ":N" after its name asks for N things
// (plans, recalled problems; 1 when absent).
// The answer's format follows the ask:
//
//	ask/optimize, ask/revise, ask/aggregate   a sentence naming the technique and one ```c++ block (the fence the paper's prompts ask for)
//	ask/lesson                                "Lesson: Applying <technique> made the code faster (2.10x). <note>" and likewise
//	ask/vote                                  "Vote: N" and a reason; N counts candidate cues from 1
//	ask/plan[:N]                              "Plan 1: ...", one technique per plan, N lines
//	ask/confidence                            <root><explanation>...</explanation><confidence>0-100</confidence></root>
//	ask/retrieve[:N]                          <root>, N <problem> (description, code, planning), <algorithm></root>
//	ask/reflect                               what the previous attempt used and how it did; what to try next
//	ask/ping                                  "OK" (a preflight probe)
//
// Content cues: code (the code to rewrite; it and the candidates tell which
// problem this is), candidate (a candidate's code: the one a lesson or a
// reflection is about is the last one), lesson (a lesson's text), plan,
// feedback (model-written feedback, read line by line as below),
// compiler (not read). A code or candidate span may hold its fence. Two
// verdict cues carry an evaluator's result in their name, after a colon:
// outcome:V for candidates and lesson-outcome:V for lessons, paired in
// prompt order (the k-th verdict with the k-th candidate, or lesson); a
// prompt gives each one a verdict or gives none (unknown keeps the place
// of a missing one). V is a word and an optional speedup: faster,
// significant, slight, same, slower, degrades (with a speedup, below 1
// is degrades, below 1.1 slight, else significant); incorrect,
// not_equivalent, runtime_error, timeout, crash (not equivalent);
// not_compilable; unknown, no_code (no result). A cue name the sim does
// not know is ignored; an ask it does not know is an error.
//
// What the cues say worked or failed moves the choice (the evidence
// factor of a solution is the product of those about its technique and
// those about it alone, bounded to [1/16, 16]):
//
//   - a lesson with its verdict: ×3 significantly faster, ×1.5 slightly,
//     ×0.5 slower, ×0.4 not equivalent, ×0.4 not compilable, on the
//     techniques its text names (those of the problem's solutions whose
//     every content word appears in it, with light stemming: "sorting"
//     names "sort"; a technique within another named one, "sort" in
//     "radix sort", is left out). A lesson that retells one solution's
//     note (at least 75% of the note's content words, and the note has
//     five or more) is about that rewrite alone. So "prefix sums kept in
//     a 32-bit table overflowed" steers away from that rewrite and not
//     from the correct prefix sums, as a reader would take it; the sim's
//     own lessons retell the note. A lesson without a verdict has no
//     effect.
//   - a plan: each technique it names ×4 (a suggestion).
//   - a candidate that is one of the problem's solutions: its verdict's
//     factor on that solution, or ×1.5 without one (imitation of peers).
//   - a feedback line: the techniques it names with the factor of the
//     outcome its own words report ("slower", "does not compile",
//     "2.10x"), or ×4 when it reports none (a suggestion).
//
// A vote picks the best measured candidate when every candidate has a
// speedup; otherwise, with probability equal to the agent's skill in the
// category, a candidate of the best expected class, else a random one. A
// confidence is the share of the named techniques' weight that goes to
// rewrites expected faster, in percent (the agent's skill when the plans
// name no known technique).
//
// Every answer is seeded by the request's seed plus its sample index
// (llm.Request.WireSeed), the sim's own seed, the model and a hash of
// what it reads (the cues' names and contents):
// the same request always gets the same answer, in process and over HTTP
// alike. Usage is EstimateTokens of the prompt and the answer.
// Embeddings (/v1/embeddings, Sim.Embed) are a signed hashed bag of code
// tokens in EmbedDim dimensions, L2-normalised: the same text always gets
// the same vector, and the cosine of two texts grows with the tokens they
// share, so relevance by embeddings can be tested offline.
//
// A request is answered by the writer of the task its cue names
// (llm.CueTask+NAME; optimize's requests carry none): generate prompts
// (a llm.CueGenerate cue) are answered by the rules in
// generate.go: known correct or wrong Python solutions by skill, tests
// from the docstring's examples.
package sim
