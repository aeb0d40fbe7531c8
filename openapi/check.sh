#!/usr/bin/env bash
# check.sh: regenerate the API description into a temporary folder and fail,
# showing the diff, when the committed openapi/ files differ from it (a
# handler, a comment or a type changed without `make openapi`).
# Usage: bash openapi/check.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
bash "$here/generate.sh" "$tmp"
status=0
for f in openapi.json openapi.yaml clienttest/client.gen.go; do
  if ! diff -u --label "committed openapi/$f" --label "regenerated openapi/$f" "$here/$f" "$tmp/$f"; then
    status=1
  fi
done
if [[ $status -ne 0 ]]; then
  echo "check.sh: openapi/ is out of date with the code; run: make openapi (bash openapi/generate.sh) and commit the result" >&2
  exit 1
fi
echo "check.sh: openapi/ matches the code"
