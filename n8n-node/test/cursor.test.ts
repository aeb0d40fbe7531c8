/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run under node's test runner, never inside n8n */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IDataObject, IPollFunctions } from 'n8n-workflow';
import { BillbridgeTrigger } from '../nodes/BillbridgeTrigger/BillbridgeTrigger.node';
import {
	asEventPage,
	pollEvents,
	type CursorState,
	type FetchEvents,
} from '../nodes/BillbridgeTrigger/cursor';
import { FakeFeed, fakeContext } from './fakes';

function feedFetcher(feed: FakeFeed): { fetch: FetchEvents; queries: IDataObject[] } {
	const queries: IDataObject[] = [];
	const fetch: FetchEvents = async (qs) => {
		queries.push(qs);
		const response = await feed.handle({
			method: 'GET',
			url: 'http://x/v1/events',
			qs,
			headers: {},
			body: undefined,
		});
		return asEventPage(response.body as IDataObject);
	};
	return { fetch, queries };
}

const ids = (events: IDataObject[]) => events.map((e) => e.id);

describe('pollEvents', () => {
	it('starts from now: the first poll stores latest_cursor and emits nothing', async () => {
		const feed = new FakeFeed();
		feed.add('invoice.paid');
		feed.add('invoice.paid');
		const { fetch, queries } = feedFetcher(feed);
		const state: CursorState = {};
		assert.deepEqual(await pollEvents(state, 'invoice.paid', fetch), []);
		assert.equal(state.cursor, 'c2');
		assert.deepEqual(queries, [{ type: 'invoice.paid', order: 'desc', limit: 1 }]);
	});

	it('emits each new event once, oldest first, and nothing when nothing is new', async () => {
		const feed = new FakeFeed();
		const { fetch } = feedFetcher(feed);
		const state: CursorState = {};
		await pollEvents(state, '', fetch);
		feed.add('invoice.paid');
		feed.add('customer.created');
		assert.deepEqual(ids(await pollEvents(state, '', fetch)), ['evt_1', 'evt_2']);
		assert.deepEqual(await pollEvents(state, '', fetch), []);
		feed.add('invoice.paid');
		assert.deepEqual(ids(await pollEvents(state, '', fetch)), ['evt_3']);
		assert.deepEqual(await pollEvents(state, '', fetch), []);
	});

	it('walks forward page by page until has_more is false', async () => {
		const feed = new FakeFeed();
		const { fetch, queries } = feedFetcher(feed);
		const state: CursorState = {};
		await pollEvents(state, '', fetch);
		for (let n = 0; n < 250; n++) {
			feed.add('invoice.created');
		}
		queries.length = 0;
		const events = await pollEvents(state, '', fetch);
		assert.equal(events.length, 250);
		assert.equal(new Set(ids(events)).size, 250);
		assert.deepEqual(
			queries.map((q) => q.after),
			['c0', 'c100', 'c200'],
		);
		assert.ok(queries.every((q) => q.order === 'asc' && q.limit === 100));
		assert.equal(state.cursor, 'c250');
	});

	it('reads at most maxPages per poll and continues on the next poll without loss', async () => {
		const feed = new FakeFeed();
		const { fetch } = feedFetcher(feed);
		const state: CursorState = {};
		await pollEvents(state, '', fetch);
		for (let n = 0; n < 250; n++) {
			feed.add('invoice.created');
		}
		const first = await pollEvents(state, '', fetch, 2);
		const second = await pollEvents(state, '', fetch, 2);
		assert.equal(first.length, 200);
		assert.equal(second.length, 50);
		assert.equal(new Set([...ids(first), ...ids(second)]).size, 250);
	});

	it('passes the type filter and skips other types', async () => {
		const feed = new FakeFeed();
		const { fetch, queries } = feedFetcher(feed);
		const state: CursorState = {};
		await pollEvents(state, 'invoice.paid,payment.received', fetch);
		feed.add('invoice.created');
		feed.add('invoice.paid');
		feed.add('payment.received');
		feed.add('customer.updated');
		assert.deepEqual(ids(await pollEvents(state, 'invoice.paid,payment.received', fetch)), [
			'evt_2',
			'evt_3',
		]);
		assert.ok(queries.every((q) => q.type === 'invoice.paid,payment.received'));
	});

	it('keeps the cursor when a page fails, so the next poll repeats nothing and loses nothing', async () => {
		const feed = new FakeFeed();
		const { fetch } = feedFetcher(feed);
		const state: CursorState = {};
		await pollEvents(state, '', fetch);
		feed.add('invoice.paid');
		const failing: FetchEvents = async () => {
			throw new Error('network down');
		};
		await assert.rejects(pollEvents(state, '', failing));
		assert.equal(state.cursor, 'c0');
		assert.deepEqual(ids(await pollEvents(state, '', fetch)), ['evt_1']);
	});
});

describe('BillbridgeTrigger.poll', () => {
	const trigger = new BillbridgeTrigger();

	it('keeps the cursor in static data across polls and returns null when nothing is new', async () => {
		const feed = new FakeFeed();
		feed.add('invoice.paid');
		const staticData: IDataObject = {};
		const poll = () =>
			trigger.poll.call(
				fakeContext({ parameters: { events: ['invoice.paid'] }, handler: feed.handle, staticData })
					.ctx as unknown as IPollFunctions,
			);
		assert.equal(await poll(), null);
		assert.equal(staticData.cursor, 'c1');
		feed.add('invoice.paid');
		feed.add('invoice.created');
		feed.add('invoice.paid');
		const result = await poll();
		assert.ok(result);
		assert.deepEqual(
			result[0].map((item) => item.json.id),
			['evt_2', 'evt_4'],
		);
		assert.equal(await poll(), null);
	});

	it('returns null for a poll that starts while the previous one still runs', async () => {
		const feed = new FakeFeed();
		const staticData: IDataObject = { cursor: 'c0' };
		feed.add('invoice.paid');
		let release: () => void = () => undefined;
		const gate = new Promise<void>((resolve) => (release = resolve));
		const slow = fakeContext({
			parameters: { events: [] },
			staticData,
			workflowId: 'wf-overlap',
			handler: async (request) => {
				await gate;
				return feed.handle(request);
			},
		});
		const fast = fakeContext({
			parameters: { events: [] },
			staticData,
			workflowId: 'wf-overlap',
			handler: feed.handle,
		});
		const first = trigger.poll.call(slow.ctx as unknown as IPollFunctions);
		assert.equal(await trigger.poll.call(fast.ctx as unknown as IPollFunctions), null);
		assert.equal(fast.requests.length, 0);
		release();
		const result = await first;
		assert.deepEqual(
			result?.[0].map((item) => item.json.id),
			['evt_1'],
		);
		const after = await trigger.poll.call(fast.ctx as unknown as IPollFunctions);
		assert.equal(after, null);
		assert.equal(fast.requests.length, 1);
	});

	it('returns the newest event as a sample in manual mode without moving the cursor', async () => {
		const feed = new FakeFeed();
		feed.add('invoice.paid');
		feed.add('invoice.paid');
		feed.add('customer.created');
		const fake = fakeContext({
			parameters: { events: ['invoice.paid'] },
			handler: feed.handle,
			mode: 'manual',
			staticData: { cursor: 'c0' },
		});
		const result = await trigger.poll.call(fake.ctx as unknown as IPollFunctions);
		assert.ok(result);
		assert.deepEqual(
			result[0].map((item) => item.json.id),
			['evt_2'],
		);
		assert.deepEqual(fake.requests[0].qs, { type: 'invoice.paid', order: 'desc', limit: 1 });
		assert.equal(fake.staticData.cursor, 'c0');
	});

	it('returns null in manual mode when there is no event yet', async () => {
		const fake = fakeContext({
			parameters: { events: [] },
			handler: new FakeFeed().handle,
			mode: 'manual',
		});
		assert.equal(await trigger.poll.call(fake.ctx as unknown as IPollFunctions), null);
	});
});
