#!/usr/bin/env bash
# Third-party verification of a `trailbook audit export` directory with standard tools only
# (bash, coreutils, gzip, sed, grep, openssl 3); no trailbook code. docs/format/audit.md
# explains each step. Checks:
#   1. the hash chain: events in sequence order, dense, each previousEventHash equal to the
#      SHA-256 of the previous event's line (events are exported one per line, canonical);
#   2. every digest: its EdDSA signature with the key of its kid in a JWKS you trust, its
#      chainHeadHash equal to the hash of its last event, the digest chain (sequence ranges
#      contiguous, previousDigestSignature equal to the previous digest's signature).
# Usage: audit_verify.sh EXPORT_DIR TRUSTED_JWKS
# Exit 0 when everything holds; 1 naming the first failure. Assumes a full export (the chain
# starts at sequence 1) and EdDSA digest keys (ES256 needs an r||s to DER conversion).
set -euo pipefail
export LC_ALL=C
[[ $# -eq 2 ]] || { echo "usage: $0 EXPORT_DIR TRUSTED_JWKS" >&2; exit 2; }
export_dir=$1
jwks=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# Event files in sequence order (names end in _seq<first>-<last>.json.gz).
find "$export_dir" -path '*/CloudTrail/*' -name '*.json.gz' |
  sed -E 's/^(.*_seq([0-9]+)-[0-9]+\.json\.gz)$/\2 \1/' | sort -n | cut -d' ' -f2- >"$work/files"
# One event per line: drop the {"Records":[ and ]} lines and each line's trailing comma.
while IFS= read -r f; do
  gzip -dc "$f" | sed -e '1d' -e '$d' -e 's/,$//'
done <"$work/files" >"$work/events"

# 1. The hash chain.
declare -A hash_of
previous=$(printf '0%.0s' {1..64})
expected=1
while IFS= read -r event; do
  sequence=$(grep -o '"auditSequence":[0-9]*' <<<"$event" | head -1 | cut -d: -f2)
  link=$(grep -o '"previousEventHash":"[0-9a-f]*"' <<<"$event" | head -1 | cut -d'"' -f4)
  [[ $sequence == "$expected" ]] || fail "sequence $expected: missing (next event is $sequence)"
  [[ $link == "$previous" ]] || fail "sequence $sequence: previousEventHash does not match the previous event"
  previous=$(printf '%s' "$event" | sha256sum | cut -d' ' -f1)
  hash_of[$sequence]=$previous
  expected=$((sequence + 1))
done <"$work/events"
echo "chain: $((expected - 1)) events linked"

# 2. The digests, in sequence order (the file names end in _seq<last>.json.gz).
find "$export_dir" -path '*/CloudTrail-Digest/*' -name '*.json.gz' |
  sed -E 's/^(.*_seq([0-9]+)\.json\.gz)$/\2 \1/' | sort -n | cut -d' ' -f2- >"$work/digests"
member() { grep -o "\"$1\":\"[^\"]*\"" "$2" | head -1 | cut -d'"' -f4; }
number() { grep -o "\"$1\":[0-9]*" "$2" | head -1 | cut -d: -f2; }
previous_signature=""
previous_last=0
digests=0
while IFS= read -r f; do
  d="$work/digest.json"
  gzip -dc "$f" >"$d"
  first=$(number digestFirstSequence "$d")
  last=$(number digestLastSequence "$d")
  kid=$(member digestPublicKeyId "$d")
  [[ $(member digestSignatureAlgorithm "$d") == EdDSA ]] || fail "digest $first..$last: not EdDSA"
  # The signed bytes: the digest (canonical JSON) without its digestSignature member.
  sed -E 's/"digestSignature":"[0-9a-f]*",//' "$d" >"$work/signed"
  signature=$(member digestSignature "$d")
  printf "$(sed 's/../\\x&/g' <<<"$signature")" >"$work/signature"
  # The public key of that kid: JWK x (base64url) behind the Ed25519 SubjectPublicKeyInfo prefix.
  jwk=$(tr -d ' \t\r\n' <"$jwks" | grep -o "{[^{}]*\"kid\":\"$kid\"[^{}]*}" | head -1) || fail "digest $first..$last: kid $kid is not in $jwks"
  x=$(grep -o '"x":"[^"]*"' <<<"$jwk" | cut -d'"' -f4 | tr '_-' '/+')
  while (( ${#x} % 4 )); do x="$x="; done
  { printf '\x30\x2a\x30\x05\x06\x03\x2b\x65\x70\x03\x21\x00'; base64 -d <<<"$x"; } >"$work/key.der"
  openssl pkey -pubin -inform DER -in "$work/key.der" -out "$work/key.pem" 2>/dev/null
  openssl pkeyutl -verify -pubin -inkey "$work/key.pem" -rawin -in "$work/signed" \
    -sigfile "$work/signature" >/dev/null 2>&1 || fail "digest $first..$last: signature does not verify"
  [[ $first == $((previous_last + 1)) ]] || fail "digest $first..$last: gap after sequence $previous_last"
  if [[ -z $previous_signature ]]; then
    grep -q '"previousDigestSignature":null' "$d" || fail "digest $first..$last: previousDigestSignature should be null"
  else
    [[ $(member previousDigestSignature "$d") == "$previous_signature" ]] ||
      fail "digest $first..$last: previousDigestSignature does not match the previous digest"
  fi
  [[ ${hash_of[$last]:-} == "$(member chainHeadHash "$d")" ]] ||
    fail "digest $first..$last: chainHeadHash differs from the hash of event $last"
  previous_signature=$signature
  previous_last=$last
  digests=$((digests + 1))
done <"$work/digests"
echo "digests: $digests verified, events signed through sequence $previous_last"
echo OK
