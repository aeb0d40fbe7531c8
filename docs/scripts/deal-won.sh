#!/usr/bin/env bash
# Deal won → invoice: bash deal-won.sh deal.json
set -euo pipefail
deal="$(cat "$1")"
body="$(jq '{
  deal_id: .id,
  customer: {external_id: .company.id, name: .company.name, email: .company.email,
             address: {country: .company.country}},
  currency: .currency,
  items: [.items[] | {description: .name, quantity, unit_price: .price, vat_rate}],
  finalize: true
}' <<<"$deal")"
# The same key on a retry returns the first answer: one invoice per deal.
answer="$(curl -sS -X POST "$BILLBRIDGE_URL/v1/deals/won" \
  -H "Authorization: Bearer $BILLBRIDGE_API_KEY" \
  -H "Idempotency-Key: deal-$(jq -r .id <<<"$deal")-won" \
  -H 'Content-Type: application/json' --data "$body" \
  -w '\n%{http_code}')"
status="${answer##*$'\n'}"; answer="${answer%$'\n'*}"
if ((status >= 300)); then
  echo "billbridge refused ($status): $(jq -r '.detail, (.invalid_params // [] | .[] | "  \(.name): \(.reason)")' <<<"$answer")" >&2
  exit 1
fi
jq -r '.invoice | "invoice \(.number) \(.id): \(.currency) \(.total), reference \(.payment_reference)"' <<<"$answer"
