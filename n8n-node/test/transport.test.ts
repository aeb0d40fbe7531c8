/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run under node's test runner, never inside n8n */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NodeApiError, type IExecuteFunctions } from 'n8n-workflow';
import {
	billbridgeRequest,
	retryAfterSeconds,
	sendWithRetry,
	summarizeProblem,
	type FullResponse,
	type RetryPolicy,
} from '../nodes/shared/transport';
import { fakeContext, json } from './fakes';

function recordingPolicy(maxRetries = 3, maxWaitSeconds = 60): RetryPolicy & { waits: number[] } {
	const waits: number[] = [];
	return {
		maxRetries,
		maxWaitSeconds,
		waits,
		wait: async (ms) => {
			waits.push(ms);
		},
	};
}

function sequence(...responses: FullResponse[]): () => Promise<FullResponse> {
	let calls = 0;
	return async () => {
		const response = responses[Math.min(calls, responses.length - 1)];
		calls++;
		return response;
	};
}

const tooMany = (retryAfter?: string) =>
	json(
		429,
		{ title: 'Too Many Requests', code: 'rate_limited' },
		retryAfter ? { 'retry-after': retryAfter } : {},
	);

describe('retryAfterSeconds', () => {
	it('reads delta seconds', () => {
		assert.equal(retryAfterSeconds('7'), 7);
		assert.equal(retryAfterSeconds(['3']), 3);
	});
	it('reads an HTTP date relative to now', () => {
		const now = Date.parse('2026-01-01T00:00:00Z');
		assert.equal(retryAfterSeconds('Thu, 01 Jan 2026 00:00:05 GMT', now), 5);
	});
	it('falls back to one second when missing or unreadable', () => {
		assert.equal(retryAfterSeconds(undefined), 1);
		assert.equal(retryAfterSeconds('soon'), 1);
		assert.equal(retryAfterSeconds('0'), 1);
	});
});

describe('sendWithRetry', () => {
	it('waits Retry-After between 429s and returns the first other answer', async () => {
		const policy = recordingPolicy();
		const response = await sendWithRetry(
			sequence(tooMany('2'), tooMany('5'), json(201, { id: 'x' })),
			policy,
		);
		assert.equal(response.statusCode, 201);
		assert.deepEqual(policy.waits, [2000, 5000]);
	});
	it('gives up after maxRetries and returns the last 429', async () => {
		const policy = recordingPolicy(2);
		const response = await sendWithRetry(sequence(tooMany('1')), policy);
		assert.equal(response.statusCode, 429);
		assert.deepEqual(policy.waits, [1000, 1000]);
	});
	it('does not wait when asked to wait longer than maxWaitSeconds', async () => {
		const policy = recordingPolicy(3, 60);
		const response = await sendWithRetry(sequence(tooMany('3600'), json(200, {})), policy);
		assert.equal(response.statusCode, 429);
		assert.deepEqual(policy.waits, []);
	});
	it('never retries other errors', async () => {
		const policy = recordingPolicy();
		const response = await sendWithRetry(sequence(json(503, {}), json(200, {})), policy);
		assert.equal(response.statusCode, 503);
		assert.deepEqual(policy.waits, []);
	});
});

describe('summarizeProblem', () => {
	it('uses the detail as message and names every invalid field', () => {
		const summary = summarizeProblem(422, {
			type: 'https://billbridge.dev/problems/validation',
			title: 'Validation failed',
			status: 422,
			detail: 'The customer has invalid fields.',
			code: 'validation_failed',
			request_id: 'req_123',
			invalid_params: [
				{ name: 'email', reason: 'is not an email address' },
				{ name: 'address.country', reason: 'must be ISO 3166-1 alpha-2' },
			],
		});
		assert.equal(summary.message, 'The customer has invalid fields.');
		assert.deepEqual(summary.fields, ['email', 'address.country']);
		assert.match(
			summary.description,
			/Invalid fields: email \(is not an email address\), address\.country/,
		);
		assert.match(summary.description, /Code: validation_failed/);
		assert.match(summary.description, /Request ID: req_123/);
	});
	it('falls back to the title, then the status', () => {
		assert.equal(summarizeProblem(404, { title: 'Not Found' }).message, 'Not Found');
		assert.equal(
			summarizeProblem(502, '<html>bad gateway</html>').message,
			'billbridge answered HTTP 502',
		);
	});
	it('shows the existing id of a natural-key clash', () => {
		const summary = summarizeProblem(409, {
			title: 'Conflict',
			detail: 'email taken',
			existing_id: 'cus_1',
		});
		assert.match(summary.description, /Existing ID: cus_1/);
	});
});

describe('billbridgeRequest', () => {
	it('sends to the base URL with the Idempotency-Key header and returns the body', async () => {
		const fake = fakeContext({ handler: () => json(201, { id: 'cus_1' }) });
		const body = await billbridgeRequest.call(
			fake.ctx as unknown as IExecuteFunctions,
			'POST',
			'/v1/customers',
			{
				body: { name: 'Acme' },
				idempotencyKey: ' deal-7 ',
			},
		);
		assert.deepEqual(body, { id: 'cus_1' });
		assert.equal(fake.requests.length, 1);
		assert.equal(fake.requests[0].url, 'http://gateway.test/v1/customers');
		assert.equal(fake.requests[0].headers['Idempotency-Key'], 'deal-7');
		assert.deepEqual(fake.requests[0].body, { name: 'Acme' });
	});
	it('sends no Idempotency-Key when none is given', async () => {
		const fake = fakeContext({ handler: () => json(200, {}) });
		await billbridgeRequest.call(fake.ctx as unknown as IExecuteFunctions, 'GET', '/v1/me');
		assert.equal('Idempotency-Key' in fake.requests[0].headers, false);
	});
	it('turns a problem into a NodeApiError with detail, fields and status', async () => {
		const fake = fakeContext({
			handler: () =>
				json(422, {
					title: 'Validation failed',
					status: 422,
					detail: 'Invoice is invalid.',
					code: 'validation_failed',
					invalid_params: [{ name: 'items[0].vat_rate', reason: 'unknown VAT rate' }],
				}),
		});
		await assert.rejects(
			billbridgeRequest.call(fake.ctx as unknown as IExecuteFunctions, 'POST', '/v1/invoices', {
				body: {},
			}),
			(error: unknown) => {
				assert.ok(error instanceof NodeApiError);
				assert.equal(error.message, 'Invoice is invalid.');
				assert.equal(error.httpCode, '422');
				assert.match(error.description ?? '', /items\[0\]\.vat_rate \(unknown VAT rate\)/);
				return true;
			},
		);
	});
	it('retries a 429 after Retry-After and resends the same request', async () => {
		let calls = 0;
		const fake = fakeContext({
			handler: () =>
				++calls === 1
					? json(429, { title: 'Too Many Requests' }, { 'retry-after': '1' })
					: json(201, { id: 'pay_1' }),
		});
		const policy = recordingPolicy();
		const body = await billbridgeRequest.call(
			fake.ctx as unknown as IExecuteFunctions,
			'POST',
			'/v1/invoices/inv_1/payments',
			{ body: { amount: 10 }, idempotencyKey: 'k1' },
			policy,
		);
		assert.deepEqual(body, { id: 'pay_1' });
		assert.deepEqual(policy.waits, [1000]);
		assert.equal(fake.requests.length, 2);
		assert.deepEqual(fake.requests[1], fake.requests[0]);
	});
	it('fails with a 429 NodeApiError once retries are spent', async () => {
		const fake = fakeContext({
			handler: () => json(429, { title: 'Too Many Requests', detail: 'Rate limit exceeded' }),
		});
		await assert.rejects(
			billbridgeRequest.call(
				fake.ctx as unknown as IExecuteFunctions,
				'GET',
				'/v1/me',
				{},
				recordingPolicy(1),
			),
			(error: unknown) =>
				error instanceof NodeApiError &&
				error.httpCode === '429' &&
				error.message === 'Rate limit exceeded',
		);
		assert.equal(fake.requests.length, 2);
	});
});
