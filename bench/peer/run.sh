#!/usr/bin/env bash
# Side-by-side load run of billbridge, a hand-built PocketBase and a bare
# net/http hello server (issue 11): a measurement, not a test.
#
# It builds billbridge, bench/seed and bench/peer/hello, and PocketBase's
# examples/base at a pinned version from the Go module proxy (cached under
# ~/.cache/billbridge-bench; its code is never part of this repository). It
# seeds billbridge (SQLite, the embedded default) with BENCH_INVOICES
# (20,000) invoices and their invoice.created events, loads the very same
# invoices into PocketBase (pb_migrations/: the same collections, an index
# on (status, created), rules that scope every record to its account), then
# drives all three with wrk (Debian's package) at BENCH_CONNS (16)
# connections in alternating rounds of BENCH_ROUND (5s), BENCH_ROUNDS (3)
# times, so a neighbour's load on a shared machine weighs on all alike:
#   - billbridge GET /v1/invoices?status=unpaid&limit=50 and PocketBase's
#     list of open invoices, newest first, perPage=50, skipTotal=1 (one
#     status: the best case for PocketBase, whose filter on two statuses
#     cannot use the index and is ten times slower), and GET / of hello;
#   - billbridge GET /v1/events?limit=50;
#   - billbridge POST /v1/customers/upsert with a new email and a new
#     Idempotency-Key each, and PocketBase's create of a customer.
# It prints one table (req/s, p50, p99, non-2xx answers, summed over the
# rounds), the ratios issue 11 sets goals for, and the load average.
#
# BENCH_CASES, an extended regular expression, runs only the cases whose
# label matches it (all by default); ratios of cases not run are left out.
# Before the first round each read case without the writer runs once for
# BENCH_WARMUP (2s; 0 skips it), unmeasured: the servers start cold (page
# cache, heap), and the first case measured would otherwise pay for it.
#
#   bash bench/peer/run.sh
#   BENCH_ROUNDS=5 BENCH_ROUND=10s bash bench/peer/run.sh
#   BENCH_CASES='upsert|PocketBase create' bash bench/peer/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

PB_VERSION=${BENCH_PB_VERSION:-v0.36.8}
INVOICES=${BENCH_INVOICES:-20000}
CONNS=${BENCH_CONNS:-16}
THREADS=${BENCH_THREADS:-2}
ROUND=${BENCH_ROUND:-5s}
ROUNDS=${BENCH_ROUNDS:-3}
WRITER_RATE=${BENCH_WRITER_RATE:-20}
WRITER_CLIENTS=${BENCH_WRITER_CLIENTS:-8}
CASES=${BENCH_CASES:-.}
WARMUP=${BENCH_WARMUP:-2s}
CACHE=${BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/billbridge-bench}
command -v wrk >/dev/null || { echo "bench/peer needs wrk: apt-get install -y wrk" >&2; exit 2; }

. bench/workdir.sh # $work, $pids, cleaned up on exit

echo "building…" >&2
go build -o "$work/billbridge" ./cmd/billbridge
go build -o "$work/seed" ./bench/seed
go build -o "$work/hello" ./bench/peer/hello
go build -o "$work/writer" ./bench/writer
pb="$CACHE/pocketbase-$PB_VERSION"
if [ ! -x "$pb" ]; then
	echo "building PocketBase $PB_VERSION (once; minutes)…" >&2
	mkdir -p "$CACHE"
	GOBIN="$work/pbbin" go install "github.com/pocketbase/pocketbase/examples/base@$PB_VERSION"
	mv "$work/pbbin/base" "$pb"
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_up() {
	for _ in $(seq 1 300); do curl -fsS -o /dev/null "$1" 2>/dev/null && return; sleep 0.1; done
	echo "$1 did not come up" >&2; tail -20 "$work"/*.log >&2; exit 1
}

echo "seeding $INVOICES invoices…" >&2
t0=$(date +%s)
seeded=$("$work/seed" -db "sqlite:$work/billbridge.db" -n "$INVOICES" -name "Peer AG" -events -dump "$work/invoices.jsonl")
key=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["api_key"])' "$seeded")
account=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["account_id"])' "$seeded")
pbflags=(--dev=false --dir "$work/pb_data" --migrationsDir "$(pwd)/bench/peer/pb_migrations" --automigrate=false
	--hooksDir "$work/pb_hooks" --publicDir "$work/pb_public")
pbpass=$(python3 -c 'import secrets; print(secrets.token_urlsafe(16))')
BENCH_PB_SEED="$work/invoices.jsonl" BENCH_PB_ACCOUNT="$account" BENCH_PB_PASSWORD="$pbpass" \
	"$pb" migrate up "${pbflags[@]}" >"$work/pb-migrate.log" 2>&1
echo "seeded both in $(( $(date +%s) - t0 )) s" >&2

bb=http://127.0.0.1:$(free_port)
pbu=http://127.0.0.1:$(free_port)
hello=http://127.0.0.1:$(free_port)
BILLBRIDGE_DATABASE_URL="sqlite:$work/billbridge.db" BILLBRIDGE_ADDR="${bb#http://}" BILLBRIDGE_RATE_LIMIT=off \
	"$work/billbridge" serve >"$work/billbridge.log" 2>&1 &
pids+=($!)
"$pb" serve "${pbflags[@]}" --http "${pbu#http://}" >"$work/pocketbase.log" 2>&1 &
pids+=($!)
"$work/hello" -addr "${hello#http://}" >"$work/hello.log" 2>&1 &
pids+=($!)
wait_up "$bb/healthz"
wait_up "$pbu/api/health"
wait_up "$hello/"
token=$(curl -fsS -H 'Content-Type: application/json' \
	-d "{\"identity\":\"bench@peer.example\",\"password\":\"$pbpass\"}" \
	"$pbu/api/collections/users/auth-with-password" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
pblist="$pbu/api/collections/invoices/records?filter=(status%3D%27open%27)&sort=-created&perPage=50&skipTotal=1"

# The cases: label, URL, auth header, then extra wrk arguments.
bbauth="Authorization: Bearer $key"
pbauth="Authorization: $token"
# A fourth field: "304" sends the page's ETag in If-None-Match (a platform
# polling with its cache); "writer" runs the writer below during the round.
reads=(
	"billbridge unpaid list|$bb/v1/invoices?status=unpaid&limit=50|$bbauth"
	"PocketBase open list|$pblist|$pbauth"
	"hello|$hello/|X-Bench: 1"
	"billbridge events feed|$bb/v1/events?limit=50|$bbauth"
	"billbridge unpaid list 304|$bb/v1/invoices?status=unpaid&limit=50|$bbauth|304"
	"billbridge events feed 304|$bb/v1/events?limit=50|$bbauth|304"
	"billbridge unpaid list, writer|$bb/v1/invoices?status=unpaid&limit=50|$bbauth|writer"
	"billbridge events feed, writer|$bb/v1/events?limit=50|$bbauth|writer"
)
writes=(
	"billbridge upsert|$bb/v1/customers/upsert|$bbauth|{\"name\":\"Peer {n}\",\"email\":\"peer{n}@bench.example\",\"address\":{\"city\":\"Zürich\",\"country\":\"CH\"}}|idem"
	"PocketBase create|$pbu/api/collections/customers/records|$pbauth|{\"account\":\"$account\",\"name\":\"Peer {n}\",\"email\":\"peer{n}@bench.example\",\"city\":\"Zürich\",\"country\":\"CH\"}|"
)

# Every case answers 2xx before anything is measured: the same data in both.
for c in "${reads[@]}"; do
	IFS='|' read -r label url auth _ <<<"$c"
	n=$(curl -fsS -H "$auth" -w '\n' "$url" | head -1 | python3 -c 'import json,sys; d=json.load(sys.stdin) if sys.argv[1] != "hello" else {}; print(len(d.get("data") or d.get("items") or []))' "$label") ||
		{ echo "$label: $url failed" >&2; exit 1; }
	echo "$label: $n records on the first page" >&2
done

results="$work/results.txt"
writes_log="$work/writer.txt"
# The writer changes the account WRITER_RATE times a second while a round runs
# (bench/writer: an upsert of a new customer each, a customer.created event,
# paced by the clock from WRITER_CLIENTS connections so the rate holds while
# a write is slow), and after each write polls the feed
# (GET /v1/events?type=customer.created&limit=1): the new customer, or a
# later one, must be its newest event at once, or the answer counts as stale.
# Its result line goes to $writes_log; it fails on any stale or non-2xx answer.
measure() { # label url auth mode [script args…]: a POST of post.lua with the args
	local label=$1 url=$2 auth=$3 mode=$4 script=() extra=() wpid=; shift 4
	[ $# -gt 0 ] && script=(-s bench/peer/post.lua "$url" -- "$@") || script=("$url")
	if [ "$mode" = 304 ]; then
		extra=(-H "If-None-Match: $(curl -fsS -o /dev/null -D - -H "$auth" "$url" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')")
	fi
	if [ "$mode" = writer ]; then
		"$work/writer" -url "$bb" -key "$key" -rate "$WRITER_RATE" -c "$WRITER_CLIENTS" >>"$writes_log" &
		wpid=$!
	fi
	echo "== $label" >>"$results"
	wrk -t "$THREADS" -c "$CONNS" -d "$ROUND" --timeout 30s --latency -H "$auth" "${extra[@]}" "${script[@]}" >>"$results" 2>&1 ||
		{ echo "wrk failed on $label:" >&2; tail -5 "$results" >&2; exit 1; }
	if [ -n "$wpid" ]; then
		kill -TERM "$wpid"
		wait "$wpid" || { echo "the writer failed during $label:" >&2; tail -1 "$writes_log" >&2; exit 1; }
		tail -1 "$writes_log" >>"$results"
	fi
}
if [ "$WARMUP" != 0 ]; then
	echo "warming up the read cases ($WARMUP each)…" >&2
	for c in "${reads[@]}"; do
		IFS='|' read -r label url auth mode <<<"$c"
		grep -Eq -- "$CASES" <<<"$label" && [ "$mode" != writer ] || continue
		ROUND=$WARMUP results=/dev/null measure "$label" "$url" "$auth" "$mode"
	done
fi
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for r in $(seq 1 "$ROUNDS"); do
	echo "round $r/$ROUNDS…" >&2
	for c in "${reads[@]}"; do
		IFS='|' read -r label url auth mode <<<"$c"
		grep -Eq -- "$CASES" <<<"$label" || continue
		measure "$label" "$url" "$auth" "$mode"
	done
	for c in "${writes[@]}"; do
		IFS='|' read -r label url auth body idem <<<"$c"
		grep -Eq -- "$CASES" <<<"$label" || continue
		measure "$label" "$url" "$auth" "" "$body" "$idem"
	done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$results" "$CONNS" "$ROUNDS" "$ROUND" "$INVOICES" "$PB_VERSION" "$load_before" "$load_after" <<'PY'
import re, sys
path, conns, rounds, rnd, invoices, pbv, lb, la = sys.argv[1:]
unit = {"us": 1e-3, "ms": 1.0, "s": 1e3}
cases, cur = {}, None
for line in open(path):
    if line.startswith("== "):
        cur = cases.setdefault(line[3:].strip(), {"rps": [], "p50": [], "p99": [], "bad": 0, "req": 0})
        continue
    m = re.match(r"\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", line)
    if m:
        cur["p" + m.group(1)].append(float(m.group(2)) * unit[m.group(3)])
    m = re.match(r"Requests/sec:\s+([\d.]+)", line)
    if m:
        cur["rps"].append(float(m.group(1)))
    m = re.match(r"\s+Non-2xx or 3xx responses:\s+(\d+)", line)
    if m:
        cur["bad"] += int(m.group(1))
    m = re.match(r"\s+(\d+) requests in", line)
    if m:
        cur["req"] += int(m.group(1))
    m = re.match(r"writer: (\d+) writes in ([\d.]+) s .*write p50 ([\d.]+) ms p99 ([\d.]+) ms, (\d+) checks, (\d+) stale", line)
    if m:
        cur.setdefault("writes", []).append(tuple(float(x) for x in m.groups()))
med = lambda xs: sorted(xs)[len(xs) // 2] if xs else float("nan")
print(f"\nwrk, {conns} connections, {rounds} alternating rounds of {rnd}; {invoices} invoices; PocketBase {pbv}")
print(f"load average (1, 5, 15 min) before: {lb}, after: {la}\n")
print("| case | req/s (mean) | p50 ms (median) | p99 ms (median) | requests | non-2xx |")
print("|---|---:|---:|---:|---:|---:|")
rps = {}
for label, c in cases.items():
    rps[label] = sum(c["rps"]) / len(c["rps"]) if c["rps"] else float("nan")
    print(f"| {label} | {rps[label]:.0f} | {med(c['p50']):.2f} | {med(c['p99']):.2f} | {c['req']} | {c['bad']} |")
for label, c in cases.items():
    if c.get("writes"):
        w, secs, checks, stale = (sum(x[i] for x in c["writes"]) for i in (0, 1, 4, 5))
        p50, p99 = med([x[2] for x in c["writes"]]), med([x[3] for x in c["writes"]])
        print(f"\n{label}: the writer changed the account {w:.0f} times in {secs:.1f} s ({w / max(secs, 1):.1f}/s), "
              f"write p50 {p50:.2f} ms, p99 {p99:.2f} ms (median over rounds); "
              f"feed polls right after a write: {checks:.0f}, stale: {stale:.0f}")
        if stale:
            print(f"{label}: {stale} polls after a committed write were stale", file=sys.stderr)
            sys.exit(1)
print()
goals = [
    ("billbridge unpaid list", "PocketBase open list", 5.0),
    ("billbridge unpaid list", "hello", 0.30),
    ("billbridge events feed", "PocketBase open list", 5.0),
    ("billbridge events feed", "hello", 0.30),
    ("billbridge unpaid list 304", "hello", 0.30),
    ("billbridge events feed 304", "hello", 0.30),
    ("billbridge unpaid list, writer", "PocketBase open list", 5.0),
    ("billbridge unpaid list, writer", "hello", 0.30),
    ("billbridge events feed, writer", "hello", 0.30),
    ("billbridge upsert", "PocketBase create", 1.5),
]
print("| ratio | measured | goal |")
print("|---|---:|---:|")
for a, b, goal in goals:
    if a not in rps or b not in rps:
        continue  # not run (BENCH_CASES)
    r = rps[a] / rps[b] if rps[b] else float("nan")
    print(f"| {a} / {b} | {r:.2f} | ≥ {goal:g} {'(met)' if r >= goal else '(not met)'} |")
bad = sum(c["bad"] for c in cases.values())
if bad:
    print(f"\n{bad} answers were not 2xx or 3xx: the figures are not valid", file=sys.stderr)
    sys.exit(1)
PY
