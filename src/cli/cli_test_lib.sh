# Assertions shared by the CLI's end-to-end shell tests (sourced, not run). The sourcing
# script sets WORK (a scratch directory) first and ends with `finish`.
failures=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# expect CODE CMD...: runs CMD, checks its exit code, keeps stdout in $WORK/out, stderr in $WORK/err.
expect() {
  local want=$1; shift
  "$@" >"$WORK/out" 2>"$WORK/err"
  local got=$?
  if [[ $got != "$want" ]]; then
    fail "exit $got, want $want: $*"; sed 's/^/  stderr: /' "$WORK/err" | head -5
  fi
}
contains() { grep -qF -- "$2" "$1" || { fail "$1 lacks: $2"; sed 's/^/  | /' "$1" | head -8; }; }
lacks() { if grep -qF -- "$2" "$1"; then fail "$1 contains: $2"; fi; }
# Prints the count and exits 1 when any check failed, else MESSAGE (default "all passed").
finish() {
  if [[ $failures -gt 0 ]]; then echo "$failures failure(s)"; exit 1; fi
  echo "${1:-all passed}"
}
