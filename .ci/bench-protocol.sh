#!/usr/bin/env bash
# bench-protocol.sh BEFORE [ID...]: evaluation wall time of the built-in
# suite's baselines and known solutions under this tree's timing protocol
# and under the protocol at commit BEFORE, problem by problem in turn (so
# both see the same machine), and the ratio of the totals. With KEEP=dir
# set, each check's JSON is kept there as ID.before.json and ID.now.json.
set -euo pipefail
before=${1:?usage: bench-protocol.sh BEFORE [ID...]}
shift
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'git worktree remove --force "$tmp/before" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
git worktree add -q --detach "$tmp/before" "$before"
(cd "$tmp/before" && go build -o "$tmp/lessonl-before" ./cmd/lessonl)
go build -o "$tmp/lessonl-now" ./cmd/lessonl
ids=("$@")
if [ ${#ids[@]} -eq 0 ]; then
  mapfile -t ids < <("$tmp/lessonl-now" datasets list | tail -n +2 | awk '{print $1}')
fi
total() { python3 -c 'import json,sys; rows=json.load(sys.stdin); rows=rows.get("rows", rows) if isinstance(rows, dict) else rows; print(sum(r["eval_ms"] for r in rows), sum(1 for r in rows if not r["ok"]))'; }
sum_before=0 sum_now=0
printf '%-32s %12s %12s %8s\n' problem before_s now_s ratio
for id in "${ids[@]}"; do
  keep_b=/dev/null keep_n=/dev/null
  if [ -n "${KEEP:-}" ]; then mkdir -p "$KEEP"; keep_b=$KEEP/$id.before.json keep_n=$KEEP/$id.now.json; fi
  read -r b bad_b < <("$tmp/lessonl-before" datasets check --json "$id" | tee "$keep_b" | total)
  read -r n bad_n < <("$tmp/lessonl-now" datasets check --json "$id" | tee "$keep_n" | total)
  sum_before=$((sum_before + b)) sum_now=$((sum_now + n))
  printf '%-32s %12.1f %12.1f %8.2f   mismatches %d / %d\n' "$id" "$(bc -l <<< "$b/1000")" "$(bc -l <<< "$n/1000")" "$(bc -l <<< "$n/$b")" "$bad_b" "$bad_n"
done
printf '%-32s %12.1f %12.1f %8.2f\n' total "$(bc -l <<< "$sum_before/1000")" "$(bc -l <<< "$sum_now/1000")" "$(bc -l <<< "$sum_now/$sum_before")"
