package experiments

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/lessonlab/lessonl/internal/evaluate"
)

// Calibration is what one machine's evaluator costs, as `lessonl bench
// throughput --calibrate` measures it and `lessonl plan` reads it: mean
// seconds per evaluation of each phase, and the wall time per evaluation
// the machine gave with its phases overlapping. It is a small JSON file
// (see CalibrationPath):
//
//	{"machine": "...", "mode": "serial", "suite": "codeopt", "measured": "2026-12-06T09:00:00Z",
//	 "evaluations": 40, "wall_seconds_per_evaluation": 6.1,
//	 "seconds_per_evaluation": {"compile": 2.0, "checked_build": 1.5, "validation": 1.2, "timing": 2.9, "queueing": 0.4}}
type Calibration struct {
	Machine     string    `json:"machine"`                     // evaluate.Machine() where it was measured
	Mode        string    `json:"mode"`                        // serial or openmp
	Suite       string    `json:"suite"`                       // what it was measured on: codeopt, pareval, ...
	Measured    time.Time `json:"measured"`                    // when
	Evaluations int       `json:"evaluations"`                 // how many evaluations the means are over
	WallPerEval float64   `json:"wall_seconds_per_evaluation"` // wall time per evaluation; 0: the phases' sum
	// Phases are mean seconds per evaluation by phase: compile,
	// checked_build, validation, timing, queueing (waiting for the
	// exclusive timing slot). Unknown phases are kept and summed alike.
	Phases map[string]float64 `json:"seconds_per_evaluation"`
}

// The phases a calibration names.
const (
	PhaseCompile      = "compile"
	PhaseCheckedBuild = "checked_build"
	PhaseValidation   = "validation"
	PhaseTiming       = "timing"
	PhaseQueueing     = "queueing"
)

// PerEvaluation is the seconds one evaluation costs on the calibrated
// machine: the measured wall time per evaluation when there is one, else
// the sum of the phases.
func (c *Calibration) PerEvaluation() float64 {
	if c.WallPerEval > 0 {
		return c.WallPerEval
	}
	var s float64
	for _, v := range c.Phases {
		s += v
	}
	return s
}

// CalibrationPath is where `bench throughput --calibrate` writes and
// `plan` looks by default: calibration.json in the shared evaluation
// cache's folder (evaluate.DefaultCacheDir); "" when that is off.
func CalibrationPath() string {
	d := evaluate.DefaultCacheDir()
	if d == "" {
		return ""
	}
	return filepath.Join(d, "calibration.json")
}

// ReadCalibration reads a calibration file.
func ReadCalibration(path string) (*Calibration, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("calibration: %w", err)
	}
	var c Calibration
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("calibration %s: %w", path, err)
	}
	if c.PerEvaluation() <= 0 {
		return nil, fmt.Errorf("calibration %s: no seconds per evaluation", path)
	}
	return &c, nil
}

// WriteCalibration writes c to path atomically (a temporary file renamed).
func WriteCalibration(path string, c *Calibration) error {
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return fmt.Errorf("calibration: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("calibration: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".calibration-*")
	if err != nil {
		return fmt.Errorf("calibration: %w", err)
	}
	_, err = f.Write(append(b, '\n'))
	err = errors.Join(err, f.Close())
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("calibration: %w", err)
	}
	return nil
}

// History makes a History of c for Spec.Costs: evaluation seconds only
// (tokens then come from code sizes).
func (c *Calibration) History(path string) *History {
	return &History{Run: "calibration " + path, PromptTokens: map[string]float64{}, CompletionTokens: map[string]float64{},
		Calls: map[string]CallTokens{}, EvalSeconds: map[string]float64{"": c.PerEvaluation()}}
}

// String is one line: seconds per evaluation, by phase, and where.
func (c *Calibration) String() string {
	names := make([]string, 0, len(c.Phases))
	for k := range c.Phases {
		names = append(names, k)
	}
	sort.Strings(names)
	s := fmt.Sprintf("%.1f s per evaluation", c.PerEvaluation())
	if len(names) > 0 {
		s += " ("
		for i, k := range names {
			if i > 0 {
				s += ", "
			}
			s += fmt.Sprintf("%s %.1f", k, c.Phases[k])
		}
		s += ")"
	}
	if c.Mode != "" || c.Suite != "" {
		s += fmt.Sprintf(", %s %s", c.Suite, c.Mode)
	}
	return s
}
