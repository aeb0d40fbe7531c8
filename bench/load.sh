#!/usr/bin/env bash
# Load run of billbridge (a measurement, not a test). For SQLite and for
# PostgreSQL it seeds one account with 100,000 invoices and one with 1,000
# straight through the store (bench/seed), starts the real binary, and drives
# it with 16 concurrent clients (bench/loadgen -json) for:
#   - GET /v1/invoices?status=unpaid in the 1,000 and the 100,000 account,
#   - POST /v1/customers/upsert in the 100,000 account, with emails drawn
#     from a pool of 5,000 (so the run mixes creates and matches),
# printing requests/s and p50/p99 latency per case, and the 100k/1k ratio of
# the list (it must stay within 1.3). The lists alternate in BENCH_ROUNDS (4)
# rounds of BENCH_ROUND (5s) each; the upsert runs BENCH_DURATION (20s); each
# after a warm-up. The whole run takes about four minutes.
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
ROUNDS=${BENCH_ROUNDS:-4}
ROUND=${BENCH_ROUND:-5s}

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
go build -o "$work/loadgen" ./bench/loadgen

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
	# Fresh statistics, as autovacuum would have them a minute after a bulk load.
	if [ "$store" = postgres ]; then psql -q "$dsn" -c ANALYZE >/dev/null; fi
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

	base="http://127.0.0.1:$port"
	run() { "$work/loadgen" -json -c "$CLIENTS" -d "$DURATION" "$@" | tee -a "$results" >&2; }
	# The two lists alternate in short rounds, so a neighbour's load on this
	# shared machine weighs on both alike.
	for _ in $(seq 1 "$ROUNDS"); do
		run -label "$store list ${SMALL}" -url "$base/v1/invoices?status=unpaid" -key "$small_key" -d "$ROUND" -warmup 1s
		run -label "$store list ${BIG}" -url "$base/v1/invoices?status=unpaid" -key "$big_key" -d "$ROUND" -warmup 1s
	done
	run -label "$store upsert (account of ${BIG})" -url "$base/v1/customers/upsert" -method POST -key "$big_key" -warmup 2s \
		-body '{"name":"Load Customer %n","email":"customer%n@load.example","address":{"city":"Zürich","country":"CH"}}' -pool 5000

	kill -TERM "$server_pid"; wait "$server_pid" || true; server_pid=""
	if [ "$store" = postgres ]; then psql -q "$PG_BASE" -c "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null; pg_db=""; fi
done

python3 - "$results" "$SMALL" "$BIG" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
small, big = sys.argv[2], sys.argv[3]
cases = {}
for r in rows:
    c = cases.setdefault(r["label"], {"requests": 0, "seconds": 0.0, "p50": [], "p99": [], "statuses": {}})
    c["requests"] += r["requests"]; c["seconds"] += r["seconds"]
    c["p50"].append(r["p50_ms"]); c["p99"].append(r["p99_ms"])
    for k, v in r["statuses"].items():
        c["statuses"][k] = c["statuses"].get(k, 0) + v
print()
print(f"{'case':40} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}  statuses")
for label, c in cases.items():
    c["rps"] = c["requests"] / c["seconds"]
    c["p50m"], c["p99m"] = statistics.median(c["p50"]), statistics.median(c["p99"])
    print(f"{label:40} {c['rps']:9.0f} {c['p50m']:8.2f} {c['p99m']:8.2f}  {c['statuses']}")
ok = True
for store in sorted({l.split()[0] for l in cases}):
    s, b = cases.get(f"{store} list {small}"), cases.get(f"{store} list {big}")
    if s and b:
        ratio_rps, ratio_p50 = s["rps"] / b["rps"], b["p50m"] / s["p50m"]
        verdict = "ok" if max(ratio_rps, ratio_p50) <= 1.3 else "OVER 1.3"
        ok = ok and verdict == "ok"
        print(f"{store}: list {big} vs {small}: throughput ratio {ratio_rps:.2f}, p50 ratio {ratio_p50:.2f} -> {verdict}")
sys.exit(0 if ok else 1)
PY
