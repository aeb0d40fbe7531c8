#!/usr/bin/env bash
# test-zapier.sh: prove the Zapier app (zapier/) against a real billbridge.
# Builds the binary, starts two gateways on free loopback ports with
# throwaway SQLite files (one normal, one with a tiny rate limit for the 429
# test), creates an account on each, then runs
# `zapier-platform validate --without-style` and the mocha suite with
# createAppTester. Exits non-zero when anything fails. Needs Go and the npm
# registry (Node 24 comes from scripts/node24.sh).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export PATH="$("$root/scripts/node24.sh"):$PATH"

tmp="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

echo "== build billbridge"
(cd "$root" && go build -o "$tmp/billbridge" ./cmd/billbridge)

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

# start NAME [ENV=VALUE...]: migrate, create an account, serve; sets
# url_NAME and key_NAME.
start() {
  local name="$1"; shift
  local port; port="$(free_port)"
  local env=(BILLBRIDGE_DATABASE_URL="sqlite:$tmp/$name.db" BILLBRIDGE_ADDR="127.0.0.1:$port"
    BILLBRIDGE_HOOKS_ALLOW_PRIVATE=true BILLBRIDGE_DELIVERY_INTERVAL=200ms BILLBRIDGE_LOG_FORMAT=text "$@")
  env "${env[@]}" "$tmp/billbridge" migrate >"$tmp/$name.log" 2>&1
  local account; account="$(env "${env[@]}" "$tmp/billbridge" accounts create --name "Zapier Test $name" 2>>"$tmp/$name.log")"
  env "${env[@]}" "$tmp/billbridge" serve >>"$tmp/$name.log" 2>&1 &
  pids+=($!)
  local url="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do
    if curl -fsS "$url/healthz" >/dev/null 2>&1; then break; fi
    sleep 0.1
  done
  curl -fsS "$url/healthz" >/dev/null || { echo "billbridge $name did not start:"; cat "$tmp/$name.log"; exit 1; }
  printf -v "url_$name" '%s' "$url"
  printf -v "key_$name" '%s' "$(node -e 'console.log(JSON.parse(process.argv[1]).api_key)' "$account")"
}

start main
start limited BILLBRIDGE_RATE_LIMIT=3/m

cd "$root/zapier"
if [[ ! -d node_modules/zapier-platform-core ]]; then
  echo "== npm ci"
  npm ci --no-audit --no-fund
fi

echo "== zapier-platform validate --without-style"
npx --no-install zapier-platform validate --without-style

echo "== mocha"
status=0
BILLBRIDGE_URL="$url_main" BILLBRIDGE_API_KEY="$key_main" BILLBRIDGE_ACCOUNT_NAME="Zapier Test main" \
BILLBRIDGE_LIMITED_URL="$url_limited" BILLBRIDGE_LIMITED_API_KEY="$key_limited" \
  npx --no-install mocha --timeout 60000 --recursive test || status=$?
if [[ $status -ne 0 ]]; then
  echo "== billbridge log (main, last 40 lines)"; tail -40 "$tmp/main.log"
fi
exit $status
