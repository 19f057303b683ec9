#!/usr/bin/env bash
# bench/http/ab.sh: server CPU per request over a fixed wrk run (64 connections), for
# alternating runs of two builds (e.g. a base binary and a new one, each on its own workdir).
#   bench/http/ab.sh <trailbook-binary> <workdir> <port> <good|denied|readyz> [seconds]
# First use creates <workdir>: a 1M-event store ingested by <binary> as bench/http/run.sh
# does, ES256 keys, the needle runbook. Loopback only; the workdir is the caller's.
# Prints req/s, p50, p99, server CPU µs/request and context switches/request.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TB=$(realpath "$1"); W=$2; PORT=$3; KIND=$4; SECS=${5:-6}
ISS=https://bench.trailbook.test/
if [[ ! -d $W/store.base ]]; then
  rm -rf "$W"; mkdir -p "$W"
  # A store ingested by the binary under test (the prebuilt bench store predates the row-hash needle index).
  "$TB" gen --events 1000000 --seed 7 --days 7 --format ndjson "$W/logs" >/dev/null
  "$TB" ingest --store "$W/store.base" "$W/logs" >/dev/null; rm -rf "$W/logs"
  "$TB" keygen --alg ES256 --kid bench-1 --out "$W/keys" >/dev/null
  mint() { "$TB" token mint --key "$W/keys/bench-1.key.pem" --iss $ISS --sub bench@example.com --runbooks 'bench.*' --ttl 1h "$@"; }
  CLI=$(mint --scope "query:adhoc audit:read")
  NEEDLE=$("$TB" query --store "$W/store.base" --jwks "$W/keys/jwks.json" --issuer $ISS --token "$CLI" --format csv "SELECT eventID FROM events ORDER BY eventTime DESC LIMIT 1" | tail -1 | tr -d '\r')
  mkdir -p "$W/runbooks"
  printf 'id: bench.needle\nversion: 1.0.0\ntitle: One event by id\nparams:\n  event_id: {type: string, required: true, max: 64}\nquery: SELECT eventID, eventName, eventTime FROM events WHERE eventID = :event_id\n' > "$W/runbooks/needle.yaml"
  echo "{\"params\":{\"event_id\":\"$NEEDLE\"}}" > "$W/body.txt"
fi
# Tokens live 1 h: re-mint each run.
mint() { "$TB" token mint --key "$W/keys/bench-1.key.pem" --iss $ISS --sub bench@example.com --runbooks 'bench.*' --ttl 1h "$@"; }
GOOD=$(mint --scope runbook:run); DENIED=$(mint --scope snapshot:read)
rm -rf "$W/store"; cp -r "$W/store.base" "$W/store"
"$TB" serve --listen 127.0.0.1:$PORT --store "$W/store" --runbooks "$W/runbooks" --jwks "$W/keys/jwks.json" \
  --issuer $ISS --limit max_concurrent_queries=4 --limit max_queued_queries=64 2>"$W/server.log" &
P=$!
trap 'kill $P 2>/dev/null; wait $P 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:$PORT/readyz >/dev/null 2>&1 && break; sleep 0.1; done
cs() { grep -h ctxt_switches /proc/$P/task/*/status | awk '{s+=$2} END{print s}'; }
T0=$(awk '{print $14+$15}' /proc/$P/stat); C0=$(cs)
URL=http://127.0.0.1:$PORT/v1/runbooks/bench.needle/runs
case $KIND in
  good) BENCH_BODY="$(cat $W/body.txt)" BENCH_TOKEN="$GOOD" wrk -t2 -c64 -d${SECS}s --latency -s "$HERE/request.lua" $URL > "$W/wrk.out";;
  denied) BENCH_BODY="$(cat $W/body.txt)" BENCH_TOKEN="$DENIED" wrk -t2 -c64 -d${SECS}s --latency -s "$HERE/request.lua" $URL > "$W/wrk.out";;
  readyz) wrk -t2 -c64 -d${SECS}s --latency http://127.0.0.1:$PORT/readyz > "$W/wrk.out";;
esac
T1=$(awk '{print $14+$15}' /proc/$P/stat); C1=$(cs)
N=$(grep "requests in" "$W/wrk.out" | awk '{print $1}')
echo "$KIND $(grep Requests/sec "$W/wrk.out" | awk '{print $2}') req/s p50 $(grep ' 50%' "$W/wrk.out"|awk '{print $2}') p99 $(grep ' 99%' "$W/wrk.out"|awk '{print $2}') server_cpu_us/req $(( (T1-T0)*10000/N )) cs/req $(awk -v a=$C0 -v b=$C1 -v n=$N 'BEGIN{printf "%.2f", (b-a)/n}') non2xx $(grep -c Non-2xx "$W/wrk.out" || true)"
