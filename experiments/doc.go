// Package experiments runs a spec (package experiments/spec) into a run
// folder (package record keeps the folder's lifecycle): it plans the
// cells with a cost estimate (MakePlan, Costs), checks the agents'
// endpoints (Preflight, WaitReady), builds the agents' models and the
// evaluators, runs the cells with the records written per finished cell
// (a cell whose calls failed is recorded failed), says what the manifest
// records about the run and its host, reruns a recorded run from its
// record (Rerun), and writes the Slurm script that spreads shards over a
// cluster.
package experiments
