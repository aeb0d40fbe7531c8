// Deal won → invoice: node deal-won.mjs deal.json
import { readFileSync } from 'node:fs';

const deal = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const response = await fetch(`${process.env.BILLBRIDGE_URL}/v1/deals/won`, {
	method: 'POST',
	headers: {
		Authorization: `Bearer ${process.env.BILLBRIDGE_API_KEY}`,
		'Content-Type': 'application/json',
		// The same key on a retry returns the first answer: one invoice per deal.
		'Idempotency-Key': `deal-${deal.id}-won`,
	},
	body: JSON.stringify({
		deal_id: deal.id,
		customer: {
			external_id: deal.company.id,
			name: deal.company.name,
			email: deal.company.email,
			address: { country: deal.company.country },
		},
		currency: deal.currency,
		items: deal.items.map((i) => ({
			description: i.name,
			quantity: i.quantity,
			unit_price: i.price,
			vat_rate: i.vat_rate,
		})),
		finalize: true,
	}),
});
const answer = await response.json();
if (!response.ok) {
	console.error(`billbridge refused (${response.status}): ${answer.detail}`);
	for (const p of answer.invalid_params ?? []) console.error(`  ${p.name}: ${p.reason}`);
	process.exit(1);
}
const invoice = answer.invoice;
console.log(
	`invoice ${invoice.number} ${invoice.id}: ${invoice.currency} ${invoice.total}, reference ${invoice.payment_reference}`,
);
