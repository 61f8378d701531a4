#!/usr/bin/env bash
# Stop the cluster started by .ci/slurm-up.sh DIR.
dir=$1
for pid in "$dir/slurmd.pid" "$dir/slurmctld.pid"; do
  [ -f "$pid" ] && kill "$(cat "$pid")" 2>/dev/null
done
exit 0
