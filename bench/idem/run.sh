#!/usr/bin/env bash
# Load run of the idempotency and rate-limit middleware against the live
# binary on PostgreSQL and Redis (loopback only). Needs TEST_DATABASE_URL
# and TEST_REDIS_URL (as for the tests); makes and drops its own database
# and Redis prefix. Usage: bash bench/idem/run.sh [duration per run, default 10s]
set -euo pipefail
cd "$(dirname "$0")/../.."
D=${1:-10s}
: "${TEST_DATABASE_URL:?set TEST_DATABASE_URL}" "${TEST_REDIS_URL:?set TEST_REDIS_URL}"
work=$(mktemp -d)
db=bbbench_idem_$$
prefix="bbbench:$$:"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	psql "$TEST_DATABASE_URL" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
	redis-cli -u "$TEST_REDIS_URL" --scan --pattern "$prefix*" | xargs -r redis-cli -u "$TEST_REDIS_URL" DEL >/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
psql "$TEST_DATABASE_URL" -qc "CREATE DATABASE $db" >/dev/null
dsn=$(python3 -c 'import sys,urllib.parse as u; p=u.urlparse(sys.argv[1]); print(p._replace(path="/"+sys.argv[2]).geturl())' "$TEST_DATABASE_URL" "$db")
go build -o "$work/billbridge" ./cmd/billbridge
go build -o "$work/loadgen" ./bench/loadgen

# serve LIMIT PORT: a gateway with rate limit LIMIT on PORT.
serve() {
	BILLBRIDGE_DATABASE_URL=$dsn BILLBRIDGE_REDIS_URL=$TEST_REDIS_URL BILLBRIDGE_REDIS_PREFIX=$prefix \
		BILLBRIDGE_RATE_LIMIT=$1 BILLBRIDGE_ADDR=127.0.0.1:$2 BILLBRIDGE_LOG_LEVEL=warn "$work/billbridge" serve 2>>"$work/log" &
	pids+=($!)
	for _ in $(seq 100); do curl -fs "http://127.0.0.1:$2/healthz" >/dev/null && return; sleep 0.1; done
	echo "gateway on $2 did not start"; cat "$work/log"; exit 1
}
key=$(BILLBRIDGE_DATABASE_URL=$dsn "$work/billbridge" accounts create --name "Bench AG" | python3 -c 'import json,sys; print(json.load(sys.stdin)["api_key"])')
serve off 18181
serve 1000000/s 18182
L="$work/loadgen -key $key -c 16 -d $D"
echo "== GET /v1/me, no rate limit";              $L -url http://127.0.0.1:18181/v1/me
echo "== GET /v1/me, rate limit on Redis";        $L -url http://127.0.0.1:18182/v1/me
echo "== POST /v1/customers, no Idempotency-Key"; $L -url http://127.0.0.1:18181/v1/customers -method POST -body '{"name":"Load %d AG"}'
echo "== POST /v1/customers, a new key each";     $L -url http://127.0.0.1:18181/v1/customers -method POST -body '{"name":"Keyed %d AG"}' -idem unique
curl -fs -o /dev/null -X POST -H "Authorization: Bearer $key" -H 'Idempotency-Key: load-same' -H 'Content-Type: application/json' \
	-d '{"name":"Replayed AG"}' http://127.0.0.1:18181/v1/customers
echo "== POST /v1/customers, one key (replays)";  $L -url http://127.0.0.1:18181/v1/customers -method POST -body '{"name":"Replayed AG"}' -idem same
