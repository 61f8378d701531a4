// Package experiments turns a declarative spec into results: it parses and
// validates the spec (strict YAML; every error names its line and field),
// expands it into cells (strategy variant × problem × seed), plans and
// shards them, runs them with the records written per finished cell, and
// writes the Slurm script that spreads shards over a cluster.
package experiments
