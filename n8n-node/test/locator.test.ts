/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run under node's test runner, never inside n8n */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type {
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeProperties,
} from 'n8n-workflow';
import { Billbridge } from '../nodes/Billbridge/Billbridge.node';
import { fakeContext, json, type Handler, type SeenRequest } from './fakes';

const node = new Billbridge();
const cus = 'cus_01JDZ8M3W6T4X9Y2Q5R7V1N0KE';
const inv = 'inv_01JDZ8M3W6T4X9Y2Q5R7V1N0KF';

const customer = {
	id: cus,
	name: 'Dupont GmbH',
	email: 'ap@dupont.ch',
	customer_number: 'K-7',
	external_id: 'crm-7',
	kind: 'company',
	phone: '+41 44 000 00 00',
	address: { city: 'Bern', country: 'CH' },
	payment_terms_days: 30,
	dunning_paused: false,
	created_at: '2026-12-01T09:00:00.000Z',
	updated_at: '2026-12-01T09:00:00.000Z',
};

const invoice = {
	id: inv,
	customer_id: cus,
	number: 'INV-000042',
	status: 'open',
	currency: 'CHF',
	items: [{ description: 'Consulting', quantity: '1', unit_price: '100.00', vat_rate: '8.1' }],
	vat_breakdown: [],
	subtotal: '100.00',
	total: '108.10',
	amount_due: '108.10',
	issue_date: '2026-12-01',
	due_date: '2026-12-31',
	payment_reference: 'RF18INV000042',
	created_at: '2026-12-01T09:00:00.000Z',
};

async function run(parameters: IDataObject, handler: Handler) {
	const fake = fakeContext({ parameters, handler });
	const output = await node.execute.call(fake.ctx as unknown as IExecuteFunctions);
	return { requests: fake.requests, items: output[0].map((item) => item.json) };
}

function* walk(props: readonly unknown[]): Generator<INodeProperties> {
	for (const p of props as INodeProperties[]) {
		if (!p || typeof p !== 'object' || !('displayName' in p)) continue;
		yield p;
		yield* walk((p as { options?: unknown[] }).options ?? []);
		yield* walk((p as { values?: unknown[] }).values ?? []);
	}
}

describe('resource locators', () => {
	const props = [...walk(node.description.properties)];

	it('ask for every customer and invoice as a locator: From List, By ID, By URL', () => {
		const idFields = props.filter((p) =>
			['customerId', 'invoiceId', 'primaryId', 'duplicateId', 'duplicatesOf'].includes(p.name),
		);
		assert.ok(idFields.length >= 9, `only ${idFields.length} id fields`);
		for (const p of idFields) {
			assert.equal(p.type, 'resourceLocator', p.displayName);
			assert.doesNotMatch(
				p.displayName,
				/\bID\b/,
				`${p.displayName}: the locator asks for the record`,
			);
			assert.deepEqual(
				(p.modes ?? []).map((m) => m.name),
				['list', 'id', 'url'],
				p.displayName,
			);
			const list = p.modes![0];
			const method = list.typeOptions?.searchListMethod ?? '';
			assert.equal(list.typeOptions?.searchable, true);
			assert.ok(method in node.methods.listSearch, `${p.displayName}: no listSearch ${method}`);
			for (const mode of p.modes!.slice(1)) {
				assert.match(String(mode.placeholder), /^e\.g\. /);
			}
		}
	});

	it('validate By ID and By URL with regexes that accept the ids and URLs the API uses', () => {
		const locator = props.find((p) => p.name === 'invoiceId')!;
		const [, byId, byUrl] = locator.modes!;
		const idRe = new RegExp(
			(byId.validation![0] as unknown as { properties: { regex: string } }).properties.regex,
		);
		assert.ok(idRe.test(inv));
		assert.ok(!idRe.test(cus));
		const urlRe = new RegExp(String(byUrl.extractValue!.regex));
		assert.equal(urlRe.exec(`https://bb.example.ch/v1/invoices/${inv}`)?.[1], inv);
		assert.equal(urlRe.exec(`https://bb.example.ch/base/v1/invoices/${inv}/pdf?lang=fr`)?.[1], inv);
		assert.equal(urlRe.exec(`https://bb.example.ch/v1/customers/${cus}`), null);
	});

	for (const [mode, value] of [
		['list', cus],
		['id', ` ${cus} `],
		['url', `https://billbridge.example.ch/v1/customers/${cus}`],
		['legacy string', cus],
	] as const) {
		it(`Customer → Get reads the locator in mode ${mode}`, async () => {
			const customerId = mode === 'legacy string' ? value : { __rl: true, mode, value };
			const { requests, items } = await run(
				{ resource: 'customer', operation: 'get', customerId },
				() => json(200, customer),
			);
			assert.equal(requests[0].url, `http://gateway.test/v1/customers/${cus}`);
			assert.deepEqual(items, [customer]);
		});
	}

	it('refuses a URL that is not a customer URL, before sending', async () => {
		let sent = 0;
		await assert.rejects(
			run(
				{
					resource: 'customer',
					operation: 'get',
					customerId: {
						__rl: true,
						mode: 'url',
						value: `https://bb.example.ch/v1/invoices/${inv}`,
					},
				},
				() => {
					sent++;
					return json(200, customer);
				},
			),
			/Not a billbridge customer URL/,
		);
		assert.equal(sent, 0);
	});

	it('takes locators for invoice create, payments, reminders, files and merge', async () => {
		const seen: SeenRequest[] = [];
		const ok: Handler = (r) => {
			seen.push(r);
			return json(200, r.url.endsWith('/pdf') ? Buffer.from('%PDF-') : { id: 'x', data: [] });
		};
		const url = (id: string, kind: string) => ({
			__rl: true,
			mode: 'url',
			value: `https://bb.example.ch/v1/${kind}/${id}`,
		});
		await run(
			{
				resource: 'invoice',
				operation: 'create',
				customerId: url(cus, 'customers'),
				currency: 'CHF',
				itemsInput: 'json',
				itemsJson: '[]',
			},
			ok,
		);
		await run(
			{ resource: 'payment', operation: 'record', invoiceId: url(inv, 'invoices'), amount: 1 },
			ok,
		);
		await run(
			{
				resource: 'reminder',
				operation: 'send',
				invoiceId: { __rl: true, mode: 'list', value: inv },
				channel: 'post',
			},
			ok,
		);
		await run(
			{
				resource: 'reminder',
				operation: 'getAll',
				customerId: { __rl: true, mode: 'list', value: '' },
				returnAll: false,
				limit: 5,
			},
			ok,
		);
		await run(
			{
				resource: 'customer',
				operation: 'merge',
				primaryId: { __rl: true, mode: 'id', value: cus },
				duplicateId: url('cus_2', 'customers'),
			},
			ok,
		);
		await run(
			{
				resource: 'invoice',
				operation: 'getAll',
				filters: { customerId: { __rl: true, mode: 'list', value: cus } },
				returnAll: false,
				limit: 5,
			},
			ok,
		);
		assert.deepEqual(
			seen.map((r) => `${r.method} ${r.url.replace('http://gateway.test', '')}`),
			[
				'POST /v1/invoices',
				`POST /v1/invoices/${inv}/payments`,
				`POST /v1/invoices/${inv}/reminders`,
				'GET /v1/reminders',
				'POST /v1/customers/merge',
				'GET /v1/invoices',
			],
		);
		assert.equal((seen[0].body as IDataObject).customer_id, cus);
		assert.equal(seen[3].qs.customer_id, undefined, 'an empty optional locator filters nothing');
		assert.deepEqual(seen[4].body, { primary_id: cus, duplicate_id: 'cus_2' });
		assert.equal(seen[5].qs.customer_id, cus);
	});
});

function loadOptions(handler: Handler) {
	const fake = fakeContext({ handler });
	return { fake, ctx: fake.ctx as unknown as ILoadOptionsFunctions };
}

describe('From List search', () => {
	it('searchCustomers sends the text as q, labels with number and email, and pages', async () => {
		const { fake, ctx } = loadOptions(() =>
			json(200, { data: [customer], has_more: true, next_cursor: cus }),
		);
		const first = await node.methods.listSearch.searchCustomers.call(ctx, ' dupont ');
		assert.deepEqual(first, {
			results: [{ name: 'Dupont GmbH (K-7, ap@dupont.ch)', value: cus }],
			paginationToken: cus,
		});
		await node.methods.listSearch.searchCustomers.call(ctx, '', cus);
		assert.deepEqual(fake.requests[0].qs, { q: 'dupont', limit: 50 });
		assert.deepEqual(fake.requests[1].qs, { limit: 50, starting_after: cus });
	});

	it('searchInvoices lists the newest without text, pages, and labels number, total and status', async () => {
		const { fake, ctx } = loadOptions(() =>
			json(200, {
				data: [
					invoice,
					{ ...invoice, id: 'inv_2', number: undefined, status: 'draft', total: 324.3 },
				],
				has_more: false,
				next_cursor: null,
			}),
		);
		const result = await node.methods.listSearch.searchInvoices.call(ctx);
		assert.deepEqual(result, {
			results: [
				{ name: 'INV-000042 · CHF 108.10 · open', value: inv },
				{ name: 'Draft · CHF 324.30 · draft', value: 'inv_2' },
			],
			paginationToken: undefined,
		});
		assert.deepEqual(fake.requests[0].qs, { limit: 50 });
	});

	it("searchInvoices finds by number, else the matching customers' invoices", async () => {
		const { fake, ctx } = loadOptions((r) => {
			if (r.url.endsWith('/v1/customers')) {
				return json(200, { data: [customer], has_more: false, next_cursor: null });
			}
			if (r.qs.number === 'INV-000042') {
				return json(200, { data: [invoice], has_more: false, next_cursor: null });
			}
			if (r.qs.customer_id === cus) {
				return json(200, { data: [invoice], has_more: false, next_cursor: null });
			}
			return json(200, { data: [], has_more: false, next_cursor: null });
		});
		const byNumber = await node.methods.listSearch.searchInvoices.call(ctx, 'INV-000042');
		assert.deepEqual(
			byNumber.results.map((r) => r.value),
			[inv],
		);
		assert.equal(fake.requests.length, 1);
		const byCustomer = await node.methods.listSearch.searchInvoices.call(ctx, 'Dupont');
		assert.deepEqual(byCustomer.results, [
			{ name: 'INV-000042 · CHF 108.10 · open · Dupont GmbH', value: inv },
		]);
		assert.deepEqual(
			fake.requests.slice(1).map((r) => r.qs),
			[
				{ number: 'Dupont', limit: 50 },
				{ q: 'Dupont', limit: 5 },
				{ customer_id: cus, limit: 50 },
			],
		);
	});
});

describe('Simplify', () => {
	it('Customer → Get returns the compact fields when on, everything when off', async () => {
		const on = await run(
			{ resource: 'customer', operation: 'get', customerId: cus, simplify: true },
			() => json(200, customer),
		);
		assert.deepEqual(on.items, [
			{
				id: cus,
				name: 'Dupont GmbH',
				email: 'ap@dupont.ch',
				customer_number: 'K-7',
				external_id: 'crm-7',
				kind: 'company',
				dunning_paused: false,
				updated_at: '2026-12-01T09:00:00.000Z',
			},
		]);
		const off = await run({ resource: 'customer', operation: 'get', customerId: cus }, () =>
			json(200, customer),
		);
		assert.deepEqual(off.items, [customer]);
	});

	it('Customer → Get Many simplifies every item', async () => {
		const { items } = await run(
			{ resource: 'customer', operation: 'getAll', simplify: true, returnAll: true },
			() => json(200, { data: [customer, customer], has_more: false, next_cursor: null }),
		);
		assert.equal(items.length, 2);
		for (const item of items) {
			assert.equal(item.phone, undefined);
			assert.equal(item.address, undefined);
			assert.equal(item.name, 'Dupont GmbH');
		}
	});

	it('Invoice → Get and Get Many keep number, amounts, dates and the payment reference', async () => {
		const compact = {
			id: inv,
			number: 'INV-000042',
			customer_id: cus,
			status: 'open',
			currency: 'CHF',
			total: '108.10',
			amount_due: '108.10',
			issue_date: '2026-12-01',
			due_date: '2026-12-31',
			payment_reference: 'RF18INV000042',
		};
		const one = await run(
			{
				resource: 'invoice',
				operation: 'get',
				invoiceId: { __rl: true, mode: 'list', value: inv },
				simplify: true,
			},
			() => json(200, invoice),
		);
		assert.deepEqual(one.items, [compact]);
		const many = await run(
			{ resource: 'invoice', operation: 'getAll', simplify: true, returnAll: true },
			() => json(200, { data: [invoice], has_more: false, next_cursor: null }),
		);
		assert.deepEqual(many.items, [compact]);
	});
});

describe('English only', () => {
	it('uses German dunning terms only in parentheses', () => {
		const texts = [...walk(node.description.properties)].flatMap((p) => [
			p.displayName,
			p.description ?? '',
			...(
				(p.options ?? []) as Array<{ name?: string; description?: string; action?: string }>
			).flatMap((o) => [o.name ?? '', o.description ?? '', o.action ?? '']),
		]);
		const german = /\b(Mahn\w*|Zahlungserinnerung\w*|Rechnung\w*|Kunde\w*|Mahnsperre)\b/;
		const bad = texts.filter((t) => german.test(t.replace(/\([^)]*\)/g, '')));
		assert.deepEqual(bad, []);
	});
});
