#!/usr/bin/env bash
# Install DuckDB's node API (the independent Parquet reader of the tests)
# into DIR (default ~/.cache/lessonl-duckdb) and print the line to export.
set -euo pipefail
dir=${1:-$HOME/.cache/lessonl-duckdb}
mkdir -p "$dir"
if [ ! -d "$dir/node_modules/@duckdb/node-api" ]; then
  npm install --prefix "$dir" --no-audit --no-fund --silent @duckdb/node-api >&2
fi
echo "export LESSONL_DUCKDB_NODE_MODULES=$dir/node_modules"
