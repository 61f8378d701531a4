// Package spec is the experiment spec: its schema (Spec and its blocks),
// strict YAML parsing with every error at once, each naming its line and
// field, with did-you-mean hints (Parse, Load, SpecErrors), defaults and
// validation against the registered strategy kinds and dataset sources,
// the command line's overrides (Overrides), and the expansion into cells
// (strategy variant × problem × seed) and shards (Cells, AssignShards).
// It runs nothing: package experiments plans and runs a Spec, and package
// record keeps the run folder.
package spec
