package experiments

import (
	"fmt"
	"io"
	"strings"
	"text/template"
)

// SlurmOptions shape the sbatch script.
type SlurmOptions struct {
	Spec      string // path of the spec, as the job will see it
	Out       string // the run folder all shards write into
	Shards    int
	Partition string // "" for the cluster's default
	Time      string // time limit per task, e.g. "04:00:00"; "" for the default
	CPUs      int    // CPUs per task
	Binary    string // lessonl binary, as the job will see it
}

var slurmScript = template.Must(template.New("sbatch").Parse(`#!/usr/bin/env bash
# A LAUNCHER, not an sbatch script: run it with bash (bash THIS_FILE), not
# sbatch. It calls sbatch twice: a job array of {{.Shards}} tasks, one shard
# of {{.Spec}} each (shards balanced by planned LLM calls and evaluations),
# all into {{.Out}} (a requeued task skips the cells its shard already
# recorded); then a job that waits for the array and finalizes the run
# folder, printing how many cells it holds.
# Written by lessonl slurm.
set -euo pipefail
LESSONL={{.Binary}}
SPEC={{.Spec}}
OUT={{.Out}}
mkdir -p "$OUT/slurm"

array=$(sbatch --parsable \
  --job-name=lessonl-{{.Name}} \
  --array=1-{{.Shards}} \
  --cpus-per-task={{.CPUs}} \{{if .Partition}}
  --partition={{.Partition}} \{{end}}{{if .Time}}
  --time={{.Time}} \{{end}}
  --output="$OUT/slurm/shard-%a.out" \
  --wrap="$LESSONL run $SPEC --out $OUT --shard \${SLURM_ARRAY_TASK_ID}/{{.Shards}}")

merge=$(sbatch --parsable \
  --job-name=lessonl-{{.Name}}-merge \
  --dependency=afterany:${array} \{{if .Partition}}
  --partition={{.Partition}} \{{end}}
  --output="$OUT/slurm/merge.out" \
  --wrap="$LESSONL merge $OUT $OUT")

echo "submitted array job $array and merge job $merge; records in $OUT"
`))

// WriteSlurm writes the sbatch script for opts; name labels the jobs.
func WriteSlurm(w io.Writer, name string, opts SlurmOptions) error {
	if opts.Shards < 1 {
		return fmt.Errorf("slurm: want at least one shard, got %d", opts.Shards)
	}
	if opts.CPUs < 1 {
		opts.CPUs = 2
	}
	if opts.Binary == "" {
		opts.Binary = "lessonl"
	}
	data := struct {
		SlurmOptions
		Name string
	}{opts, strings.Map(func(r rune) rune {
		if r == ' ' || r == '/' {
			return '-'
		}
		return r
	}, name)}
	return slurmScript.Execute(w, data)
}
