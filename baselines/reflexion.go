package baselines

import (
	"context"
	"fmt"

	"github.com/lessonlab/lessonl/internal/strategy"
)

// reflexion: rewrite, evaluate, reflect, repeat.
type reflexion struct{ Config }

// reflexionData is what both reflexion prompts show.
type reflexionData struct {
	Task       strategy.Task
	Prev       *strategy.Attempt
	Reflection string
	Best       float64 // lessonl: the best correct speedup so far, 0 for none
	// The authors' wording of the previous attempt's result (paper).
	Tag, Speedup, Pace, Log string
}

func (r reflexion) Solve(ctx context.Context, env *strategy.Env) (strategy.Result, error) {
	if r.paper() {
		return r.solvePaper(ctx, env)
	}
	a := env.Agents[0]
	task := env.Task()
	var all []*strategy.Candidate
	var res strategy.Result
	data := reflexionData{Task: task}
	for round := 0; round < r.Rounds; round++ {
		c, _, err := propose(ctx, env, a, round, "optimize", r.request("reflexion-optimize", data, r.Temperature))
		if c != nil {
			all = append(all, c)
		}
		res.Rounds = append(res.Rounds, strategy.Best(all...).Speedup())
		if fatal(ctx, err) {
			res.Final = strategy.Best(all...)
			return res, strategy.StopErr(ctx, err)
		}
		if round == r.Rounds-1 {
			break
		}
		if err != nil {
			continue // the agent failed this round; try again
		}
		prev := strategy.AttemptOf(c)
		rcall, err := env.Ask(ctx, a, round, "reflect", r.request("reflexion-reflect", reflexionData{Task: task, Prev: prev}, r.Temperature))
		if fatal(ctx, err) {
			res.Final = strategy.Best(all...)
			return res, strategy.StopErr(ctx, err)
		}
		data = reflexionData{Task: task, Prev: prev, Best: strategy.Best(all...).Speedup()}
		if err == nil {
			data.Reflection = rcall.Reply.Text
		}
	}
	res.Final = strategy.Best(all...)
	return res, nil
}

// paperPromptChars is where the authors cut reflexion's prompts.
const paperPromptChars = 3500

// solvePaper is the authors' loop: one rewrite, then max_iter times:
// evaluate the latest code, reflect on it, rewrite. The answer is the
// code written right after the best-scoring attempt, evaluated fresh.
func (r reflexion) solvePaper(ctx context.Context, env *strategy.Env) (strategy.Result, error) {
	a := env.Agents[0]
	task := env.Task()
	var res strategy.Result
	var all []*strategy.Candidate
	cur, err := env.Ask(ctx, a, 0, "optimize", r.request("reflexion-optimize", reflexionData{Task: task}, r.Temperature))
	if err != nil {
		return res, strategy.StopErr(ctx, err)
	}
	submit, best := cur, -1.0
	for it := 0; it < r.Rounds; it++ {
		c, err := env.Evaluate(ctx, cur, it)
		if err != nil {
			return res, err
		}
		all = append(all, c)
		res.Rounds = append(res.Rounds, strategy.Best(all...).Speedup())
		d := paperAttempt(task, c)
		rreq := r.request("reflexion-reflect", d, r.Temperature)
		rreq.FrequencyPenalty = 0.5
		rcall, err := env.Ask(ctx, a, it, "reflect", strategy.Truncate(rreq, paperPromptChars))
		if fatal(ctx, err) {
			break
		}
		if err == nil {
			d.Reflection = rcall.Reply.Text
		}
		next, err := env.Ask(ctx, a, it+1, "optimize", strategy.Truncate(r.request("reflexion-optimize", d, r.Temperature), paperPromptChars))
		if fatal(ctx, err) {
			break
		}
		if err != nil {
			continue // the agent failed: the same code is evaluated again
		}
		if s := c.Speedup(); s > best {
			best, submit = s, next
		}
		cur = next
	}
	if ctx.Err() != nil {
		return res, ctx.Err()
	}
	f, err := env.EvaluateFresh(ctx, submit, r.Rounds)
	res.Final = f
	return res, err
}

// paperAttempt describes an evaluated attempt in the authors' terms: a
// tag, the speedup or None, a pace, and the execution log (the first 7
// lines of compiler output when it did not build).
func paperAttempt(task strategy.Task, c *strategy.Candidate) reflexionData {
	d := reflexionData{Task: task, Prev: strategy.AttemptOf(c), Speedup: "None", Pace: "slower", Log: paperLog(c)}
	switch {
	case c.OK():
		d.Tag, d.Speedup = "CORRECT", fmt.Sprintf("%.2f", c.Speedup())
		switch s := c.Speedup(); {
		case s >= 1.1:
			d.Pace = "significantly faster"
		case s >= 1:
			d.Pace = "slightly faster"
		default:
			d.Pace = ""
		}
	case c.Status == "not_compilable" || c.Status == "no_code":
		d.Tag = "NOT_COMPILABLE"
	default:
		d.Tag = "INCORRECT"
	}
	return d
}

// paperLog is the execution feedback the authors' Reflexion and MapCoder
// prompts carry: process_execution_feedback of the driver's stdout. For
// code that does not build it is empty (their reader waits for "--- CODE
// FILE ---", which the driver never prints); for wrong code the stdout,
// whose verdict line is "--- INCORRECT ---"; for correct code the stdout,
// whose verdict line is "valid run runtime: …, best sequential runtime:
// …, speedup: …" in seconds, printed as Python floats. The rest of their
// stdout (each run's wall time, the run's repr) is not reproduced.
func paperLog(c *strategy.Candidate) string {
	switch {
	case c.Status == "no_code", c.Status == "not_compilable":
		return ""
	case c.OK():
		o := c.Timed()
		cand, base := float64(o.CandidateNS)/1e9, float64(o.BaselineNS)/1e9
		return fmt.Sprintf("valid run runtime: %s, best sequential runtime: %s, speedup: %s",
			strategy.PyFloat(cand), strategy.PyFloat(base), strategy.PyFloat(c.Speedup()))
	}
	return "--- INCORRECT ---"
}
