package sim

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/llm"
)

// Owner is the owned_by of every sim model in /v1/models: the sim is a
// simulator and says so wherever it appears.
const Owner = "lessonl-simulator"

// EmbedModel is the sim's embedding model (every sim model also embeds).
const EmbedModel = "sim/embed"

// EmbedDim is the length of the sim's embedding vectors.
const EmbedDim = 256

// The technique families a profile's affinities are given for. A
// technique belongs to the first family one of whose keywords it contains
// (see Family); algorithm is the rest.
const (
	FamilyParallel  = "parallel"
	FamilyVector    = "vector"
	FamilyLibrary   = "library"
	FamilyMemory    = "memory"
	FamilyLoop      = "loop"
	FamilyAlgorithm = "algorithm"
)

// Families lists the technique families in the order Family tries them.
var Families = []string{FamilyParallel, FamilyVector, FamilyLibrary, FamilyMemory, FamilyLoop, FamilyAlgorithm}

var familyKeywords = [][]string{
	{"parallel", "openmp", "omp", "thread", "concurren", "task"},
	{"vectori", "vectorise", "simd", "intrinsic", "avx", "sse", "neon"},
	{"library", "std::", "stl", "standard", "builtin", "built-in", "blas", "memcpy", "memset"},
	{"cache", "memory", "layout", "locality", "blocking", "tiling", "tile", "interchange", "transpose",
		"contiguous", "allocat", "reserve", "prefetch", "align", "struct of arrays", "soa"},
	{"loop", "unroll", "hoist", "fusion", "fission", "invariant", "strength reduction", "branch",
		"restructur", "early exit", "inlin", "precompute"},
}

// Family returns the technique family of a technique's name.
func Family(technique string) string {
	t := strings.ToLower(technique)
	for i, kws := range familyKeywords {
		for _, k := range kws {
			if strings.Contains(t, k) {
				return Families[i]
			}
		}
	}
	return FamilyAlgorithm
}

// Profile is a sim agent's skill: how likely it is to write each kind of
// rewrite, per problem category and per technique family. See doc.go for
// how the numbers turn into choices, and for the built-in table.
type Profile struct {
	// Model is the model name, sim/<name>.
	Model string `json:"model"`
	// Skill is, per category, the share of the agent's choices that go to
	// the problem's faster solutions (before affinities and evidence).
	Skill map[string]float64 `json:"skill"`
	// DefaultSkill is used for categories Skill does not list.
	DefaultSkill float64 `json:"default_skill"`
	// Affinity multiplies the weight of techniques of each family; a
	// family not listed has 1.
	Affinity map[string]float64 `json:"affinity"`
	// About says in words what the agent is good at.
	About string `json:"about"`
}

// SkillIn returns the profile's skill in a category.
func (p Profile) SkillIn(category string) float64 {
	if s, ok := p.Skill[category]; ok {
		return s
	}
	return p.DefaultSkill
}

// AffinityFor returns the profile's weight for a technique.
func (p Profile) AffinityFor(technique string) float64 {
	if a, ok := p.Affinity[Family(technique)]; ok {
		return a
	}
	return 1
}

// Skill levels of the built-in small agents.
const (
	skillStrong = 0.75
	skillMedium = 0.45
	skillWeak   = 0.20
	skillLarge  = 0.55
)

func tiers(strong, medium, weak []string) map[string]float64 {
	m := map[string]float64{}
	for _, c := range strong {
		m[c] = skillStrong
	}
	for _, c := range medium {
		m[c] = skillMedium
	}
	for _, c := range weak {
		m[c] = skillWeak
	}
	return m
}

var (
	catsAlgo   = []string{"graph", "histogram", "search", "sort"}
	catsMemory = []string{"dense_la", "sparse_la", "stencil", "transform"}
	catsParal  = []string{"fft", "geometry", "reduce", "scan"}
)

// Profiles returns the built-in sim team: three small agents with
// complementary strengths (each category has one strong, one medium and
// one weak small agent; all three have the same mean skill) and a larger
// generalist. The table in doc.go lists the same numbers.
func Profiles() []Profile {
	mean := (skillStrong + skillMedium + skillWeak) / 3
	return []Profile{
		{
			Model: "sim/coder-a", Skill: tiers(catsAlgo, catsParal, catsMemory), DefaultSkill: mean,
			Affinity: map[string]float64{FamilyAlgorithm: 1.5, FamilyLibrary: 1.5, FamilyLoop: 1,
				FamilyMemory: 0.7, FamilyVector: 0.7, FamilyParallel: 0.7},
			About: "algorithmic: strong in graph, histogram, search, sort; prefers algorithm and library changes",
		},
		{
			Model: "sim/coder-b", Skill: tiers(catsMemory, catsAlgo, catsParal), DefaultSkill: mean,
			Affinity: map[string]float64{FamilyLoop: 1.5, FamilyMemory: 1.5, FamilyLibrary: 1,
				FamilyVector: 1, FamilyAlgorithm: 0.7, FamilyParallel: 0.7},
			About: "memory and loops: strong in dense_la, sparse_la, stencil, transform; prefers loop and memory-layout changes",
		},
		{
			Model: "sim/coder-c", Skill: tiers(catsParal, catsMemory, catsAlgo), DefaultSkill: mean,
			Affinity: map[string]float64{FamilyParallel: 1.5, FamilyVector: 1.5, FamilyLoop: 1,
				FamilyMemory: 1, FamilyAlgorithm: 0.7, FamilyLibrary: 0.7},
			About: "parallel and numeric: strong in fft, geometry, reduce, scan; prefers parallel and vector changes",
		},
		{
			Model: "sim/large", Skill: tiers(nil, nil, nil), DefaultSkill: skillLarge,
			Affinity: map[string]float64{},
			About:    "generalist: the same fair skill everywhere, below each small agent's strength and above its mean",
		},
	}
}

// Class shares of the non-faster choices: of the 1−skill left, not-faster
// rewrites get 40%, incorrect ones 30%, non-compiling ones 20% and the
// unchanged baseline 10%.
var failShare = map[datasets.Expected]float64{
	datasets.ExpectNotFaster:     0.4,
	datasets.ExpectIncorrect:     0.3,
	datasets.ExpectNotCompilable: 0.2,
	expectBaseline:               0.1,
}

// simClass is the class the sim chooses a known solution as: one whose
// speed the machine decides (correct) is a not-faster rewrite, since the
// sim must not guess what the evaluator will measure.
func simClass(e datasets.Expected) datasets.Expected {
	if e == datasets.ExpectCorrect {
		return datasets.ExpectNotFaster
	}
	return e
}

// expectBaseline is the class of the unchanged baseline among the choices.
const expectBaseline datasets.Expected = "baseline"

// Temperature: at or below refTemperature (the paper's 0.2) choices follow
// the profile; above it they are mixed with a uniform choice, fully
// uniform at 2.
const refTemperature = 0.2

// matchThreshold is how similar code must be to a known rewrite to count
// as that rewrite (1 is identical up to white space).
const matchThreshold = 0.8

// Config configures the sim.
type Config struct {
	// Problems are the problems the sim recognises; the built-in suite
	// when nil.
	Problems []*datasets.Problem
	// Profiles are the agents; Profiles() when nil.
	Profiles []Profile
	// Latency is slept before every answer.
	Latency time.Duration
	// Seed is mixed into every choice, to reseed a whole sim team.
	Seed int64
}

// Sim is the simulated team: a llm.Provider and llm.Embedder that answers the
// prompts real agents get with known rewrites chosen by skill profiles.
// See the package documentation.
type Sim struct {
	problems []*simProblem
	gen      []*genProblem // generate problems (generate.go)
	profiles map[string]Profile
	latency  time.Duration
	seed     int64
}

type option struct {
	solution  *datasets.Solution // nil for the unchanged baseline
	name      string
	technique string
	expected  datasets.Expected
	code      string
	norm      string
	sh        map[string]bool
	// noteStems are the distinct content words of the solution's note,
	// by which a lesson that retells the note is recognised as being
	// about this rewrite and not only its technique.
	noteStems []string
}

type simProblem struct {
	p          *datasets.Problem
	options    []*option // the solutions, then the baseline
	techniques []string  // distinct techniques, in order
	techStems  map[string][]string
	// generic is set when p has no known solutions and the options are
	// the sim's generic rewrites of its baseline (see smallRewrites).
	generic bool
}

// newSimProblem makes p's options: its known solutions, or, when it has
// none, the generic rewrites of its baseline; then the baseline itself.
func newSimProblem(p *datasets.Problem) *simProblem {
	sp := &simProblem{p: p, techStems: map[string][]string{}}
	sols := p.Solutions
	if len(sols) == 0 {
		sols = smallRewrites(p)
		sp.generic = len(sols) > 0
	}
	for i := range sols {
		s := &sols[i]
		sp.options = append(sp.options, &option{solution: s, name: s.Name, technique: s.Technique,
			expected: simClass(s.Expected), code: s.Code, norm: normalizeCode(s.Code), sh: shingles(s.Code),
			noteStems: distinct(stems(s.Note))})
		if !slices.Contains(sp.techniques, s.Technique) && s.Technique != "" {
			sp.techniques = append(sp.techniques, s.Technique)
			sp.techStems[s.Technique] = stems(s.Technique)
		}
	}
	sp.options = append(sp.options, &option{name: "baseline", expected: expectBaseline,
		code: p.BaselineCode, norm: normalizeCode(p.BaselineCode), sh: shingles(p.BaselineCode)})
	return sp
}

func (p *simProblem) baseline() *option { return p.options[len(p.options)-1] }

// match returns the option code is most similar to, with the similarity.
func (p *simProblem) match(code string) (*option, float64) {
	norm, sh := normalizeCode(code), shingles(code)
	var best *option
	bestSim := -1.0
	for _, o := range p.options {
		s := 1.0
		if o.norm != norm {
			s = jaccard(sh, o.sh) * 0.99
		}
		if s > bestSim {
			best, bestSim = o, s
		}
	}
	return best, bestSim
}

// New returns the sim over cfg's problems and profiles.
func New(cfg Config) (*Sim, error) {
	ps := cfg.Problems
	if ps == nil {
		var err error
		if ps, err = datasets.Builtin(); err != nil {
			return nil, fmt.Errorf("sim: load the built-in suite: %w", err)
		}
	}
	profiles := cfg.Profiles
	if profiles == nil {
		profiles = Profiles()
	}
	s := &Sim{profiles: map[string]Profile{}, latency: cfg.Latency, seed: cfg.Seed}
	for _, pr := range profiles {
		if !strings.HasPrefix(pr.Model, "sim/") {
			return nil, fmt.Errorf("sim: profile model %q must be named sim/...", pr.Model)
		}
		if pr.Model == EmbedModel {
			return nil, fmt.Errorf("sim: %s is the embedding model's name", EmbedModel)
		}
		for c, v := range pr.Skill {
			if v < 0 || v > 1 {
				return nil, fmt.Errorf("sim: profile %s: skill %g in %s is not in [0, 1]", pr.Model, v, c)
			}
		}
		s.profiles[pr.Model] = pr
	}
	for _, p := range ps {
		if p.Gen != nil {
			s.gen = append(s.gen, newGenProblem(p.Gen))
			continue
		}
		s.problems = append(s.problems, newSimProblem(p))
	}
	if len(s.gen) == 0 {
		// The built-in Python suite, so that serve-sim and a sim team
		// without a run's problems answer generate prompts too.
		if gs, err := datasets.PySuite(); err == nil {
			for _, g := range gs {
				s.gen = append(s.gen, newGenProblem(g))
			}
		}
	}
	return s, nil
}

// Models returns the sim's model names: the chat models, then EmbedModel.
func (s *Sim) Models() []string {
	out := slices.Sorted(maps.Keys(s.profiles))
	return append(out, EmbedModel)
}

// Profile returns the profile of a chat model.
func (s *Sim) Profile(model string) (Profile, bool) {
	p, ok := s.profiles[model]
	return p, ok
}

func (s *Sim) profile(model string) (Profile, error) {
	p, ok := s.profiles[model]
	if !ok {
		return Profile{}, fmt.Errorf("sim: %w %q (sim models: %s)", llm.ErrUnknownModel, model, strings.Join(slices.Sorted(maps.Keys(s.profiles)), ", "))
	}
	return p, nil
}

// recognise finds the problem whose baseline the code blocks show: the
// highest similarity of a block to a baseline, plus 0.5 when the block
// defines the problem's function; at least 0.6 is needed.
func (s *Sim) recognise(blocks []string) *simProblem {
	var best *simProblem
	bestScore := 0.6
	for _, b := range blocks {
		norm, sh := normalizeCode(b), shingles(b)
		for _, p := range s.problems {
			base := p.baseline()
			score := 1.0
			if norm != base.norm {
				score = jaccard(sh, base.sh)
			}
			if p.p.Function != "" && llm.Defines(b, p.p.Function) {
				score += 0.5
			}
			if score > bestScore {
				best, bestScore = p, score
			}
		}
	}
	return best
}

// Choice is one rewrite the sim may answer with, and its probability.
type Choice struct {
	Solution  string            `json:"solution"` // the solution's name; "baseline" for the unchanged code
	Technique string            `json:"technique"`
	Expected  datasets.Expected `json:"expected"` // "baseline" for the unchanged code
	P         float64           `json:"p"`
}

// Distribution returns the choices the sim would draw from to answer req
// (a request for code), with their probabilities, and the problem it
// recognised. It is the ground truth of the sim's behaviour: the profile,
// the evidence in the prompt, the temperature and top_p, applied.
func (s *Sim) Distribution(req llm.Request) ([]Choice, *datasets.Problem, error) {
	prof, err := s.profile(req.Model)
	if err != nil {
		return nil, nil, err
	}
	r, err := s.read(req)
	if err != nil {
		return nil, nil, err
	}
	p := s.recognise(r.recognition())
	if p == nil {
		return nil, nil, fmt.Errorf("sim: no known problem's code in the prompt")
	}
	ps := s.distribution(prof, p, r.evidence(p), req.Temperature, req.TopP)
	out := make([]Choice, len(p.options))
	for i, o := range p.options {
		out[i] = Choice{Solution: o.name, Technique: o.technique, Expected: o.expected, P: ps[i]}
	}
	return out, p.p, nil
}

// distribution is the probability of each of p's options.
func (s *Sim) distribution(prof Profile, p *simProblem, ev []evidence, temperature, topP float64) []float64 {
	skill := prof.SkillIn(p.p.Category)
	affinity := func(o *option) float64 {
		if o.solution == nil {
			return 1
		}
		return prof.AffinityFor(o.technique)
	}
	classAff := map[datasets.Expected]float64{}
	for _, o := range p.options {
		classAff[o.expected] += affinity(o)
	}
	factor := map[string]float64{} // by technique, then by solution
	for _, e := range ev {
		key := e.technique
		if e.solution != "" {
			key = "solution:" + e.solution
		}
		if _, ok := factor[key]; !ok {
			factor[key] = 1
		}
		factor[key] *= e.factor
	}
	w := make([]float64, len(p.options))
	total := 0.0
	for i, o := range p.options {
		mass := skill
		if o.expected != datasets.ExpectFaster {
			mass = (1 - skill) * failShare[o.expected]
		}
		x := 0.0
		if a := affinity(o); a > 0 {
			x = mass * a / classAff[o.expected]
		}
		if o.solution != nil {
			f, byTech := factor[o.technique]
			if !byTech {
				f = 1
			}
			g, bySol := factor["solution:"+o.name]
			if bySol {
				f *= g
			}
			if byTech || bySol {
				x *= min(max(f, minFactor), maxFactor)
			}
		}
		w[i] = x
		total += x
	}
	if total <= 0 {
		for i := range w {
			w[i] = 1
		}
		total = float64(len(w))
	}
	lambda := min(max((temperature-refTemperature)/(2-refTemperature), 0), 1)
	for i := range w {
		w[i] = (1-lambda)*w[i]/total + lambda/float64(len(w))
	}
	if topP > 0 && topP < 1 {
		idx := make([]int, len(w))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool { return w[idx[a]] > w[idx[b]] })
		cum, kept := 0.0, 0.0
		keep := make([]bool, len(w))
		for _, i := range idx {
			if cum >= topP {
				break
			}
			keep[i] = true
			cum += w[i]
			kept += w[i]
		}
		for i := range w {
			if keep[i] {
				w[i] /= kept
			} else {
				w[i] = 0
			}
		}
	}
	return w
}

// rng is the random source of one answer: the request's wire seed, the
// sim's seed, the model and what the reader takes from the request (the
// cues' names and contents; without cues, the messages).
func (s *Sim) rng(req llm.Request, r reader) *rand.Rand {
	return s.rngOf(req, r.fingerprint)
}

// rngOf seeds a random source with the wire seed, the sim's seed, the
// model and what fingerprint writes of the request.
func (s *Sim) rngOf(req llm.Request, fingerprint func(hash.Hash)) *rand.Rand {
	h := sha256.New()
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(req.WireSeed()))
	h.Write(b[:])
	binary.LittleEndian.PutUint64(b[:], uint64(s.seed))
	h.Write(b[:])
	h.Write([]byte(req.Model + "\x00"))
	fingerprint(h)
	sum := h.Sum(nil)
	return rand.New(rand.NewPCG(binary.LittleEndian.Uint64(sum[:8]), binary.LittleEndian.Uint64(sum[8:16])))
}

func draw(rng *rand.Rand, w []float64) int {
	u := rng.Float64()
	cum := 0.0
	last := -1
	for i, x := range w {
		if x <= 0 {
			continue
		}
		last = i
		cum += x
		if u < cum {
			return i
		}
	}
	return last
}

// Chat implements Provider: it answers like the agent of req.Model would.
func (s *Sim) Chat(ctx context.Context, req llm.Request) (llm.Response, error) {
	start := time.Now()
	prof, err := s.profile(req.Model)
	if err != nil {
		return llm.Response{Model: req.Model, Attempts: 1}, err
	}
	if s.latency > 0 {
		t := time.NewTimer(s.latency)
		select {
		case <-ctx.Done():
			t.Stop()
			return llm.Response{Model: req.Model, Attempts: 1, Latency: time.Since(start)}, fmt.Errorf("sim %s: %w", req.Model, ctx.Err())
		case <-t.C:
		}
	}
	text, err := s.answer(prof, req)
	if err != nil {
		return llm.Response{Model: req.Model, Attempts: 1, Latency: time.Since(start)}, fmt.Errorf("sim %s: %w", req.Model, err)
	}
	finish := "stop"
	for _, stop := range req.Stop {
		if i := strings.Index(text, stop); stop != "" && i >= 0 {
			text = text[:i]
		}
	}
	if req.MaxTokens > 0 && llm.EstimateTokens(text) > req.MaxTokens {
		text = strings.ToValidUTF8(text[:req.MaxTokens*4], "")
		finish = "length"
	}
	return llm.Response{
		Text: text, Model: req.Model,
		PromptTokens: llm.EstimatePromptTokens(req.Messages), CompletionTokens: llm.EstimateTokens(text),
		Latency: time.Since(start), FinishReason: finish, Attempts: 1,
	}, nil
}

// taskWriter writes the reply to a request of one task, named by the
// request's task cue (llm.CueTask+NAME); task is that NAME, the category
// of the agent's profile its skill is read in.
type taskWriter func(s *Sim, prof Profile, task string, req llm.Request) string

// taskWriters are the sim's writers by the task cue a request carries:
// generate's (generate.go). A request without a task cue is optimize's
// (answerOptimize); one whose task cue names a task the sim has no writer
// for gets a sentence saying so.
var taskWriters = map[string]taskWriter{llm.CueGenerate: (*Sim).answerGen}

// taskCue is the request's task cue (llm.CueTask+NAME), "" for none.
func taskCue(req llm.Request) string {
	for _, c := range req.Cues {
		if strings.HasPrefix(c.Name, llm.CueTask) {
			return c.Name
		}
	}
	return ""
}

// answer writes the reply text: the writer of the task the request's
// cues name picks what to write from the ask and the other cues.
func (s *Sim) answer(prof Profile, req llm.Request) (string, error) {
	cue := taskCue(req)
	if cue == "" {
		return s.answerOptimize(prof, req)
	}
	task := strings.TrimPrefix(cue, llm.CueTask)
	w, ok := taskWriters[cue]
	if !ok {
		return fmt.Sprintf("The simulator writes no answers for task %s, so it cannot answer. (sim: unknown task %s)", task, task), nil
	}
	return w(s, prof, task, req), nil
}

// answerOptimize writes the reply to an optimize request (C++ code
// optimization).
func (s *Sim) answerOptimize(prof Profile, req llm.Request) (string, error) {
	r, err := s.read(req)
	if err != nil {
		return "", err
	}
	p := s.recognise(r.recognition())
	rng := s.rng(req, r)
	ev := func() []evidence { return r.evidence(p) }
	switch r.ask() {
	case llm.AskPing:
		return "OK", nil
	case llm.AskLesson:
		var o *option
		identity := false
		k, speed := r.outcome()
		if p != nil {
			o, identity = r.lessonCandidate(p)
		}
		return s.writeLesson(p, o, identity, k, speed), nil
	case llm.AskVote:
		return s.writeVote(prof, p, r.candidates(p), rng), nil
	case llm.AskPlan:
		return s.writePlans(prof, p, r.count(), ev, req, rng), nil
	case llm.AskReflect:
		var prev *option
		k := noOutcome
		if p != nil {
			prev, k = r.previous(p)
		}
		return s.writeReflection(prof, p, prev, k, ev, req, rng), nil
	case llm.AskConfidence:
		return s.writeConfidence(prof, p, r, ev, req), nil
	case llm.AskRetrieve:
		return s.writeRetrieval(prof, p, r.count(), ev, req, rng), nil
	}
	if p == nil {
		own := r.own()
		if len(own) == 0 {
			return "There is no code in the request; send the C++ code to optimize in a code block.", nil
		}
		return "I do not see a safe improvement for this code, so here it is unchanged.\n\n" + fence(own[0]), nil
	}
	w := s.distribution(prof, p, ev(), req.Temperature, req.TopP)
	o := p.options[draw(rng, w)]
	switch {
	case o.solution == nil && len(p.p.Solutions) == 0:
		return fmt.Sprintf("The simulator knows no rewrites of `%s`, so here it is unchanged.\n\n%s", p.p.Function, fence(o.code)), nil
	case o.solution == nil:
		return "The code is already close to what the compiler can do well; I keep it as it is.\n\n" + fence(o.code), nil
	case p.generic:
		return fmt.Sprintf("The simulator knows no rewrites of `%s`; here is %s: %s.\n\n%s",
			p.p.Function, genericLabel, o.technique, fence(o.code)), nil
	}
	return fmt.Sprintf("Here is a faster version of `%s` using %s.\n\n%s", p.p.Function, o.technique, fence(o.code)), nil
}

func fence(code string) string {
	return "```c++\n" + strings.TrimRight(code, "\n") + "\n```\n"
}

func speedText(s float64) string {
	if s <= 0 {
		return ""
	}
	return fmt.Sprintf(" (%.2fx)", s)
}

// writeLesson answers a lesson prompt: the technique of the rewrite o
// (identity: the rewrite is the original code) and the outcome the prompt
// reports, in one or two sentences.
func (s *Sim) writeLesson(p *simProblem, o *option, identity bool, k outcome, speed float64) string {
	if k == noOutcome {
		k = significant
	}
	sp := speedText(speed)
	switch {
	case identity:
		return "Lesson: Returning the original code unchanged gives no real speedup" + sp +
			"; a change of algorithm, memory access or parallelism is needed."
	case o == nil:
		verb := map[outcome]string{
			significant: "made the code faster" + sp, slight: "made the code only marginally faster" + sp,
			degrades: "made the code slower" + sp, notEquivalent: "changed the results, so it is not equivalent",
			notCompilable: "does not compile",
		}[k]
		return "Lesson: The rewrite " + verb + "; compare it with the original to see which change caused this."
	}
	note := ""
	if n := strings.Join(strings.Fields(o.solution.Note), " "); n != "" {
		if first := strings.Fields(n)[0]; strings.ToLower(first) == first && strings.Trim(first, "abcdefghijklmnopqrstuvwxyz") == "" {
			n = strings.ToUpper(n[:1]) + n[1:]
		}
		note = " " + n
		if !strings.HasSuffix(note, ".") {
			note += "."
		}
	}
	t := o.technique
	switch k {
	case significant:
		return fmt.Sprintf("Lesson: Applying %s made the code faster%s.%s", t, sp, note)
	case slight:
		return fmt.Sprintf("Lesson: Applying %s gave only a marginal speedup%s; the main cost of the original remains.%s", t, sp, note)
	case degrades:
		return fmt.Sprintf("Lesson: Applying %s made the code slower%s; avoid it here.%s", t, sp, note)
	case notEquivalent:
		return fmt.Sprintf("Lesson: Applying %s broke equivalence: the rewrite does not compute the same results as the original.%s", t, note)
	default:
		return fmt.Sprintf("Lesson: Applying %s produced code that does not compile.%s", t, note)
	}
}

// classRank orders expected outcomes from best to worst, for votes.
var classRank = map[datasets.Expected]int{
	datasets.ExpectFaster: 0, datasets.ExpectNotFaster: 1, expectBaseline: 2,
	datasets.ExpectIncorrect: 3, datasets.ExpectNotCompilable: 4,
}

// writeVote picks a candidate: the best measured one when the prompt shows
// every candidate's speedup; otherwise, with probability equal to the
// agent's skill in the category, a candidate of the best known class,
// else a random one.
func (s *Sim) writeVote(prof Profile, p *simProblem, cands []*shownCandidate, rng *rand.Rand) string {
	if len(cands) == 0 {
		return "Vote: 1\nThere is only one candidate to choose."
	}
	pick := cands[rng.IntN(len(cands))]
	measured := true
	for _, c := range cands {
		measured = measured && c.kind != noOutcome
	}
	switch {
	case measured:
		best := -1.0
		for _, c := range cands {
			if (c.kind == significant || c.kind == slight || c.kind == degrades) && c.speed > best {
				pick, best = c, c.speed
			}
		}
	case p != nil && rng.Float64() < prof.SkillIn(p.p.Category):
		rank := func(c *shownCandidate) int {
			if c.opt == nil {
				return 5
			}
			return classRank[c.opt.expected]
		}
		var top []*shownCandidate
		for _, c := range cands {
			switch {
			case len(top) == 0 || rank(c) < rank(top[0]):
				top = []*shownCandidate{c}
			case rank(c) == rank(top[0]):
				top = append(top, c)
			}
		}
		pick = top[rng.IntN(len(top))]
	}
	why := "it looks like the fastest rewrite that keeps the results the same"
	if pick.opt != nil && pick.opt.solution != nil {
		why += " (it uses " + p.labelled(pick.opt.technique) + ")"
	}
	return fmt.Sprintf("Vote: %d\nCandidate %d: %s.", pick.n, pick.n, why)
}

// techniqueWeights sums the choice probabilities by technique.
func techniqueWeights(p *simProblem, w []float64) map[string]float64 {
	m := map[string]float64{}
	for i, o := range p.options {
		if o.solution != nil && o.technique != "" {
			m[o.technique] += w[i]
		}
	}
	return m
}

// drawTechniques draws up to n distinct techniques by weight.
func drawTechniques(rng *rand.Rand, p *simProblem, tw map[string]float64, n int, skip string) []string {
	var out []string
	left := maps.Clone(tw)
	delete(left, skip)
	for len(out) < n && len(left) > 0 {
		names := slices.Sorted(maps.Keys(left))
		w := make([]float64, len(names))
		for i, t := range names {
			w[i] = left[t]
		}
		i := draw(rng, w)
		if i < 0 {
			break
		}
		out = append(out, names[i])
		delete(left, names[i])
	}
	return out
}

// writePlans answers a request for numbered plans with distinct techniques
// drawn by the agent's profile.
func (s *Sim) writePlans(prof Profile, p *simProblem, n int, ev func() []evidence, req llm.Request, rng *rand.Rand) string {
	var b strings.Builder
	var techs []string
	fn := "the function"
	if p != nil {
		fn = "`" + p.p.Function + "`"
		w := s.distribution(prof, p, ev(), req.Temperature, req.TopP)
		techs = drawTechniques(rng, p, techniqueWeights(p, w), n, "")
	}
	for i := 0; i < n; i++ {
		if i < len(techs) {
			fmt.Fprintf(&b, "Plan %d: Rewrite %s using %s, keeping its signature and results.\n", i+1, fn, p.labelled(techs[i]))
		} else {
			fmt.Fprintf(&b, "Plan %d: Keep the algorithm of %s and cut the work done in its innermost statements.\n", i+1, fn)
		}
	}
	return b.String()
}

// writeReflection names the technique of the previous attempt and its
// result, and suggests what to do next.
func (s *Sim) writeReflection(prof Profile, p *simProblem, prev *option, k outcome, ev func() []evidence, req llm.Request, rng *rand.Rand) string {
	if p == nil {
		return "The previous attempt did not change the cost of the code.\nThe next attempt should change the algorithm or the memory access pattern."
	}
	w := s.distribution(prof, p, ev(), req.Temperature, req.TopP)
	tw := techniqueWeights(p, w)
	if prev == nil {
		next := drawTechniques(rng, p, tw, 1, "")
		if len(next) == 0 {
			return "The previous attempt did not change the cost of the code.\nThe next attempt should change the algorithm."
		}
		return fmt.Sprintf("The previous attempt did not change the cost of the code.\nThe next attempt should use %s.", p.labelled(next[0]))
	}
	result := map[outcome]string{
		noOutcome: "whose result is unknown", significant: "which made the code faster",
		slight: "which made the code only marginally faster", degrades: "which made the code slower",
		notEquivalent: "which broke equivalence with the original", notCompilable: "which does not compile",
	}[k]
	first := fmt.Sprintf("The previous attempt used %s, %s.", p.labelled(prev.technique), result)
	if k == significant {
		return first + fmt.Sprintf("\nThe next attempt should keep %s and trim what is left around it.", prev.technique)
	}
	next := drawTechniques(rng, p, tw, 1, prev.technique)
	if len(next) == 0 {
		return first + fmt.Sprintf("\nThe next attempt should fix the mistake and keep %s.", prev.technique)
	}
	return first + fmt.Sprintf("\nThe next attempt should use %s instead.", p.labelled(next[0]))
}

// writeConfidence answers how likely the plans shown are to make the code
// faster, in the XML MapCoder's verification step asks for: the share of
// the named techniques' weight (under the agent's profile and the
// evidence) that goes to rewrites expected faster, as a percentage; the
// agent's skill in the category when the plans name no known technique.
func (s *Sim) writeConfidence(prof Profile, p *simProblem, r reader, ev func() []evidence, req llm.Request) string {
	conf, about := 50.0, "the plan"
	if p != nil {
		conf = 100 * prof.SkillIn(p.p.Category)
		var techs []string
		for _, pl := range r.plans() {
			techs = append(techs, p.named(pl)...)
		}
		if len(techs) > 0 {
			w := s.distribution(prof, p, ev(), req.Temperature, req.TopP)
			faster, all := 0.0, 0.0
			for i, o := range p.options {
				if o.solution == nil || !slices.Contains(techs, o.technique) {
					continue
				}
				all += w[i]
				if o.expected == datasets.ExpectFaster {
					faster += w[i]
				}
			}
			if all > 0 {
				conf = 100 * faster / all
			}
			about = "a plan using " + p.labelled(techs[0])
		}
	}
	return fmt.Sprintf("<root>\n<explanation>Judged by the simulator from its profile: %s.</explanation>\n<confidence>%d</confidence>\n</root>\n",
		about, int(math.Round(conf)))
}

// writeRetrieval answers MapCoder's retrieval step: n recalled problems,
// each a technique drawn by the agent's profile, with a description, code
// notes and a plan, then the techniques, in the XML the step asks for.
func (s *Sim) writeRetrieval(prof Profile, p *simProblem, n int, ev func() []evidence, req llm.Request, rng *rand.Rand) string {
	var techs []string
	if p != nil {
		w := s.distribution(prof, p, ev(), req.Temperature, req.TopP)
		techs = drawTechniques(rng, p, techniqueWeights(p, w), n, "")
	}
	var b strings.Builder
	b.WriteString("<root>\n")
	for i := 0; i < n; i++ {
		t := "a cheaper algorithm"
		if i < len(techs) {
			t = p.labelled(techs[i])
		}
		fmt.Fprintf(&b, "<problem>\n<description>A similar function, recalled by the simulator, that %s made faster.</description>\n"+
			"<code>Apply %s to the hot loop, keeping the results the same.</code>\n<planning>Plan: rewrite the function using %s.</planning>\n</problem>\n", t, t, t)
	}
	all := "a cheaper algorithm"
	if len(techs) > 0 {
		all = strings.Join(techs, "; ")
	}
	fmt.Fprintf(&b, "<algorithm>Techniques: %s.</algorithm>\n</root>\n", all)
	return b.String()
}

// Embed implements Embedder: each text becomes a hashed bag of its code
// tokens (identifiers cut at underscores and case changes, lower-cased,
// with signed feature hashing into EmbedDim buckets), L2-normalised.
// The same text always gets the same vector; an empty text a zero vector.
func (s *Sim) Embed(_ context.Context, texts []string) ([][]float64, error) {
	out := make([][]float64, len(texts))
	for i, t := range texts {
		out[i] = hashEmbed(t)
	}
	return out, nil
}

func hashEmbed(text string) []float64 {
	v := make([]float64, EmbedDim)
	for _, tok := range embedTokens(text) {
		h := sha256.Sum256([]byte(tok))
		x := binary.LittleEndian.Uint64(h[:8])
		sign := 1.0
		if x>>63 == 1 {
			sign = -1
		}
		v[x%EmbedDim] += sign
	}
	var n float64
	for _, x := range v {
		n += x * x
	}
	if n > 0 {
		n = math.Sqrt(n)
		for i := range v {
			v[i] /= n
		}
	}
	return v
}

// embedTokens splits text into lower-case word tokens, cutting identifiers
// at underscores, digits and lower-to-upper case changes.
func embedTokens(text string) []string {
	var out []string
	var cur []byte
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	var prev byte
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c >= 'A' && c <= 'Z':
			if prev >= 'a' && prev <= 'z' {
				flush()
			}
			cur = append(cur, c)
		case c >= 'a' && c <= 'z':
			cur = append(cur, c)
		default:
			flush()
		}
		prev = c
	}
	flush()
	return out
}
