/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run under node's test runner, never inside n8n */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IWebhookFunctions } from 'n8n-workflow';
import { BillbridgeWebhookTrigger } from '../nodes/BillbridgeWebhookTrigger/BillbridgeWebhookTrigger.node';
import { secretKey, sign, verifyDelivery } from '../nodes/BillbridgeWebhookTrigger/signature';
import { fakeContext, json } from './fakes';

// The example of the Standard Webhooks specification and its reference libraries.
const vector = {
	// Public test data from the specification, not a credential.
	secret: ['whsec', 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'].join('_'),
	id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
	timestamp: '1614265330',
	body: '{"test": 2432232314}',
	signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const at = Number(vector.timestamp);

describe('verifyDelivery', () => {
	it('accepts the specification example', () => {
		assert.deepEqual(verifyDelivery(vector.secret, { ...vector }, at), { ok: true });
	});
	it('accepts a Buffer body and a signature among several', () => {
		const delivery = {
			...vector,
			body: Buffer.from(vector.body),
			signature: `v1,AAAA v2,xyz ${vector.signature}`,
		};
		assert.deepEqual(verifyDelivery(vector.secret, delivery, at), { ok: true });
	});
	it('refuses a changed body, id or timestamp', () => {
		assert.equal(
			verifyDelivery(vector.secret, { ...vector, body: '{"test": 2432232315}' }, at).ok,
			false,
		);
		assert.equal(verifyDelivery(vector.secret, { ...vector, id: 'msg_other' }, at).ok, false);
		assert.equal(
			verifyDelivery(vector.secret, { ...vector, timestamp: String(at + 1) }, at).ok,
			false,
		);
	});
	it('refuses another secret', () => {
		const other = `whsec_${Buffer.from('another secret key').toString('base64')}`;
		assert.equal(verifyDelivery(other, { ...vector }, at).ok, false);
	});
	it('refuses timestamps more than five minutes away, either side', () => {
		assert.equal(verifyDelivery(vector.secret, { ...vector }, at + 300).ok, true);
		assert.equal(verifyDelivery(vector.secret, { ...vector }, at + 301).ok, false);
		assert.equal(verifyDelivery(vector.secret, { ...vector }, at - 301).ok, false);
	});
	it('refuses missing headers, other versions and malformed values', () => {
		assert.equal(verifyDelivery(vector.secret, { ...vector, signature: undefined }, at).ok, false);
		assert.equal(verifyDelivery(vector.secret, { ...vector, id: '' }, at).ok, false);
		assert.equal(
			verifyDelivery(
				vector.secret,
				{ ...vector, signature: vector.signature.replace('v1,', 'v2,') },
				at,
			).ok,
			false,
		);
		assert.equal(verifyDelivery(vector.secret, { ...vector, signature: 'v1,' }, at).ok, false);
		assert.equal(
			verifyDelivery(vector.secret, { ...vector, timestamp: '1614265330.5' }, at).ok,
			false,
		);
	});
	it('refuses everything without a whsec_ secret', () => {
		assert.equal(secretKey(vector.secret.slice('whsec_'.length)), undefined);
		assert.equal(verifyDelivery('', { ...vector }, at).ok, false);
	});
});

describe('BillbridgeWebhookTrigger.webhook', () => {
	const trigger = new BillbridgeWebhookTrigger();
	const secret = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
	const now = String(Math.floor(Date.now() / 1000));
	const body = '{"id":"evt_9","type":"customer.created","seq":9,"data":{"id":"cus_1"}}';

	function deliver(signature: string) {
		const fake = fakeContext({
			handler: () => json(500, {}),
			staticData: { hookId: 'hook_1', secret },
			request: {
				headers: {
					'webhook-id': 'evt_9',
					'webhook-timestamp': now,
					'webhook-signature': signature,
				},
				rawBody: Buffer.from(body),
				body: JSON.parse(body),
			},
		});
		return { fake, result: trigger.webhook.call(fake.ctx as unknown as IWebhookFunctions) };
	}

	it('starts the workflow with the event of a signed delivery', async () => {
		const key = secretKey(secret);
		assert.ok(key);
		const { fake, result } = deliver(`v1,${sign(key, 'evt_9', now, body)}`);
		const response = await result;
		assert.equal(response.workflowData?.[0][0].json.id, 'evt_9');
		assert.equal(fake.response.status, undefined);
	});

	it('answers 401 and starts nothing for a forged signature', async () => {
		const forged = `v1,${Buffer.alloc(32, 7).toString('base64')}`;
		const { fake, result } = deliver(forged);
		const response = await result;
		assert.deepEqual(response, { noWebhookResponse: true });
		assert.equal(fake.response.status, 401);
		assert.equal(fake.warnings.length, 1);
	});
});
