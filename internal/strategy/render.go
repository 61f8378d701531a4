package strategy

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"text/template"
	"unicode/utf8"

	"github.com/lessonlab/lessonl/internal/llm"
)

// Prompts are text/template files, one set per protocol. The set shared
// by every strategy lives under prompts/<protocol>/ here; each strategy
// package embeds its own under the same layout, and a spec's prompts:
// folder may replace any template by a file of the same name.
//
// A template marks what a simulator reads with cues: {{cue NAME TEXT}}
// wraps TEXT, {{open NAME}}...{{close}} wraps what lies between. Render
// strips the marks (private-use code points U+E000-U+E002, never sent)
// and returns each marked span as an llm.Cue. Every request carries
// exactly one Ask cue (llm.AskOptimize, llm.AskLesson, ...).
//
//go:embed prompts
var commonPrompts embed.FS

const (
	markOpen  = '\uE000' // starts a cue: the name follows, up to markName
	markName  = '\uE001' // ends a cue's name; its text follows
	markClose = '\uE002' // ends the innermost open cue
)

// Prompts is the template set of one protocol for one strategy package.
type Prompts struct {
	Protocol string
	t        *template.Template
}

// funcs are the functions templates may call.
var funcs = template.FuncMap{
	"cue":        func(name, text string) string { return open(name) + text + string(markClose) },
	"open":       open,
	"close":      func() string { return string(markClose) },
	"fence":      Fence,
	"firstLines": func(n int, s string) string { return FirstLines(s, n) },
	"headLines":  headLines,
	"oneLine":    func(s string) string { return strings.Join(strings.Fields(s), " ") },
	"trim":       strings.TrimSpace,
	"trimRight":  func(s string) string { return strings.TrimRight(s, "\n") },
	"add":        func(a, b int) int { return a + b },
	"speed":      func(s float64) string { return fmt.Sprintf("%.2f", s) },
	"pyfloat":    PyFloat,
	"dict":       dict,
}

// dict makes a map of its key, value arguments, to pass several values
// to a {{template}}.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, errors.New("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// headLines keeps the first n lines of s, without marking the cut (as
// the authors' code cuts compiler output).
func headLines(n int, s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}

func open(name string) string { return string(markOpen) + name + string(markName) }

// LoadPrompts reads the templates of protocol: the shared set, then pkg's
// (a strategy package's embedded prompts folder), then the files of dir
// when it is not "". The lessonl set is read first under every protocol,
// so that a protocol only writes the templates it changes.
func LoadPrompts(pkg fs.FS, protocol, dir string) (*Prompts, error) {
	t := template.New("").Funcs(funcs).Option("missingkey=error")
	sets := []string{ProtocolLessonl}
	if protocol != ProtocolLessonl {
		sets = append(sets, protocol)
	}
	for _, set := range sets {
		for _, src := range []fs.FS{commonPrompts, pkg} {
			if err := parseDir(t, src, "prompts/"+set); err != nil {
				return nil, err
			}
		}
	}
	if dir != "" {
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("prompts folder: %w", err)
		}
		if err := parseDir(t, os.DirFS(dir), "."); err != nil {
			return nil, fmt.Errorf("prompts folder %s: %w", dir, err)
		}
	}
	return &Prompts{Protocol: protocol, t: t}, nil
}

// MustLoadPrompts is LoadPrompts for the embedded sets, which tests keep
// valid; it panics on an error.
func MustLoadPrompts(pkg fs.FS, protocol string) *Prompts {
	p, err := LoadPrompts(pkg, protocol, "")
	if err != nil {
		panic(err)
	}
	return p
}

func parseDir(t *template.Template, fsys fs.FS, dir string) error {
	names, err := fs.Glob(fsys, path.Join(dir, "*.tmpl"))
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		base := strings.TrimSuffix(path.Base(name), ".tmpl")
		// A file defines the template of its name (and any {{define}}s).
		if _, err := t.New(base).Parse(string(b)); err != nil {
			return fmt.Errorf("%s: %w", filepath.FromSlash(name), err)
		}
	}
	return nil
}

// Render renders template name with data as a request's messages: a
// system message from "name.system" (or the set's "system") when that
// renders to anything, then the user message from name. Cues are read
// and stripped.
func (p *Prompts) Render(name string, data any) (llm.Request, error) {
	var req llm.Request
	sys := name + ".system"
	if p.t.Lookup(sys) == nil {
		sys = "system"
	}
	for _, part := range []struct{ role, tmpl string }{{"system", sys}, {"user", name}} {
		if p.t.Lookup(part.tmpl) == nil {
			if part.role == "system" {
				continue
			}
			return req, fmt.Errorf("prompt %s (%s protocol): no such template", name, p.Protocol)
		}
		var b bytes.Buffer
		if err := p.t.ExecuteTemplate(&b, part.tmpl, data); err != nil {
			return req, fmt.Errorf("prompt %s: %w", part.tmpl, err)
		}
		if part.role == "system" && strings.TrimSpace(b.String()) == "" {
			continue
		}
		text, cues, err := stripCues(b.String(), len(req.Messages))
		if err != nil {
			return req, fmt.Errorf("prompt %s: %w", part.tmpl, err)
		}
		req.Messages = append(req.Messages, llm.Message{Role: part.role, Content: text})
		req.Cues = append(req.Cues, cues...)
	}
	asks := 0
	for _, c := range req.Cues {
		if strings.HasPrefix(c.Name, "ask/") {
			asks++
		}
	}
	if asks != 1 {
		return req, fmt.Errorf("prompt %s (%s protocol): %d ask cues, want exactly 1", name, p.Protocol, asks)
	}
	return req, nil
}

// MustRender is Render for the embedded templates, whose rendering the
// golden tests check for every strategy; a failure is a bug, not input.
// Templates from a spec's prompts folder are checked when loaded.
func (p *Prompts) MustRender(name string, data any) llm.Request {
	r, err := p.Render(name, data)
	if err != nil {
		panic(err)
	}
	return r
}

// stripCues removes the cue marks from text and returns the spans they
// marked, in byte offsets of the stripped text.
func stripCues(text string, msg int) (string, []llm.Cue, error) {
	var out strings.Builder
	type openCue struct {
		name  string
		start int
	}
	var stack []openCue
	var cues []llm.Cue
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= 0x80 {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		switch r {
		case markOpen:
			j := strings.IndexRune(text[i:], markName)
			if j < 0 {
				return "", nil, errors.New("cue without a name end")
			}
			stack = append(stack, openCue{name: text[i+size : i+j], start: out.Len()})
			i += j + len(string(markName))
			continue
		case markName:
			return "", nil, errors.New("stray cue name mark")
		case markClose:
			if len(stack) == 0 {
				return "", nil, errors.New("cue closed twice")
			}
			c := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			cues = append(cues, llm.Cue{Name: c.name, Message: msg, Start: c.start, End: out.Len()})
		default:
			out.WriteString(text[i : i+size])
		}
		i += size
	}
	if len(stack) > 0 {
		return "", nil, fmt.Errorf("cue %q not closed", stack[len(stack)-1].name)
	}
	sort.SliceStable(cues, func(a, b int) bool { return cues[a].Start < cues[b].Start })
	return out.String(), cues, nil
}

// Truncate cuts the last message of req to its first n characters (code
// points), as the authors' reflexion cuts its prompts, and clips the cues
// to what is left.
func Truncate(req llm.Request, n int) llm.Request {
	last := len(req.Messages) - 1
	if last < 0 || utf8.RuneCountInString(req.Messages[last].Content) <= n {
		return req
	}
	text := req.Messages[last].Content
	cut, count := 0, 0
	for i := range text {
		if count == n {
			cut = i
			break
		}
		count++
	}
	msgs := append([]llm.Message(nil), req.Messages...)
	msgs[last].Content = text[:cut]
	var cues []llm.Cue
	for _, c := range req.Cues {
		if c.Message == last {
			if c.Start >= cut {
				continue
			}
			c.End = min(c.End, cut)
		}
		cues = append(cues, c)
	}
	req.Messages, req.Cues = msgs, cues
	return req
}
