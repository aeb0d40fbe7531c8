#!/usr/bin/env bash
# test-make.sh: prove the Make app (make/) with what runs here, since Make
# has no local runner. Builds billbridge, starts two gateways on free
# loopback ports with throwaway SQLite files (one normal, whose overdue and
# reminder jobs run every second, one with a tiny rate limit for the 429
# mapping), creates an account on each, then runs
# `node --test make/test/`:
#   structure.test.js  every file against the vscode-apps-sdk schemas, plus
#                      our own reference and consistency rules;
#   openapi.test.js    every request against openapi/openapi.json;
#   live.test.js       every module's communication evaluated and run
#                      against the live gateway, bundles checked.
# Exits non-zero when anything fails.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export PATH="$("$root/scripts/node24.sh"):$PATH"

source "$root/scripts/billbridge-server.sh"
bb_build
bb_start main BILLBRIDGE_OVERDUE_INTERVAL=1s
bb_start limited BILLBRIDGE_RATE_LIMIT=3/m

cd "$root/make"
if [[ ! -d node_modules/ajv ]]; then
  echo "== npm ci"
  npm ci --no-audit --no-fund
fi

echo "== node --test make/test/"
status=0
BILLBRIDGE_URL="$url_main" BILLBRIDGE_API_KEY="$key_main" BILLBRIDGE_ACCOUNT_NAME="Test main" \
BILLBRIDGE_LIMITED_URL="$url_limited" BILLBRIDGE_LIMITED_API_KEY="$key_limited" \
BILLBRIDGE_OPENAPI="${BILLBRIDGE_OPENAPI:-$root/openapi/openapi.json}" \
  node --test --test-concurrency=1 'test/*.test.js' || status=$?
if [[ $status -ne 0 ]]; then
  echo "== billbridge log (main, last 30 lines)"; tail -30 "$bb_tmp/main.log"
fi
exit $status
