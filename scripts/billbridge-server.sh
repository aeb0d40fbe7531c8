# billbridge-server.sh: source it to run throwaway billbridge gateways for an
# integration test script. Needs Go, curl and jq-free bash.
#
#   bb_build                       build the binary into $bb_tmp (call once)
#   bb_start NAME [ENV=VALUE...]   migrate a fresh SQLite file, create an
#                                  account, serve on a free loopback port;
#                                  sets url_NAME and key_NAME
#
# Every gateway serves hooks to loopback (BILLBRIDGE_HOOKS_ALLOW_PRIVATE)
# and polls deliveries every 200 ms. All are stopped and $bb_tmp removed on
# EXIT. Logs are in $bb_tmp/NAME.log and shown when a start fails.

bb_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bb_tmp="$(mktemp -d)"
bb_pids=()
bb_cleanup() {
  for pid in "${bb_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${bb_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$bb_tmp"
}
trap bb_cleanup EXIT

bb_build() {
  echo "== build billbridge"
  (cd "$bb_root" && go build -o "$bb_tmp/billbridge" ./cmd/billbridge)
}

bb_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

bb_start() {
  local name="$1"; shift
  local port; port="$(bb_free_port)"
  local env=(BILLBRIDGE_DATABASE_URL="sqlite:$bb_tmp/$name.db" BILLBRIDGE_ADDR="127.0.0.1:$port"
    BILLBRIDGE_HOOKS_ALLOW_PRIVATE=true BILLBRIDGE_DELIVERY_INTERVAL=200ms BILLBRIDGE_LOG_FORMAT=text "$@")
  env "${env[@]}" "$bb_tmp/billbridge" migrate >"$bb_tmp/$name.log" 2>&1
  local account; account="$(env "${env[@]}" "$bb_tmp/billbridge" accounts create --name "Test $name" 2>>"$bb_tmp/$name.log")"
  env "${env[@]}" "$bb_tmp/billbridge" serve >>"$bb_tmp/$name.log" 2>&1 &
  bb_pids+=($!)
  local url="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do
    curl -fsS "$url/healthz" >/dev/null 2>&1 && break
    sleep 0.1
  done
  curl -fsS "$url/healthz" >/dev/null || { echo "billbridge $name did not start:"; cat "$bb_tmp/$name.log"; exit 1; }
  printf -v "url_$name" '%s' "$url"
  local key="${account#*\"api_key\":\"}"
  printf -v "key_$name" '%s' "${key%%\"*}"
}
