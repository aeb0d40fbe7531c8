#!/usr/bin/env bash
# release.sh: static billbridge binaries (CGO_ENABLED=0, version and commit
# stamped, debug info stripped) for every platform we ship, in dist/, with
# SHA256SUMS beside them. VERSION and COMMIT default to git's view;
# PLATFORMS to linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64.
# Check a download with: sha256sum --check --ignore-missing SHA256SUMS
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION="${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}"
COMMIT="${COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)}"
PLATFORMS="${PLATFORMS:-linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64}"
rm -rf dist && mkdir -p dist
for p in $PLATFORMS; do
  os="${p%/*}" arch="${p#*/}"
  out="dist/billbridge_${VERSION}_${os}_${arch}"
  [[ "$os" == windows ]] && out+=".exe"
  echo "release: $out"
  CGO_ENABLED=0 GOOS="$os" GOARCH="$arch" go build -trimpath \
    -ldflags "-s -w -X main.version=$VERSION -X main.commit=$COMMIT" -o "$out" ./cmd/billbridge
done
(cd dist && sha256sum billbridge_* > SHA256SUMS)
cat dist/SHA256SUMS
