#!/usr/bin/env bash
# Invoice paid → CRM, one poll (run it from cron): bash invoice-paid.sh
# Posts each new invoice.paid to $CRM_WEBHOOK_URL; the position is kept in
# $STATE_FILE, so every payment is told once.
set -euo pipefail
state="${STATE_FILE:-billbridge-cursor.txt}"
get() { curl -fsS "$BILLBRIDGE_URL$1" -H "Authorization: Bearer $BILLBRIDGE_API_KEY"; }
if [[ ! -s "$state" ]]; then
  get '/v1/events?limit=1' | jq -r .latest_cursor >"$state"   # start from now
  exit 0
fi
while :; do
  page="$(get "/v1/events?type=invoice.paid&order=asc&limit=100&after=$(cat "$state")")"
  jq -c '.data[].data | {deal_id: .external_id, invoice_number: .number,
    amount_paid: .amount_paid, currency, paid_at}' <<<"$page" |
    while read -r update; do
      curl -fsS -X POST "$CRM_WEBHOOK_URL" -H 'Content-Type: application/json' --data "$update" >/dev/null
      echo "told the CRM: $update"
    done
  jq -r .next_cursor <<<"$page" >"$state"
  [[ "$(jq -r .has_more <<<"$page")" == true ]] || break
done
