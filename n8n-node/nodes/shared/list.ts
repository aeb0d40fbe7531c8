import type { IDataObject } from 'n8n-workflow';

/** One page of a billbridge list: {data, has_more, next_cursor}. */
export interface ListPage {
	data: IDataObject[];
	has_more: boolean;
	next_cursor: string | null;
}

/** The largest page billbridge serves. */
export const MAX_PAGE_SIZE = 100;

/**
 * collectPages reads a billbridge list page by page, passing each page's
 * next_cursor as starting_after, until has_more is false or limit items are
 * in hand (no limit: read everything). It never returns more than limit.
 */
export async function collectPages(
	fetchPage: (pageSize: number, startingAfter: string | undefined) => Promise<ListPage>,
	limit?: number,
): Promise<IDataObject[]> {
	const items: IDataObject[] = [];
	let startingAfter: string | undefined;
	for (;;) {
		const wanted = limit === undefined ? MAX_PAGE_SIZE : limit - items.length;
		if (wanted <= 0) {
			return items;
		}
		const page = await fetchPage(Math.min(wanted, MAX_PAGE_SIZE), startingAfter);
		items.push(...page.data.slice(0, wanted));
		if (!page.has_more || !page.next_cursor || page.data.length === 0) {
			return items;
		}
		startingAfter = page.next_cursor;
	}
}

/** asListPage checks the shape of a list response and returns it typed. */
export function asListPage(body: IDataObject): ListPage {
	const data = Array.isArray(body.data) ? (body.data as IDataObject[]) : [];
	return {
		data,
		has_more: body.has_more === true,
		next_cursor: typeof body.next_cursor === 'string' ? body.next_cursor : null,
	};
}
