#!/usr/bin/env bash
# Memory soak of billbridge (issue 11): a measurement, not a test. It seeds
# SQLite (the embedded default) with BENCH_INVOICES (20,000) invoices and
# their events, starts the real binary, and drives it for BENCH_SOAK (10m)
# with a mix at once, each from its own bench/loadgen:
#   - 2 clients polling GET /v1/events?limit=50,
#   - 2 clients polling GET /v1/invoices?status=unpaid&limit=50,
#   - 1 client upserting customers from a pool of 5,000 emails (creates
#     first, then more and more matches), a new Idempotency-Key each,
# while it samples every BENCH_SAMPLE (10) seconds the server's RSS and
# where it is (see memory below). It prints the samples, the means of the
# first and of the last minute after BENCH_WARMUP (180 s: until the
# in-process idempotency cache, a new key per upsert, has reached its
# bound; see README.md), the RSS ratio (issue 11: within 10 %), and every
# load generator's result (any error or non-2xx answer fails the run).
# BENCH_TAGS=libc.memexpvar,memory.counters adds SQLite's allocations;
# BENCH_PROFILES=DIR keeps heap profiles (after the warm-up, at the end).
#
#   bash bench/soak/run.sh
#   BENCH_SOAK=2m BENCH_WARMUP=20 bash bench/soak/run.sh   # a quick look
set -euo pipefail
cd "$(dirname "$0")/../.."

INVOICES=${BENCH_INVOICES:-20000}
SOAK=${BENCH_SOAK:-10m}
SAMPLE=${BENCH_SAMPLE:-10}
WARMUP=${BENCH_WARMUP:-180}

. bench/workdir.sh # $work, $pids, cleaned up on exit

go build -tags="${BENCH_TAGS:-}" -o "$work/billbridge" ./cmd/billbridge
go build -o "$work/seed" ./bench/seed
go build -o "$work/loadgen" ./bench/loadgen
seeded=$("$work/seed" -db "sqlite:$work/soak.db" -n "$INVOICES" -events)
key=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["api_key"])' "$seeded")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
bb=http://127.0.0.1:$port
pport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BILLBRIDGE_DATABASE_URL="sqlite:$work/soak.db" BILLBRIDGE_ADDR="127.0.0.1:$port" BILLBRIDGE_RATE_LIMIT=off \
	BILLBRIDGE_PPROF_ADDR="127.0.0.1:$pport" "$work/billbridge" serve >"$work/billbridge.log" 2>&1 &
server=$!
pids+=("$server")
for _ in $(seq 1 300); do curl -fsS -o /dev/null "$bb/healthz" 2>/dev/null && break; sleep 0.1; done

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
gen() { # label clients url [loadgen flags…]
	local label=$1 c=$2 url=$3; shift 3
	"$work/loadgen" -json -label "$label" -c "$c" -d "$SOAK" -key "$key" -url "$url" "$@" >"$work/gen-$label.json" 2>&1 &
	gens+=($!)
}
gens=()
gen feed 2 "$bb/v1/events?limit=50"
gen unpaid 2 "$bb/v1/invoices?status=unpaid&limit=50"
gen upsert 1 "$bb/v1/customers/upsert" -method POST -pool 5000 -idem unique \
	-body '{"name":"Soak %n","email":"soak%n@soak.example","address":{"city":"Bern","country":"CH"}}'
pids+=("${gens[@]}")

samples="$work/rss.txt"
# memory prints one sample, in KiB: VmRSS and its anonymous part (RssAnon;
# the rest is the mapped binary and files), then from /metrics the Go heap
# in use and what Go holds from the OS minus what it gave back (heap,
# stacks, runtime); then the bytes modernc's libc has allocated for SQLite
# (page caches, statements) outside Go's heap, when the binary was built
# with BENCH_TAGS=libc.memexpvar,memory.counters (else -1).
memory() {
	local status sqlite
	status=$(awk '/^(VmRSS|RssAnon)/ {printf "%s ", $2}' "/proc/$server/status")
	sqlite=$(curl -fsS "http://127.0.0.1:$pport/debug/vars" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("memory.allocator", {}).get("Bytes", -1024) // 1024)')
	curl -fsS "$bb/metrics" | awk -v status="$status" -v sqlite="$sqlite" '
		$1 == "go_memstats_heap_inuse_bytes" {inuse = $2}
		$1 == "go_memstats_sys_bytes" {sys = $2}
		$1 == "go_memstats_heap_released_bytes" {released = $2}
		END {printf "%s%d %d %d\n", status, inuse / 1024, (sys - released) / 1024, sqlite}'
}
# heap saves the live heap profile as $BENCH_PROFILES/heap-<label>.pb.gz
# (go tool pprof -sample_index=inuse_space billbridge FILE), when set.
heap() {
	[ -n "${BENCH_PROFILES:-}" ] || return 0
	mkdir -p "$BENCH_PROFILES"
	curl -fsS -o "$BENCH_PROFILES/heap-$1.pb.gz" "http://127.0.0.1:$pport/debug/pprof/heap"
}
start=$SECONDS
profiled=
while kill -0 "${gens[0]}" 2>/dev/null; do
	echo "$((SECONDS - start)) $(memory)" >>"$samples"
	if [ -z "$profiled" ] && [ $((SECONDS - start)) -ge "$WARMUP" ]; then heap warm && profiled=1; fi
	sleep "$SAMPLE"
done
heap end
[ -z "${BENCH_PROFILES:-}" ] || cp "$work/billbridge" "$BENCH_PROFILES/billbridge"
failed=0
for g in "${gens[@]}"; do wait "$g" || failed=1; done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
for f in "$work"/gen-*.json; do cat "$f"; done
python3 - "$samples" "$WARMUP" "$load_before" "$load_after" <<'PY'
import sys
path, warmup, lb, la = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
rows = [tuple(map(int, l.split())) for l in open(path) if l.strip()]
print("seconds   RSS  anon  Go-heap-in-use  Go-held  anon-not-Go  SQLite-alloc (MiB)")
for t, rss, anon, inuse, held, lite in rows:
    print(f"{t:7d} {rss / 1024:5.0f} {anon / 1024:5.0f} {inuse / 1024:15.1f} {held / 1024:8.1f} {(anon - held) / 1024:12.1f} "
          + (f"{lite / 1024:13.1f}" if lite >= 0 else "            -"))
after = [r for r in rows if r[0] >= warmup]
end = after[-1][0]
first = [r for r in after if r[0] < warmup + 60]
last = [r for r in after if r[0] > end - 60]
mean = lambda rs, i: sum(r[i] for r in rs) / len(rs) / 1024
ratio = mean(last, 1) / mean(first, 1)
print(f"load average before: {lb}, after: {la}")
for name, i in (("anonymous RSS", 2), ("Go heap in use", 3), ("Go-held", 4)) + ((("SQLite allocations", 5),) if rows[0][5] >= 0 else ()):
    print(f"{name}: first minute {mean(first, i):.1f} MiB, last minute {mean(last, i):.1f} MiB")
print(f"RSS first minute after {warmup} s warm-up: {mean(first, 1):.1f} MiB; last minute: {mean(last, 1):.1f} MiB; "
      f"ratio {ratio:.3f} ({'within' if abs(ratio - 1) <= 0.10 else 'NOT within'} 10 %); max {max(r[1] for r in rows) / 1024:.1f} MiB")
PY
if [ "$failed" != 0 ]; then echo "a load generator saw errors or non-2xx answers" >&2; exit 1; fi
