#!/usr/bin/env bash
# End-to-end test of `trailbook run`, `trailbook query` and `trailbook runbook` through the
# binary: exit codes (docs/runbooks.md), output formats, and the audit event each request
# leaves in the store, read back with a query. Usage: run_command_test.sh path/to/trailbook
# (run from the repository root, like every test).
set -uo pipefail
TB=$1
WORK=$(mktemp -d "${TMPDIR:-/tmp}/trailbook-run-test-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
source "$(dirname "${BASH_SOURCE[0]}")/cli_test_lib.sh"

NOW=$(date -u +%Y-%m-%dT%H:00:00Z)
HOUR_AGO=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)
event() {  # event N ACCOUNT USER IP NAME
  printf '{"eventVersion":"1.08","eventTime":"%s","eventSource":"iam.amazonaws.com","eventName":"%s","awsRegion":"us-east-1","sourceIPAddress":"%s","eventID":"e0000000-0000-4000-8000-%012d","eventType":"AwsApiCall","recipientAccountId":"%s","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::%s:user/%s","accountId":"%s","userName":"%s"}}' \
    "$HOUR_AGO" "$5" "$4" "$1" "$2" "$2" "$3" "$2" "$3"
}
{
  printf '{"Records":['
  event 1 111111111111 alice 203.0.113.5 CreateUser; printf ','
  event 2 111111111111 alice 203.0.113.5 ListUsers; printf ','
  event 3 222222222222 alice 198.51.100.7 DeleteUser
  printf ']}'
} >"$WORK/events.json"
STORE=$WORK/store
expect 0 "$TB" ingest --store "$STORE" --no-progress "$WORK/events.json"
expect 0 "$TB" keygen --alg ES256 --kid test --out "$WORK/keys"
export TRAILBOOK_JWKS=$WORK/keys/jwks.json TRAILBOOK_ISSUER=https://issuer.test/
unset TRAILBOOK_TOKEN TRAILBOOK_AUDIENCE TRAILBOOK_RUNBOOKS
mint() { "$TB" token mint --key "$WORK/keys/test.key.pem" --iss https://issuer.test/ --sub alice@example.com "$@"; }
RUN_TOKEN=$(mint --runbooks 'ir.*' --scope runbook:run)
NARROW_TOKEN=$(mint --runbooks ir.console-logins --scope runbook:run)
ACCT_TOKEN=$(mint --runbooks 'ir.*' --scope runbook:run --accounts 111111111111)
AUDIT_TOKEN=$(mint --runbooks 'audit.*' --scope 'runbook:run audit:read query:adhoc')
ADHOC_TOKEN=$(mint --runbooks 'ir.*' --scope query:adhoc)
ARN=arn:aws:iam::111111111111:user/alice
run() { "$TB" run --store "$STORE" "$@"; }

# runbook list / show / validate / test over the built-in library.
expect 0 "$TB" runbook list --format json
contains "$WORK/out" '"id": "ir.principal-activity"'
expect 0 "$TB" runbook show ir.console-logins
contains "$WORK/out" 'sha256:'
expect 5 "$TB" runbook show ir.nope
expect 0 "$TB" runbook validate
contains "$WORK/out" ', 0 invalid'
printf 'id: ir.bad\nversion: 1\ntitle: t\nquery: |\n  SELECT nosuch FROM events\n' >"$WORK/bad.yaml"
expect 5 "$TB" runbook validate "$WORK/bad.yaml"
contains "$WORK/out" "$WORK/bad.yaml:5: query:"
expect 0 "$TB" runbook test
contains "$WORK/out" ' 0 failed, 0 runbooks without tests'
expect 5 "$TB" runbook test ir.nope
expect 2 "$TB" runbook list --format xml

# Allowed: rows in each format; --fail-on-rows.
expect 0 run ir.principal-activity --param principal_arn=$ARN --token "$RUN_TOKEN" --reason "INC-1: test"
contains "$WORK/out" CreateUser
expect 0 run ir.principal-activity -p principal_arn=$ARN --token "$RUN_TOKEN" --format ndjson
[[ $(wc -l <"$WORK/out") == 2 ]] || fail "ndjson: want 2 lines"
expect 0 run ir.principal-activity -p principal_arn=$ARN --token "$RUN_TOKEN" --format csv
contains "$WORK/out" 'eventTime,eventSource'
expect 0 run ir.principal-activity -p principal_arn=$ARN --token "$RUN_TOKEN" --format json
contains "$WORK/out" '"eventName"'
expect 8 run ir.principal-activity -p principal_arn=$ARN --token "$RUN_TOKEN" --fail-on-rows
expect 0 run ir.principal-activity -p principal_arn=arn:aws:iam::111111111111:user/nobody --token "$RUN_TOKEN" --fail-on-rows
TRAILBOOK_TOKEN=$RUN_TOKEN expect 0 run ir.principal-activity -p principal_arn=$ARN

# Constraints: the token's accounts filter rows and reject parameters outside them.
expect 0 run ir.source-ip-activity -p ip=198.51.100.7 --token "$ACCT_TOKEN" --format ndjson
[[ ! -s "$WORK/out" ]] || fail "account constraint: rows of 222222222222 leaked"
expect 0 run ir.source-ip-activity -p ip=198.51.100.7 --token "$RUN_TOKEN" --format ndjson
contains "$WORK/out" DeleteUser

# Unauthenticated (3), denied (4), runbook errors (5), usage (2).
expect 3 run ir.principal-activity -p principal_arn=$ARN
contains "$WORK/err" 'invalid token'
# Change the signature's last character (to one that differs from it: the same character would
# leave the token intact and valid).
if [[ ${RUN_TOKEN: -1} == A ]]; then LAST=Q; else LAST=A; fi
expect 3 run ir.principal-activity -p principal_arn=$ARN --token "${RUN_TOKEN%?}$LAST"
expect 3 run ir.principal-activity -p principal_arn=$ARN --token "$RUN_TOKEN" --issuer https://other.test/
expect 4 run ir.principal-activity -p principal_arn=$ARN --token "$NARROW_TOKEN"
contains "$WORK/err" 'not allowed'
lacks "$WORK/err" 'runbooks claim'
expect 4 run audit.who-ran-what --token "$RUN_TOKEN"
expect 5 run ir.principal-activity -p "principal_arn=x' OR 1=1 --" --token "$RUN_TOKEN"
contains "$WORK/err" "parameter 'principal_arn'"
expect 5 run ir.principal-activity --token "$RUN_TOKEN"
expect 5 run ir.nope --token "$RUN_TOKEN"
expect 2 run ir.principal-activity -p noequals --token "$RUN_TOKEN"
expect 2 run ir.principal-activity --format xml --token "$RUN_TOKEN"
TRAILBOOK_JWKS= expect 2 run ir.principal-activity -p principal_arn=$ARN --token "$RUN_TOKEN"
expect 6 "$TB" run ir.principal-activity -p principal_arn=$ARN --token "$RUN_TOKEN" --store "$WORK/nostore/x"

# Dry run: the denied claim is shown to the caller who asked for it; nothing runs.
expect 4 run ir.principal-activity -p principal_arn=$ARN --token "$NARROW_TOKEN" --dry-run
contains "$WORK/out" "DENIED by claim 'runbooks'"
expect 0 run ir.principal-activity -p principal_arn=$ARN --token "$ACCT_TOKEN" --dry-run
contains "$WORK/out" 'ALLOWED by claims runbooks+scope+constraints'
contains "$WORK/out" "111111111111"
contains "$WORK/out" ':start = '
lacks "$WORK/out" 'CreateUser'

# Ad-hoc query: needs query:adhoc; audit rows need audit:read.
expect 4 "$TB" query --store "$STORE" --token "$RUN_TOKEN" "SELECT count(*) FROM events"
expect 3 "$TB" query --store "$STORE" "SELECT count(*) FROM events"
expect 0 "$TB" query --store "$STORE" --token "$ADHOC_TOKEN" --format csv \
  "SELECT count(*) AS n FROM events WHERE eventSource = 'trailbook.audit'"
contains "$WORK/out" $'n\n0'
expect 0 "$TB" query --store "$STORE" --token "$ADHOC_TOKEN" --format csv \
  "SELECT eventName FROM events WHERE eventID = 'e0000000-0000-4000-8000-00000000000' || CAST(:n AS varchar)" \
  --param n:bigint=1
contains "$WORK/out" CreateUser

# The audit trail of all of the above, through the audit runbook and ad-hoc SQL.
expect 0 run audit.who-ran-what --token "$AUDIT_TOKEN" --format csv -p max_rows=1000
contains "$WORK/out" 'alice@example.com,RunRunbook,ir.principal-activity,1.0.0,INC-1: test,2,,local'
contains "$WORK/out" 'AccessDenied'
contains "$WORK/out" 'InvalidToken'
contains "$WORK/out" 'InvalidParameter'
contains "$WORK/out" 'DryRunRunbook'
contains "$WORK/out" 'QueryAdhoc'
expect 0 "$TB" query --store "$STORE" --token "$AUDIT_TOKEN" --format csv \
  "SELECT errorCode, count(*) AS n FROM events WHERE eventSource = 'trailbook.audit' AND eventName = 'RunRunbook' GROUP BY 1 ORDER BY 1"
contains "$WORK/out" 'AccessDenied,2'

# Digests from one-shot commands: with $TRAILBOOK_AUDIT_DIGEST_KEY each command ends by
# signing a digest when none is newer than $TRAILBOOK_AUDIT_DIGEST_INTERVAL seconds.
expect 0 "$TB" keygen --alg EdDSA --kid audit-1 --out "$WORK/digest"
DIGEST_KEY=$WORK/digest/audit-1.key.pem
cp "$DIGEST_KEY" "$WORK/loose-digest.pem"; chmod 0644 "$WORK/loose-digest.pem"
TRAILBOOK_AUDIT_DIGEST_KEY=$WORK/loose-digest.pem expect 2 run ir.principal-activity \
  --token "$RUN_TOKEN" -p principal_arn=$ARN
contains "$WORK/err" 'TRAILBOOK_AUDIT_DIGEST_KEY'
contains "$WORK/err" '0644'
TRAILBOOK_AUDIT_DIGEST_KEY=$DIGEST_KEY TRAILBOOK_AUDIT_DIGEST_INTERVAL=soon expect 2 run \
  ir.principal-activity --token "$RUN_TOKEN" -p principal_arn=$ARN
contains "$WORK/err" 'TRAILBOOK_AUDIT_DIGEST_INTERVAL'
digests() { ls "$STORE/audit/digests" 2>/dev/null | grep -c '^digest-.*\.json$'; }
[[ $(digests) == 0 ]] || fail "digests before any key was configured: $(digests)"
TRAILBOOK_AUDIT_DIGEST_KEY=$DIGEST_KEY expect 0 run ir.principal-activity --token "$RUN_TOKEN" \
  -p principal_arn=$ARN
[[ $(digests) == 1 ]] || fail "want 1 digest after the first keyed run, have $(digests)"
TRAILBOOK_AUDIT_DIGEST_KEY=$DIGEST_KEY expect 0 "$TB" query --store "$STORE" \
  --token "$ADHOC_TOKEN" "SELECT count(*) FROM events"
[[ $(digests) == 1 ]] || fail "a digest within the interval: have $(digests)"
sleep 1.2
TRAILBOOK_AUDIT_DIGEST_KEY=$DIGEST_KEY TRAILBOOK_AUDIT_DIGEST_INTERVAL=1 expect 0 "$TB" query \
  --store "$STORE" --token "$ADHOC_TOKEN" "SELECT count(*) FROM events"
[[ $(digests) == 2 ]] || fail "want 2 digests once the interval passed, have $(digests)"
expect 0 "$TB" audit verify --store "$STORE" --jwks "$WORK/digest/jwks.json"
contains "$WORK/out" 'digests: 2'

# Compaction: the first compact folds the journal into one audit segment; after one more
# audited command the second folds a second one and merges the two. Nothing is lost.
audit_rows() {
  expect 0 "$TB" query --store "$STORE" --token "$AUDIT_TOKEN" --format csv \
    "SELECT count(*) AS n, count(DISTINCT eventID) AS d FROM events WHERE eventSource = 'trailbook.audit'"
  tail -1 "$WORK/out" | tr -d '\r'
}
expect 2 "$TB" audit compact --store "$STORE" --min-segments 1
expect 0 "$TB" audit compact --store "$STORE"
contains "$WORK/out" 'merged 0 small audit segments into 0'
BEFORE=$(audit_rows)
expect 0 "$TB" audit compact --store "$STORE"
contains "$WORK/out" 'merged 2 small audit segments into 1'
AFTER=$(audit_rows)
# Each audit_rows query is itself audited (one more event each time).
[[ ${BEFORE%%,*} -gt 0 && ${AFTER%%,*} == $(( ${BEFORE%%,*} + 1 )) ]] || fail "audit rows $BEFORE then $AFTER"
[[ ${AFTER%%,*} == ${AFTER##*,} ]] || fail "duplicate audit events after compaction: $AFTER"
expect 0 "$TB" audit verify --store "$STORE" --jwks "$WORK/digest/jwks.json"
contains "$WORK/out" 'OK'

finish
