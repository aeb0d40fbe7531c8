#!/usr/bin/env bash
# Feed and list latency at 10,000 and at 1,000,000 events (issue 11: within
# 1.3×): a measurement, not a test (sqlstore's plan tests prove the pages are
# index-backed). For each store in BENCH_STORES ("sqlite", the embedded
# default; add "postgres" for TEST_DATABASE_URL's server) it seeds two
# databases through bench/seed, one account each: BENCH_SMALL (10,000) and
# BENCH_LARGE (1,000,000) invoices, each with its invoice.created event, plus
# 10 customers with their customer.created events (a rare type among many);
# no invoice is past due, so the server's overdue job has nothing to add
# during the run. It starts the real binary on each database and drives both
# with wrk (BENCH_CONNS, 8, connections; scale.lua) in alternating rounds of
# BENCH_ROUND (5s), BENCH_ROUNDS (3) times, the order of the two swapped
# every round, after a warm-up pass of BENCH_WARMUP (2s) per case:
#   - GET /v1/events?limit=50, the feed's first page;
#   - GET /v1/events?order=asc&limit=50&after=<cursor>, a page deep in the
#     history (a random position in the middle half of the feed);
#   - GET /v1/events?type=customer.created&limit=50, the rare type;
#   - GET /v1/invoices?status=unpaid&limit=50.
# "cached" cases repeat one URL, so after the first request the gateway
# answers from its poll page cache (the account does not change during the
# run); "missed" cases make every URL distinct (scale.lua), so each request
# is a database read and a rendering: those are the database's figures.
# It prints p50, p99 and req/s of every case at both sizes with the ratios
# large/small, and the load average.
#
# Seeding 1,000,000 invoices through the store takes about 5 minutes on
# SQLite on the shared 2-core machine (2.4 GB); on PostgreSQL, a round trip
# per row, it would take about 45, so there a hundredth goes through the
# store and bench/scale/grow.sql copies it inside the database (new ids,
# numbers and seqs). With BENCH_KEEP=<folder> the seeded SQLite files
# and the seed's answers are kept there, PostgreSQL databases are named
# bench_scale_<n> and kept, and a later run reuses them. With
# BENCH_LOCK=<file> only the measuring holds flock on it, not the seeding.
#
#   bash bench/scale/run.sh
#   BENCH_KEEP=/tmp/scale BENCH_LOCK=/work/coord/bench.lock BENCH_STORES="sqlite postgres" nice -n 5 bash bench/scale/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

SMALL=${BENCH_SMALL:-10000}
LARGE=${BENCH_LARGE:-1000000}
STORES=${BENCH_STORES:-sqlite}
CONNS=${BENCH_CONNS:-8}
ROUND=${BENCH_ROUND:-5s}
ROUNDS=${BENCH_ROUNDS:-3}
WARMUP=${BENCH_WARMUP:-2s}
KEEP=${BENCH_KEEP:-}
PG_BASE=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
command -v wrk >/dev/null || { echo "bench/scale needs wrk: apt-get install -y wrk" >&2; exit 2; }

. bench/workdir.sh # $work, $pids, cleaned up on exit
data=${KEEP:-$work}
mkdir -p "$data"
dropdbs=()
trap 'cleanup; for d in "${dropdbs[@]}"; do psql -q "$PG_BASE" -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1 || true; done' EXIT

echo "building…" >&2
go build -o "$work/billbridge" ./cmd/billbridge
go build -o "$work/seed" ./bench/seed

json() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }
pg_dsn() { python3 -c 'import sys, urllib.parse as u; p=u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/"+sys.argv[2])))' "$PG_BASE" "$1"; }

# seed store n: prints the database URL; the seed's answer is in $data/<store>-<n>.json.
seed() {
	local store=$1 n=$2 dsn answer="$data/$1-$2.json"
	if [ "$store" = sqlite ]; then
		dsn="sqlite:$data/scale-$n.db"
	else
		local db=bench_scale_$n
		[ -n "$KEEP" ] || { db=bench_scale_$$_$n; dropdbs+=("$db"); }
		dsn=$(pg_dsn "$db")
		if [ ! -s "$answer" ] || ! psql -q "$dsn" -c 'SELECT 1' >/dev/null 2>&1; then
			rm -f "$answer"
			psql -q "$PG_BASE" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
			psql -q "$PG_BASE" -c "CREATE DATABASE $db" >/dev/null
		fi
	fi
	if [ ! -s "$answer" ]; then
		[ "$store" = sqlite ] && rm -f "$data/scale-$n.db"*
		# PostgreSQL takes a round trip per row: above 100,000 invoices a
		# hundredth goes through the store and grow.sql copies it.
		local copies=1
		[ "$store" = postgres ] && [ "$n" -gt 100000 ] && copies=100
		echo "seeding $store with $n invoices ($((n / copies)) through the store)…" >&2
		local t0=$SECONDS
		"$work/seed" -db "$dsn" -n $((n / copies)) -name "Scale $n AG" -events -overdue=false >"$answer.tmp"
		if [ "$copies" -gt 1 ]; then
			psql -q -v acct="$(json "$answer.tmp" account_id)" -v copies="$copies" -f bench/scale/grow.sql "$dsn" >&2
		fi
		# The statistics autovacuum would gather (the test server runs
		# without it): without them the planner took the unpaid list at
		# 10,000 invoices for one row and sorted 4,000 (27 ms).
		[ "$store" = postgres ] && psql -q -c ANALYZE "$dsn"
		mv "$answer.tmp" "$answer"
		echo "seeded $store with $n invoices in $((SECONDS - t0)) s" >&2
	fi
	echo "$dsn"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_up() {
	for _ in $(seq 1 600); do curl -fsS -o /dev/null "$1" 2>/dev/null && return; sleep 0.1; done
	echo "$1 did not come up" >&2; tail -20 "$work"/*.log >&2; exit 1
}

# The cases: label, path and query, scale.lua mode ("after" gets the middle
# half of the feed), the page size every answer must have.
cases=(
	"feed first page, cached|/v1/events?limit=50|plain|50"
	"feed first page, missed|/v1/events?limit=50|nonce|50"
	"feed deep page (after=), missed|/v1/events?order=asc&limit=50|after|50"
	"feed type=customer.created, cached|/v1/events?type=customer.created&limit=50|plain|10"
	"feed type=customer.created, missed|/v1/events?type=customer.created&limit=50|nonce|10"
	"unpaid invoices, cached|/v1/invoices?status=unpaid&limit=50|plain|50"
	"unpaid invoices, missed|/v1/invoices?status=unpaid&limit=50|nonce|50"
)
results="$work/results.txt"

# wrk_case base key n path mode duration: one wrk run of a case at a size.
wrk_case() {
	local base=$1 key=$2 n=$3 path=$4 mode=$5 args=()
	case $mode in
	after) args=(after $((n / 4)) $((n * 3 / 4))) ;;
	*) args=("$mode") ;;
	esac
	wrk -t 1 -c "$CONNS" -d "$6" --timeout 30s -H "Authorization: Bearer $key" -s bench/scale/scale.lua "$base$path" -- "${args[@]}" |
		sed -n 's/^scale: //p'
}

for store in $STORES; do
	declare -A base=() key=() events=()
	for n in "$SMALL" "$LARGE"; do
		dsn=$(seed "$store" "$n")
		key[$n]=$(json "$data/$store-$n.json" api_key)
		port=$(free_port)
		BILLBRIDGE_DATABASE_URL="$dsn" BILLBRIDGE_ADDR="127.0.0.1:$port" BILLBRIDGE_RATE_LIMIT=off \
			"$work/billbridge" serve >"$work/$store-$n.log" 2>&1 &
		pids+=($!)
		base[$n]="http://127.0.0.1:$port"
		wait_up "${base[$n]}/healthz"
		# Every case answers its full page before anything is measured.
		for c in "${cases[@]}"; do
			IFS='|' read -r label path mode want <<<"$c"
			[ "$mode" = after ] && path="$path&after=$(printf 'bbc1.%d' $((n / 2)) | base64 -w0 | tr '+/' '-_' | tr -d '=')"
			got=$(curl -fsS -H "Authorization: Bearer ${key[$n]}" "${base[$n]}$path" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["data"]))') ||
				{ echo "$store $n: $label failed" >&2; exit 1; }
			[ "$got" = "$want" ] || { echo "$store $n: $label answered $got items, want $want" >&2; exit 1; }
		done
		events[$n]=$(curl -fsS -H "Authorization: Bearer ${key[$n]}" "${base[$n]}/v1/events?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0]["seq"])')
	done
	if [ -n "${BENCH_LOCK:-}" ]; then
		exec 9>"$BENCH_LOCK"
		echo "waiting for $BENCH_LOCK…" >&2
		flock 9
	fi
	load_before=$(cut -d' ' -f1-3 /proc/loadavg)
	echo "$store: measuring ($(date -u +%H:%M) UTC, load $load_before)…" >&2
	for c in "${cases[@]}"; do # warm-up, not counted
		IFS='|' read -r label path mode _ <<<"$c"
		for n in "$SMALL" "$LARGE"; do wrk_case "${base[$n]}" "${key[$n]}" "$n" "$path" "$mode" "$WARMUP" >/dev/null; done
	done
	for r in $(seq 1 "$ROUNDS"); do
		order=("$SMALL" "$LARGE")
		[ $((r % 2)) = 0 ] && order=("$LARGE" "$SMALL")
		for c in "${cases[@]}"; do
			IFS='|' read -r label path mode _ <<<"$c"
			for n in "${order[@]}"; do
				echo "$store|$label|$n|$(wrk_case "${base[$n]}" "${key[$n]}" "$n" "$path" "$mode" "$ROUND")" >>"$results"
			done
		done
	done
	load_after=$(cut -d' ' -f1-3 /proc/loadavg)
	[ -n "${BENCH_LOCK:-}" ] && flock -u 9
	echo "$store|load|$load_before|$load_after|${events[$SMALL]}|${events[$LARGE]}" >>"$results"
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	pids=()
done

python3 - "$results" "$SMALL" "$LARGE" "$CONNS" "$ROUNDS" "$ROUND" <<'PY'
import sys
path, small, large, conns, rounds, rnd = sys.argv[1:]
runs, loads, bad = {}, {}, 0
for line in open(path):
    f = line.rstrip("\n").split("|")
    if f[1] == "load":
        loads[f[0]] = f[2:]
        continue
    store, label, n = f[0], f[1], f[2]
    req, secs, p50, p99, status, sock = f[3].split()
    runs.setdefault((store, label), {}).setdefault(n, []).append((int(req) / float(secs), float(p50), float(p99)))
    bad += int(status) + int(sock)
med = lambda xs: sorted(xs)[len(xs) // 2]
print(f"\nwrk, {conns} connections, {rounds} alternating rounds of {rnd} per case and size; medians over the rounds")
over = []
for store, (lb, la, es, el) in loads.items():
    print(f"\n{store}: {es} events vs {el} events; load average (1, 5, 15 min) before: {lb}, after: {la}\n")
    print(f"| case | p50 ms {small} | p50 ms {large} | p50 ratio | p99 ms {small} | p99 ms {large} | p99 ratio | req/s {small} | req/s {large} | req/s ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for (st, label), by in runs.items():
        if st != store:
            continue
        s, l = by[small], by[large]
        row = [med([x[i] for x in s]) for i in range(3)], [med([x[i] for x in l]) for i in range(3)]
        rps, p50, p99 = (row[1][i] / row[0][i] for i in range(3))
        print(f"| {label} | {row[0][1]:.2f} | {row[1][1]:.2f} | {p50:.2f} | {row[0][2]:.2f} | {row[1][2]:.2f} | {p99:.2f} | {row[0][0]:.0f} | {row[1][0]:.0f} | {rps:.2f} |")
        if p50 > 1.3:
            over.append(f"{store} {label}: p50 {p50:.2f}× at {large}")
print("\ngoal: p50 latency at the large size within 1.3× of the small: " + ("met" if not over else "not met: " + "; ".join(over)))
if bad:
    print(f"\n{bad} answers were not 2xx/3xx or failed: the figures are not valid", file=sys.stderr)
    sys.exit(1)
PY
