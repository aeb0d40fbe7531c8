/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run under node's test runner, never inside n8n */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IDataObject } from 'n8n-workflow';
import { collectPages, type ListPage } from '../nodes/shared/list';

/** pagedList serves items 1..total in pages, with cursors "after:<n>". */
function pagedList(total: number) {
	const calls: Array<{ pageSize: number; startingAfter?: string }> = [];
	const fetchPage = async (pageSize: number, startingAfter?: string): Promise<ListPage> => {
		calls.push({ pageSize, startingAfter });
		const start = startingAfter ? Number(startingAfter.split(':')[1]) : 0;
		const data: IDataObject[] = [];
		for (let n = start + 1; n <= Math.min(total, start + pageSize); n++) {
			data.push({ n });
		}
		const last = start + data.length;
		return { data, has_more: last < total, next_cursor: last < total ? `after:${last}` : null };
	};
	return { calls, fetchPage };
}

describe('collectPages', () => {
	it('reads every page when no limit is given', async () => {
		const list = pagedList(250);
		const items = await collectPages(list.fetchPage);
		assert.equal(items.length, 250);
		assert.deepEqual(
			items.map((i) => i.n),
			Array.from({ length: 250 }, (_, k) => k + 1),
		);
		assert.deepEqual(
			list.calls.map((c) => c.startingAfter),
			[undefined, 'after:100', 'after:200'],
		);
	});
	it('stops at the limit and asks only for what it needs', async () => {
		const list = pagedList(250);
		const items = await collectPages(list.fetchPage, 130);
		assert.equal(items.length, 130);
		assert.deepEqual(
			list.calls.map((c) => c.pageSize),
			[100, 30],
		);
	});
	it('returns nothing for an empty list', async () => {
		const list = pagedList(0);
		assert.deepEqual(await collectPages(list.fetchPage, 10), []);
		assert.equal(list.calls.length, 1);
	});
});
