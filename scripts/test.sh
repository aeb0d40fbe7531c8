#!/usr/bin/env bash
# test.sh: the whole test suite, runnable on a fresh Debian machine.
# It finds or starts PostgreSQL and Redis (scripts/services.sh), then runs
# the Go tests with the race detector against them, the OpenAPI checks, and
# the n8n node's lint and unit tests (quick, before the real-n8n run), the
# n8n e2e run and the Zapier and Make packages' tests (Node 24 from
# scripts/node24.sh), and the custom-script examples of docs/scripts.md
# (scripts/test-scripts.sh) against a live gateway.
# It runs every suite, prints one line per suite and a final
# "suites: N passed, M failed", and exits non-zero when any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh
source scripts/suite.sh
ensure_postgres || exit 1
ensure_redis || exit 1
ensure_chromium || exit 1
ensure_poppler || exit 1
ensure_promtool || echo "test: promtool missing: the alert-rules suite will fail" >&2
echo "test: PostgreSQL at $TEST_DATABASE_URL, Redis at $TEST_REDIS_URL"

have() { [[ -e "$1" ]]; }

suite go-lint make --no-print-directory lint
suite go-test go test -race -count=1 -timeout 45m ./...
have openapi/check.sh && suite openapi-drift bash openapi/check.sh
have openapi/lint.sh && suite openapi-lint bash openapi/lint.sh
suite alert-rules bash scripts/test-alert-rules.sh
have scripts/test-n8n.sh && suite n8n-quick bash scripts/test-n8n.sh
have scripts/e2e-n8n.sh && suite n8n-e2e bash scripts/e2e-n8n.sh
have scripts/test-zapier.sh && suite zapier bash scripts/test-zapier.sh
have scripts/test-make.sh && suite make-app bash scripts/test-make.sh
have scripts/test-scripts.sh && suite scripts bash scripts/test-scripts.sh
have scripts/deploy-check.sh && suite deploy-check bash scripts/deploy-check.sh

suites_summary
