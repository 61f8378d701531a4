package evaluate

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"
)

// TestSettingsDeclareEveryKey: the settings a user writes are exactly
// Config's fields with a yaml key, each Setting points at the field of
// its key, every flag is named once, and only settings that have a flag
// lack a key.
func TestSettingsDeclareEveryKey(t *testing.T) {
	var c Config
	byAddr := map[uintptr]string{}
	rv := reflect.ValueOf(&c).Elem()
	var keys []string
	for i := 0; i < rv.NumField(); i++ {
		f := rv.Type().Field(i)
		key, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if f.Tag.Get("yaml") == "" || f.Tag.Get("json") == "" {
			t.Errorf("field %s has no yaml or json tag: a spec would decode it by its Go name", f.Name)
		}
		byAddr[rv.Field(i).Addr().Pointer()] = f.Name
		if key != "-" {
			keys = append(keys, key)
		}
	}
	seenKey, seenFlag := map[string]bool{}, map[string]bool{}
	for _, s := range Settings() {
		name := byAddr[reflect.ValueOf(s.Field(&c)).Pointer()]
		field, _ := rv.Type().FieldByName(name)
		key, _, _ := strings.Cut(field.Tag.Get("yaml"), ",")
		switch {
		case name == "":
			t.Errorf("setting %q/%q points at no field of Config", s.Key, s.Flag)
		case s.Key == "" && s.Flag == "":
			t.Errorf("setting of %s has neither key nor flag", name)
		case s.Key == "" && key != "-":
			t.Errorf("flag --%s sets %s, which a spec writes as %s: declare its key", s.Flag, name, key)
		case s.Key != "" && key != s.Key:
			t.Errorf("setting %q points at %s, whose yaml key is %q", s.Key, name, key)
		case s.Flag != "" && s.Usage == "":
			t.Errorf("flag --%s has no help", s.Flag)
		}
		if s.Key != "" {
			if seenKey[s.Key] {
				t.Errorf("key %q declared twice", s.Key)
			}
			seenKey[s.Key] = true
		}
		if s.Flag != "" {
			if seenFlag[s.Flag] {
				t.Errorf("flag --%s declared twice", s.Flag)
			}
			seenFlag[s.Flag] = true
		}
	}
	for _, k := range keys {
		if !seenKey[k] {
			t.Errorf("spec key %q has no Setting", k)
		}
	}
}

// TestCheck: the values the evaluator refuses, each named by its key,
// alike for a spec, the CLI and New.
func TestCheck(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
		want []string // "key: message" of each refusal
	}{
		{"zero", Config{}, nil},
		{"everything valid", Config{Mode: ModeOpenMP, Threads: 4, Repetitions: 3, Warmup: 2, Slots: 2, MemoryGiB: 8, Timing: TimingPaper, RunToRun: -1}, nil},
		{"unknown mode", Config{Mode: "gpu"}, []string{`mode: unknown mode "gpu" (want serial or openmp)`}},
		{"unknown protocol", Config{Timing: "nanobench"}, []string{`timing: unknown protocol "nanobench" (want paired or paper)`}},
		{"negatives", Config{Threads: -1, Warmup: -2, MemoryGiB: -3}, []string{"threads: must not be negative, got -1",
			"warmup: must not be negative, got -2", "memory_gib: must not be negative, got -3"}},
		{"two pairs", Config{Repetitions: 2}, []string{"repetitions: at least 3 timed pairs are needed for an interval, got 2"}},
		{"run-to-run too large", Config{RunToRun: 0.5}, []string{"run_to_run: is a relative standard deviation such as 0.005, got 0.5"}},
	}
	for _, c := range cases {
		err := c.cfg.Check()
		var got []string
		if err != nil {
			for _, se := range err.(SettingErrors) {
				got = append(got, se.Key+": "+se.Msg)
			}
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
	if _, err := New(Config{Timing: "nanobench"}); err == nil || !strings.Contains(err.Error(), "evaluator: timing: unknown protocol") {
		t.Errorf("New with an unknown protocol gave %v, want the refusal of timing", err)
	}
}

// TestFill: a zero Config takes Defaults, and Repetitions, Timeout and
// MemoryGiB become the pairs and limits they stand for.
func TestFill(t *testing.T) {
	d := Defaults()
	var zero Config
	zero.fill()
	want := d
	want.Threads, want.Timeout, want.MemoryGiB = 0, 0, 0 // threads in openmp mode only; limits hold timeout and memory
	if !reflect.DeepEqual(zero, want) {
		t.Errorf("Config{} filled to %+v, want %+v", zero, want)
	}
	if d.Timeout != Duration(d.RunLimits.Wall) || int64(d.MemoryGiB)<<30 != d.RunLimits.Memory {
		t.Errorf("defaults disagree: timeout %v, memory %d GiB, run limits %+v", d.Timeout, d.MemoryGiB, d.RunLimits)
	}
	c := Config{Mode: ModeOpenMP, Repetitions: 7, Timeout: Duration(10 * time.Second), MemoryGiB: 12}
	c.fill()
	switch {
	case c.Threads != 8:
		t.Errorf("openmp threads %d, want 8", c.Threads)
	case c.MinReps != 7 || c.MaxReps != 7:
		t.Errorf("repetitions 7 gave %d to %d pairs", c.MinReps, c.MaxReps)
	case c.RunLimits.Wall != 10*time.Second || c.RunLimits.CPU != 30*time.Second || c.CompileLimits.Wall != 10*time.Second || c.CompileLimits.CPU != 10*time.Second:
		t.Errorf("timeout 10s gave run %v/%v, compile %v/%v", c.RunLimits.Wall, c.RunLimits.CPU, c.CompileLimits.Wall, c.CompileLimits.CPU)
	case c.RunLimits.Memory != 12<<30 || c.RunLimits.AddressSpace != 12<<30 || c.CompileLimits.Memory != d.CompileLimits.Memory:
		t.Errorf("memory 12 GiB gave run %d/%d, compile %d", c.RunLimits.Memory, c.RunLimits.AddressSpace, c.CompileLimits.Memory)
	}
}

// TestConfigYAMLAndJSON: a spec's evaluation block decodes into Config
// and encodes, as a manifest records it, with its keys in their order and
// nothing a spec cannot write.
func TestConfigYAMLAndJSON(t *testing.T) {
	var c Config
	in := "{timeout: 90s, mode: openmp, flags: [-O2], fresh: true, run_to_run: -1}"
	if err := yaml.UnmarshalWithOptions([]byte(in), &c, yaml.Strict()); err != nil {
		t.Fatal(err)
	}
	c.MinReps, c.VerdictOnly, c.CacheDir = 5, true, "/cache" // set by code: not recorded
	got, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"flags":["-O2"],"mode":"openmp","timeout":"1m30s","run_to_run":-1,"fresh":true}`; string(got) != want {
		t.Errorf("got %s, want %s", got, want)
	}
	for _, bad := range []string{"{min_reps: 3}", "{verdict_only: true}", "{timeout: -5s}", "{timeout: 5}"} {
		if err := yaml.UnmarshalWithOptions([]byte(bad), new(Config), yaml.Strict()); err == nil {
			t.Errorf("%s decoded, want an error", bad)
		}
	}
}
