# suite.sh: source it to run named suites and sum them up (scripts/test.sh,
# scripts/check.sh).
#
#   suite NAME COMMAND...   runs COMMAND, prints "=== suite NAME: ok (N s)"
#                           or "=== suite NAME: FAILED (N s)" and counts it
#   suites_summary          prints "suites: N passed, M failed" (and the
#                           failed names); returns non-zero when any failed

passed=0; failed=0; failures=()

suite() {
  local name="$1"; shift
  echo "=== suite $name: $*"
  local start=$SECONDS
  if "$@"; then
    passed=$((passed + 1)); echo "=== suite $name: ok ($((SECONDS - start)) s)"
  else
    failed=$((failed + 1)); failures+=("$name"); echo "=== suite $name: FAILED ($((SECONDS - start)) s)"
  fi
}

suites_summary() {
  if ((failed > 0)); then echo "failed suites: ${failures[*]}"; fi
  echo "suites: $passed passed, $failed failed"
  ((failed == 0))
}
