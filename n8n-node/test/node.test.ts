/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run under node's test runner, never inside n8n */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NodeApiError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';
import { Billbridge } from '../nodes/Billbridge/Billbridge.node';
import { fakeContext, json, type Handler } from './fakes';

const node = new Billbridge();

async function run(
	parameters: IDataObject,
	handler: Handler,
	extra: { continueOnFail?: boolean; items?: number } = {},
) {
	const fake = fakeContext({ parameters, handler, ...extra });
	const output = await node.execute.call(fake.ctx as unknown as IExecuteFunctions);
	return { fake, items: output[0] };
}

describe('Billbridge.execute', () => {
	it('upserts a customer with renamed fields, address and idempotency key', async () => {
		const { fake, items } = await run(
			{
				resource: 'customer',
				operation: 'upsert',
				name: 'Acme GmbH',
				customerFields: {
					externalId: 'crm-1',
					email: 'ap@acme.test',
					paymentTermsDays: 10,
					phone: '',
				},
				address: {
					street: 'Bahnhofstrasse',
					buildingNumber: '1',
					postalCode: '8001',
					city: 'Zürich',
					country: 'CH',
				},
				shippingAddress: {},
				idempotencyKey: 'crm-1-upsert',
			},
			() => json(201, { id: 'cus_1', created: true }),
		);
		assert.equal(fake.requests[0].url, 'http://gateway.test/v1/customers/upsert');
		assert.deepEqual(fake.requests[0].body, {
			name: 'Acme GmbH',
			external_id: 'crm-1',
			email: 'ap@acme.test',
			payment_terms_days: 10,
			address: {
				street: 'Bahnhofstrasse',
				building_number: '1',
				postal_code: '8001',
				city: 'Zürich',
				country: 'CH',
			},
		});
		assert.equal(fake.requests[0].headers['Idempotency-Key'], 'crm-1-upsert');
		assert.deepEqual(items, [{ json: { id: 'cus_1', created: true }, pairedItem: { item: 0 } }]);
	});

	it('creates an invoice from line item rows', async () => {
		const { fake } = await run(
			{
				resource: 'invoice',
				operation: 'create',
				customerId: 'cus_1',
				currency: 'EUR',
				itemsInput: 'fields',
				lineItems: { item: [{ description: 'Setup', quantity: 2, unitPrice: 49.5, vatRate: 8.1 }] },
				invoiceFields: { externalId: 'deal-9', finalize: true, issueDate: '2026-09-01' },
			},
			() => json(201, { id: 'inv_1' }),
		);
		assert.deepEqual(fake.requests[0].body, {
			customer_id: 'cus_1',
			currency: 'EUR',
			items: [{ description: 'Setup', quantity: 2, unit_price: 49.5, vat_rate: 8.1 }],
			external_id: 'deal-9',
			finalize: true,
			issue_date: '2026-09-01',
		});
		assert.equal('Idempotency-Key' in fake.requests[0].headers, false);
	});

	it('invoices a won deal with JSON line items', async () => {
		const { fake } = await run(
			{
				resource: 'deal',
				operation: 'won',
				dealId: 'deal-42',
				name: 'Beta AG',
				customerFields: { externalId: 'crm-2' },
				currency: 'CHF',
				itemsInput: 'json',
				itemsJson: '[{"description":"Licence","quantity":1,"unit_price":"1200.00","vat_rate":8.1}]',
				dealFields: { finalize: true, dueInDays: 10 },
				idempotencyKey: 'deal-42',
			},
			() => json(201, { created: true }),
		);
		assert.equal(fake.requests[0].url, 'http://gateway.test/v1/deals/won');
		assert.deepEqual(fake.requests[0].body, {
			deal_id: 'deal-42',
			customer: { name: 'Beta AG', external_id: 'crm-2' },
			currency: 'CHF',
			items: [{ description: 'Licence', quantity: 1, unit_price: '1200.00', vat_rate: 8.1 }],
			finalize: true,
			due_in_days: 10,
		});
	});

	it('lists unpaid invoices page by page, one output item each', async () => {
		const { fake, items } = await run(
			{ resource: 'invoice', operation: 'getAll', status: 'unpaid', filters: {}, returnAll: true },
			(request) =>
				request.qs.starting_after
					? json(200, { data: [{ id: 'inv_3' }], has_more: false, next_cursor: null })
					: json(200, {
							data: [{ id: 'inv_1' }, { id: 'inv_2' }],
							has_more: true,
							next_cursor: 'cur_2',
						}),
		);
		assert.deepEqual(
			items.map((i) => i.json.id),
			['inv_1', 'inv_2', 'inv_3'],
		);
		assert.deepEqual(
			fake.requests.map((r) => r.qs),
			[
				{ status: 'unpaid', limit: 100 },
				{ status: 'unpaid', limit: 100, starting_after: 'cur_2' },
			],
		);
	});

	it('records a payment and finalizes by ID with URL-escaped ids', async () => {
		const { fake } = await run(
			{
				resource: 'payment',
				operation: 'record',
				invoiceId: 'inv_1',
				amount: 108.1,
				paymentFields: { externalId: 'bank-1', method: 'bank_transfer', paidAt: '2026-03-01' },
				idempotencyKey: 'pay-bank-1',
			},
			() => json(201, { id: 'pay_1' }),
		);
		assert.equal(fake.requests[0].url, 'http://gateway.test/v1/invoices/inv_1/payments');
		assert.deepEqual(fake.requests[0].body, {
			amount: 108.1,
			external_id: 'bank-1',
			method: 'bank_transfer',
			paid_at: '2026-03-01',
		});
		const finalize = await run(
			{ resource: 'invoice', operation: 'finalize', invoiceId: 'inv/1' },
			() => json(200, {}),
		);
		assert.equal(finalize.fake.requests[0].url, 'http://gateway.test/v1/invoices/inv%2F1/finalize');
		assert.equal(finalize.fake.requests[0].method, 'POST');
		assert.equal(finalize.fake.requests[0].body, undefined);
	});

	it('finalizes with a past issue date', async () => {
		const { fake } = await run(
			{
				resource: 'invoice',
				operation: 'finalize',
				invoiceId: 'inv_1',
				finalizeFields: { issueDate: '2025-12-31' },
			},
			() => json(200, { id: 'inv_1' }),
		);
		assert.deepEqual(fake.requests[0].body, { issue_date: '2025-12-31' });
	});

	it('finds the possible duplicates of one customer and of the account, one item per pair', async () => {
		const pair = {
			a: { id: 'cus_1' },
			b: { id: 'cus/2' },
			score: 0.95,
			reasons: ['same_name_key'],
		};
		const one = await run(
			{
				resource: 'customer',
				operation: 'findDuplicates',
				duplicatesOf: ' cus/2 ',
				minScore: 0.9,
				returnAll: false,
				limit: 5,
			},
			() => json(200, { data: [pair], has_more: false, next_cursor: null }),
		);
		assert.equal(one.fake.requests[0].url, 'http://gateway.test/v1/customers/cus%2F2/duplicates');
		assert.deepEqual(one.fake.requests[0].qs, { min_score: 0.9, limit: 5 });
		assert.deepEqual(one.items, [{ json: pair, pairedItem: { item: 0 } }]);

		const all = await run(
			{ resource: 'customer', operation: 'findDuplicates', duplicatesOf: '', returnAll: true },
			(request) =>
				request.qs.starting_after
					? json(200, { data: [], has_more: false, next_cursor: null })
					: json(200, { data: [pair], has_more: true, next_cursor: 'cus_1~cus/2' }),
		);
		assert.equal(all.fake.requests[0].url, 'http://gateway.test/v1/customers/duplicates');
		assert.deepEqual(
			all.fake.requests.map((r) => r.qs),
			[
				{ min_score: 0.85, limit: 100 },
				{ min_score: 0.85, limit: 100, starting_after: 'cus_1~cus/2' },
			],
		);
		assert.equal(all.items.length, 1);
	});

	it('merges a duplicate into the primary with an idempotency key', async () => {
		const result = { id: 'cus_1', merged_id: 'cus_2', moved: { invoices: 2, payments: 1 } };
		const { fake, items } = await run(
			{
				resource: 'customer',
				operation: 'merge',
				primaryId: ' cus_1',
				duplicateId: 'cus_2 ',
				idempotencyKey: 'merge-cus_2',
			},
			() => json(200, result),
		);
		assert.equal(fake.requests[0].url, 'http://gateway.test/v1/customers/merge');
		assert.equal(fake.requests[0].method, 'POST');
		assert.deepEqual(fake.requests[0].body, { primary_id: 'cus_1', duplicate_id: 'cus_2' });
		assert.equal(fake.requests[0].headers['Idempotency-Key'], 'merge-cus_2');
		assert.deepEqual(items, [{ json: result, pairedItem: { item: 0 } }]);
	});

	it('fails with a NodeApiError naming the item and the invalid fields', async () => {
		const problem = {
			title: 'Validation failed',
			detail: 'Payment is invalid.',
			invalid_params: [{ name: 'amount', reason: 'exceeds amount_due' }],
		};
		await assert.rejects(
			run(
				{ resource: 'payment', operation: 'record', invoiceId: 'inv_1', amount: 5000 },
				() => json(422, problem),
				{ items: 1 },
			),
			(error: unknown) => {
				assert.ok(error instanceof NodeApiError);
				assert.equal(error.message, 'Payment is invalid.');
				assert.match(error.description ?? '', /amount \(exceeds amount_due\)/);
				assert.equal(error.context.itemIndex, 0);
				return true;
			},
		);
	});

	it('reports the error per item when Continue On Fail is on', async () => {
		let calls = 0;
		const { items } = await run(
			{ resource: 'customer', operation: 'get', customerId: 'cus_x' },
			() =>
				++calls === 1
					? json(404, { title: 'Not Found', detail: 'No customer cus_x.' })
					: json(200, { id: 'cus_x' }),
			{ continueOnFail: true, items: 2 },
		);
		assert.deepEqual(items, [
			{ json: { error: 'No customer cus_x.' }, pairedItem: { item: 0 } },
			{ json: { id: 'cus_x' }, pairedItem: { item: 1 } },
		]);
	});
});
