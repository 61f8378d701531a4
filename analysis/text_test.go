package analysis

import (
	"bytes"
	"testing"
)

// TestTextTablesGolden: analyze's metrics tables (speedup and pass@1
// rows) and compare's table, as a terminal shows them.
func TestTextTablesGolden(t *testing.T) {
	o := Options{Resamples: 500, Seed: 7}
	rs := append(fixedRuns().Results, genResults()...)
	var b bytes.Buffer
	if err := MetricsTable(&b, Metrics(rs, o), true); err != nil {
		t.Fatal(err)
	}
	b.WriteString("\n")
	cs, err := Compare(fixedRuns().Results, "single-a", o)
	if err != nil {
		t.Fatal(err)
	}
	CompareTable(&b, cs)
	golden(t, "text-tables.golden", b.Bytes())
}
