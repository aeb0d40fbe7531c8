#!/usr/bin/env bash
# generate.sh: write billbridge's API description into openapi/ (or the
# folder given as $1) from the swag comments on the handlers:
#   openapi.json  OpenAPI 3.0: swag v1.16.6 writes Swagger 2.0 (kept in a
#   openapi.yaml  temporary folder, an intermediate only), kin-openapi's
#                 openapi2conv converts it and openapi/internal/gen completes
#                 it (the parts every operation shares, problem+json, event
#                 payloads, decimal bounds, examples)
#   client/client.gen.go  billbridge's Go client (module
#                 github.com/billbridge/billbridge/client), made by
#                 oapi-codegen v2.8.2 from openapi.json; written to the
#                 folder given as $2 (default: client/ at the root)
# The general information is in routes/docs.go; type overrides in openapi/.swaggo.
# Usage: bash openapi/generate.sh [outdir [clientdir]]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(cd "${1:-$root/openapi}" && pwd)"
client_out="$(mkdir -p "${2:-$root/client}" && cd "${2:-$root/client}" && pwd)"
cd "$root"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

go run github.com/swaggo/swag/cmd/swag@v1.16.6 init --quiet \
  --generalInfo docs.go \
  --dir ./routes,./actions,./triggers,./openapi,./,./internal/web \
  --exclude ./openapi/tools,./openapi/clienttest,./client,./n8n-node,./zapier,./make \
  --parseInternal --parseFuncBody \
  --overridesFile openapi/.swaggo \
  --outputTypes json --output "$tmp"
go run ./openapi/internal/gen -in "$tmp/swagger.json" -out "$out"

# The Go client (client/, its own module); openapi/clienttest drives it.
(cd "$tmp" && go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen@v2.8.2 \
  -config "$root/client/oapi-codegen.yaml" "$out/openapi.json")
mv "$tmp/client.gen.go" "$client_out/client.gen.go"
