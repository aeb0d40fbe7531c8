#!/usr/bin/env bash
# The metric-label probe of issue 10 (defect 2), as a measurement: start a
# gateway on a fresh SQLite database, send N (300) requests whose method is
# a SIZE-byte (60,000) made-up name to /v1/me, and print /metrics' size and the
# process's RSS before and after. BIN picks the binary (default: built from
# this checkout), so the same probe measures an older build:
#
#   bash bench/probe/methods.sh
#   BIN=/tmp/billbridge-main bash bench/probe/methods.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${N:-300}
SIZE=${SIZE:-60000} # bytes of each method name
work=$(mktemp -d)
pid=""
cleanup() {
	if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT
BIN=${BIN:-}
if [ -z "$BIN" ]; then
	go build -o "$work/billbridge" ./cmd/billbridge
	BIN=$work/billbridge
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
(cd "$work" && BILLBRIDGE_ADDR=127.0.0.1:$port BILLBRIDGE_LOG_LEVEL=warn exec "$BIN" serve >"$work/out" 2>"$work/log") &
pid=$!
for _ in $(seq 100); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.1; done
key=$(grep -o 'bb_[A-Za-z0-9_-]*' "$work/out" | head -1)

rss() { awk '/VmRSS/ {print $2 " kB"}' "/proc/$pid/status"; }
metrics() { curl -s "$base/metrics" | wc -c; }
method=$(head -c "$SIZE" /dev/zero | tr '\0' 'M')
echo "before: /metrics $(metrics) bytes, RSS $(rss)"
codes=$(for i in $(seq "$N"); do
	curl -s -o /dev/null -w '%{http_code}\n' -X "${method}$i" -H "Authorization: Bearer $key" "$base/v1/me"
done | sort | uniq -c | tr -s ' \n' ' ')
echo "sent $N requests with $SIZE-byte methods: status counts:$codes"
echo "after:  /metrics $(metrics) bytes, RSS $(rss)"
