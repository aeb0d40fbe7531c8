# suite.sh: source it to run named suites and sum them up (scripts/test.sh,
# scripts/check.sh).
#
#   suite NAME COMMAND...   runs COMMAND, prints "=== suite NAME: ok (N s)"
#                           or "=== suite NAME: FAILED (N s)" and counts it
#   suites_summary          prints, for each failed suite, the lines of its
#                           output that say why (FAIL, FATAL, panic, error)
#                           and its last lines, then "suites: N passed, M
#                           failed" (and the failed names); returns non-zero
#                           when any failed
#
# A CI log is often read from its end: the summary repeats why a suite
# failed there, so the reason is not buried thousands of lines above.

passed=0; failed=0; failures=()
suite_logs="$(mktemp -d -t billbridge-suites.XXXXXX)"

suite() {
  local name="$1"; shift
  echo "=== suite $name: $*"
  local start=$SECONDS rc
  "$@" 2>&1 | tee "$suite_logs/$name.log"
  rc=${PIPESTATUS[0]}
  if ((rc == 0)); then
    passed=$((passed + 1)); echo "=== suite $name: ok ($((SECONDS - start)) s)"
  else
    failed=$((failed + 1)); failures+=("$name"); echo "=== suite $name: FAILED ($((SECONDS - start)) s)"
  fi
}

suites_summary() {
  local name
  for name in "${failures[@]}"; do
    echo "--- why suite $name failed: its FAIL/FATAL/panic/error lines (last 25), then its last 10 lines"
    grep -E -- 'FAIL|FATAL|panic:|[Ee]rror:|timed out' "$suite_logs/$name.log" | grep -v -- '--- PASS' | tail -n 25
    echo "--- last lines of suite $name:"
    tail -n 10 "$suite_logs/$name.log"
  done
  rm -rf "$suite_logs"
  if ((failed > 0)); then echo "failed suites: ${failures[*]}"; fi
  echo "suites: $passed passed, $failed failed"
  ((failed == 0))
}
