#!/usr/bin/env bash
# test-n8n.sh: the n8n node's quick suite, without n8n: `npm run lint` (the
# community package rules of n8n-node lint) and `npm test` (the node:test
# unit tests of n8n-node/test), on Node 24 from scripts/node24.sh, after a
# one-time `npm ci` in n8n-node/. About a minute once installed. The real-n8n
# run is scripts/e2e-n8n.sh; scripts/test.sh runs this first.
# Exits non-zero when the lint or a unit test fails.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export PATH="$("$root/scripts/node24.sh"):$PATH"
cd "$root/n8n-node"
if [[ ! -d node_modules/@n8n/node-cli ]]; then
  echo "== npm ci"
  npm ci --no-audit --no-fund
fi
status=0
echo "== npm run lint"
npm run --silent lint || status=1
echo "== npm test"
npm test || status=1
exit $status
