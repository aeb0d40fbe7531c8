/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run under node's test runner, never inside n8n */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { Billbridge } from '../nodes/Billbridge/Billbridge.node';
import { fakeContext, json, type Handler } from './fakes';

async function run(parameters: IDataObject, handler: Handler) {
	const fake = fakeContext({ parameters, handler });
	const output = await new Billbridge().execute.call(fake.ctx as unknown as IExecuteFunctions);
	return { requests: fake.requests, items: output[0].map((item) => item.json) };
}

describe('Sync → Redeliver Hook', () => {
	// A hook with 2,500 events after seq 0: 1000 a request, as the gateway pages.
	const gateway: Handler = (r) => {
		const after = Number(r.qs.after_seq);
		const last = Math.min(after + 1000, 2500);
		return json(200, {
			hook_id: 'hook_1',
			after_seq: after,
			queued: last - after,
			last_seq: last,
			has_more: last < 2500,
		});
	};

	it('queues until caught up, each request after the last seq, with its own idempotency key', async () => {
		const { requests, items } = await run(
			{
				resource: 'sync',
				operation: 'redeliverHook',
				hookId: ' hook_1 ',
				afterSeq: 0,
				idempotencyKey: 'outage-1',
			},
			gateway,
		);
		assert.deepEqual(
			requests.map(
				(r) =>
					`${r.method} ${new URL(r.url).pathname} ${r.qs.after_seq} ${r.headers['Idempotency-Key']}`,
			),
			[
				'POST /v1/hooks/hook_1/redeliver 0 outage-1:0',
				'POST /v1/hooks/hook_1/redeliver 1000 outage-1:1000',
				'POST /v1/hooks/hook_1/redeliver 2000 outage-1:2000',
			],
		);
		assert.deepEqual(items, [
			{ hook_id: 'hook_1', after_seq: 2000, queued: 2500, last_seq: 2500, has_more: false },
		]);
	});

	it('sends one request when Until Caught Up is off and says what is left', async () => {
		const { requests, items } = await run(
			{
				resource: 'sync',
				operation: 'redeliverHook',
				hookId: 'hook_1',
				afterSeq: 1200,
				untilCaughtUp: false,
			},
			gateway,
		);
		assert.equal(requests.length, 1);
		assert.equal(requests[0].headers['Idempotency-Key'], undefined);
		assert.deepEqual(items[0], {
			hook_id: 'hook_1',
			after_seq: 1200,
			queued: 1000,
			last_seq: 2200,
			has_more: true,
		});
	});
});

describe('Sync → Get Sync Health and alert settings', () => {
	it('asks for the window', async () => {
		const { requests } = await run(
			{ resource: 'sync', operation: 'getHealth', window: ' 30d ' },
			() => json(200, { window: '30d' }),
		);
		assert.equal(new URL(requests[0].url).pathname, '/v1/sync/health');
		assert.deepEqual(requests[0].qs, { window: '30d' });
	});

	it('replaces the alert settings: emails split on commas, 0 hours means no such alert', async () => {
		const { requests } = await run(
			{
				resource: 'sync',
				operation: 'updateAlertSettings',
				alertEmails: 'owner@dupont.ch, bookkeeping@dupont.ch;',
				silenceHours: 12,
				noApiCallHours: 0,
			},
			() => json(200, {}),
		);
		assert.equal(requests[0].method, 'PUT');
		assert.deepEqual(requests[0].body, {
			emails: ['owner@dupont.ch', 'bookkeeping@dupont.ch'],
			silence_hours: 12,
			no_api_call_hours: null,
		});
		const none = await run(
			{ resource: 'sync', operation: 'updateAlertSettings', alertEmails: '', noApiCallHours: 48 },
			() => json(200, {}),
		);
		assert.deepEqual(none.requests[0].body, {
			emails: [],
			silence_hours: 24,
			no_api_call_hours: 48,
		});
	});
});
