"""Invoice paid → CRM, one poll (run it from cron): python3 invoice_paid.py
Posts each new invoice.paid to $CRM_WEBHOOK_URL; the position is kept in
$STATE_FILE, so every payment is told once."""
import json, os, urllib.request

STATE = os.environ.get("STATE_FILE", "billbridge-cursor.txt")


def events(query):
    request = urllib.request.Request(os.environ["BILLBRIDGE_URL"] + "/v1/events?" + query,
                                     headers={"Authorization": "Bearer " + os.environ["BILLBRIDGE_API_KEY"]})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def tell_crm(update):  # an HTTP error raises: the position stays, the next poll retries
    request = urllib.request.Request(os.environ["CRM_WEBHOOK_URL"], data=json.dumps(update).encode(),
                                     headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request).close()


if not os.path.exists(STATE) or not open(STATE).read().strip():
    open(STATE, "w").write(events("limit=1")["latest_cursor"])  # start from now
    raise SystemExit(0)
while True:
    cursor = open(STATE).read().strip()
    page = events("type=invoice.paid&order=asc&limit=100&after=" + cursor)
    for event in page["data"]:
        invoice = event["data"]
        update = {"deal_id": invoice["external_id"], "invoice_number": invoice["number"],
                  "amount_paid": invoice["amount_paid"], "currency": invoice["currency"],
                  "paid_at": invoice["paid_at"]}
        tell_crm(update)
        print("told the CRM:", json.dumps(update))
    open(STATE, "w").write(page["next_cursor"])
    if not page["has_more"]:
        break
