#!/usr/bin/env bash
# test-zapier.sh: prove the Zapier app (zapier/) against a real billbridge.
# Builds the binary, starts two gateways on free loopback ports with
# throwaway SQLite files (one normal, whose overdue and reminder jobs run
# every second, and one with a tiny rate limit for the 429 test), creates an account on each, then runs
# `zapier-platform validate --without-style` and the mocha suite with
# createAppTester. Exits non-zero when anything fails. Needs Go and the npm
# registry (Node 24 comes from scripts/node24.sh).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export PATH="$("$root/scripts/node24.sh"):$PATH"

source "$root/scripts/billbridge-server.sh"
bb_build
bb_start main BILLBRIDGE_OVERDUE_INTERVAL=1s
bb_start limited BILLBRIDGE_RATE_LIMIT=3/m

cd "$root/zapier"
if [[ ! -d node_modules/zapier-platform-core ]]; then
  echo "== npm ci"
  npm ci --no-audit --no-fund
fi

echo "== zapier-platform validate --without-style"
npx --no-install zapier-platform validate --without-style

echo "== mocha"
status=0
# z.stashFile talks to Zapier's file storage; test/invoice_file.test.js
# stands it in on this port (the RPC base is read when core loads).
export ZAPIER_BASE_ENDPOINT="http://127.0.0.1:$(bb_free_port)" ZAPIER_DEPLOY_KEY=local-test
BILLBRIDGE_URL="$url_main" BILLBRIDGE_API_KEY="$key_main" BILLBRIDGE_ACCOUNT_NAME="Test main" \
BILLBRIDGE_LIMITED_URL="$url_limited" BILLBRIDGE_LIMITED_API_KEY="$key_limited" \
  npx --no-install mocha --timeout 60000 --recursive test || status=$?
if [[ $status -ne 0 ]]; then
  echo "== billbridge log (main, last 40 lines)"; tail -40 "$bb_tmp/main.log"
fi
exit $status
