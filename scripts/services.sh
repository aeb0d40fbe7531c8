# services.sh: source it to get a PostgreSQL and a Redis for the test suite.
#
#   ensure_postgres   exports TEST_DATABASE_URL
#   ensure_redis      exports TEST_REDIS_URL
#
# Each uses, in order: the URL already in the environment; a server on the
# default local port; else a throwaway server on a free port in a temporary
# folder (installing Debian's package first when the binary is missing and we
# run as root), stopped by stop_services (registered on EXIT). With
# BILLBRIDGE_REQUIRE_SERVICES=1 (CI) nothing is started: a missing service
# fails the run.

_bb_tmp=""
_bb_pg_dir=""
_bb_redis_pid=""

stop_services() {
  if [[ -n "$_bb_pg_dir" ]]; then
    _as_postgres "$(_pg_bin)/pg_ctl" -D "$_bb_pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  if [[ -n "$_bb_redis_pid" ]]; then kill "$_bb_redis_pid" 2>/dev/null || true; fi
  if [[ -n "$_bb_tmp" ]]; then rm -rf "$_bb_tmp"; fi
}

# _tmpdir makes the temporary folder once and registers the clean-up; call
# it directly (not in $(…), a subshell would lose both).
_tmpdir() {
  if [[ -z "$_bb_tmp" ]]; then
    _bb_tmp="$(mktemp -d /tmp/billbridge-services.XXXXXX)"
    chmod 755 "$_bb_tmp"
    trap stop_services EXIT
  fi
}

_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
    || echo $((20000 + RANDOM % 20000))
}

_apt_install() {
  if [[ "$(id -u)" != 0 ]]; then
    echo "services: $* missing and not root: install it (apt-get install $*) or set the TEST_* URLs" >&2
    return 1
  fi
  echo "services: installing $* from Debian's packages" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

_pg_bin() {
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  if [[ -n "$d" ]]; then echo "$d"; else dirname "$(command -v initdb)"; fi
}

# PostgreSQL refuses to run as root: run its tools as the postgres user then.
_as_postgres() {
  if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

_pg_ok() { psql "$1" -Atqc 'select 1' >/dev/null 2>&1; }

ensure_postgres() {
  local default="postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
  if [[ -n "${TEST_DATABASE_URL:-}" ]]; then
    _pg_ok "$TEST_DATABASE_URL" && return 0
    echo "services: TEST_DATABASE_URL is set but PostgreSQL does not answer there" >&2; return 1
  fi
  if command -v psql >/dev/null && _pg_ok "$default"; then export TEST_DATABASE_URL="$default"; return 0; fi
  if [[ "${BILLBRIDGE_REQUIRE_SERVICES:-}" == 1 ]]; then
    echo "services: no PostgreSQL at $default and BILLBRIDGE_REQUIRE_SERVICES=1" >&2; return 1
  fi
  if [[ ! -x "$(_pg_bin)/initdb" ]]; then _apt_install postgresql || return 1; fi
  local dir port; _tmpdir; dir="$_bb_tmp/pg"; port="$(_free_port)"
  mkdir -p "$dir" && chown postgres "$dir" 2>/dev/null || true
  _as_postgres "$(_pg_bin)/initdb" -D "$dir/data" -U postgres -A trust >/dev/null || return 1
  _as_postgres "$(_pg_bin)/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null || return 1
  _bb_pg_dir="$dir"
  export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
  echo "services: started a throwaway PostgreSQL on port $port" >&2
}

ensure_redis() {
  local default="redis://127.0.0.1:6379/0"
  if [[ -n "${TEST_REDIS_URL:-}" ]]; then
    _redis_ok "$TEST_REDIS_URL" && return 0
    echo "services: TEST_REDIS_URL is set but Redis does not answer there" >&2; return 1
  fi
  if _redis_ok "$default"; then export TEST_REDIS_URL="$default"; return 0; fi
  if [[ "${BILLBRIDGE_REQUIRE_SERVICES:-}" == 1 ]]; then
    echo "services: no Redis at $default and BILLBRIDGE_REQUIRE_SERVICES=1" >&2; return 1
  fi
  command -v redis-server >/dev/null || _apt_install redis-server || return 1
  local dir port; _tmpdir; dir="$_bb_tmp/redis"; port="$(_free_port)"; mkdir -p "$dir"
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" --logfile "$dir/log" &
  _bb_redis_pid=$!
  export TEST_REDIS_URL="redis://127.0.0.1:$port/0"
  for _ in $(seq 50); do _redis_ok "$TEST_REDIS_URL" && break; sleep 0.1; done
  _redis_ok "$TEST_REDIS_URL" || { echo "services: throwaway Redis did not start" >&2; return 1; }
  echo "services: started a throwaway Redis on port $port" >&2
}

# _redis_ok pings a redis://host:port URL with bash's /dev/tcp (no client needed).
_redis_ok() {
  local hostport="${1#redis://}"; hostport="${hostport%%/*}"
  local host="${hostport%%:*}" port="${hostport##*:}"
  { exec 8<>"/dev/tcp/$host/$port"; } 2>/dev/null || return 1
  printf 'PING\r\n' >&8
  local reply; read -r -t 2 reply <&8 || true
  exec 8>&- 8<&-
  [[ "$reply" == +PONG* ]]
}

# ensure_chromium installs Debian's chromium when missing (the /docs test
# loads the page in it headless).
ensure_chromium() {
  command -v chromium >/dev/null && return 0
  _apt_install chromium
}

# ensure_poppler installs Debian's poppler-utils when missing (the QR-bill
# tests read PDFs back through pdftoppm and pdftotext).
# promtool (Debian's prometheus package) tests ops/alerts.yml.
ensure_promtool() {
  command -v promtool >/dev/null && return 0
  _apt_install --no-install-recommends prometheus
}

ensure_poppler() {
  command -v pdftoppm >/dev/null && command -v pdftotext >/dev/null && return 0
  _apt_install poppler-utils
}
