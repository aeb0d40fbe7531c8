#!/usr/bin/env bash
# check.sh: the fast inner loop (make check), a few minutes on a laptop.
# It finds or starts PostgreSQL and Redis like scripts/test.sh
# (scripts/services.sh), then runs the Go lint, the Go tests with the race
# detector against both, the OpenAPI drift check and the OpenAPI lint.
# It installs no chromium, poppler or n8n: the Go tests that drive those
# programs are the ones named in `outside` below, and only `make test` runs
# them (with the n8n, Zapier and Make suites).
# Usage: bash scripts/check.sh [go packages, default ./...]
# It prints one line per suite and "suites: N passed, M failed" last, and
# exits non-zero when any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh
source scripts/suite.sh

# Tests that need a program make check does not install: chromium renders
# /docs; poppler's pdftoppm reads the QR-bill PDFs back.
outside=(TestDocsRender TestSlipsDecodeBack TestInvoicePDFDecodesBack)
for t in "${outside[@]}"; do
  # A renamed or deleted test must leave this list too, or the list rots.
  git grep -q "^func $t(t \*testing.T)" -- '*_test.go' || { echo "check.sh: no test named $t; update the list" >&2; exit 1; }
done
skip="^($(IFS='|'; echo "${outside[*]}"))\$"

ensure_postgres || exit 1
ensure_redis || exit 1
ensure_promtool || echo "check: promtool missing: the alert-rules suite will fail" >&2
echo "check: PostgreSQL at $TEST_DATABASE_URL, Redis at $TEST_REDIS_URL"

pkgs=("$@"); ((${#pkgs[@]})) || pkgs=(./...)
suite go-lint make --no-print-directory lint
suite go-test go test -race -count=1 -timeout 20m -skip "$skip" "${pkgs[@]}"
suite openapi-drift bash openapi/check.sh
suite openapi-lint bash openapi/lint.sh
suite alert-rules bash scripts/test-alert-rules.sh
suites_summary
