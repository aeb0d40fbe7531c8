#!/usr/bin/env bash
# test-n8n.sh: the n8n node's quick suite, without n8n, on Node 24 from
# scripts/node24.sh, after a one-time `npm ci` in n8n-node/:
#   - `npm run lint`: the community package rules of n8n-node lint;
#   - `npm test`: the node:test unit tests of n8n-node/test (among them the
#     check of the node's operations and event types against
#     openapi/openapi.json);
#   - `npm run build` and `npm pack`, then n8n-node/scripts/scan-tarball.mjs:
#     the lint legs of n8n's own scanner (@n8n/scan-community-package) on the
#     sources and on the packed tarball, and the README's links checked
#     against what the tarball holds;
#   - actionlint (github.com/rhysd/actionlint, pinned, through the Go module
#     proxy) on .github/workflows/, which publish the package.
# About two minutes once installed. The real-n8n run is scripts/e2e-n8n.sh;
# scripts/test.sh runs this first. Exits non-zero when any step fails.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
actionlint_version=v1.7.12
export PATH="$("$root/scripts/node24.sh"):$PATH"
cd "$root/n8n-node"
if [[ ! -d node_modules/@n8n/node-cli || ! -d node_modules/@n8n/scan-community-package ]]; then
  echo "== npm ci"
  npm ci --no-audit --no-fund
fi
status=0
echo "== npm run lint"
npm run --silent lint || status=1
echo "== npm test"
npm test || status=1
echo "== npm run build, npm pack, scanner rules on the tarball"
pack="$(mktemp -d)"
trap 'rm -rf "$pack"' EXIT
if npm run --silent build >"$pack/build.log" 2>&1; then
  tarball="$(npm pack --silent --pack-destination "$pack" | tail -n1)"
  node scripts/scan-tarball.mjs "$pack/$tarball" || status=1
else
  cat "$pack/build.log"
  status=1
fi
echo "== actionlint $actionlint_version .github/workflows"
(cd "$root" && go run "github.com/rhysd/actionlint/cmd/actionlint@$actionlint_version" -color=false) || status=1
exit $status
