#!/usr/bin/env bash
# check.sh: regenerate the API description into a temporary folder and fail,
# showing the diff, when the committed openapi/ files differ from it (a
# handler, a comment or a type changed without `make openapi`), and the
# same for the Go client client/client.gen.go.
# Usage: bash openapi/check.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
bash "$here/generate.sh" "$tmp" "$tmp/client"
status=0
for f in openapi.json openapi.yaml; do
  if ! diff -u --label "committed openapi/$f" --label "regenerated openapi/$f" "$here/$f" "$tmp/$f"; then
    status=1
  fi
done
if ! diff -u --label "committed client/client.gen.go" --label "regenerated client/client.gen.go" \
  "$here/../client/client.gen.go" "$tmp/client/client.gen.go"; then
  status=1
fi
if [[ $status -ne 0 ]]; then
  echo "check.sh: openapi/ is out of date with the code; run: make openapi (bash openapi/generate.sh) and commit the result" >&2
  exit 1
fi
echo "check.sh: openapi/ matches the code"
