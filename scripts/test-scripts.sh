#!/usr/bin/env bash
# test-scripts.sh: the custom-script examples of docs/scripts.md, run against
# a live billbridge (a fresh SQLite gateway from scripts/billbridge-server.sh):
# curl + jq, Python (standard library), Node (fetch, Node 24 from
# scripts/node24.sh) and Go (the client module, client/).
#   - docs/scripts.md shows each file of docs/scripts/ byte for byte (every
#     `<!-- file: PATH -->` is followed by a fenced block equal to PATH), so
#     the page cannot drift from what runs here;
#   - deal won → invoice: each language invoices its own deal twice; one
#     finalized invoice per deal (External ID = deal ID) and the same number
#     printed both times; a deal with a country name instead of its ISO code
#     fails naming customer.address.country and writes nothing;
#   - invoice paid → CRM: each poller's first run only takes the position;
#     the four invoices are paid; each poller then posts the four payments to
#     its own CRM webhook (a local sink) once, and a third run posts nothing.
# Prints one line per check and "scripts: N passed, M failed"; exits non-zero
# on any failure.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
source scripts/billbridge-server.sh
export PATH="$("$root/scripts/node24.sh"):$PATH"
command -v jq >/dev/null || { echo "test-scripts: jq is needed (apt-get install jq)"; exit 1; }
ex="$root/docs/scripts"
passed=0; failed=0
check() { # check NAME COMMAND...
  local name="$1"; shift
  if "$@"; then passed=$((passed + 1)); echo "ok   $name"; else failed=$((failed + 1)); echo "FAIL $name"; fi
}

# ------------------------------------------------------------ the page
doc_matches_files() {
  python3 - "$root/docs/scripts.md" "$root" <<'PY'
import re, sys
doc, root = open(sys.argv[1]).read(), sys.argv[2]
blocks = re.findall(r"<!-- file: (\S+) -->\n```[a-z]*\n(.*?)```\n", doc, re.S)
shown = {path for path, _ in blocks}
bad = [path for path, body in blocks if open(f"{root}/{path}").read() != body]
import glob, os
files = {os.path.relpath(p, root) for p in glob.glob(f"{root}/docs/scripts/**/*", recursive=True) if os.path.isfile(p)}
missing = sorted(files - shown)
for p in bad: print(f"docs/scripts.md: the block of {p} differs from the file")
for p in missing: print(f"docs/scripts.md: {p} is not shown")
sys.exit(1 if bad or missing or not blocks else 0)
PY
}
check "docs/scripts.md shows every file of docs/scripts/ byte for byte" doc_matches_files

# ------------------------------------------------------------ the gateway
bb_build
bb_start s
export BILLBRIDGE_URL="$url_s" BILLBRIDGE_API_KEY="$key_s"
api() { curl -fsS -X "$1" "$BILLBRIDGE_URL$2" -H "Authorization: Bearer $BILLBRIDGE_API_KEY" ${3:+-H 'Content-Type: application/json' --data "$3"}; }
(cd "$root" && go build -o "$bb_tmp/deal-won-go" ./docs/scripts/go/deal-won && go build -o "$bb_tmp/invoice-paid-go" ./docs/scripts/go/invoice-paid)

# The CRM: a sink appending each POST body as one line to $bb_tmp/crm/<path>.
mkdir -p "$bb_tmp/crm"
python3 - "$bb_tmp/crm" "$bb_tmp/crm.port" <<'PY' &
import http.server, os, sys
folder, port_file = sys.argv[1], sys.argv[2]
class Sink(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(os.path.join(folder, self.path.strip("/").replace("/", "_")), "ab") as f:
            f.write(body + b"\n")
        self.send_response(204); self.end_headers()
    def log_message(self, *args): pass
server = http.server.HTTPServer(("127.0.0.1", 0), Sink)
open(port_file, "w").write(str(server.server_port))
server.serve_forever()
PY
bb_pids+=($!)
for _ in $(seq 50); do [[ -s "$bb_tmp/crm.port" ]] && break; sleep 0.1; done
crm="http://127.0.0.1:$(cat "$bb_tmp/crm.port")"

langs=(curl python node go)
deal_won() { # deal_won LANG DEALFILE
  case "$1" in
    curl) bash "$ex/deal-won.sh" "$2" ;;
    python) python3 "$ex/deal_won.py" "$2" ;;
    node) node "$ex/deal-won.mjs" "$2" ;;
    go) "$bb_tmp/deal-won-go" "$2" ;;
  esac
}
invoice_paid() { # invoice_paid LANG
  case "$1" in
    curl) bash "$ex/invoice-paid.sh" ;;
    python) python3 "$ex/invoice_paid.py" ;;
    node) node "$ex/invoice-paid.mjs" ;;
    go) "$bb_tmp/invoice-paid-go" ;;
  esac
}
write_deal() { # write_deal LANG COUNTRY: a CRM deal as the examples read it
  cat >"$bb_tmp/deal-$1.json" <<JSON
{"id": "deal-$1", "currency": "CHF",
 "company": {"id": "company-$1", "name": "Dupont $1 GmbH", "email": "billing-$1@dupont.ch", "country": "$2"},
 "items": [{"name": "Consulting", "quantity": 2, "price": "150.00", "vat_rate": 8.1},
           {"name": "Travel", "quantity": 1, "price": "42.50", "vat_rate": 8.1}]}
JSON
}

# ------------------------------------------------- deal won → invoice
deal_won_once() { # deal_won_once LANG: two runs, one finalized invoice
  local lang="$1" out1 out2 list
  write_deal "$lang" CH
  out1="$(deal_won "$lang" "$bb_tmp/deal-$lang.json")" || return 1
  out2="$(deal_won "$lang" "$bb_tmp/deal-$lang.json")" || return 1
  echo "     $lang: $out1"
  list="$(api GET "/v1/invoices?external_id=deal-$lang")"
  [[ "$(jq '.data | length' <<<"$list")" == 1 ]] || { echo "     want one invoice: $list"; return 1; }
  [[ "$(jq -r '.data[0].status' <<<"$list")" == open ]] || return 1
  [[ "$(jq -r '.data[0].total' <<<"$list")" == 370.24 ]] || { echo "     total: $(jq '.data[0].total' <<<"$list")"; return 1; }
  local number; number="$(jq -r '.data[0].number' <<<"$list")"
  [[ "$out1" == "invoice $number "* && "$out1" == "$out2" ]]
}
deal_won_refused() { # deal_won_refused LANG: a bad country fails naming the field
  local lang="$1" err
  write_deal "$lang-bad" Schweiz
  if deal_won "$lang" "$bb_tmp/deal-$lang-bad.json" >/dev/null 2>"$bb_tmp/err-$lang"; then return 1; fi
  err="$(cat "$bb_tmp/err-$lang")"
  grep -q 'customer.address.country' <<<"$err" || { echo "     stderr: $err"; return 1; }
  [[ "$(api GET "/v1/invoices?external_id=deal-$lang-bad" | jq '.data | length')" == 0 ]]
}
for lang in "${langs[@]}"; do
  check "deal won → invoice ($lang): two runs, one finalized invoice" deal_won_once "$lang"
  check "deal won → invoice ($lang): a country name instead of its code fails naming customer.address.country, nothing written" deal_won_refused "$lang"
done

# ------------------------------------------------- invoice paid → CRM
poll() { STATE_FILE="$bb_tmp/state-$1" CRM_WEBHOOK_URL="$crm/crm/$1" invoice_paid "$1"; }
crm_deals() { [[ -f "$bb_tmp/crm/crm_$1" ]] && jq -r .deal_id "$bb_tmp/crm/crm_$1" | sort | tr '\n' ' '; true; }
first_poll_takes_position() {
  poll "$1" >/dev/null && [[ -s "$bb_tmp/state-$1" && -z "$(crm_deals "$1")" ]]
}
for lang in "${langs[@]}"; do
  check "invoice paid → CRM ($lang): the first run starts from now" first_poll_takes_position "$lang"
done
for lang in "${langs[@]}"; do
  id="$(api GET "/v1/invoices?external_id=deal-$lang" | jq -r '.data[0].id')"
  due="$(api GET "/v1/invoices/$id" | jq -r .amount_due)"
  api POST "/v1/invoices/$id/payments" "{\"amount\": $due, \"external_id\": \"bank-$lang\"}" >/dev/null
done
want="deal-curl deal-go deal-node deal-python "
told_once() {
  poll "$1" | sed 's/^/     /' || return 1
  [[ "$(crm_deals "$1")" == "$want" ]] || { echo "     CRM got: $(crm_deals "$1")"; return 1; }
  poll "$1" >/dev/null || return 1
  [[ "$(crm_deals "$1")" == "$want" ]] || { echo "     after a third run the CRM got: $(crm_deals "$1")"; return 1; }
  [[ "$(jq -r '"\(.invoice_number) \(.amount_paid) \(.currency)"' "$bb_tmp/crm/crm_$1" | grep -c '^INV-[0-9]* 370.24 CHF$')" == 4 ]]
}
for lang in "${langs[@]}"; do
  check "invoice paid → CRM ($lang): four payments told once each, nothing on a third run" told_once "$lang"
done

echo "scripts: $passed passed, $failed failed"
((failed == 0))
