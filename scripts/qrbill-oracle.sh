#!/usr/bin/env bash
# qrbill-oracle.sh: run the QR-bill test oracle (qrbill/oracle/oracle.mjs)
# with stdin and stdout passed through. It installs the oracle's pinned npm
# packages (qrbill/oracle/package-lock.json: swissqrbill 4.4.1, jsQR 1.4.0,
# pngjs 7.0.0) with `npm ci` into a cache folder that later runs reuse,
# ${BILLBRIDGE_CACHE:-$HOME/.cache/billbridge}/qrbill-oracle-<lock hash>,
# and runs it on Node 24 (scripts/node24.sh). The Go tests of package qrbill
# call it; it is never part of the product.
# Usage: bash scripts/qrbill-oracle.sh < cases.json > results.json
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
src="$root/qrbill/oracle"
hash="$(sha256sum "$src/package-lock.json" | cut -c1-12)"
cache="${BILLBRIDGE_CACHE:-$HOME/.cache/billbridge}/qrbill-oracle-$hash"
export PATH="$(bash "$root/scripts/node24.sh"):$PATH"
if [[ ! -f "$cache/.installed" ]]; then
  mkdir -p "$cache"
  # A lock keeps two concurrent installs from racing on the cache.
  exec 9>"$cache.lock"
  flock 9
  if [[ ! -f "$cache/.installed" ]]; then
    cp "$src/package.json" "$src/package-lock.json" "$cache/"
    (cd "$cache" && npm ci --no-audit --no-fund --ignore-scripts >&2)
    touch "$cache/.installed"
  fi
fi
ORACLE_MODULES="$cache/node_modules" exec node "$src/oracle.mjs"
