#!/usr/bin/env bash
# e2e-n8n.sh: prove the n8n community node (n8n-node/) in a real n8n 2.x
# against a live billbridge. It
#   - installs the pinned n8n (n8n-node/e2e/n8n/package-lock.json) with Node 24
#     into ${BILLBRIDGE_CACHE:-$HOME/.cache/billbridge}/n8n-<version>, reused by
#     later runs (about 7 minutes and 2.9 GB the first time);
#   - builds and packs the node package (its lint and unit tests are the
#     quick suite scripts/test-n8n.sh, run before this), and installs the
#     tarball into a fresh N8N_CUSTOM_EXTENSIONS folder;
#   - builds and starts billbridge on a temporary SQLite database, creates an
#     account, starts an HTTP sink, imports credentials and the workflows of
#     n8n-node/e2e/workflows while n8n is stopped;
#   - checks (a) a manual workflow run twice with the same idempotency keys
#     writes one customer, one invoice, one payment, and a refused write fails
#     with billbridge's detail and field names; (b) a published polling
#     trigger delivers three invoice.paid events exactly once (three
#     executions) across polls and an n8n restart; (c) a published webhook
#     trigger receives a signed delivery and refuses a forged one; (d) a
#     manual workflow finds an invoice by payment_reference and writes its PDF
#     and QR-bill PNG from the node's binary output, byte for byte what the
#     gateway serves; (e) a camt.054 read from disk into a binary field and
#     imported by the node marks the invoice paid, and a second run records
#     nothing twice; (f) a manual workflow upserts one company twice, finds
#     the pair with Find Possible Duplicates and merges it (once over two
#     runs); (g) a manual workflow imports a customers and an invoices CSV
#     from binary fields, sends the overdue invoice's reminder, reads the
#     customer's payment health, the receivables report and the sent
#     reminders (one reminder and nothing created twice over two runs);
#     (h) resource locators From List, By ID and By URL and Simplify in a
#     manual run, and n8n's own "From List" endpoint answering through the
#     node's searchCustomers and searchInvoices; (i) the example workflows of
#     n8n-node/examples import with `n8n import:workflow` into a fresh n8n
#     that has the package installed as a community package, every node type
#     and version resolving and no credential id fixed.
# It prints "n8n e2e: N passed, M failed" last and exits non-zero on any failure.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pkg="$root/n8n-node"
n8n_version=2.41.1
cache="${BILLBRIDGE_CACHE:-$HOME/.cache/billbridge}"
n8n_home="$cache/n8n-$n8n_version"

node_bin="$("$root/scripts/node24.sh")"
export PATH="$node_bin:$PATH"
node_dir="$(dirname "$node_bin")"

tmp="$(mktemp -d -t billbridge-e2e-n8n.XXXXXX)"
pids=()
passed=0
failed=0

log() { printf '%s e2e-n8n: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

cleanup() {
	local pid
	for pid in "${pids[@]}"; do
		# Each service runs in its own session: end its whole process group.
		kill -TERM -- "-$pid" 2>/dev/null || true
	done
	for pid in "${pids[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	if [[ "${KEEP_TMP:-}" == "1" ]]; then
		log "kept $tmp"
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT

finish() {
	echo "n8n e2e: $passed passed, $failed failed"
	if ((failed > 0)); then
		exit 1
	fi
	exit 0
}

# die stops the run when a step that every check needs fails.
die() {
	log "FATAL: $*"
	failed=$((failed + 1))
	finish
}

# check runs one named check and counts it.
check() {
	local name="$1"
	shift
	log "check: $name"
	if "$@"; then
		passed=$((passed + 1))
		log "PASS: $name"
	else
		failed=$((failed + 1))
		log "FAIL: $name"
		failure_context
	fi
}

# failure_context prints what n8n and billbridge logged last, so a failed
# check in a CI log says more than its name.
failure_context() {
	local f
	for f in "$tmp"/n8n-*.log "$tmp/billbridge.log"; do
		[[ -s "$f" ]] || continue
		log "last lines of $(basename "$f"):"
		tail -n 12 "$f" | sed 's/^/    /' >&2
	done
}

free_port() {
	node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# jget EXPR reads JSON on stdin and prints EXPR evaluated with the JSON as j.
jget() {
	node -e '
let s = "";
process.stdin.on("data", (d) => (s += d)).on("end", () => {
	const j = JSON.parse(s);
	const v = eval(process.argv[1]);
	console.log(typeof v === "object" ? JSON.stringify(v) : String(v));
});' "$1"
}

# wait_for SECONDS DESCRIPTION COMMAND...: retry COMMAND once a second.
wait_for() {
	local seconds="$1" what="$2"
	shift 2
	local i
	for ((i = 0; i < seconds; i++)); do
		if "$@" >/dev/null 2>&1; then
			return 0
		fi
		sleep 1
	done
	log "timed out after ${seconds}s waiting for $what"
	return 1
}

# start NAME LOGFILE COMMAND...: run COMMAND in its own session, remember its pid.
start() {
	local name="$1" logfile="$2"
	shift 2
	setsid "$@" >"$logfile" 2>&1 &
	pids+=("$!")
	eval "${name}_pid=$!"
}

# stop PID: end a service started with start and wait for it.
stop() {
	local pid="$1" p
	kill -TERM -- "-$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	local keep=()
	for p in "${pids[@]}"; do
		[[ "$p" == "$pid" ]] || keep+=("$p")
	done
	pids=("${keep[@]}")
}

# ---------------------------------------------------------------- n8n install
install_n8n() {
	mkdir -p "$cache"
	exec 9>"$n8n_home.lock"
	flock 9
	if [[ -f "$n8n_home/.ready" ]] && cmp -s "$pkg/e2e/n8n/package-lock.json" "$n8n_home/package-lock.json"; then
		flock -u 9
		return 0
	fi
	log "installing n8n@$n8n_version into $n8n_home (several minutes, about 2.9 GB)"
	rm -rf "$n8n_home"
	mkdir -p "$n8n_home"
	cp "$pkg/e2e/n8n/package.json" "$pkg/e2e/n8n/package-lock.json" "$n8n_home/"
	# --ignore-scripts: a Kafka client's install script downloads sources.
	(cd "$n8n_home" && npm ci --ignore-scripts --no-audit --no-fund >&2)
	(cd "$n8n_home" && npm rebuild sqlite3 --nodedir="$node_dir" >&2)
	touch "$n8n_home/.ready"
	flock -u 9
}

install_n8n || die "n8n install failed"
n8n="$n8n_home/node_modules/.bin/n8n"

# ------------------------------------------------------------- node package
if [[ ! -d "$pkg/node_modules/@n8n/node-cli" ]]; then
	(cd "$pkg" && npm ci --no-audit --no-fund >&2) || die "npm ci in n8n-node failed"
fi

(cd "$pkg" && npm run --silent build >"$tmp/build.log" 2>&1) || {
	cat "$tmp/build.log" >&2
	die "n8n-node build failed"
}
mkdir -p "$tmp/pack"
tarball="$(cd "$pkg" && npm pack --silent --pack-destination "$tmp/pack" | tail -n1)"
[[ -f "$tmp/pack/$tarball" ]] || die "npm pack produced no tarball"
log "packed $tarball: $(tar -tzf "$tmp/pack/$tarball" | wc -l) files"

custom="$tmp/custom"
mkdir -p "$custom"
(cd "$custom" && npm init -y >/dev/null &&
	npm install --omit=peer --no-audit --no-fund "$tmp/pack/$tarball" >&2) || die "installing the tarball failed"

# ------------------------------------------------------------------ billbridge
(cd "$root" && go build -o "$tmp/billbridge" ./cmd/billbridge) || die "go build ./cmd/billbridge failed"
bb_port="$(free_port)"
export BILLBRIDGE_DATABASE_URL="sqlite:$tmp/bb.db"
export BILLBRIDGE_HOOKS_ALLOW_PRIVATE=true
export BILLBRIDGE_ADDR="127.0.0.1:$bb_port"
export BILLBRIDGE_DELIVERY_INTERVAL=1s
export BILLBRIDGE_LOG_FORMAT=text
account="$("$tmp/billbridge" accounts create --name e2e)" || die "billbridge accounts create failed"
api_key="$(jget j.api_key <<<"$account")"
start bb "$tmp/billbridge.log" "$tmp/billbridge" serve
bb="http://127.0.0.1:$bb_port"
wait_for 30 "billbridge /healthz" curl -fsS "$bb/healthz" || die "billbridge did not start: $(tail -5 "$tmp/billbridge.log")"

# api METHOD PATH [BODY]: call billbridge, print the body, fail on >= 400.
api() {
	local args=(-fsS -X "$1" "$bb$2" -H "Authorization: Bearer $api_key")
	if [[ $# -ge 3 ]]; then
		args+=(-H 'Content-Type: application/json' --data "$3")
	fi
	curl "${args[@]}"
}

# ------------------------------------------------------------------- the sink
cat >"$tmp/sink.js" <<'EOF'
// Appends every request as one JSON line {path, headers, body} to argv[2] and
// writes its port to argv[3].
const http = require('http');
const fs = require('fs');
const [file, portFile] = process.argv.slice(2);
const server = http.createServer((req, res) => {
	let body = '';
	req.on('data', (chunk) => (body += chunk));
	req.on('end', () => {
		fs.appendFileSync(file, JSON.stringify({ path: req.url, body }) + '\n');
		res.writeHead(200, { 'Content-Type': 'application/json' });
		res.end('{"ok":true}');
	});
});
server.listen(0, '127.0.0.1', () => fs.writeFileSync(portFile, String(server.address().port)));
EOF
touch "$tmp/sink.jsonl"
start sink "$tmp/sink.log" node "$tmp/sink.js" "$tmp/sink.jsonl" "$tmp/sink.port"
wait_for 10 "sink port" test -s "$tmp/sink.port" || die "sink did not start"
sink="http://127.0.0.1:$(cat "$tmp/sink.port")"

# sink_hits PATH: how many requests reached the sink at PATH.
sink_hits() {
	grep -c "\"path\":\"$1\"" "$tmp/sink.jsonl" || true
}

# sink_has PATH N: whether at least N requests reached the sink at PATH.
sink_has() {
	(($(sink_hits "$1") >= $2))
}

# ------------------------------------------------------------------------ n8n
n8n_port="$(free_port)"
broker_port="$(free_port)"
export N8N_USER_FOLDER="$tmp/n8n-user"
export N8N_PORT="$n8n_port"
export N8N_LISTEN_ADDRESS=127.0.0.1
export N8N_HOST=127.0.0.1
export N8N_WEBHOOK_URL="http://127.0.0.1:$n8n_port/"
export N8N_RUNNERS_ENABLED=false
export N8N_RUNNERS_BROKER_PORT="$broker_port"
export N8N_DIAGNOSTICS_ENABLED=false
export N8N_VERSION_NOTIFICATIONS_ENABLED=false
export N8N_TEMPLATES_ENABLED=false
export N8N_PERSONALIZATION_ENABLED=false
export N8N_CUSTOM_EXTENSIONS="$custom"
export N8N_ENCRYPTION_KEY="billbridge-e2e-$(date +%s%N)"
export N8N_LOG_LEVEL=info
export DB_SQLITE_POOL_SIZE=2
# Files the workflows of (d) and (e) read and write; n8n 2.x allows file
# access only below this folder.
files="$tmp/files"
mkdir -p "$files/in" "$files/out"
export N8N_RESTRICT_FILE_ACCESS_TO="$files"
mkdir -p "$N8N_USER_FOLDER"
n8n_url="http://127.0.0.1:$n8n_port"
webhook_id=6f1d8c9a-2b7e-4c1f-9a53-e2e000000001
webhook_url="${n8n_url}/webhook/$webhook_id/webhook"

cat >"$tmp/credentials.json" <<EOF
[{"id":"bbE2eCredential1","name":"billbridge e2e","type":"billbridgeApi","data":{"baseUrl":"$bb","apiKey":"$api_key"}}]
EOF
"$n8n" import:credentials --input="$tmp/credentials.json" >"$tmp/import.log" 2>&1 || {
	cat "$tmp/import.log" >&2
	die "n8n import:credentials failed"
}
for wf in manual-invoice error-invalid-customer poll-paid webhook-customer; do
	sed "s#__SINK_URL__#$sink#g" "$pkg/e2e/workflows/$wf.json" >"$tmp/$wf.json"
	"$n8n" import:workflow --input="$tmp/$wf.json" >>"$tmp/import.log" 2>&1 || {
		cat "$tmp/import.log" >&2
		die "n8n import:workflow $wf failed"
	}
done

# (a) ------------------------------------------------------------------------
run_manual() {
	"$n8n" execute --id=bbE2eManualFlow1 --rawOutput >"$tmp/execute-$1.log" 2>&1 || {
		tail -40 "$tmp/execute-$1.log" >&2
		return 1
	}
}

manual_idempotent() {
	run_manual 1 || return 1
	run_manual 2 || return 1
	local customers invoices invoice_id payments status
	customers="$(api GET '/v1/customers?limit=100' | jget 'j.data.length')"
	invoices="$(api GET '/v1/invoices?limit=100' | jget 'j.data.length')"
	invoice_id="$(api GET '/v1/invoices?external_id=e2e-inv-1' | jget 'j.data[0].id')"
	status="$(api GET "/v1/invoices/$invoice_id" | jget 'j.status')"
	payments="$(api GET "/v1/invoices/$invoice_id/payments" | jget 'j.data.length')"
	log "after two runs: customers=$customers invoices=$invoices payments=$payments status=$status"
	[[ "$customers" == 1 && "$invoices" == 1 && "$payments" == 1 && "$status" == paid ]]
}
check "manual workflow run twice: one customer, one invoice, one payment" manual_idempotent
customer_id="$(api GET '/v1/customers?external_id=crm-e2e-1' | jget 'j.data[0].id')"

# refused_with_detail: a customer billbridge refuses fails the execution with
# the problem's detail and the names of the invalid fields.
refused_with_detail() {
	if "$n8n" execute --id=bbE2eErrorFlow01 --rawOutput >"$tmp/execute-error.log" 2>&1; then
		log "the execution succeeded"
		return 1
	fi
	local found=0 want
	for want in 'The request has invalid fields.' 'email (must be an email address' 'address.country'; do
		if grep -qF "$want" "$tmp/execute-error.log"; then
			found=$((found + 1))
		else
			log "missing in the execution error: $want"
		fi
	done
	((found == 3)) || {
		tail -30 "$tmp/execute-error.log" >&2
		return 1
	}
	[[ "$(api GET '/v1/customers?limit=100' | jget 'j.data.length')" == 1 ]]
}
check "a refused write fails the node with billbridge's detail and field names" refused_with_detail

# (h) ------------------------------------------------------------------------
# Resource locators in their three modes and Simplify, run by the real n8n:
# the customer picked From List, its invoices filtered By ID and simplified,
# the invoice found By URL (its PDF link) and again By ID, simplified.
sed "s#__CUSTOMER_ID__#$customer_id#g; s#__BB_URL__#$bb#g" "$pkg/e2e/workflows/locators.json" >"$tmp/locators.json"
"$n8n" import:workflow --input="$tmp/locators.json" >>"$tmp/import.log" 2>&1 || {
	cat "$tmp/import.log" >&2
	die "n8n import:workflow locators failed"
}

# run_outputs LOG: an execution's node outputs as one JSON object (node name → list of item JSON).
run_outputs() {
	node -e '
const text = require("fs").readFileSync(process.argv[1], "utf8");
const execution = JSON.parse(text.slice(text.search(/^\{/m), text.search(/^\}/m) + 1)); // n8n may log after the JSON
const out = {};
for (const [name, runs] of Object.entries(execution.data.resultData.runData)) {
	out[name] = runs[0].data.main[0].map((item) => item.json);
}
console.log(JSON.stringify(out));' "$1"
}

located_and_simplified() {
	"$n8n" execute --id=bbE2eLocateFlow1 --rawOutput >"$tmp/execute-locate.log" 2>&1 || {
		tail -40 "$tmp/execute-locate.log" >&2
		return 1
	}
	local out invoice_id customer invoice
	out="$(run_outputs "$tmp/execute-locate.log")" || return 1
	invoice_id="$(api GET '/v1/invoices?external_id=e2e-inv-1' | jget 'j.data[0].id')"
	customer="$(api GET "/v1/customers/$customer_id")"
	invoice="$(api GET "/v1/invoices/$invoice_id")"
	log "locators: $(jget 'JSON.stringify(Object.fromEntries(Object.entries(j).map(([k, v]) => [k, v.map((x) => x.id)])))' <<<"$out")"
	# The simplified customer is the API's customer cut to the compact fields;
	# the invoice By URL is whole; the simplified invoices are cut alike.
	node -e '
const [out, customer, invoice] = process.argv.slice(1).map((s) => JSON.parse(s));
const cut = (r, keys) => Object.fromEntries(keys.filter((k) => k in r).map((k) => [k, r[k]]));
const ck = ["id", "name", "email", "customer_number", "external_id", "kind", "dunning_paused", "updated_at"];
const ik = ["id", "number", "customer_id", "external_id", "status", "currency", "total", "amount_due", "issue_date", "due_date", "payment_reference"];
const same = (a, b, what) => {
	if (JSON.stringify(a) !== JSON.stringify(b)) {
		console.error(what + ": got " + JSON.stringify(a) + ", want " + JSON.stringify(b));
		process.exitCode = 1;
	}
};
same(out["Customer from list"], [cut(customer, ck)], "Customer from list (Simplify)");
same(out["Invoices of customer by ID"], [cut(invoice, ik)], "Invoices of customer by ID (Simplify)");
same(out["Invoice by URL"], [invoice], "Invoice by URL");
same(out["Invoice by ID"], [cut(invoice, ik)], "Invoice by ID (Simplify)");
if (out["Invoice by URL"][0].items === undefined || out["Invoice by ID"][0].items !== undefined) {
	console.error("Simplify off keeps the line items, on drops them");
	process.exitCode = 1;
}' "$out" "$customer" "$invoice"
}
check "resource locators From List, By ID and By URL, and Simplify, in a real run" located_and_simplified

# (d) and (e) -----------------------------------------------------------------
# An open invoice with a QR-bill: the account's QR-bill settings, a customer
# with a complete address, a finalized invoice with its payment_reference.
api PUT /v1/settings/qr-bill '{"iban":"CH5800791123000889012","reference_type":"scor","language":"de","creditor":{"name":"Robert Schneider AG","street":"Rue du Lac","building_number":"1268","postal_code":"2501","city":"Biel","country":"CH"}}' >/dev/null ||
	die "PUT /v1/settings/qr-bill failed"
files_customer="$(api POST /v1/customers '{"name":"Pia Rutschmann","external_id":"crm-e2e-files","address":{"street":"Marktgasse","building_number":"28","postal_code":"9400","city":"Rorschach","country":"CH"}}' | jget j.id)" ||
	die "creating the QR-bill customer failed"
files_invoice_json="$(api POST /v1/invoices "{\"customer_id\":\"$files_customer\",\"external_id\":\"e2e-files-1\",\"currency\":\"CHF\",\"finalize\":true,\"items\":[{\"description\":\"QR-bill e2e\",\"quantity\":3,\"unit_price\":\"125.50\",\"vat_rate\":8.1}]}")" ||
	die "creating the QR-bill invoice failed"
files_invoice="$(jget j.id <<<"$files_invoice_json")"
files_reference="$(jget j.payment_reference <<<"$files_invoice_json")"
files_amount="$(jget 'Number(j.amount_due).toFixed(2)' <<<"$files_invoice_json")"
log "QR-bill invoice $files_invoice: payment_reference $files_reference, amount due $files_amount"
[[ "$files_reference" == RF* ]] || die "the finalized invoice has no payment_reference"

# What the gateway serves, to compare the files n8n writes with.
curl -fsS -o "$tmp/want.pdf" "$bb/v1/invoices/$files_invoice/pdf" -H "Authorization: Bearer $api_key" ||
	die "GET /pdf failed"
curl -fsS -o "$tmp/want.png" "$bb/v1/invoices/$files_invoice/qr-bill?format=png&lang=fr" -H "Authorization: Bearer $api_key" ||
	die "GET /qr-bill failed"

# A camt.054 notification of one booked credit paying the invoice in full,
# the payer's reference in lower case with spaces, as some banks write it.
spaced_reference="$(sed -E 's/(.{4})/\1 /g; s/ $//' <<<"${files_reference,,}")"
cat >"$files/in/camt054.xml" <<CAMT
<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"><BkToCstmrDbtCdtNtfctn>
<GrpHdr><MsgId>E2E-N8N-CAMT-1</MsgId><CreDtTm>2026-11-28T18:00:00</CreDtTm></GrpHdr><Ntfctn><Id>E2E-N8N-CAMT-1</Id>
<Ntry><Amt Ccy="CHF">$files_amount</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
<BookgDt><Dt>2026-11-28</Dt></BookgDt><AcctSvcrRef>E2E-N8N-BANK-1</AcctSvcrRef><NtryDtls><TxDtls>
<Refs><AcctSvcrRef>E2E-N8N-BANK-1</AcctSvcrRef></Refs><Amt Ccy="CHF">$files_amount</Amt><CdtDbtInd>CRDT</CdtDbtInd>
<RltdPties><Dbtr><Pty><Nm>Pia Rutschmann</Nm></Pty></Dbtr></RltdPties>
<RmtInf><Strd><CdtrRefInf><Ref>$spaced_reference</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls></Ntry>
</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>
CAMT

for wf in invoice-files bank-import; do
	sed "s#__PAYMENT_REFERENCE__#${files_reference,,}#g; s#__FILES__#$files#g" "$pkg/e2e/workflows/$wf.json" >"$tmp/$wf.json"
	"$n8n" import:workflow --input="$tmp/$wf.json" >>"$tmp/import.log" 2>&1 || {
		cat "$tmp/import.log" >&2
		die "n8n import:workflow $wf failed"
	}
done

# same_file NAME WANT GOT MAGIC: whether GOT starts with MAGIC and is byte for byte WANT.
same_file() {
	local name="$1" want="$2" got="$3" magic="$4"
	[[ -s "$got" ]] || {
		log "$name: n8n wrote no file $got"
		return 1
	}
	log "$name: n8n wrote $(wc -c <"$got") bytes, the gateway serves $(wc -c <"$want")"
	[[ "$(head -c "${#magic}" "$got")" == "$magic" ]] || {
		log "$name: does not start with $magic"
		return 1
	}
	cmp "$want" "$got"
}

files_from_binary_output() {
	"$n8n" execute --id=bbE2eFilesFlow01 --rawOutput >"$tmp/execute-files.log" 2>&1 || {
		tail -40 "$tmp/execute-files.log" >&2
		return 1
	}
	same_file "invoice PDF" "$tmp/want.pdf" "$files/out/invoice.pdf" '%PDF-' || return 1
	same_file "QR-bill PNG" "$tmp/want.png" "$files/out/qr-bill.png" $'\x89PNG' || return 1
	local number
	number="$(api GET "/v1/invoices/$files_invoice" | jget j.number)"
	grep -Eq "\"file_name\": ?\"$number.pdf\"" "$tmp/execute-files.log" || {
		log "the execution output does not name the PDF file $number.pdf"
		tail -40 "$tmp/execute-files.log" >&2
		return 1
	}
}
check "invoice found by payment_reference; its PDF and QR-bill come out of the node as binary files" files_from_binary_output

# run_bank N: run the bank workflow, its output in execute-bank-N.log.
run_bank() {
	"$n8n" execute --id=bbE2eBankFlow001 --rawOutput >"$tmp/execute-bank-$1.log" 2>&1 || {
		tail -40 "$tmp/execute-bank-$1.log" >&2
		return 1
	}
}

# bank_report N: the report run N's import node output, as "matched:already_recorded" entry references.
bank_report() {
	node -e '
const text = require("fs").readFileSync(process.argv[1], "utf8");
const execution = JSON.parse(text.slice(text.search(/^\{/m), text.search(/^\}/m) + 1)); // n8n may log after the JSON
const run = execution.data.resultData.runData["Import bank file"][0];
const report = run.data.main[0][0].json;
const refs = (list) => list.map((l) => l.entry_reference).join(",");
console.log(`${refs(report.matched)}:${refs(report.already_recorded)}`);' "$tmp/execute-bank-$1.log"
}

bank_file_marks_paid() {
	run_bank 1 || return 1
	local status payments report
	status="$(api GET "/v1/invoices/$files_invoice" | jget j.status)"
	payments="$(api GET "/v1/invoices/$files_invoice/payments" | jget 'j.data.map((p) => p.external_id + ":" + Number(p.amount).toFixed(2)).join(",")')"
	report="$(bank_report 1)"
	log "after one import: status=$status payments=$payments report=$report"
	[[ "$status" == paid && "$payments" == "E2E-N8N-BANK-1:$files_amount" && "$report" == "E2E-N8N-BANK-1:" ]] || return 1

	run_bank 2 || return 1
	payments="$(api GET "/v1/invoices/$files_invoice/payments" | jget 'j.data.length')"
	report="$(bank_report 2)"
	log "after the second import: payments=$payments report=$report"
	[[ "$payments" == 1 && "$report" == ":E2E-N8N-BANK-1" ]]
}
check "a camt.054 read from disk and imported by the node marks the invoice paid, once" bank_file_marks_paid

# (f) ------------------------------------------------------------------------
# Two upserts of one company, its possible duplicates found by the node and
# merged by it; run twice, the second run finds no pair and merges nothing.
"$n8n" import:workflow --input="$pkg/e2e/workflows/duplicates-merge.json" >>"$tmp/import.log" 2>&1 || {
	cat "$tmp/import.log" >&2
	die "n8n import:workflow duplicates-merge failed"
}

found_and_merged() {
	local run first second survivor merged events
	for run in 1 2; do
		"$n8n" execute --id=bbE2eDupesFlow01 --rawOutput >"$tmp/execute-dupes-$run.log" 2>&1 || {
			tail -40 "$tmp/execute-dupes-$run.log" >&2
			return 1
		}
	done
	first="$(api GET '/v1/customers?external_id=crm-e2e-dup-1' | jget 'j.data[0].id')"
	merged="$(api GET "/v1/events?type=customer.merged&limit=10" | jget 'j.data.map((e) => e.data.primary_id + "<" + e.data.merged_id).join(" ")')"
	second="${merged#*<}"
	survivor="$(api GET "/v1/customers/$second" | jget 'j.id + ":" + j.merged_ids.join(",")')"
	events="$(api GET "/v1/events?type=customer.merged&limit=10" | jget 'j.data.length')"
	log "customer.merged: $merged; GET of the merged id: $survivor"
	[[ "$events" == 1 && "$merged" == "$first<$second" && "$second" != "$first" && "$survivor" == "$first:$second" ]]
}
check "the node finds the possible duplicate of an upsert and merges it, once over two runs" found_and_merged

# (g) ------------------------------------------------------------------------
# A customers file and an invoices file (German headers, an invoice issued 90
# days ago, so overdue and due for its Zahlungserinnerung) imported by the
# node from binary fields; the imported invoice reminded by the node, the
# customer's payment health, the receivables report and the sent reminders
# read by it. Run twice: the second run creates nothing and sends nothing.
old_day="$(date -u -d '90 days ago' +%F)"
printf 'Firma;E-Mail;PLZ;Ort;Land;Externe ID\r\nMahn AG;ap@mahn-e2e.example;8001;Zürich;Schweiz;crm-e2e-rem-1\r\nZweite Mahn GmbH;ap@zweite-e2e.example;3011;Bern;CH;crm-e2e-rem-2\r\n' >"$files/in/kunden.csv"
printf 'Externe Kunden-ID;Rechnungsnummer;Externe ID;Rechnungsdatum;Zahlungsfrist;Status;Beschreibung;Menge;Preis;MWST-Satz\r\ncrm-e2e-rem-1;ALT-2026-7;e2e-rem-inv-1;%s;30;offen;Beratung;2;1'"'"'000.00;8.1\r\ncrm-e2e-rem-1;ALT-2026-7;e2e-rem-inv-1;%s;30;offen;Spesen;1;50,00;0\r\n' "$old_day" "$old_day" >"$files/in/rechnungen.csv"
sed "s#__FILES__#$files#g" "$pkg/e2e/workflows/import-dunning.json" >"$tmp/import-dunning.json"
"$n8n" import:workflow --input="$tmp/import-dunning.json" >>"$tmp/import.log" 2>&1 || {
	cat "$tmp/import.log" >&2
	die "n8n import:workflow import-dunning failed"
}

# dunning_outputs N: run N's node outputs as one JSON object (node name → list of item JSON).
dunning_outputs() {
	run_outputs "$tmp/execute-dunning-$1.log"
}

imported_and_reminded() {
	local run
	for run in 1 2; do
		"$n8n" execute --id=bbE2eDunningFlow --rawOutput >"$tmp/execute-dunning-$run.log" 2>&1 || {
			tail -40 "$tmp/execute-dunning-$run.log" >&2
			return 1
		}
	done
	local first second invoice_id customer_id reminders sent health receivables
	first="$(dunning_outputs 1)" || return 1
	second="$(dunning_outputs 2)" || return 1
	invoice_id="$(api GET '/v1/invoices?external_id=e2e-rem-inv-1' | jget 'j.data[0].id')"
	customer_id="$(api GET '/v1/customers?external_id=crm-e2e-rem-1' | jget 'j.data[0].id')"
	log "imports, run 1: $(jget 'JSON.stringify([j["Import customers"][0].summary, j["Import invoices"][0].summary])' <<<"$first")"
	log "imports, run 2: $(jget 'JSON.stringify([j["Import customers"][0].summary, j["Import invoices"][0].summary])' <<<"$second")"
	[[ "$(jget '[j["Import customers"][0].summary.created, j["Import invoices"][0].summary.created, j["Import invoices"][0].rows[0].id].join(":")' <<<"$first")" == "2:2:$invoice_id" ]] || return 1
	# Run 2: the customer import's Idempotency Key replays run 1's report; the
	# invoice import has none and matches both rows; neither writes anything.
	[[ "$(jget 'JSON.stringify(j["Import customers"][0])' <<<"$second")" == "$(jget 'JSON.stringify(j["Import customers"][0])' <<<"$first")" ]] || return 1
	[[ "$(jget '[j["Import invoices"][0].summary.matched, j["Import invoices"][0].summary.created].join(":")' <<<"$second")" == "2:0" ]] || return 1
	[[ "$(api GET '/v1/customers?limit=100' | jget 'j.data.filter((c) => /^crm-e2e-rem-/.test(c.external_id)).length')" == 2 ]] || return 1
	[[ "$(api GET "/v1/invoices/$invoice_id" | jget 'j.number + ":" + j.status + ":" + j.issue_date')" == "ALT-2026-7:overdue:$old_day" ]] || return 1

	reminders="$(api GET "/v1/invoices/$invoice_id/reminders" | jget 'j.data.map((r) => r.id + ":" + r.level + ":" + r.channel + ":" + r.note).join(",")')"
	sent="$(api GET '/v1/events?type=reminder.sent&limit=10' | jget 'j.data.map((e) => e.data.id).join(",")')"
	log "reminders of $invoice_id: $reminders; reminder.sent events: $sent"
	[[ "$reminders" == rem_*":1:post:e2e Zahlungserinnerung" && "$sent" == "${reminders%%:*}" ]] || return 1
	[[ "$(jget 'j["Send reminder"][0].id' <<<"$first")" == "$sent" && "$(jget 'j["Send reminder"][0].id' <<<"$second")" == "$sent" ]] || return 1
	[[ "$(jget 'j["Sent reminders"].map((r) => r.id).join(",")' <<<"$second")" == "$sent" ]] || return 1

	health="$(api GET "/v1/customers/$customer_id/payment-health")"
	receivables="$(api GET /v1/reports/receivables)"
	log "payment health: $(jget 'j.rating + " " + JSON.stringify(j.warnings) + " max_reminder_level " + j.currencies[0].max_reminder_level' <<<"$health")"
	log "receivables: $(jget 'JSON.stringify(j.currencies.map((c) => [c.currency, c.outstanding, c.overdue]))' <<<"$receivables")"
	[[ "$(jget 'j.currencies[0].max_reminder_level' <<<"$health")" == 1 ]] || return 1
	# The reminder made the customer "watch" once: one customer.payment_rating_changed.
	[[ "$(api GET '/v1/events?type=customer.payment_rating_changed&limit=10' | jget 'j.data.map((e) => e.data.customer_id + ":" + e.data.to).join(",")')" == "$customer_id:watch" ]] || return 1
	[[ "$(jget 'JSON.stringify(j["Payment health"][0])' <<<"$second")" == "$(jget 'JSON.stringify(j)' <<<"$health")" ]] || return 1
	[[ "$(jget 'JSON.stringify(j["Receivables"][0])' <<<"$second")" == "$(jget 'JSON.stringify(j)' <<<"$receivables")" ]]
}
check "the node imports customers and invoices from files, reminds the overdue one and reads payment health and receivables, once over two runs" imported_and_reminded

for wf in bbE2ePollFlow001 bbE2eHookFlow001; do
	"$n8n" publish:workflow --id="$wf" >>"$tmp/import.log" 2>&1 || {
		cat "$tmp/import.log" >&2
		die "n8n publish:workflow $wf failed"
	}
done

# executions WORKFLOW_ID: the workflow's executions in n8n's database, as
# "status:count" pairs (read with n8n's own SQLite driver).
executions() {
	node -e '
const sqlite3 = require(process.argv[1]);
const db = new sqlite3.Database(process.argv[2], sqlite3.OPEN_READONLY);
db.all("select status, count(*) as n from execution_entity where workflowId = ? group by status order by status", [process.argv[3]], (err, rows) => {
	if (err) { console.error(err.message); process.exit(1); }
	console.log(rows.map((r) => `${r.status}:${r.n}`).join(" "));
	db.close();
});' "$n8n_home/node_modules/sqlite3" "$N8N_USER_FOLDER/.n8n/database.sqlite" "$1"
}

# bb_requests ROUTE: how many requests billbridge has logged for ROUTE.
bb_requests() {
	grep -c "route=$1 " "$tmp/billbridge.log" || true
}

# bb_requests_above ROUTE N: whether billbridge has logged more than N requests for ROUTE.
bb_requests_above() {
	(($(bb_requests "$1") > $2))
}

# start_n8n RUN: start n8n and wait until it is healthy and the polling
# trigger has made its first request to the events feed. The trigger polls
# on n8n's minute boundary, so its first poll can come a whole minute after
# activation, later on a loaded machine.
start_n8n() {
	local polls
	polls="$(bb_requests /v1/events)"
	start n8n "$tmp/n8n-$1.log" "$n8n" start
	wait_for 120 "n8n /healthz" curl -fsS "$n8n_url/healthz" || return 1
	wait_for 150 "the polling trigger's first poll" bb_requests_above /v1/events "$polls"
}
start_n8n 1 || die "n8n did not start: $(tail -20 "$tmp/n8n-1.log")"

# nodes_loaded: the node and credential types the running n8n wrote to its
# static cache (served to the editor as /types/*.json) include ours.
nodes_loaded() {
	local types creds dir="$N8N_USER_FOLDER/.cache/n8n/public/types"
	types="$(jget 'j.map((n) => n.name).filter((n) => /^CUSTOM\.billbridge(Webhook)?(Trigger)?$/.test(n)).sort().join(",")' <"$dir/nodes.json")"
	creds="$(jget 'j.map((c) => c.name).filter((c) => c === "billbridgeApi").join(",")' <"$dir/credentials.json")"
	log "n8n loaded nodes: $types; credentials: $creds"
	[[ "$types" == "CUSTOM.billbridge,CUSTOM.billbridgeTrigger,CUSTOM.billbridgeWebhookTrigger" && "$creds" == billbridgeApi ]]
}
check "n8n loads the action node and both triggers from the npm pack tarball" nodes_loaded

# list_search: the editor's "From List" as n8n serves it: the owner signs in
# and asks n8n for the customer locator's list (searchCustomers, filtered) and
# the invoice locator's (searchInvoices, by number), through the imported
# credential.
list_search() {
	local headers="$tmp/owner.headers" cookie body method filter want got
	curl -fsS -D "$headers" -o /dev/null -X POST "$n8n_url/rest/owner/setup" \
		-H 'browser-id: bb-e2e' -H 'Content-Type: application/json' \
		--data '{"email":"owner@e2e.example","firstName":"E2E","lastName":"Owner","password":"E2e-owner-pass1"}' || return 1
	cookie="$(grep -i '^set-cookie: n8n-auth=' "$headers" | head -n1 | sed -E 's/^[Ss]et-[Cc]ookie: ([^;]*);.*/\1/')"
	[[ -n "$cookie" ]] || {
		log "no n8n-auth cookie after the owner setup"
		return 1
	}
	local invoice
	invoice="$(api GET '/v1/invoices?external_id=e2e-inv-1' | jget 'j.data[0].id + " " + j.data[0].number')"
	for method in searchCustomers:Kunde:customerId "searchInvoices:${invoice#* }:invoiceId"; do
		IFS=: read -r method filter param <<<"$method"
		body="{\"nodeTypeAndVersion\":{\"name\":\"CUSTOM.billbridge\",\"version\":1},\"methodName\":\"$method\",\"path\":\"parameters.$param\",\"currentNodeParameters\":{\"resource\":\"customer\",\"operation\":\"get\",\"$param\":{\"__rl\":true,\"mode\":\"list\",\"value\":\"\"}},\"credentials\":{\"billbridgeApi\":{\"id\":\"bbE2eCredential1\",\"name\":\"billbridge e2e\"}},\"filter\":\"$filter\"}"
		got="$(curl -fsS -X POST "$n8n_url/rest/dynamic-node-parameters/resource-locator-results" \
			-H 'browser-id: bb-e2e' -H "Cookie: $cookie" -H 'Content-Type: application/json' --data "$body")" || return 1
		got="$(jget '(j.data || j).results.map((r) => r.value + "=" + r.name).join(" | ")' <<<"$got")"
		log "$method \"$filter\": $got"
		case "$method" in
		searchCustomers) want="$customer_id=E2E Kunde AG (ap@kunde.example)" ;;
		searchInvoices) want="${invoice%% *}=${invoice#* } · CHF "* ;;
		esac
		# shellcheck disable=SC2053 # want may be a pattern
		[[ "$got" == $want ]] || return 1
	done
}
check "n8n serves From List: searchCustomers and searchInvoices through the editor's endpoint" list_search

# (b) ------------------------------------------------------------------------
# pay_new_invoice N: create, finalize and fully pay invoice N; print its id.
pay_new_invoice() {
	local invoice id total
	invoice="$(api POST /v1/invoices "{\"customer_id\":\"$customer_id\",\"external_id\":\"e2e-poll-$1\",\"currency\":\"CHF\",\"finalize\":true,\"items\":[{\"description\":\"Poll $1\",\"quantity\":1,\"unit_price\":\"10.00\",\"vat_rate\":8.1}]}")"
	id="$(jget j.id <<<"$invoice")"
	total="$(jget j.amount_due <<<"$invoice")"
	api POST "/v1/invoices/$id/payments" "{\"amount\":$total,\"external_id\":\"e2e-poll-pay-$1\"}" >/dev/null
	echo "$id"
}

polled_exactly_once() {
	local ids=() n
	ids+=("$(pay_new_invoice 1)")
	wait_for 45 "the first invoice.paid at the sink" sink_has /polled 1 || return 1
	ids+=("$(pay_new_invoice 2)")
	wait_for 45 "the second invoice.paid at the sink" sink_has /polled 2 || return 1

	log "restarting n8n; the third invoice is paid while it is down"
	stop "$n8n_pid"
	ids+=("$(pay_new_invoice 3)")
	start_n8n 2 || return 1
	wait_for 45 "the third invoice.paid at the sink" sink_has /polled 3 || return 1
	log "waiting 25s (two more polls) for any duplicate"
	sleep 25

	n="$(sink_hits /polled)"
	local got want
	got="$(grep '"path":"/polled"' "$tmp/sink.jsonl" | node -e '
const lines = require("fs").readFileSync(0, "utf8").trim().split("\n");
const events = lines.map((l) => JSON.parse(JSON.parse(l).body));
console.log(events.map((e) => `${e.type}:${e.data.id}`).join(" "));
const ids = new Set(events.map((e) => e.id));
if (ids.size !== events.length) process.exit(1);
')" || {
		log "duplicate event ids at the sink"
		return 1
	}
	want="invoice.paid:${ids[0]} invoice.paid:${ids[1]} invoice.paid:${ids[2]}"
	log "sink got $n: $got"
	[[ "$n" == 3 && "$got" == "$want" ]] || return 1
	local runs
	runs="$(executions bbE2ePollFlow001)"
	log "polling workflow executions: $runs"
	[[ "$runs" == "success:3" ]]
}
check "polling trigger: three invoice.paid across polls and a restart, each exactly once" polled_exactly_once

# (c) ------------------------------------------------------------------------
# hook_count_is N: whether exactly N hooks target the workflow's webhook URL.
hook_count_is() {
	[[ "$(api GET "/v1/hooks?target_url=$webhook_url" | jget 'j.data.length')" == "$1" ]]
}

webhook_signed_and_forged() {
	local customer status forged_hits
	wait_for 30 "a hook subscribed at $webhook_url" hook_count_is 1 || return 1

	customer="$(api POST /v1/customers '{"name":"Webhook GmbH","external_id":"crm-e2e-hook"}' | jget j.id)"
	wait_for 30 "the signed customer.created at the sink" sink_has /hooked 1 || return 1
	grep '"path":"/hooked"' "$tmp/sink.jsonl" | head -n1 | jget 'JSON.parse(j.body).type + ":" + JSON.parse(j.body).data.id' >"$tmp/hooked.txt"
	log "webhook delivered: $(cat "$tmp/hooked.txt")"
	[[ "$(cat "$tmp/hooked.txt")" == "customer.created:$customer" ]] || return 1

	local body='{"id":"evt_forged","type":"customer.created","seq":999,"occurred_at":"2026-01-01T00:00:00.000Z","data":{"id":"cus_forged"}}'
	status="$(curl -sS -o /dev/null -w '%{http_code}' -X POST "$webhook_url" \
		-H 'Content-Type: application/json' \
		-H 'webhook-id: evt_forged' \
		-H "webhook-timestamp: $(date +%s)" \
		-H 'webhook-signature: v1,c2lnbmVkIGJ5IHNvbWVib2R5IGVsc2UsIG5vdCBiaWxsYnJpZGdlIQ==' \
		--data "$body")"
	log "forged delivery answered HTTP $status"
	[[ "$status" == 401 ]] || return 1
	sleep 3
	forged_hits="$(grep -c 'cus_forged' "$tmp/sink.jsonl" || true)"
	[[ "$forged_hits" == 0 && "$(sink_hits /hooked)" == 1 ]] || return 1
	local runs
	runs="$(executions bbE2eHookFlow001)"
	log "webhook workflow executions: $runs"
	[[ "$runs" == "success:1" ]]
}
check "webhook trigger: signed delivery accepted, forged one refused with 401" webhook_signed_and_forged


# (i) ------------------------------------------------------------------------
# The README's example workflows import into a normal n8n: a fresh user
# folder with the package installed where n8n installs community packages
# (<user folder>/.n8n/nodes, so its types are n8n-nodes-billbridge.*), no
# custom extensions; `n8n import:workflow` takes each example, and every node's
# type and version is one the started n8n loaded; no example names a
# credential id of somebody else's n8n.
examples_import() {
	stop "$n8n_pid"
	local user="$tmp/n8n-examples" port broker ex
	mkdir -p "$user/.n8n/nodes"
	(cd "$user/.n8n/nodes" && npm init -y >/dev/null &&
		npm install --omit=peer --no-audit --no-fund "$tmp/pack/$tarball" >&2) || return 1
	port="$(free_port)"
	broker="$(free_port)"
	local env=(env -u N8N_CUSTOM_EXTENSIONS "N8N_USER_FOLDER=$user" "N8N_PORT=$port" "N8N_RUNNERS_BROKER_PORT=$broker"
		"N8N_WEBHOOK_URL=http://127.0.0.1:$port/")
	for ex in "$pkg"/examples/*.json; do
		"${env[@]}" "$n8n" import:workflow --input="$ex" >>"$tmp/examples-import.log" 2>&1 || {
			cat "$tmp/examples-import.log" >&2
			return 1
		}
	done
	"${env[@]}" "$n8n" list:workflow >"$tmp/examples-list.log" 2>&1 || return 1
	start ex_n8n "$tmp/n8n-examples.log" "${env[@]}" "$n8n" start
	wait_for 240 "the examples' n8n /healthz" curl -fsS "http://127.0.0.1:$port/healthz" || return 1
	wait_for 30 "the examples' n8n node types" test -s "$user/.cache/n8n/public/types/nodes.json" || return 1
	local result=0
	node -e '
const fs = require("fs");
const [typesFile, listFile, ...examples] = process.argv.slice(1);
// A versioned node is listed once per group of versions: gather them all.
const loaded = new Map();
for (const n of JSON.parse(fs.readFileSync(typesFile, "utf8"))) {
	loaded.set(n.name, [...(loaded.get(n.name) || []), ...[].concat(n.version)]);
}
const listed = fs.readFileSync(listFile, "utf8");
let bad = 0;
for (const file of examples) {
	const wf = JSON.parse(fs.readFileSync(file, "utf8"));
	const types = [];
	for (const n of wf.nodes) {
		types.push(`${n.type}@${n.typeVersion}`);
		if (!(loaded.get(n.type) || []).includes(n.typeVersion)) {
			console.error(`${file}: node "${n.name}" has type ${n.type} version ${n.typeVersion}, which n8n did not load`);
			bad++;
		}
		for (const [type, cred] of Object.entries(n.credentials || {})) {
			if (cred && cred.id) {
				console.error(`${file}: node "${n.name}" names the credential id ${cred.id} (${type})`);
				bad++;
			}
		}
	}
	if (!listed.includes(wf.name)) {
		console.error(`${file}: "${wf.name}" is not among the imported workflows`);
		bad++;
	}
	console.error(`${file.split("/").pop()}: ${types.join(", ")}`);
}
for (const t of ["billbridge", "billbridgeTrigger", "billbridgeWebhookTrigger"]) {
	if (!loaded.has(`n8n-nodes-billbridge.${t}`)) {
		console.error(`n8n did not load n8n-nodes-billbridge.${t}`);
		bad++;
	}
}
process.exit(bad > 0 ? 1 : 0);' "$user/.cache/n8n/public/types/nodes.json" "$tmp/examples-list.log" "$pkg"/examples/*.json || result=1
	stop "$ex_n8n_pid"
	return $result
}
check "the example workflows import into a normal n8n with the package installed, every node type resolving" examples_import

finish
