"""Deal won → invoice: python3 deal_won.py deal.json"""
import json, os, sys, urllib.error, urllib.request

deal = json.load(open(sys.argv[1]))
body = {
    "deal_id": deal["id"],
    "customer": {"external_id": deal["company"]["id"], "name": deal["company"]["name"],
                 "email": deal["company"]["email"], "address": {"country": deal["company"]["country"]}},
    "currency": deal["currency"],
    "items": [{"description": i["name"], "quantity": i["quantity"],
               "unit_price": i["price"], "vat_rate": i["vat_rate"]} for i in deal["items"]],
    "finalize": True,
}
request = urllib.request.Request(
    os.environ["BILLBRIDGE_URL"] + "/v1/deals/won", data=json.dumps(body).encode(), method="POST",
    headers={"Authorization": "Bearer " + os.environ["BILLBRIDGE_API_KEY"],
             "Content-Type": "application/json",
             # The same key on a retry returns the first answer: one invoice per deal.
             "Idempotency-Key": f"deal-{deal['id']}-won"})
try:
    with urllib.request.urlopen(request) as response:
        invoice = json.load(response)["invoice"]
except urllib.error.HTTPError as error:
    problem = json.load(error)
    print(f"billbridge refused ({error.code}): {problem['detail']}", file=sys.stderr)
    for p in problem.get("invalid_params", []):
        print(f"  {p['name']}: {p['reason']}", file=sys.stderr)
    sys.exit(1)
print(f"invoice {invoice['number']} {invoice['id']}: {invoice['currency']} {invoice['total']}, "
      f"reference {invoice['payment_reference']}")
