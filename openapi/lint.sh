#!/usr/bin/env bash
# lint.sh: lint openapi/openapi.json with Redocly CLI 2.77.0 and its
# recommended rules (openapi/redocly.yaml), on Node 24; errors and warnings
# both fail it. Justified exceptions are in openapi/.redocly.lint-ignore.yaml. The CLI is pinned in
# openapi/tools/package-lock.json and installed once into
# openapi/tools/node_modules (git-ignored).
# Usage: bash openapi/lint.sh [spec]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
export PATH="$("$root/scripts/node24.sh"):$PATH"
spec="$(realpath "${1:-$here/openapi.json}")"
if [[ ! -x "$here/tools/node_modules/.bin/redocly" ]]; then
  (cd "$here/tools" && npm ci --no-audit --no-fund >&2)
fi
cd "$here"
# Redocly exits non-zero on errors only; a warning fails this check too.
out="$("$here/tools/node_modules/.bin/redocly" lint --config "$here/redocly.yaml" "$spec" 2>&1)" || { echo "$out"; exit 1; }
echo "$out"
if grep -Eq 'You have [0-9]+ warnings?' <<<"$out"; then
  echo "lint.sh: warnings count as failures" >&2
  exit 1
fi
