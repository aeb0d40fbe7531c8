#!/usr/bin/env bash
# Load run of billbridge (a measurement, not a test). For SQLite and for
# PostgreSQL it seeds one account with 100,000 invoices and one with 1,000
# straight through the store (bench/seed), starts the real binary, and drives
# it with 16 concurrent clients (bench/load) for:
#   - GET /v1/invoices?status=unpaid in the 1,000 and the 100,000 account,
#   - POST /v1/customers/upsert in the 100,000 account,
# printing requests/s and p50/p99 latency per case, and the 100k/1k ratio of
# the list (it must stay within 1.3). Each case runs BENCH_DURATION (20s)
# after a 2 s warm-up, so the whole run takes about five minutes.
#
#   bench/load.sh                      # both stores
#   BENCH_STORES=sqlite bench/load.sh  # one store
#
# PostgreSQL is the one at TEST_DATABASE_URL; a throwaway database is
# created there and dropped afterwards. Rate limiting is off.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_BASE=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
DURATION=${BENCH_DURATION:-20s}
CLIENTS=${BENCH_CLIENTS:-16}
STORES=${BENCH_STORES:-sqlite postgres}
BIG=${BENCH_BIG:-100000}
SMALL=${BENCH_SMALL:-1000}

work=$(mktemp -d)
server_pid=""
pg_db=""
cleanup() {
	if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
	if [ -n "$pg_db" ]; then psql -q "$PG_BASE" -c "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

echo "building…" >&2
go build -o "$work/billbridge" ./cmd/billbridge
go build -o "$work/seed" ./bench/seed
go build -o "$work/load" ./bench/load

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
json_field() { python3 -c 'import json,sys; print(json.loads(sys.stdin.read())[sys.argv[1]])' "$1"; }

results="$work/results.jsonl"
for store in $STORES; do
	case "$store" in
	sqlite) dsn="sqlite:$work/bench.db" ;;
	postgres)
		pg_db="bb_bench_$$_$RANDOM"
		psql -q "$PG_BASE" -c "CREATE DATABASE $pg_db" >/dev/null
		dsn=$(python3 -c 'import sys,urllib.parse as u; p=u.urlparse(sys.argv[1]); print(u.urlunparse(p._replace(path="/"+sys.argv[2])))' "$PG_BASE" "$pg_db")
		;;
	*) echo "unknown store $store" >&2; exit 2 ;;
	esac

	echo "[$store] seeding $BIG and $SMALL invoices…" >&2
	t0=$(date +%s)
	big_key=$("$work/seed" -db "$dsn" -n "$BIG" -name "Big AG" | json_field api_key)
	small_key=$("$work/seed" -db "$dsn" -n "$SMALL" -name "Small AG" | json_field api_key)
	echo "[$store] seeded in $(( $(date +%s) - t0 )) s" >&2

	port=$(free_port)
	BILLBRIDGE_DATABASE_URL="$dsn" BILLBRIDGE_ADDR="127.0.0.1:$port" BILLBRIDGE_RATE_LIMIT=off \
		"$work/billbridge" serve >"$work/$store.out" 2>"$work/$store.log" &
	server_pid=$!
	for _ in $(seq 1 300); do
		curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
		sleep 0.1
	done
	curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null

	run() { "$work/load" -url "http://127.0.0.1:$port" -c "$CLIENTS" -d "$DURATION" "$@" | tee -a "$results"; }
	run -label "$store list ${SMALL}" -case list -key "$small_key"
	run -label "$store list ${BIG}" -case list -key "$big_key"
	run -label "$store upsert (account of ${BIG})" -case upsert -key "$big_key"

	kill -TERM "$server_pid"; wait "$server_pid" || true; server_pid=""
	if [ "$store" = postgres ]; then psql -q "$PG_BASE" -c "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null; pg_db=""; fi
done

python3 - "$results" "$SMALL" "$BIG" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
small, big = sys.argv[2], sys.argv[3]
print()
print(f"{'case':40} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}  statuses")
for r in rows:
    print(f"{r['label']:40} {r['rps']:9.0f} {r['p50_ms']:8.2f} {r['p99_ms']:8.2f}  {r['statuses']}")
ok = True
for store in sorted({r['label'].split()[0] for r in rows}):
    by = {r['label']: r for r in rows}
    s, b = by.get(f"{store} list {small}"), by.get(f"{store} list {big}")
    if s and b:
        ratio_rps = s['rps'] / b['rps']
        ratio_p50 = b['p50_ms'] / s['p50_ms']
        verdict = "ok" if max(ratio_rps, ratio_p50) <= 1.3 else "OVER 1.3"
        ok = ok and verdict == "ok"
        print(f"{store}: list {big} vs {small}: throughput ratio {ratio_rps:.2f}, p50 ratio {ratio_p50:.2f} → {verdict}")
sys.exit(0 if ok else 1)
PY
