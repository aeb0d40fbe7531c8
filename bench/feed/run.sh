#!/usr/bin/env bash
# Feed benchmark against the live binary on PostgreSQL (loopback only):
# page 1 of GET /v1/events (and a type-filtered page) from 16 clients on
# random accounts, on 10,000 events (10 accounts × 1,000) and on 1,000,000
# events (1,000 accounts × 1,000), seeded with COPY; then hook delivery
# throughput to a local receiver. Needs TEST_DATABASE_URL; makes and drops
# its own databases. Usage: bash bench/feed/run.sh [duration per run, default 10s] [delivery]
# ("delivery" runs only the delivery part).
set -euo pipefail
cd "$(dirname "$0")/../.."
D=${1:-10s}
: "${TEST_DATABASE_URL:?set TEST_DATABASE_URL}"
work=$(mktemp -d)
pids=()
dbs=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	for db in "${dbs[@]}"; do psql "$TEST_DATABASE_URL" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null; done
	rm -rf "$work"
}
trap cleanup EXIT
go build -o "$work/billbridge" ./cmd/billbridge
go build -o "$work/loadgen" ./bench/loadgen
go build -o "$work/seed" ./bench/feed/seed
go build -o "$work/deliver" ./bench/feed/deliver

# newdb NAME: creates database NAME and prints its URL.
newdb() {
	psql "$TEST_DATABASE_URL" -qc "CREATE DATABASE $1" >/dev/null
	python3 -c 'import sys,urllib.parse as u; p=u.urlparse(sys.argv[1]); print(p._replace(path="/"+sys.argv[2]).geturl())' "$TEST_DATABASE_URL" "$1"
}
# serve DSN PORT [ENV…]: a gateway on DSN at PORT, rate limit off.
serve() {
	local dsn=$1 port=$2
	shift 2
	env "$@" BILLBRIDGE_DATABASE_URL="$dsn" BILLBRIDGE_RATE_LIMIT=off BILLBRIDGE_ADDR=127.0.0.1:$port BILLBRIDGE_LOG_LEVEL=warn \
		"$work/billbridge" serve 2>>"$work/log" &
	pids+=($!)
	for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && return; sleep 0.1; done
	echo "gateway on $port did not start"; cat "$work/log"; exit 1
}

port=18290
sizes=("10 1000" "1000 1000")
[ "${2:-}" = delivery ] && sizes=()
for size in "${sizes[@]}"; do
	set -- $size
	db=bbbench_feed_$1_$$
	dbs+=("$db")
	dsn=$(newdb "$db")
	"$work/seed" -dsn "$dsn" -accounts "$1" -events "$2" -keys "$work/keys-$1.txt"
	port=$((port + 1))
	serve "$dsn" $port
	echo "== $(( $1 * $2 )) events: page 1, newest first, limit 25, 16 clients"
	"$work/loadgen" -keys "$work/keys-$1.txt" -c 16 -d "$D" -url "http://127.0.0.1:$port/v1/events?limit=25"
	echo "== $(( $1 * $2 )) events: page 1 of invoice.paid,payment.received"
	"$work/loadgen" -keys "$work/keys-$1.txt" -c 16 -d "$D" -url "http://127.0.0.1:$port/v1/events?limit=25&type=invoice.paid,payment.received"
done

echo "== hook delivery to a local receiver (default dispatcher: 8 workers, 2 per target; poll 100ms)"
db=bbbench_deliver_$$
dbs+=("$db")
dsn=$(newdb "$db")
key=$(BILLBRIDGE_DATABASE_URL=$dsn "$work/billbridge" accounts create --name "Deliver AG" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["api_key"])')
# While the events are written:
serve "$dsn" 18299 BILLBRIDGE_HOOKS_ALLOW_PRIVATE=true BILLBRIDGE_DELIVERY_INTERVAL=100ms
"$work/deliver" -url http://127.0.0.1:18299 -key "$key" -n 2000 -c 8
# A backlog: events written through a gateway that polls hourly, then drained by a second one.
key=$(BILLBRIDGE_DATABASE_URL=$dsn "$work/billbridge" accounts create --name "Backlog AG" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["api_key"])')
serve "$dsn" 18298 BILLBRIDGE_HOOKS_ALLOW_PRIVATE=true BILLBRIDGE_DELIVERY_INTERVAL=1h
kill "${pids[-2]}"
"$work/deliver" -url http://127.0.0.1:18298 -key "$key" -n 5000 -c 8 -then \
	"env BILLBRIDGE_DATABASE_URL=$dsn BILLBRIDGE_HOOKS_ALLOW_PRIVATE=true BILLBRIDGE_DELIVERY_INTERVAL=100ms BILLBRIDGE_ADDR=127.0.0.1:18297 BILLBRIDGE_LOG_LEVEL=warn $work/billbridge serve"
