#!/usr/bin/env bash
# bench/queries/run.sh: the six benchmark questions of issue 3 on trailbook and DuckDB, same
# data, one run: median of RUNS warm runs each, ratios, and a check that the answers are
# identical (exit 1 when they are not).
#
#   bench/queries/run.sh                      # 1,000,000 events (generated once, cached)
#   DATA=/tmp/gen1m RUNS=5 bench/queries/run.sh
#
# DATA is a directory of CloudTrail files in the S3 layout (default bench/data/gen-1000000,
# made with `trailbook gen DIR --events 1000000 --seed 1` as bench/ingest/run.sh does); the
# trailbook store built from it is cached next to it as DATA.store (rebuilt when the trailbook
# binary is newer than it). trailbook runs in-process
# with a warm store (build/bench/queries/query_bench, 2 threads); DuckDB holds the same files
# as an in-memory typed table (bench/duckdb/events_table.mjs, 2 threads).
set -euo pipefail
cd "$(dirname "$0")/../.."
EVENTS="${EVENTS:-1000000}"
DATA="${DATA:-bench/data/gen-${EVENTS}}"
STORE="${STORE:-${DATA%/}.store}"
BUILD="${BUILD:-build}"
RUNS="${RUNS:-10}"
THREADS="${THREADS:-2}"
OUT="$(mktemp -d /tmp/tb-bench-queries.XXXXXX)"
trap 'rm -rf "$OUT"' EXIT

cmake --build "$BUILD" --target trailbook query_bench >/dev/null
if [[ ! -d bench/node_modules/@duckdb/node-api ]]; then
  (cd bench && npm install --no-audit --no-fund --silent)
fi
if [[ ! -f "$DATA/.complete" ]]; then
  rm -rf "$DATA"
  "$BUILD/trailbook" gen "$DATA" --events "$EVENTS" --seed 1 >/dev/null
  touch "$DATA/.complete"
fi
# Re-ingest when the binary is newer than the cached store, so the store always has the
# segment format (and indexes) of the build under test.
if [[ ! -f "$STORE/.complete" || "$BUILD/trailbook" -nt "$STORE/.complete" ]]; then
  rm -rf "$STORE"
  "$BUILD/trailbook" ingest --store "$STORE" --no-progress "$DATA" >/dev/null
  touch "$STORE/.complete"
fi

"$BUILD/bench/queries/query_bench" --store "$STORE" --queries bench/queries --runs "$RUNS" \
  --threads "$THREADS" --out "$OUT/tb" --json > "$OUT/tb.times"
node bench/queries/duckdb_queries.mjs "$DATA" bench/queries "$RUNS" "$OUT/duck" "$THREADS" \
  > "$OUT/duck.times"
echo "DuckDB load: $(grep load_seconds "$OUT/duck.times")"
node bench/queries/compare.mjs bench/queries "$OUT/tb" "$OUT/duck" "$OUT/tb.times" "$OUT/duck.times"
