// Package experiments turns a declarative spec into results: it parses and
// validates the spec (strict YAML; every error at once, each naming its
// line and field), expands it into cells (strategy variant × problem ×
// seed), plans them with a cost estimate, shards them, checks the agents'
// endpoints (Preflight, WaitReady), runs the cells with the records
// written per finished cell (a cell whose calls failed is recorded
// failed), reruns a recorded run from its record (Rerun), and writes the
// Slurm script that spreads shards over a cluster.
package experiments
