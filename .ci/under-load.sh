#!/usr/bin/env bash
# under-load.sh N CMD...: run CMD with N CPU-bound processes beside it, as
# on a busy shared machine, then stop them (by their own pids) and exit
# with CMD's status. `make test-under-load` runs `make test` this way.
set -uo pipefail
n=${1:?usage: under-load.sh N CMD...}
shift
pids=()
stop() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait "${pids[@]}" 2>/dev/null
}
trap stop EXIT INT TERM
for ((i = 0; i < n; i++)); do
  ( while :; do :; done ) &
  pids+=($!)
done
echo "under-load: $n CPU-bound processes (pids ${pids[*]}) beside: $*" >&2
start=$(date +%s)
"$@"
rc=$?
echo "under-load: exit $rc after $(( $(date +%s) - start ))s, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
exit $rc
