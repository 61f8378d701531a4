package view

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/lessonlab/lessonl/internal/record"
)

// maxHits bounds a search's results.
const maxHits = 200

// hit is one LLM call whose prompt or reply holds the searched text.
type hit struct {
	Cell                   *cellRef
	Label                  string
	CallID, Agent, Purpose string
	Where                  string // prompt or reply
	Before, Match, After   string // the text around the match
}

type searchPage struct {
	page
	Query string
	Hits  []hit
	More  bool // more than maxHits matched
}

// search finds q (case-insensitively) in every recorded prompt and reply.
func (s *Site) search(q string) (*searchPage, error) {
	p := &searchPage{page: page{Title: "search · lessonl runs", Simulated: s.rep.Runs.Simulated(), Banner: s.banner()}, Query: q}
	if strings.TrimSpace(q) == "" {
		return p, nil
	}
	byKey := map[string]*cellRef{}
	var dirs []string
	for _, c := range s.cells {
		if _, ok := byKey[c.Dir]; !ok {
			dirs = append(dirs, c.Dir)
			byKey[c.Dir] = nil
		}
		byKey[c.Dir+"\x00"+c.Key()] = c
	}
	needle := strings.ToLower(q)
	for _, d := range dirs {
		calls, err := record.Read[record.LLMCall](d, record.TableLLMCalls)
		if err != nil {
			return nil, fmt.Errorf("search %s: %w", d, err)
		}
		for _, call := range calls {
			c := byKey[d+"\x00"+record.Key(call.Strategy, call.Variant, call.ProblemID, call.Seed)]
			if c == nil {
				continue
			}
			for _, f := range []struct{ where, text string }{{"prompt", promptText(call.Prompt)}, {"reply", call.Reply}} {
				i := strings.Index(strings.ToLower(f.text), needle)
				if i < 0 {
					continue
				}
				if len(p.Hits) == maxHits {
					p.More = true
					return p, nil
				}
				lo, hi := runeStart(f.text, max(0, i-80)), runeStart(f.text, min(len(f.text), i+len(q)+80))
				p.Hits = append(p.Hits, hit{Cell: c, Label: label(c.Result.Strategy, c.Result.Variant), CallID: call.CallID,
					Agent: call.Agent, Purpose: call.Purpose, Where: f.where,
					Before: f.text[lo:i], Match: f.text[i : i+len(q)], After: f.text[i+len(q) : hi]})
				break
			}
		}
	}
	return p, nil
}

// promptText is a recorded prompt as its messages read: each message's
// role and text, not the JSON they are stored as (so "\n" is a line
// break and "\u003cvector\u003e" is "<vector>"), and a search matches
// what the model read.
func promptText(prompt string) string {
	var msgs []message
	if json.Unmarshal([]byte(prompt), &msgs) != nil {
		return prompt
	}
	var b strings.Builder
	for i, m := range msgs {
		if i > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString("[" + m.Role + "] " + m.Content)
	}
	return b.String()
}

// runeStart moves i back to the start of the UTF-8 character it is in.
func runeStart(s string, i int) int {
	for i > 0 && i < len(s) && !utf8.RuneStart(s[i]) {
		i--
	}
	return i
}
