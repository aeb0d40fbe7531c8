/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run under node's test runner, never inside n8n */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IDataObject, IHookFunctions } from 'n8n-workflow';
import { BillbridgeWebhookTrigger } from '../nodes/BillbridgeWebhookTrigger/BillbridgeWebhookTrigger.node';
import { fakeContext, json, type Handler } from './fakes';

/** fakeHooks is an in-memory hooks API: list by target_url, create, delete (204, again 204). */
function fakeHooks() {
	const hooks = new Map<string, IDataObject>();
	let next = 1;
	const handle: Handler = (request) => {
		const path = new URL(request.url).pathname;
		if (request.method === 'GET' && path === '/v1/hooks') {
			const data = [...hooks.values()]
				.filter((h) => h.target_url === request.qs.target_url)
				.map((h) => {
					const listed = { ...h };
					delete listed.secret;
					return listed;
				});
			return json(200, { data, has_more: false, next_cursor: null });
		}
		if (request.method === 'POST' && path === '/v1/hooks') {
			const body = request.body as IDataObject;
			const hook = {
				id: `hook_${next}`,
				secret: `whsec_${Buffer.from(`secret-${next}`).toString('base64')}`,
				...body,
			};
			next++;
			hooks.set(hook.id, hook);
			return json(201, hook);
		}
		if (request.method === 'DELETE' && path.startsWith('/v1/hooks/')) {
			hooks.delete(decodeURIComponent(path.slice('/v1/hooks/'.length)));
			return json(204, '');
		}
		return json(404, { title: 'Not Found' });
	};
	return { hooks, handle };
}

describe('BillbridgeWebhookTrigger.webhookMethods', () => {
	const methods = new BillbridgeWebhookTrigger().webhookMethods.default;

	function context(
		server: ReturnType<typeof fakeHooks>,
		staticData: IDataObject,
		events: string[],
	) {
		return fakeContext({ parameters: { events }, handler: server.handle, staticData })
			.ctx as unknown as IHookFunctions;
	}

	it('creates one hook, keeps its id and secret, finds it, and deletes it', async () => {
		const server = fakeHooks();
		const staticData: IDataObject = {};
		const ctx = context(server, staticData, ['invoice.paid', 'customer.created']);
		assert.equal(await methods.checkExists.call(ctx), false);
		assert.equal(await methods.create.call(ctx), true);
		assert.equal(staticData.hookId, 'hook_1');
		assert.match(String(staticData.secret), /^whsec_/);
		assert.deepEqual(server.hooks.get('hook_1')?.events, ['customer.created', 'invoice.paid']);
		assert.equal(server.hooks.get('hook_1')?.target_url, 'http://n8n.test/webhook/abc/webhook');
		assert.equal(await methods.checkExists.call(ctx), true);
		assert.equal(await methods.delete.call(ctx), true);
		assert.equal(server.hooks.size, 0);
		assert.deepEqual(staticData, {});
	});

	it('subscribes to every event when none is chosen', async () => {
		const server = fakeHooks();
		await methods.create.call(context(server, {}, []));
		assert.deepEqual(server.hooks.get('hook_1')?.events, ['*']);
	});

	it('does not trust a hook whose events differ or whose secret was lost, and replaces it', async () => {
		const server = fakeHooks();
		const staticData: IDataObject = {};
		await methods.create.call(context(server, staticData, ['invoice.paid']));
		assert.equal(
			await methods.checkExists.call(context(server, staticData, ['invoice.overdue'])),
			false,
		);
		const lost: IDataObject = {};
		assert.equal(await methods.checkExists.call(context(server, lost, ['invoice.paid'])), false);
		await methods.create.call(context(server, lost, ['invoice.paid']));
		assert.deepEqual([...server.hooks.keys()], ['hook_2']);
		assert.equal(lost.hookId, 'hook_2');
	});
});
