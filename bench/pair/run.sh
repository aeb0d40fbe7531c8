#!/usr/bin/env bash
# Two billbridge instances on one PostgreSQL and one Redis (issue 11): a
# measurement, not a test (TestPollAcrossInstances proves the promise). It
# creates a throwaway database at TEST_DATABASE_URL's server, seeds
# BENCH_INVOICES (20,000) invoices with their events, starts instances a and
# b (Redis at TEST_REDIS_URL, a prefix of their own), and for BENCH_ROUND
# (10s) drives both at once with wrk (BENCH_CONNS, 8, connections each) on
# GET /v1/events?limit=50, while bench/writer changes the account
# BENCH_WRITER_RATE (20) times a second from BENCH_WRITER_CLIENTS (8)
# connections: write k upserts a new customer through one instance and at
# once reads GET /v1/events?type=customer.created&limit=1 through the other
# (alternating a/b): the new customer, or a later one, must be the answer,
# or the read counts as stale (any stale read or failed write fails the
# run). It prints both instances' req/s, their sum, the writer's line and
# the load average. BENCH_OVERDUE=false seeds no invoice past due, so the
# overdue job of both instances (payment ratings, invoice rows) has nothing
# to write during the run and the writer's figures are the customer writes'
# alone.
#
#   bash bench/pair/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

PG_BASE=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
REDIS=${TEST_REDIS_URL:-redis://127.0.0.1:6379/0}
INVOICES=${BENCH_INVOICES:-20000}
CONNS=${BENCH_CONNS:-8}
ROUND=${BENCH_ROUND:-10s}
WRITER_RATE=${BENCH_WRITER_RATE:-20}
WRITER_CLIENTS=${BENCH_WRITER_CLIENTS:-8}
command -v wrk >/dev/null || { echo "bench/pair needs wrk: apt-get install -y wrk" >&2; exit 2; }

. bench/workdir.sh # $work, $pids, cleaned up on exit
db=bench_pair_$$
psql -q "$PG_BASE" -c "CREATE DATABASE $db" >/dev/null
trap 'cleanup; psql -q "$PG_BASE" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
dsn=$(python3 -c 'import sys, urllib.parse as u; p=u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/"+sys.argv[2])))' "$PG_BASE" "$db")

go build -o "$work/billbridge" ./cmd/billbridge
go build -o "$work/seed" ./bench/seed
go build -o "$work/writer" ./bench/writer
seeded=$("$work/seed" -db "$dsn" -n "$INVOICES" -events -overdue="${BENCH_OVERDUE:-true}")
key=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["api_key"])' "$seeded")
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
urls=()
for name in a b; do
	port=$(free_port)
	BILLBRIDGE_DATABASE_URL="$dsn" BILLBRIDGE_REDIS_URL="$REDIS" BILLBRIDGE_REDIS_PREFIX="bench-pair-$$:" \
		BILLBRIDGE_ADDR="127.0.0.1:$port" BILLBRIDGE_RATE_LIMIT=off "$work/billbridge" serve >"$work/$name.log" 2>&1 &
	pids+=($!)
	urls+=("http://127.0.0.1:$port")
	for _ in $(seq 1 300); do curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && break; sleep 0.1; done
done

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
"$work/writer" -url "${urls[0]}" -url "${urls[1]}" -key "$key" -rate "$WRITER_RATE" -c "$WRITER_CLIENTS" >"$work/writer.txt" 2>&1 &
wpid=$!
pids+=("$wpid")
for i in 0 1; do
	wrk -t 1 -c "$CONNS" -d "$ROUND" --latency -H "Authorization: Bearer $key" "${urls[$i]}/v1/events?limit=50" >"$work/wrk-$i.txt" 2>&1 &
	wrks[$i]=$!
done
wait "${wrks[0]}" "${wrks[1]}"
kill -TERM "$wpid"
wstatus=0
wait "$wpid" || wstatus=$?
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
ra=$(awk '/Requests\/sec/ {print $2}' "$work/wrk-0.txt")
rb=$(awk '/Requests\/sec/ {print $2}' "$work/wrk-1.txt")
echo "PostgreSQL + Redis, two instances, wrk $CONNS connections each for $ROUND on GET /v1/events?limit=50, $INVOICES invoices"
echo "load average before: $load_before, after: $load_after"
grep -h -E "Non-2xx|Latency  " "$work"/wrk-*.txt || true
echo "instance a: $ra req/s; instance b: $rb req/s; together: $(python3 -c "print(round($ra + $rb))") req/s"
cat "$work/writer.txt"
[ "$wstatus" = 0 ] || { echo "the writer found stale reads across instances or failed writes" >&2; exit 1; }
! grep -q "Non-2xx" "$work"/wrk-*.txt || { echo "non-2xx answers" >&2; exit 1; }
