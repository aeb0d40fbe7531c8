#!/usr/bin/env bash
# test-alert-rules.sh: the operator's Prometheus rules (ops/alerts.yml)
# checked and unit-tested with promtool (ops/alerts_test.yml): each rule
# fires on the series that should fire it, with its labels and annotations,
# and stays silent on the healthy twin. promtool comes with Debian's
# prometheus package (scripts/services.sh ensure_promtool installs it as
# root); without it this fails, never skips.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v promtool >/dev/null; then
  echo "test-alert-rules: promtool not found: apt-get install --no-install-recommends prometheus, or go install github.com/prometheus/prometheus/cmd/promtool@v0.316.0" >&2
  exit 1
fi
promtool check rules ops/alerts.yml
promtool test rules ops/alerts_test.yml
