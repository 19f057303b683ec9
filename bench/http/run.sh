#!/usr/bin/env bash
# HTTP API load benchmark on loopback: requests/s and latency percentiles (wrk --latency) for
# a needle runbook with valid ES256 tokens (one token: verified-token cache hits; a fresh
# token per request: cache misses, full signature verification), and for denied requests.
# Afterwards it checks that no audit event was lost or duplicated: the audit events in the
# store equal the server's own count, and the hash chain verifies.
#
#   bench/http/run.sh [build-dir]        # EVENTS=200000 DURATION=10s CONNECTIONS=8 THREADS=2
#
# Bounded by design: loopback only, fixed duration, fixed connection count. The lead runs the
# final numbers on a quiet machine.
set -euo pipefail

BUILD=${1:-build}
TB=$(realpath "$BUILD/trailbook")
EVENTS=${EVENTS:-200000}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-8}
THREADS=${THREADS:-2}
UNCACHED_TOKENS=${UNCACHED_TOKENS:-20000}
PORT=${PORT:-18080}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tb_bench_http.XXXXXX")
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
command -v wrk >/dev/null || { echo "wrk not found (scripts/setup installs it)" >&2; exit 2; }

echo "== data: $EVENTS events"
"$TB" gen --events "$EVENTS" --seed 7 --days 7 --format ndjson "$WORK/logs" >/dev/null
"$TB" ingest --store "$WORK/store" "$WORK/logs" >/dev/null
"$TB" keygen --alg ES256 --kid bench-1 --out "$WORK/keys" >/dev/null
ISS=https://bench.trailbook.test/
mint() { "$TB" token mint --key "$WORK/keys/bench-1.key.pem" --iss "$ISS" --sub bench@example.com \
  --runbooks 'bench.*' --ttl 1h "$@"; }
# The CLI's own queries are audited too (sourceIPAddress "local"); the audit check below
# counts only the server's events.
CLI_TOKEN=$(mint --scope "query:adhoc audit:read")
cliquery() { "$TB" query --store "$WORK/store" --jwks "$WORK/keys/jwks.json" --issuer "$ISS" \
  --token "$CLI_TOKEN" --format csv "$1" | tail -1 | tr -d "\r"; }
NEEDLE=$(cliquery "SELECT eventID FROM events ORDER BY eventTime DESC LIMIT 1")
mkdir -p "$WORK/runbooks"
cat > "$WORK/runbooks/needle.yaml" <<YAML
id: bench.needle
version: 1.0.0
title: One event by id
params:
  event_id: {type: string, required: true, max: 64}
query: SELECT eventID, eventName, eventTime FROM events WHERE eventID = :event_id
YAML
GOOD=$(mint --scope runbook:run)
DENIED=$(mint --scope snapshot:read)
AUDITOR=$(mint --scope "runbook:run audit:read")
echo "== minting $UNCACHED_TOKENS distinct tokens for the uncached run"
for ((i = 0; i < UNCACHED_TOKENS; i++)); do mint --scope runbook:run --jti "bench-$i"; done > "$WORK/tokens.txt"

"$TB" serve --listen "127.0.0.1:$PORT" --store "$WORK/store" --runbooks "$WORK/runbooks" \
  --jwks "$WORK/keys/jwks.json" --issuer "$ISS" \
  --limit max_concurrent_queries=4 --limit max_queued_queries=64 \
  2>"$WORK/server.log" &
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null || { cat "$WORK/server.log"; exit 1; }

BODY="{\"params\":{\"event_id\":\"$NEEDLE\"}}"
URL="http://127.0.0.1:$PORT/v1/runbooks/bench.needle/runs"
CHECK=$(curl -s -w ' %{http_code}' -H "Authorization: Bearer $GOOD" -H 'Content-Type: application/json' -d "$BODY" "$URL")
[[ "$CHECK" == *' 200' && "$CHECK" == *"$NEEDLE"* ]] || { echo "needle run failed: $CHECK" >&2; exit 1; }
run() {  # name, token-or-file
  echo "== $1"
  BENCH_BODY="$BODY" BENCH_TOKEN="${2:-}" BENCH_TOKENS_FILE="${3:-}" \
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$HERE/request.lua" "$URL" \
    | tee "$WORK/$1.txt" | grep -E "Requests/sec|50%|99%|requests in|Non-2xx"
}
run cached "$GOOD"
run uncached "" "$WORK/tokens.txt"
run denied "$DENIED"

echo "== audit check"
SERVER_EVENTS=$(curl -s "http://127.0.0.1:$PORT/metrics" | awk '/^trailbook_audit_events_total/ {print $2}')
VERIFY=$(curl -s -H "Authorization: Bearer $AUDITOR" "http://127.0.0.1:$PORT/v1/audit/verify")
kill -TERM "$SERVER_PID"; wait "$SERVER_PID" || true; SERVER_PID=""
STORED=$(cliquery "SELECT count(*) FROM events WHERE eventSource = 'trailbook.audit' \
  AND eventName <> 'VerifyAudit' AND sourceIPAddress <> 'local'")
echo "server appended $SERVER_EVENTS audit events before /v1/audit/verify; store holds $STORED"
echo "chain: $VERIFY"
[[ "$SERVER_EVENTS" == "$STORED" ]] || { echo "MISMATCH: audit events lost or duplicated" >&2; exit 1; }
[[ "$VERIFY" == *'"ok":true'* ]] || { echo "audit chain does not verify" >&2; exit 1; }
echo "OK"
