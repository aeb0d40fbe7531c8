#!/usr/bin/env bash
# deploy-check.sh: follow docs/deploy.md, section "2a. Binary and systemd",
# literally, as a new user would, up to a successful GET /v1/me over HTTPS.
#
# The commands are the doc's own: every ```sh block of section 2a is cut
# out of docs/deploy.md and run as it stands, from the repository's folder.
# What stands in for the world outside this machine:
#   - Pebble (Let's Encrypt's test CA, from its Go module) is the ACME server;
#     its roots go into the system's CA store, where Let's Encrypt's are.
#   - a hosts entry sends billing.example.ch to 127.0.0.1.
#   - `editor` sets the domain and, as a user trying Let's Encrypt's staging
#     would, BILLBRIDGE_ACME_DIRECTORY (here: Pebble's).
#   - `systemctl` and `journalctl`: this machine runs no systemd. The
#     stand-ins read the installed unit and start it as systemd would:
#     EnvironmentFile=, Environment=, ExecStart= split into words by systemd's
#     quoting rules, WorkingDirectory=, StateDirectory= (with its mode),
#     UMask=, DynamicUser= (a fresh uid) and AmbientCapabilities= (ports 80
#     and 443 without root). Directives they do not emulate are listed, and
#     `systemd-analyze verify` checks the unit file itself.
# It runs in a private network namespace (its own loopback: ports 80 and 443
# are free) and a private mount namespace whose /etc, /usr/local and
# /var/lib are overlays: nothing it installs stays on this machine.
# Needs root (or CAP_SYS_ADMIN), unshare, curl, update-ca-certificates, go.
# Speed: the guide's `make release` builds the five platforms (~15 min
# cold); the check runs it as written but with PLATFORMS=linux/amd64 in the
# environment (scripts/release.sh reads it), so only the host target is
# built and checked. DEPLOY_CHECK_PLATFORMS="linux/amd64 linux/arm64 ..."
# checks more.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
domain=billing.example.ch

if [[ "${1:-}" != --inside ]]; then
  work=$(mktemp -d /tmp/deploy-check.XXXXXX)
  trap 'rm -rf "$work"' EXIT
  # Pebble, built outside the namespaces (where the module proxy is reachable).
  go build -o "$work/pebble" github.com/letsencrypt/pebble/v2/cmd/pebble
  go list -m -f '{{.Dir}}' github.com/letsencrypt/pebble/v2 > "$work/pebble-dir"
  # Go's module and build caches stay usable offline inside.
  unshare --mount --net --propagation private --fork -- bash "$0" --inside "$work"
  exit
fi

work=$2
pebble_dir=$(cat "$work/pebble-dir")
log() { echo "deploy-check: $*"; }
fail() { echo "deploy-check: FAILED: $*" >&2; exit 1; }

# The private machine: loopback up, overlays over what the guide writes to.
ip link set lo up
for d in /etc /usr/local /var/lib; do
  name=${d//\//_}
  mkdir -p "$work/upper$name" "$work/work$name"
  mount -t overlay overlay -o "lowerdir=$d,upperdir=$work/upper$name,workdir=$work/work$name" "$d"
done
echo "127.0.0.1 $domain" >> /etc/hosts
run=$work/run && mkdir -p "$run"

# Pebble on the ports Let's Encrypt validates: HTTP-01 on 80, TLS-ALPN-01 on 443.
cat > "$work/pebble.json" <<EOF
{"pebble": {"listenAddress": "127.0.0.1:14000", "managementListenAddress": "127.0.0.1:15000",
  "certificate": "$pebble_dir/test/certs/localhost/cert.pem", "privateKey": "$pebble_dir/test/certs/localhost/key.pem",
  "httpPort": 80, "tlsPort": 443, "keyAlgorithm": "ecdsa",
  "profiles": {"default": {"description": "deploy check", "validityPeriod": 7776000}}}}
EOF
PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 "$work/pebble" -config "$work/pebble.json" > "$work/pebble.log" 2>&1 &
pebble_pid=$!
trap 'kill $pebble_pid $(cat "$run/billbridge.pid" 2>/dev/null) 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  curl -fsS --cacert "$pebble_dir/test/certs/pebble.minica.pem" https://localhost:15000/roots/0 -o "$work/pebble-root.pem" 2>/dev/null && break
  sleep 0.2
done
[[ -s "$work/pebble-root.pem" ]] || { cat "$work/pebble.log"; fail "Pebble did not start"; }
# Trusted as Let's Encrypt is: the issuing root and the directory's TLS root.
cp "$work/pebble-root.pem" /usr/local/share/ca-certificates/pebble-root.crt
cp "$pebble_dir/test/certs/pebble.minica.pem" /usr/local/share/ca-certificates/pebble-minica.crt
update-ca-certificates > /dev/null 2>&1

# Stand-ins for the editor, systemctl and journalctl.
shims=$work/shims && mkdir -p "$shims"
cat > "$shims/editor" <<EOF
#!/usr/bin/env bash
set -euo pipefail
sed -i 's/^BILLBRIDGE_DOMAIN=.*/BILLBRIDGE_DOMAIN=$domain/' "\$1"
grep -qx 'BILLBRIDGE_DOMAIN=$domain' "\$1"
echo 'BILLBRIDGE_ACME_DIRECTORY=https://localhost:14000/dir' >> "\$1"
EOF
cat > "$shims/journalctl" <<EOF
#!/usr/bin/env bash
# journalctl -u billbridge [-n N]
n=10; while (( \$# )); do case \$1 in -n) n=\$2; shift;; esac; shift; done
tail -n "\$n" "$run/billbridge.log"
EOF
cp "$repo/scripts/deploy-check-systemctl.sh" "$shims/systemctl"
chmod +x "$shims"/*
export DEPLOY_CHECK_RUN=$run PATH="$shims:$PATH"

# The doc's commands, block by block.
awk -v dir="$work" '
  /^## / { insec = ($0 ~ /^## 2a\./) }
  insec && /^```sh$/ { inb = 1; n++; next }
  inb && /^```$/ { inb = 0; next }
  inb { print > (dir "/block" n ".sh") }' "$repo/docs/deploy.md"
blocks=("$work"/block*.sh)
((${#blocks[@]} == 3)) || fail "docs/deploy.md section 2a has ${#blocks[@]} sh blocks; after_block checks 3"

# What `make release` must have made: every platform, static (no cgo, and no
# ELF interpreter), version and commit stamped, SHA256SUMS that verify.
version=$(git describe --tags --always --dirty 2>/dev/null || echo dev)
commit=$(git rev-parse --short HEAD)
export PLATFORMS=${DEPLOY_CHECK_PLATFORMS:-linux/amd64}
check_release() {
  local p f n=0
  for p in $PLATFORMS; do
    p=${p/\//_}
    [[ $p == windows_* ]] && p+=.exe
    f=dist/billbridge_${version}_$p
    [[ -f $f ]] || fail "make release made no $f"
    go version -m "$f" > "$work/buildinfo"
    grep -qP '^\tbuild\tCGO_ENABLED=0$' "$work/buildinfo" || fail "$f: not built with CGO_ENABLED=0"
    grep -qP "^\tbuild\tGOOS=${p%%_*}$" "$work/buildinfo" || fail "$f: wrong GOOS"
    # -trimpath leaves -ldflags out of the build info `go version -m` shows,
    # so the -X stamps are looked for in the binary's data itself.
    grep -qaF -- "$version" "$f" && grep -qaF -- "$commit" "$f" || fail "$f: version $version / commit $commit not stamped"
    if [[ $p == linux_* ]]; then
      file "$f" | grep -q 'statically linked' || fail "$f: $(file "$f")"
      ! readelf -l "$f" | grep -q INTERP || fail "$f asks for a dynamic loader"
    fi
    n=$((n + 1))
  done
  [[ $(wc -l < dist/SHA256SUMS) == "$n" ]] || fail "dist/SHA256SUMS lists $(wc -l < dist/SHA256SUMS) files, want $n"
  (cd dist && sha256sum --quiet --check SHA256SUMS) || fail "dist/SHA256SUMS does not verify"
  grep -qF "billbridge $version (commit $commit, " "$work/out" || fail "billbridge version does not say $version (commit $commit)"
  log "make release: $n platforms, static, stamped $version/$commit, SHA256SUMS verify"
}

# One shell, as the user's: a variable set in one block is there in the next.
# After each block the check looks at what the user would look at.
after_block() {
  case $1 in
    1) check_release
      # The installed unit as systemd reads it: no unknown or bad directive.
      verify=$(systemd-analyze verify /etc/systemd/system/billbridge.service 2>&1) && [[ -z $verify ]] ||
        fail "systemd-analyze verify billbridge.service: $verify"
      # "certificate ready" within a minute, the guide says.
      for _ in $(seq 60); do grep -q 'certificate ready' "$run/billbridge.log" && break; sleep 1; done
      grep -q 'certificate ready' "$run/billbridge.log" || { tail -n 20 "$work/pebble.log"; fail "no \"certificate ready\" within a minute"; }
      # autocert answers TLS-ALPN-01 on 443 first (HTTP-01 only when that
      # fails): any validated challenge counts, and port 80 must redirect.
      grep -q "set VALID by completed challenge" "$work/pebble.log" || fail "Pebble validated no challenge"
      code=$(curl -s -o /dev/null -w '%{http_code}' "http://$domain/v1/me")
      [[ $code == 30[178] ]] || fail "http://$domain/ answers $code, not a redirect to HTTPS"
      [[ $(stat -c %a /var/lib/billbridge/first-api-key) == 600 ]] || fail "the key file is not mode 0600"
      ! grep -qF "$(cat /var/lib/billbridge/first-api-key)" "$run/billbridge.log" || fail "the API key is in the journal" ;;
    2) grep -q '"account_id"' "$work/out" || fail "GET https://$domain/v1/me did not answer the account" ;;
    3) grep -q '"secret": *"bb_' "$work/out" || fail "POST https://$domain/v1/api-keys did not answer a key"
      [[ ! -e /var/lib/billbridge/first-api-key ]] || fail "the key file is still there" ;;
  esac
  log "block $1: ok"
}
export -f after_block check_release log fail
export work run domain version commit
{
  echo 'set -euo pipefail'
  for i in "${!blocks[@]}"; do
    echo "echo '--- docs/deploy.md 2a, block $((i + 1)):'; sed 's/^/    /' '${blocks[$i]}'"
    echo '{'; cat "${blocks[$i]}"; echo '} > "$work/out" 2>&1 || { cat "$work/out"; exit 1; }'
    echo 'cat "$work/out"'
    echo "after_block $((i + 1))"
  done
} > "$work/user.sh"
if ! bash "$work/user.sh"; then
  echo "--- journalctl -u billbridge:"; tail -n 40 "$run/billbridge.log" 2>/dev/null || true
  fail "docs/deploy.md section 2a"
fi
log "ok: docs/deploy.md 2a followed literally to GET https://$domain/v1/me (certificate from Pebble)"

# The linux/amd64 release binary alone in an empty root file system (no
# libc, no /etc, no CA bundle, no /tmp): version, then serve with automatic
# HTTPS from Pebble (its directory's root is the only file given), the first
# key written into /data, GET /v1/me over the issued certificate.
systemctl stop billbridge
root=$work/root
mkdir -p "$root/data"
install -m 0755 "dist/billbridge_${version}_linux_amd64" "$root/billbridge"
cp "$pebble_dir/test/certs/pebble.minica.pem" "$root/acme-ca.pem"
[[ $(find "$root" | wc -l) == 4 ]] || fail "the empty root holds more than the binary, /data and the CA file"
out=$(chroot "$root" /billbridge version)
[[ $out == "billbridge $version (commit $commit, "*" linux/amd64)" ]] || fail "version in an empty root: $out"
for _ in $(seq 50); do ! (exec 3<>/dev/tcp/127.0.0.1/443) 2>/dev/null && break; sleep 0.2; done
env -i BILLBRIDGE_DOMAIN=$domain BILLBRIDGE_DATA_DIR=/data BILLBRIDGE_ADMIN_KEY_FILE=/data/first-api-key \
  BILLBRIDGE_ACME_DIRECTORY=https://127.0.0.1:14000/dir BILLBRIDGE_ACME_CA_FILE=/acme-ca.pem \
  "$(command -v chroot)" "$root" /billbridge serve > "$run/empty-root.log" 2>&1 &
echo $! > "$run/billbridge.pid"
for _ in $(seq 60); do grep -q 'certificate ready' "$run/empty-root.log" && break; sleep 1; done
grep -q 'certificate ready' "$run/empty-root.log" || { cat "$run/empty-root.log"; fail "no certificate in the empty root"; }
[[ -d $root/data/certs ]] || fail "no certificate cache in /data/certs"
me=$(curl -fsS -H "Authorization: Bearer $(cat "$root/data/first-api-key")" "https://$domain/v1/me") || { cat "$run/empty-root.log"; fail "GET /v1/me from the empty root"; }
[[ $me == *'"account_id"'* ]] || fail "GET /v1/me from the empty root: $me"
log "ok: the linux/amd64 release binary serves HTTPS from an empty root file system"
