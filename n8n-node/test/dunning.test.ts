/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run under node's test runner, never inside n8n */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { Billbridge } from '../nodes/Billbridge/Billbridge.node';
import { BillbridgeTrigger } from '../nodes/BillbridgeTrigger/BillbridgeTrigger.node';
import { BillbridgeWebhookTrigger } from '../nodes/BillbridgeWebhookTrigger/BillbridgeWebhookTrigger.node';
import { fakeContext, json, type Handler } from './fakes';

const node = new Billbridge();

async function run(parameters: IDataObject, handler: Handler) {
	const fake = fakeContext({ parameters, handler });
	const output = await node.execute.call(fake.ctx as unknown as IExecuteFunctions);
	return { fake, items: output[0] };
}

const reminder = {
	id: 'rem_1',
	invoice_id: 'inv_1',
	customer_id: 'cus_1',
	level: 2,
	title: '1. Mahnung',
	status: 'sent',
};

describe('Reminder → Send', () => {
	it('posts the channel, level, time and note with the idempotency key', async () => {
		const { fake, items } = await run(
			{
				resource: 'reminder',
				operation: 'send',
				invoiceId: ' inv/1 ',
				channel: 'post',
				reminderFields: { level: 2, note: 'Sent by Anna', sentAt: '2026-12-01T09:00:00+01:00' },
				idempotencyKey: 'mahnung-2',
			},
			() => json(201, reminder),
		);
		const request = fake.requests[0];
		assert.equal(request.method, 'POST');
		assert.equal(request.url, 'http://gateway.test/v1/invoices/inv%2F1/reminders');
		assert.deepEqual(request.body, {
			channel: 'post',
			level: 2,
			note: 'Sent by Anna',
			sent_at: '2026-12-01T08:00:00.000Z',
		});
		assert.equal(request.headers['Idempotency-Key'], 'mahnung-2');
		assert.deepEqual(items, [{ json: reminder, pairedItem: { item: 0 } }]);
	});

	it('sends only the channel by default: the next level, now', async () => {
		const { fake } = await run(
			{ resource: 'reminder', operation: 'send', invoiceId: 'inv_1', channel: 'email' },
			() => json(201, reminder),
		);
		assert.deepEqual(fake.requests[0].body, { channel: 'email' });
		assert.equal(fake.requests[0].headers['Idempotency-Key'], undefined);
	});
});

describe('Reminder → Get Many', () => {
	it('lists due reminders of one customer page by page, one item each', async () => {
		const due = (n: number) => ({ id: `inv_${n}.1`, status: 'due', level: 1 });
		const { fake, items } = await run(
			{
				resource: 'reminder',
				operation: 'getAll',
				reminderStatus: 'due',
				customerId: 'cus_1',
				returnAll: true,
			},
			(request) =>
				request.qs.starting_after
					? json(200, { data: [due(2)], has_more: false, next_cursor: null })
					: json(200, { data: [due(1)], has_more: true, next_cursor: 'inv_1' }),
		);
		assert.equal(fake.requests[0].url, 'http://gateway.test/v1/reminders');
		assert.deepEqual(
			fake.requests.map((r) => r.qs),
			[
				{ status: 'due', limit: 100, customer_id: 'cus_1' },
				{ status: 'due', limit: 100, customer_id: 'cus_1', starting_after: 'inv_1' },
			],
		);
		assert.deepEqual(
			items.map((item) => item.json.id),
			['inv_1.1', 'inv_2.1'],
		);
	});

	it('lists sent reminders of the account up to the limit', async () => {
		const { fake, items } = await run(
			{ resource: 'reminder', operation: 'getAll', reminderStatus: 'sent', limit: 1 },
			() => json(200, { data: [reminder, reminder], has_more: true, next_cursor: 'rem_1' }),
		);
		assert.deepEqual(fake.requests[0].qs, { status: 'sent', limit: 1 });
		assert.equal(items.length, 1);
	});
});

describe('Customer → Get Payment Health / Set Dunning Pause, Invoice → Set Dunning Pause', () => {
	it('gets the payment health of a customer', async () => {
		const health = { customer_id: 'cus_1', rating: 'poor', warnings: ['3 unpaid invoices'] };
		const { fake, items } = await run(
			{ resource: 'customer', operation: 'getPaymentHealth', customerId: 'cus_1 ' },
			() => json(200, health),
		);
		assert.equal(fake.requests[0].method, 'GET');
		assert.equal(fake.requests[0].url, 'http://gateway.test/v1/customers/cus_1/payment-health');
		assert.deepEqual(items[0].json, health);
	});

	it('pauses a customer and resumes an invoice', async () => {
		const paused = await run(
			{
				resource: 'customer',
				operation: 'setDunningPause',
				customerId: 'cus_1',
				dunningPaused: true,
			},
			() => json(200, { customer_id: 'cus_1', paused: true }),
		);
		assert.equal(paused.fake.requests[0].method, 'PUT');
		assert.equal(paused.fake.requests[0].url, 'http://gateway.test/v1/customers/cus_1/dunning');
		assert.deepEqual(paused.fake.requests[0].body, { paused: true });

		const resumed = await run(
			{
				resource: 'invoice',
				operation: 'setDunningPause',
				invoiceId: 'inv_1',
				dunningPaused: false,
			},
			() => json(200, { id: 'inv_1', dunning_paused: false }),
		);
		assert.equal(resumed.fake.requests[0].url, 'http://gateway.test/v1/invoices/inv_1/dunning');
		assert.deepEqual(resumed.fake.requests[0].body, { paused: false });
		assert.deepEqual(resumed.items[0].json, { id: 'inv_1', dunning_paused: false });
	});
});

describe('Report → Get Receivables', () => {
	it('asks for the day given, or today', async () => {
		const body = { as_of: '2026-11-30', currencies: [] };
		const past = await run(
			{ resource: 'report', operation: 'receivables', asOf: ' 2026-11-30 ' },
			() => json(200, body),
		);
		assert.equal(past.fake.requests[0].url, 'http://gateway.test/v1/reports/receivables');
		assert.deepEqual(past.fake.requests[0].qs, { as_of: '2026-11-30' });
		assert.deepEqual(past.items[0].json, body);

		const today = await run({ resource: 'report', operation: 'receivables' }, () =>
			json(200, body),
		);
		assert.deepEqual(today.fake.requests[0].qs, {});
	});
});

describe('Report → Get Summary / Get Customer Totals', () => {
	it('asks for the summary of a range by quarter', async () => {
		const body = {
			from: '2026-01-01',
			to: '2026-12-02',
			group_by: 'quarter',
			periods: [],
			totals: [],
		};
		const { fake, items } = await run(
			{
				resource: 'report',
				operation: 'summary',
				summaryFrom: '2026-01-01',
				summaryTo: ' 2026-12-02',
				groupBy: 'quarter',
			},
			() => json(200, body),
		);
		assert.equal(fake.requests[0].url, 'http://gateway.test/v1/reports/summary');
		assert.deepEqual(fake.requests[0].qs, {
			group_by: 'quarter',
			from: '2026-01-01',
			to: '2026-12-02',
		});
		assert.deepEqual(items[0].json, body);
	});

	it('pages the customer totals, one item per customer and currency', async () => {
		const row = (n: number) => ({ customer_id: `cus_${n}`, currency: 'CHF', overdue: 100 - n });
		const { fake, items } = await run(
			{
				resource: 'report',
				operation: 'customers',
				reportSort: 'outstanding_desc',
				reportCurrency: 'CHF',
				returnAll: true,
			},
			(request) =>
				request.qs.starting_after
					? json(200, { data: [row(2)], has_more: false, next_cursor: null })
					: json(200, { data: [row(1)], has_more: true, next_cursor: 'c1' }),
		);
		assert.equal(fake.requests[0].url, 'http://gateway.test/v1/reports/customers');
		assert.deepEqual(
			fake.requests.map((r) => r.qs),
			[
				{ sort: 'outstanding_desc', limit: 100, currency: 'CHF' },
				{ sort: 'outstanding_desc', limit: 100, currency: 'CHF', starting_after: 'c1' },
			],
		);
		assert.deepEqual(
			items.map((item) => item.json.customer_id),
			['cus_1', 'cus_2'],
		);
	});
});

describe('trigger event lists', () => {
	it('offer the reminder and payment rating events in both triggers', () => {
		for (const trigger of [new BillbridgeTrigger(), new BillbridgeWebhookTrigger()]) {
			const events = trigger.description.properties.find((p) => p.name === 'events');
			const values = (events?.options ?? []).map((o) => (o as { value: string }).value);
			for (const type of [
				'invoice.reminder_due',
				'reminder.sent',
				'customer.payment_rating_changed',
				'invoice.dunning_paused',
				'customer.dunning_resumed',
			]) {
				assert.ok(values.includes(type), `${type} missing`);
			}
		}
	});
});
