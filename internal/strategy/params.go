package strategy

import (
	"fmt"
	"math"
	"sort"
)

// ParamError names the parameter of a strategy that is wrong, so the spec
// loader can point at its line.
type ParamError struct {
	Key string
	Msg string
}

func (e *ParamError) Error() string { return fmt.Sprintf("param %s: %s", e.Key, e.Msg) }

// Params reads a strategy's parameters from a spec's params map, with
// defaults and bounds; the first problem is kept and returned by Err,
// together with any key that no one read.
type Params struct {
	m        map[string]any
	read     map[string]bool
	defaults map[string]any
	used     map[string]any
	err      error
}

// NewParams wraps a params map (nil is an empty one).
func NewParams(m map[string]any) *Params {
	return &Params{m: m, read: map[string]bool{}, defaults: map[string]any{}, used: map[string]any{}}
}

// Resolved returns every parameter read so far with the value the reader
// returned: the params map's where it set one, the default elsewhere. It
// is what the strategy runs with, as the run records it per cell.
func (p *Params) Resolved() map[string]any {
	out := make(map[string]any, len(p.used))
	for k, v := range p.used {
		out[k] = v
	}
	return out
}

// Defaults returns every parameter read so far with its default value.
func (p *Params) Defaults() map[string]any {
	out := make(map[string]any, len(p.defaults))
	for k, v := range p.defaults {
		out[k] = v
	}
	return out
}

func (p *Params) fail(key, format string, args ...any) {
	if p.err == nil {
		p.err = &ParamError{Key: key, Msg: fmt.Sprintf(format, args...)}
	}
}

// Int reads an integer parameter of at least lo.
func (p *Params) Int(key string, def, lo int) int {
	v := p.intValue(key, def, lo)
	p.used[key] = v
	return v
}

func (p *Params) intValue(key string, def, lo int) int {
	p.read[key], p.defaults[key] = true, def
	v, ok := p.m[key]
	if !ok {
		return def
	}
	var n int
	switch x := v.(type) {
	case int:
		n = x
	case int64:
		n = int(x)
	case uint64:
		n = int(x)
	case float64:
		if x != math.Trunc(x) {
			p.fail(key, "want an integer, got %v", v)
			return def
		}
		n = int(x)
	default:
		p.fail(key, "want an integer, got %v", v)
		return def
	}
	if n < lo {
		p.fail(key, "must be at least %d, got %d", lo, n)
		return def
	}
	return n
}

// Float reads a number in [lo, hi].
func (p *Params) Float(key string, def, lo, hi float64) float64 {
	v := p.floatValue(key, def, lo, hi)
	p.used[key] = v
	return v
}

func (p *Params) floatValue(key string, def, lo, hi float64) float64 {
	p.read[key], p.defaults[key] = true, def
	v, ok := p.m[key]
	if !ok {
		return def
	}
	var f float64
	switch x := v.(type) {
	case int:
		f = float64(x)
	case int64:
		f = float64(x)
	case uint64:
		f = float64(x)
	case float64:
		f = x
	default:
		p.fail(key, "want a number, got %v", v)
		return def
	}
	if f < lo || f > hi {
		p.fail(key, "must be between %g and %g, got %g", lo, hi, f)
		return def
	}
	return f
}

// Bool reads a boolean parameter.
func (p *Params) Bool(key string, def bool) bool {
	v := p.boolValue(key, def)
	p.used[key] = v
	return v
}

func (p *Params) boolValue(key string, def bool) bool {
	p.read[key], p.defaults[key] = true, def
	v, ok := p.m[key]
	if !ok {
		return def
	}
	b, ok := v.(bool)
	if !ok {
		p.fail(key, "want true or false, got %v", v)
		return def
	}
	return b
}

// String reads a string parameter, one of allowed when allowed is given.
func (p *Params) String(key, def string, allowed ...string) string {
	v := p.stringValue(key, def, allowed...)
	p.used[key] = v
	return v
}

func (p *Params) stringValue(key, def string, allowed ...string) string {
	p.read[key], p.defaults[key] = true, def
	v, ok := p.m[key]
	if !ok {
		return def
	}
	s, ok := v.(string)
	if !ok {
		p.fail(key, "want a string, got %v", v)
		return def
	}
	if len(allowed) > 0 {
		for _, a := range allowed {
			if s == a {
				return s
			}
		}
		p.fail(key, "unknown value %q (want one of %v)", s, allowed)
		return def
	}
	return s
}

// Err returns the first bad parameter, or an unknown one.
func (p *Params) Err() error {
	if p.err != nil {
		return p.err
	}
	var unknown []string
	for k := range p.m {
		if !p.read[k] {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		known := make([]string, 0, len(p.read))
		for k := range p.read {
			known = append(known, k)
		}
		sort.Strings(known)
		return &ParamError{Key: unknown[0], Msg: fmt.Sprintf("unknown parameter (known: %v)", known)}
	}
	return nil
}
