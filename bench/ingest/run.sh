#!/usr/bin/env bash
# bench/ingest/run.sh: ingest throughput, memory and store size, side by side with DuckDB.
#
#   bench/ingest/run.sh                 # 1,000,000 events (generated once, cached)
#   EVENTS=200000 bench/ingest/run.sh   # a smaller run
#
# Generates EVENTS CloudTrail events in the S3 layout with `trailbook gen` (seed 1), warms the
# page cache, then in the same run: gunzips them with libdeflate alone (one thread, the floor),
# ingests them with trailbook (all cores), and loads them into DuckDB as typed columns
# (@duckdb/node-api, 2 threads). Prints absolute figures and ratios as a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/../.."
EVENTS="${EVENTS:-1000000}"
DATA="${DATA:-bench/data/gen-${EVENTS}}"
BUILD="${BUILD:-build}"
OUT="$(mktemp -d /tmp/tb-bench-ingest.XXXXXX)"
trap 'rm -rf "$OUT"' EXIT

cmake --build "$BUILD" --target trailbook gunzip_baseline >/dev/null
if [[ ! -d bench/node_modules/@duckdb/node-api ]]; then
  (cd bench && npm install --no-audit --no-fund --silent)
fi
# The cached data set is reused only if this build's generator still writes the same bytes:
# .complete holds a fingerprint (SHA-256 over a 2,000-event data set), so a recalibrated
# generator regenerates the data instead of benchmarking the old one.
"$BUILD/trailbook" gen "$OUT/probe" --events 2000 --seed 1 >/dev/null
fingerprint=$(cd "$OUT/probe" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
if [[ ! -f "$DATA/.complete" || "$(cat "$DATA/.complete")" != "$fingerprint" ]]; then
  rm -rf "$DATA"
  "$BUILD/trailbook" gen "$DATA" --events "$EVENTS" --seed 1 >/dev/null
  echo "$fingerprint" > "$DATA/.complete"
fi
# Warm the page cache so neither side pays for the first read from disk.
find "$DATA" -type f -name '*.gz' -print0 | xargs -0 cat > /dev/null

json_field() { node -e "const o=JSON.parse(require('fs').readFileSync(0,'utf8'));console.log(o[process.argv[1]])" "$1"; }
rss_kb() { grep 'Maximum resident set size' "$1" | awk '{print $NF}'; }

baseline=$("$BUILD/bench/ingest/gunzip_baseline" "$DATA/AWSLogs")

/usr/bin/time -v "$BUILD/trailbook" ingest --store "$OUT/store" --json --no-progress "$DATA" \
  > "$OUT/tb.json" 2> "$OUT/tb.time"
tb_events=$(json_field events < "$OUT/tb.json")
tb_secs=$(json_field seconds < "$OUT/tb.json")
tb_gz=$(json_field bytes_read < "$OUT/tb.json")
tb_json=$(json_field json_bytes < "$OUT/tb.json")
tb_rss=$(rss_kb "$OUT/tb.time")
store_bytes=$(du -sb "$OUT/store" | cut -f1)

/usr/bin/time -v node bench/duckdb/load_events.mjs "$DATA" 2 > "$OUT/duck.json" 2> "$OUT/duck.time"
duck_rows=$(json_field rows < "$OUT/duck.json")
duck_secs=$(json_field seconds < "$OUT/duck.json")
duck_rss=$(rss_kb "$OUT/duck.time")

node - "$tb_events" "$tb_secs" "$tb_gz" "$tb_json" "$tb_rss" "$store_bytes" \
       "$duck_rows" "$duck_secs" "$duck_rss" "$baseline" <<'JS'
const [events, secs, gz, json, rss, store, drows, dsecs, drss, base] = process.argv.slice(2);
const b = JSON.parse(base);
const mb = (x) => (Number(x) / 1e6).toFixed(1);
const f = (x, d = 2) => Number(x).toFixed(d);
console.log(`events: trailbook ${events}, DuckDB ${drows}; input ${mb(gz)} MB gzipped, ${mb(json)} MB JSON, ${b.files} files`);
console.log('');
console.log('| metric | trailbook | DuckDB | ratio |');
console.log('|---|---:|---:|---:|');
console.log(`| wall time (s) | ${f(secs)} | ${f(dsecs)} | ${f(dsecs / secs, 1)}x faster |`);
console.log(`| events/s | ${f(events / secs, 0)} | ${f(drows / dsecs, 0)} | |`);
console.log(`| MB/s (JSON) | ${f(json / 1e6 / secs, 0)} | ${f(json / 1e6 / dsecs, 0)} | |`);
console.log(`| peak RSS (MB) | ${f(rss / 1024, 0)} | ${f(drss / 1024, 0)} | ${f(drss / rss, 1)}x less |`);
console.log(`| store size (MB) | ${mb(store)} (${f(100 * store / gz, 1)}% of gzipped input) | in memory | |`);
console.log(`| libdeflate gunzip alone, 1 thread (s) | ${f(b.seconds)} | | |`);
JS
