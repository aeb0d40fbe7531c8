#!/usr/bin/env bash
# generate.sh: write billbridge's API description into openapi/ (or the
# folder given as $1) from the swag comments on the handlers:
#   openapi.json  OpenAPI 3.0: swag v1.16.6 writes Swagger 2.0 (kept in a
#   openapi.yaml  temporary folder, an intermediate only), kin-openapi's
#                 openapi2conv converts it and openapi/internal/gen completes
#                 it (the parts every operation shares, problem+json, event
#                 payloads, decimal bounds, examples)
#   clienttest/client.gen.go  the Go client oapi-codegen v2.8.2 makes of it
# The general information is in routes/docs.go; type overrides in openapi/.swaggo.
# Usage: bash openapi/generate.sh [outdir]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(cd "${1:-$root/openapi}" && pwd)"
cd "$root"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

go run github.com/swaggo/swag/cmd/swag@v1.16.6 init --quiet \
  --generalInfo docs.go \
  --dir ./routes,./actions,./triggers,./openapi,./,./internal/web \
  --exclude ./openapi/tools,./openapi/clienttest,./n8n-node,./zapier,./make \
  --parseInternal --parseFuncBody \
  --overridesFile openapi/.swaggo \
  --outputTypes json --output "$tmp"
go run ./openapi/internal/gen -in "$tmp/swagger.json" -out "$out"

# The Go client a user would generate, for the test-only walkthrough.
mkdir -p "$out/clienttest"
(cd "$tmp" && go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen@v2.8.2 \
  -config "$root/openapi/clienttest/oapi-codegen.yaml" "$out/openapi.json")
mv "$tmp/client.gen.go" "$out/clienttest/client.gen.go"
