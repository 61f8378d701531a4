package evaluate

import (
	"fmt"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
)

// A Setting is one evaluator setting a user writes: a field of Config,
// with its key in a spec's evaluation block (the field's yaml tag), its
// command-line flag and the flag's help. Its default is the field's value
// in Defaults.
type Setting struct {
	Key   string // the key under a spec's evaluation:; "" for a flag alone
	Flag  string // the CLI flag, without dashes; "" for a spec key alone
	Usage string // the flag's help
	// Shown is the default as the flag's help shows it, where it is no
	// plain value of the field ("adaptive, 20 to 40"); "" shows the field's
	// value in Defaults.
	Shown string
	// Field points at the setting in c: a *string, *[]string (a flag of
	// space-separated words), *int, *float64, *bool or *Duration.
	Field func(c *Config) any
}

// Settings are the evaluator settings a spec or the CLI writes, in the
// order of the CLI's flags. A spec's keys are the yaml tags of Config.
func Settings() []Setting {
	d := Defaults()
	return []Setting{
		{Key: "compiler", Flag: "compiler", Usage: "C++ compiler", Field: func(c *Config) any { return &c.Compiler }},
		{Key: "flags", Flag: "flags", Usage: "compiler flags, space separated", Field: func(c *Config) any { return &c.Flags }},
		{Key: "mode", Flag: "mode", Usage: "serial or openmp", Field: func(c *Config) any { return &c.Mode }},
		{Key: "threads", Flag: "threads", Usage: "OpenMP threads in openmp mode", Field: func(c *Config) any { return &c.Threads }},
		{Key: "repetitions", Flag: "reps", Usage: "a fixed number of timed pairs", Shown: fmt.Sprintf("adaptive, %d to %d", d.MinReps, d.MaxReps),
			Field: func(c *Config) any { return &c.Repetitions }},
		{Key: "warmup", Field: func(c *Config) any { return &c.Warmup }},
		{Key: "timeout", Flag: "timeout", Usage: "wall-clock limit of each compile and each run phase", Field: func(c *Config) any { return &c.Timeout }},
		{Key: "slots", Field: func(c *Config) any { return &c.Slots }},
		{Key: "memory_gib", Flag: "memory-gib", Usage: "memory limit of a candidate's run in GiB (its control group and its address space)",
			Field: func(c *Config) any { return &c.MemoryGiB }},
		{Key: "timing", Flag: "timing", Usage: "timing protocol: paired (lessonl's) or paper (the authors': 10 seeds × 11 calls per side, median of all)",
			Field: func(c *Config) any { return &c.Timing }},
		{Flag: "verdict-only", Usage: "compile and validate only, no timing (a correct candidate gets no speedup)", Field: func(c *Config) any { return &c.VerdictOnly }},
		{Flag: "no-checked-build", Usage: "skip the checked validation build (bounds checks, AddressSanitizer, UBSan)", Field: func(c *Config) any { return &c.NoCheckedBuild }},
		{Key: "strict_validation", Flag: "strict-validation", Usage: "also compare the candidate's whole output with the baseline's where a benchmark's own validate() checks less (ParEval)",
			Field: func(c *Config) any { return &c.StrictValidation }},
		{Key: "run_to_run", Flag: "run-to-run", Usage: "relative standard deviation between fresh evaluations of identical code, added to every interval (bench precision measures it; negative: none)",
			Field: func(c *Config) any { return &c.RunToRun }},
		{Key: "fresh", Field: func(c *Config) any { return &c.Fresh }},
	}
}

// SettingError is a setting whose value the evaluator refuses; Key is the
// setting's spec key.
type SettingError struct {
	Key string
	Msg string
}

// SettingErrors are every refused setting of a Config.
type SettingErrors []SettingError

func (e SettingErrors) Error() string {
	s := make([]string, len(e))
	for i, se := range e {
		s[i] = se.Key + ": " + se.Msg
	}
	return strings.Join(s, "; ")
}

// Check reports every setting a spec or the CLI can write whose value the
// evaluator refuses (a zero value is its default and always valid), as
// SettingErrors; nil when there is none. New checks its Config, a spec
// its evaluation block and the CLI its flags, alike.
func (c *Config) Check() error {
	var errs SettingErrors
	fail := func(key, format string, args ...any) {
		errs = append(errs, SettingError{Key: key, Msg: fmt.Sprintf(format, args...)})
	}
	switch c.Mode {
	case "", ModeSerial, ModeOpenMP:
	default:
		fail("mode", "unknown mode %q (want %s or %s)", c.Mode, ModeSerial, ModeOpenMP)
	}
	switch c.Timing {
	case "", TimingPaired, TimingPaper:
	default:
		fail("timing", "unknown protocol %q (want %s or %s)", c.Timing, TimingPaired, TimingPaper)
	}
	for _, n := range []struct {
		key string
		v   int
	}{{"threads", c.Threads}, {"repetitions", c.Repetitions}, {"warmup", c.Warmup}, {"slots", c.Slots}, {"memory_gib", c.MemoryGiB}} {
		if n.v < 0 {
			fail(n.key, "must not be negative, got %d", n.v)
		}
	}
	if c.RunToRun >= 0.5 {
		fail("run_to_run", "is a relative standard deviation such as 0.005, got %g", c.RunToRun)
	}
	if c.Repetitions == 1 || c.Repetitions == 2 {
		fail("repetitions", "at least 3 timed pairs are needed for an interval, got %d", c.Repetitions)
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// Duration is a time.Duration written as "60s" or "200ms" in YAML and
// JSON.
type Duration time.Duration

// UnmarshalYAML implements yaml.BytesUnmarshaler.
func (d *Duration) UnmarshalYAML(b []byte) error {
	var s string
	if err := yaml.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("want a duration such as 60s or 200ms")
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("want a duration such as 60s or 200ms, got %q", s)
	}
	if v < 0 {
		return fmt.Errorf("duration must not be negative, got %q", s)
	}
	*d = Duration(v)
	return nil
}

// MarshalJSON writes the duration as text.
func (d Duration) MarshalJSON() ([]byte, error) {
	return []byte(fmt.Sprintf("%q", time.Duration(d).String())), nil
}
