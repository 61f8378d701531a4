package baselines

import (
	"context"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/lessonlab/lessonl/internal/strategy"
)

// mapcoder: plans, then code and debug per plan.
type mapcoder struct{ Config }

var planRe = regexp.MustCompile(`(?m)^\s*(?:Plan\s*)?(\d+)[.):]\s*`)

// SplitPlans cuts a reply into numbered plans ("Plan 1: ...", "1. ...");
// the whole reply is one plan when it has no numbering.
func SplitPlans(reply string, max int) []string {
	idx := planRe.FindAllStringIndex(reply, -1)
	if len(idx) == 0 {
		return []string{strings.TrimSpace(reply)}
	}
	var plans []string
	for i, loc := range idx {
		end := len(reply)
		if i+1 < len(idx) {
			end = idx[i+1][0]
		}
		if p := strings.TrimSpace(reply[loc[1]:end]); p != "" {
			plans = append(plans, p)
		}
	}
	if len(plans) > max {
		plans = plans[:max]
	}
	return plans
}

// codeData is what a MapCoder code prompt shows.
type codeData struct {
	Task      strategy.Task
	Plan      string
	Algorithm string
	Prev      *strategy.Attempt
	Outcome   string // paper: the authors' sentence on Prev's outcome
	Log       string // paper: the evaluator's report on Prev
}

func (m mapcoder) Solve(ctx context.Context, env *strategy.Env) (strategy.Result, error) {
	if m.paper() {
		return m.solvePaper(ctx, env)
	}
	a := env.Agents[0]
	task := env.Task()
	pcall, err := env.Ask(ctx, a, 0, "plan", m.request("mapcoder-plan", struct {
		Task  strategy.Task
		Plans int
	}{task, m.Plans}, m.Temperature))
	if err != nil {
		return strategy.Result{}, strategy.StopErr(ctx, err)
	}
	var all []*strategy.Candidate
	var res strategy.Result
	for pi, plan := range SplitPlans(pcall.Reply.Text, m.Plans) {
		d := codeData{Task: task, Plan: plan}
		for it := 0; it < m.Iterations; it++ {
			purpose := "code"
			if it > 0 {
				purpose = "debug"
			}
			c, _, err := propose(ctx, env, a, pi*m.Iterations+it+1, purpose, m.request("mapcoder-code", d, m.Temperature))
			if c != nil {
				all = append(all, c)
			}
			if fatal(ctx, err) {
				res.Final = strategy.Best(all...)
				return res, strategy.StopErr(ctx, err)
			}
			if c != nil && c.OK() && c.Speedup() >= 1.1 {
				break
			}
			if c != nil {
				d.Prev = strategy.AttemptOf(c)
			}
		}
		res.Rounds = append(res.Rounds, strategy.Best(all...).Speedup())
	}
	res.Final = strategy.Best(all...)
	return res, nil
}

// Exemplar is one similar problem MapCoder's retrieval recalls.
type Exemplar struct{ Description, Planning string }

// Knowledge is a parsed retrieval reply.
type Knowledge struct {
	Exemplars []Exemplar
	Algorithm string
}

var (
	xmlFenceRe = regexp.MustCompile("```(?:xml)?")
	problemRe  = regexp.MustCompile(`(?s)<problem>(.*?)</problem>`)
)

func xmlField(s, tag string) string {
	re := regexp.MustCompile(`(?s)<` + tag + `>(.*?)</` + tag + `>`)
	m := re.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	v := strings.TrimSpace(m[1])
	v = strings.TrimPrefix(v, "<![CDATA[")
	return strings.TrimSpace(strings.TrimSuffix(v, "]]>"))
}

// ParseKnowledge reads a retrieval reply: <problem> elements with a
// <description> and a <planning>, and an <algorithm>. It fails (false)
// when no problem has both, the case in which the authors' code asks
// again.
func ParseKnowledge(reply string) (Knowledge, bool) {
	reply = xmlFenceRe.ReplaceAllString(reply, "")
	var k Knowledge
	for _, m := range problemRe.FindAllStringSubmatch(reply, -1) {
		e := Exemplar{Description: xmlField(m[1], "description"), Planning: xmlField(m[1], "planning")}
		if e.Description != "" && e.Planning != "" {
			k.Exemplars = append(k.Exemplars, e)
		}
	}
	k.Algorithm = xmlField(reply, "algorithm")
	return k, len(k.Exemplars) > 0
}

var confidenceRe = regexp.MustCompile(`(?s)<confidence>\s*(-?\d+)`)

// ParseConfidence reads <confidence>N</confidence>; 0 when absent (the
// authors' code would stop with an exception).
func ParseConfidence(reply string) int {
	m := confidenceRe.FindStringSubmatch(reply)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

var numberWords = []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}

// solvePaper is the authors' MapCoder: a retrieval call (asked again
// until its XML parses with at least two problems, here at most
// RetrieveAttempts times), a planning and a confidence call per recalled
// problem, plans by confidence, then per plan one code call and
// Iterations improvement calls, each fed the report of the previous code
// evaluated once more, without early stop. The answer is the highest raw
// speedup, evaluated again fresh.
func (m mapcoder) solvePaper(ctx context.Context, env *strategy.Env) (strategy.Result, error) {
	a := env.Agents[0]
	task := env.Task()
	var res strategy.Result
	kw := strconv.Itoa(m.Plans)
	if m.Plans < len(numberWords) {
		kw = numberWords[m.Plans] + " (0" + kw + ")"
	}
	kreq := m.request("mapcoder-retrieve", struct {
		Task   strategy.Task
		K      int
		KWords string
	}{task, m.Plans, kw}, m.Temperature)
	var kb Knowledge
	for attempt := 0; attempt < m.RetrieveAttempts; attempt++ {
		call, err := env.Ask(ctx, a, 0, "retrieve", kreq)
		if fatal(ctx, err) {
			return res, strategy.StopErr(ctx, err)
		}
		if err != nil {
			continue
		}
		if k, ok := ParseKnowledgePaper(call.Reply.Text); ok {
			kb = k
			break
		}
	}
	// Every recalled problem gets a plan, however many were asked for.
	exemplars := kb.Exemplars
	for len(exemplars) < m.Plans && len(kb.Exemplars) == 0 {
		exemplars = append(exemplars, Exemplar{}) // nothing recalled: plan without an exemplar
	}
	type plan struct {
		text       string
		confidence int
	}
	var plans []plan
	for _, ex := range exemplars {
		pcall, err := env.Ask(ctx, a, 0, "plan", m.request("mapcoder-plan", struct {
			Task      strategy.Task
			Example   Exemplar
			Algorithm string
		}{task, ex, kb.Algorithm}, m.Temperature))
		if fatal(ctx, err) {
			return res, strategy.StopErr(ctx, err)
		}
		if err != nil {
			continue
		}
		ccall, err := env.Ask(ctx, a, 0, "confidence", m.request("mapcoder-confidence", codeData{Task: task, Plan: pcall.Reply.Text}, m.Temperature))
		if fatal(ctx, err) {
			return res, strategy.StopErr(ctx, err)
		}
		plans = append(plans, plan{pcall.Reply.Text, ParseConfidence(ccall.Reply.Text)})
	}
	sort.SliceStable(plans, func(i, j int) bool { return plans[i].confidence > plans[j].confidence })

	var all []*strategy.Candidate
	for pi, p := range plans {
		d := codeData{Task: task, Plan: p.text, Algorithm: kb.Algorithm}
		name, purpose := "mapcoder-code", "code"
		for it := 0; it <= m.Iterations; it++ {
			round := pi*(m.Iterations+1) + it + 1
			c, _, err := propose(ctx, env, a, round, purpose, m.request(name, d, m.Temperature))
			if c != nil {
				all = append(all, c)
			}
			if fatal(ctx, err) {
				return res, strategy.StopErr(ctx, err)
			}
			if c != nil && it < m.Iterations {
				// The authors submit the code again before each
				// improvement and show that run's feedback; the run
				// chooses nothing.
				again, err := env.Reevaluate(ctx, c, round)
				if err != nil {
					return res, err
				}
				d.Prev, d.Log, d.Outcome = strategy.AttemptOf(again), paperLog(again), improveOutcome(again)
				name, purpose = "mapcoder-improve", "debug"
			}
		}
		res.Rounds = append(res.Rounds, strategy.Best(all...).Speedup())
	}
	f, err := m.final(ctx, env, len(plans)*(m.Iterations+1)+1, all...)
	res.Final = f
	return res, err
}

// improveOutcome is the authors' sentence on the last code's outcome in
// the improvement prompt.
func improveOutcome(c *strategy.Candidate) string {
	switch {
	case c.OK():
		return "The generated code is correct, but the generated code is not fast enough."
	case c.Status == "not_compilable" || c.Status == "no_code":
		return "But the generated code is not compilable."
	}
	return "The generated code is compilable, but the code is not correct."
}
