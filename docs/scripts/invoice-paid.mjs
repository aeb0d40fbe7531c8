// Invoice paid → CRM, one poll (run it from cron): node invoice-paid.mjs
// Posts each new invoice.paid to $CRM_WEBHOOK_URL; the position is kept in
// $STATE_FILE, so every payment is told once.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const state = process.env.STATE_FILE ?? 'billbridge-cursor.txt';

// A failed call throws: the position stays, the next poll retries.
async function call(url, init = {}) {
	const response = await fetch(url, init);
	if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
	return response;
}
const events = async (query) =>
	await (
		await call(`${process.env.BILLBRIDGE_URL}/v1/events?${query}`, {
			headers: { Authorization: `Bearer ${process.env.BILLBRIDGE_API_KEY}` },
		})
	).json();

if (!existsSync(state) || readFileSync(state, 'utf8').trim() === '') {
	writeFileSync(state, (await events('limit=1')).latest_cursor); // start from now
	process.exit(0);
}
for (;;) {
	const cursor = readFileSync(state, 'utf8').trim();
	const page = await events(`type=invoice.paid&order=asc&limit=100&after=${cursor}`);
	for (const { data: invoice } of page.data) {
		const update = {
			deal_id: invoice.external_id,
			invoice_number: invoice.number,
			amount_paid: invoice.amount_paid,
			currency: invoice.currency,
			paid_at: invoice.paid_at,
		};
		await call(process.env.CRM_WEBHOOK_URL, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(update),
		});
		console.log('told the CRM:', JSON.stringify(update));
	}
	writeFileSync(state, page.next_cursor);
	if (!page.has_more) break;
}
