#!/usr/bin/env bash
# test-make.sh: prove the Make app (make/) with what runs here, since Make
# has no local runner. Builds billbridge, starts two gateways on free
# loopback ports with throwaway SQLite files (one normal, one with a tiny
# rate limit for the 429 mapping), creates an account on each, then runs
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
  local account; account="$(env "${env[@]}" "$tmp/billbridge" accounts create --name "Make Test $name" 2>>"$tmp/$name.log")"
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

cd "$root/make"
if [[ ! -d node_modules/ajv ]]; then
  echo "== npm ci"
  npm ci --no-audit --no-fund
fi

echo "== node --test make/test/"
status=0
BILLBRIDGE_URL="$url_main" BILLBRIDGE_API_KEY="$key_main" BILLBRIDGE_ACCOUNT_NAME="Make Test main" \
BILLBRIDGE_LIMITED_URL="$url_limited" BILLBRIDGE_LIMITED_API_KEY="$key_limited" \
BILLBRIDGE_OPENAPI="${BILLBRIDGE_OPENAPI:-$root/openapi/openapi.json}" \
  node --test --test-concurrency=1 'test/*.test.js' || status=$?
if [[ $status -ne 0 ]]; then
  echo "== billbridge log (main, last 30 lines)"; tail -30 "$tmp/main.log"
fi
exit $status
