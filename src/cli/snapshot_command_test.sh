#!/usr/bin/env bash
# End-to-end test of `trailbook run --snapshot` and `trailbook snapshot list|show|export|
# verify [--rerun]` through the binary: exit codes, the snapshot:read scope, key file rules,
# tamper detection on an exported copy, a re-run against a changed store, and the audit
# events left behind (read back with a query). Usage: snapshot_command_test.sh path/to/trailbook
# (run from the repository root, like every test).
set -uo pipefail
TB=$1
WORK=$(mktemp -d "${TMPDIR:-/tmp}/trailbook-snapshot-test-XXXXXX")
trap 'chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
source "$(dirname "${BASH_SOURCE[0]}")/cli_test_lib.sh"

HOUR_AGO=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)
event() {  # event N ACCOUNT USER NAME
  printf '{"eventVersion":"1.08","eventTime":"%s","eventSource":"iam.amazonaws.com","eventName":"%s","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.5","eventID":"e0000000-0000-4000-8000-%012d","eventType":"AwsApiCall","recipientAccountId":"%s","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::%s:user/%s","accountId":"%s","userName":"%s"}}' \
    "$HOUR_AGO" "$4" "$1" "$2" "$2" "$3" "$2" "$3"
}
records() { printf '{"Records":['; local first=1; for spec in "$@"; do
  [[ $first == 1 ]] || printf ','; first=0; event $spec; done; printf ']}'; }
records "1 111111111111 alice CreateUser" "2 111111111111 alice ListUsers" \
        "3 222222222222 alice DeleteUser" >"$WORK/events.json"
STORE=$WORK/store
expect 0 "$TB" ingest --store "$STORE" --no-progress "$WORK/events.json"
expect 0 "$TB" keygen --alg ES256 --kid idp --out "$WORK/idp"
expect 0 "$TB" keygen --alg EdDSA --kid runner-1 --out "$WORK/runner"
RUNNER_KEY=$WORK/runner/runner-1.key.pem
RUNNER_JWKS=$WORK/runner/jwks.json
export TRAILBOOK_JWKS=$WORK/idp/jwks.json TRAILBOOK_ISSUER=https://issuer.test/
unset TRAILBOOK_TOKEN TRAILBOOK_AUDIENCE TRAILBOOK_RUNBOOKS TRAILBOOK_SNAPSHOT_KEY TRAILBOOK_SNAPSHOT_JWKS
mint() { "$TB" token mint --key "$WORK/idp/idp.key.pem" --iss https://issuer.test/ --sub alice@example.com "$@"; }
RUN_TOKEN=$(mint --runbooks 'ir.*' --scope runbook:run)
READ_TOKEN=$(mint --runbooks 'ir.*' --scope snapshot:read)
BOTH_TOKEN=$(mint --runbooks 'ir.*' --scope 'runbook:run snapshot:read')
AUDIT_TOKEN=$(mint --runbooks 'audit.*' --scope 'audit:read query:adhoc')
ARN=arn:aws:iam::111111111111:user/alice
run() { "$TB" run --store "$STORE" ir.principal-activity -p principal_arn=$ARN "$@"; }
snap() { "$TB" snapshot "$1" --store "$STORE" "${@:2}"; }

# run --snapshot: the key must be the runner's, 0600, and there must be a result to freeze.
expect 2 run --token "$RUN_TOKEN" --snapshot
contains "$WORK/err" 'snapshot-key'
cp "$RUNNER_KEY" "$WORK/loose.pem"; chmod 0644 "$WORK/loose.pem"
expect 2 run --token "$RUN_TOKEN" --snapshot --snapshot-key "$WORK/loose.pem"
contains "$WORK/err" "$WORK/loose.pem"
contains "$WORK/err" '0644'
expect 2 run --token "$RUN_TOKEN" --snapshot --snapshot-key "$WORK/idp/idp.key.pem" --jwks "$TRAILBOOK_JWKS"
expect 2 run --token "$RUN_TOKEN" --snapshot --snapshot-key "$RUNNER_KEY" --dry-run
expect 3 run --snapshot --snapshot-key "$RUNNER_KEY"  # no token: nothing runs, nothing frozen
expect 0 run --token "$RUN_TOKEN" --snapshot --snapshot-key "$RUNNER_KEY" --format ndjson
contains "$WORK/out" CreateUser
ID=$(sed -n 's/^snapshot \([^ ]*\) (2 rows.*/\1/p' "$WORK/err")
[[ -n $ID ]] || { fail "no snapshot id on stderr"; cat "$WORK/err"; }
TRAILBOOK_SNAPSHOT_KEY=$RUNNER_KEY expect 0 run --token "$RUN_TOKEN" --snapshot

# Reading needs snapshot:read.
expect 3 snap list
expect 4 snap list --token "$RUN_TOKEN"
expect 4 snap show "$ID" --token "$RUN_TOKEN"
expect 0 snap list --token "$READ_TOKEN" --format json
contains "$WORK/out" "\"id\": \"$ID\""
contains "$WORK/out" '"runbook": "ir.principal-activity"'
contains "$WORK/out" '"rows": 2'
contains "$WORK/out" '"subject": "alice@example.com"'
contains "$WORK/out" '"created": '
expect 0 snap show "$ID" --token "$READ_TOKEN"
contains "$WORK/out" '"snapshotId": "'"$ID"'"'
expect 5 snap show nonsense --token "$READ_TOKEN"

# verify by id (token) and --rerun (runbook:run too); an exported copy needs no token.
expect 2 snap verify "$ID" --token "$READ_TOKEN"  # no trusted keys
expect 0 snap verify "$ID" --token "$READ_TOKEN" --keys "$RUNNER_JWKS"
contains "$WORK/out" 'verified'
expect 9 snap verify "$ID" --token "$READ_TOKEN" --keys "$RUNNER_JWKS" --rerun  # no runbook:run
contains "$WORK/out" 'FAIL rerun run'
expect 0 snap verify "$ID" --token "$BOTH_TOKEN" --keys "$RUNNER_JWKS" --rerun --format json
contains "$WORK/out" '"name": "rerun digest"'
expect 0 snap export "$ID" "$WORK/copy" --token "$READ_TOKEN"
TRAILBOOK_SNAPSHOT_JWKS=$RUNNER_JWKS expect 0 "$TB" snapshot verify "$WORK/copy"
expect 9 "$TB" snapshot verify "$WORK/copy" --keys "$WORK/idp/jwks.json"  # not the runner's keys
cp -r "$WORK/copy" "$WORK/tampered"; chmod -R u+w "$WORK/tampered"
printf '\x00' | dd of="$WORK/tampered/result.csv.gz" bs=1 seek=40 conv=notrunc 2>/dev/null
expect 9 "$TB" snapshot verify "$WORK/tampered" --keys "$RUNNER_JWKS"
contains "$WORK/err" 'result.csv.gz'

# New events for the same principal arrive: the runbook's answer changes, but the re-run is
# pinned to the snapshot's segments and still reproduces the snapshot.
records "4 111111111111 alice CreateAccessKey" >"$WORK/more.json"
expect 0 "$TB" ingest --store "$STORE" --no-progress "$WORK/more.json"
expect 0 run --token "$RUN_TOKEN" --format ndjson
contains "$WORK/out" CreateAccessKey
expect 0 snap verify "$ID" --token "$BOTH_TOKEN" --keys "$RUNNER_JWKS" --rerun
contains "$WORK/out" 'ingested since are not read'
contains "$WORK/out" "ok   rerun digest"

# The audit trail of the above.
expect 0 "$TB" query --store "$STORE" --token "$AUDIT_TOKEN" --format csv \
  "SELECT eventName, coalesce(errorCode, '-') AS e, count(*) AS n FROM events WHERE eventSource = 'trailbook.audit' AND eventName LIKE '%Snapshot%' GROUP BY 1, 2 ORDER BY 1, 2"
contains "$WORK/out" 'CreateSnapshot,-,2'
contains "$WORK/out" 'ListSnapshots,AccessDenied,1'
contains "$WORK/out" 'ListSnapshots,InvalidToken,1'
contains "$WORK/out" 'ListSnapshots,-,1'
contains "$WORK/out" 'ReadSnapshot,AccessDenied,1'
contains "$WORK/out" 'ReadSnapshot,SnapshotError,1'

finish "snapshot CLI: all checks passed"
