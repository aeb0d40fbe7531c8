/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run under node's test runner, never inside n8n */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { BillbridgeApi } from '../credentials/BillbridgeApi.credentials';
import { Billbridge } from '../nodes/Billbridge/Billbridge.node';
import { fakeContext, json } from './fakes';

/** walk yields every property, nested collection options included. */
function* walk(props: readonly unknown[]): Generator<INodeProperties> {
	for (const p of props as INodeProperties[]) {
		if (!p || typeof p !== 'object' || !('displayName' in p)) continue;
		yield p;
		const nested = (p as { options?: unknown[]; values?: unknown[] }).options ?? [];
		yield* walk(nested);
		yield* walk((p as { values?: unknown[] }).values ?? []);
	}
}

const nodeProps = [...walk(new Billbridge().description.properties)];

describe("n8n's UX guidelines", () => {
	it('names actions without articles', () => {
		const actions = nodeProps
			.filter((p) => p.name === 'operation')
			.flatMap((p) => (p.options ?? []).map((o) => (o as { action?: string }).action ?? ''));
		assert.ok(actions.length > 20);
		const withArticle = actions.filter((a) => /\b(a|an|the)\b/i.test(a));
		assert.deepEqual(withArticle, []);
	});

	it('starts example placeholders with "e.g." (collections keep their button label)', () => {
		const all = [...nodeProps, ...walk(new BillbridgeApi().properties)];
		const bad = all
			.filter((p) => p.placeholder !== undefined)
			.filter((p) => p.type !== 'collection' && p.type !== 'fixedCollection')
			.filter((p) => !String(p.placeholder).startsWith('e.g. '))
			.map((p) => `${p.displayName}: ${p.placeholder}`);
		assert.deepEqual(bad, []);
	});

	it('calls list operations Get Many', () => {
		const names = nodeProps
			.filter((p) => p.name === 'operation')
			.flatMap((p) => (p.options ?? []).map((o) => (o as { name: string }).name));
		assert.ok(!names.includes('Search'));
		assert.ok(names.filter((n) => n === 'Get Many').length >= 3);
	});
});

async function run(parameters: IDataObject) {
	const fake = fakeContext({ parameters, handler: () => json(200, { id: 'x' }) });
	await new Billbridge().execute.call(fake.ctx as unknown as IExecuteFunctions);
	return fake.requests;
}

describe('Customer → Update', () => {
	it('PATCHes only the fields set, with addresses and the idempotency key', async () => {
		const [request] = await run({
			resource: 'customer',
			operation: 'update',
			customerId: 'cus_1',
			updateFields: { email: 'ap@acme.test', paymentTermsDays: 10, phone: '' },
			address: { city: 'Bern', country: 'CH' },
			shippingAddress: {},
			idempotencyKey: 'crm-1-update',
		});
		assert.equal(request.method, 'PATCH');
		assert.equal(request.url, 'http://gateway.test/v1/customers/cus_1');
		assert.deepEqual(request.body, {
			email: 'ap@acme.test',
			payment_terms_days: 10,
			address: { city: 'Bern', country: 'CH' },
		});
		assert.equal(request.headers['Idempotency-Key'], 'crm-1-update');
	});

	it('refuses an update without any field, before sending', async () => {
		await assert.rejects(
			run({ resource: 'customer', operation: 'update', customerId: 'cus_1', updateFields: {} }),
			/No field to update/,
		);
	});
});

describe('Sync → Report Error', () => {
	it('reports the failed workflow as an n8n incident', async () => {
		const [request] = await run({
			resource: 'sync',
			operation: 'reportError',
			workflow: 'CRM deal won → invoice',
			executionUrl: 'https://n8n.example.com/workflow/12/executions/3456',
			message: '422 validation_failed: email must be an email address',
			idempotencyKey: 'exec-3456',
		});
		assert.equal(request.method, 'POST');
		assert.equal(request.url, 'http://gateway.test/v1/sync/incidents');
		assert.deepEqual(request.body, {
			source: 'n8n',
			workflow: 'CRM deal won → invoice',
			execution_url: 'https://n8n.example.com/workflow/12/executions/3456',
			message: '422 validation_failed: email must be an email address',
		});
		assert.equal(request.headers['Idempotency-Key'], 'exec-3456');
	});

	it('leaves out an empty workflow and execution URL (no editor URL set)', async () => {
		const [request] = await run({
			resource: 'sync',
			operation: 'reportError',
			workflow: ' ',
			executionUrl: '',
			message: 'timeout',
		});
		assert.deepEqual(request.body, { source: 'n8n', message: 'timeout' });
	});

	it('reads the Error Trigger output by default', () => {
		const defaults = Object.fromEntries(
			nodeProps
				.filter((p) => p.displayOptions?.show?.resource?.includes('sync'))
				.map((p) => [p.name, p.default]),
		);
		assert.match(String(defaults.workflow), /\$json\.workflow/);
		assert.match(String(defaults.executionUrl), /\$json\.execution/);
		assert.match(String(defaults.message), /\$json\.execution\.error\.message/);
	});
});
