import type { IDataObject } from 'n8n-workflow';

/** One page of GET /v1/events. */
export interface EventPage {
	data: IDataObject[];
	has_more: boolean;
	next_cursor: string | null;
	latest_cursor: string | null;
}

/** Reads one page of events with the given query (type, order, after, limit). */
export type FetchEvents = (qs: IDataObject) => Promise<EventPage>;

/** The part of the workflow's static data the trigger owns. */
export interface CursorState {
	/** The feed position after the last emitted event; absent before the first poll. */
	cursor?: string;
}

/** The biggest page the events feed serves. */
export const PAGE_SIZE = 100;

/** Pages read in one poll at most; the rest waits for the next poll. */
export const MAX_PAGES_PER_POLL = 50;

/**
 * pollEvents advances the trigger by one poll and returns the new events,
 * oldest first, each exactly once:
 *   - with no cursor yet (a newly activated trigger) it stores the feed's
 *     latest_cursor and returns nothing, so the trigger starts from now;
 *   - otherwise it walks forward with order=asc&after=cursor, page after page
 *     while has_more is true (at most maxPages), and stores the next_cursor of
 *     the last page it read.
 * The cursor is advanced in state before returning; an empty result means
 * nothing new.
 */
export async function pollEvents(
	state: CursorState,
	types: string,
	fetchEvents: FetchEvents,
	maxPages: number = MAX_PAGES_PER_POLL,
): Promise<IDataObject[]> {
	const filter: IDataObject = types ? { type: types } : {};
	if (!state.cursor) {
		const head = await fetchEvents({ ...filter, order: 'desc', limit: 1 });
		if (!head.latest_cursor) {
			throw new Error('billbridge returned no latest_cursor for the events feed');
		}
		state.cursor = head.latest_cursor;
		return [];
	}
	const events: IDataObject[] = [];
	let cursor = state.cursor;
	for (let page = 0; page < maxPages; page++) {
		const result = await fetchEvents({ ...filter, order: 'asc', after: cursor, limit: PAGE_SIZE });
		events.push(...result.data);
		if (result.next_cursor) {
			cursor = result.next_cursor;
		}
		if (!result.has_more || result.data.length === 0) {
			break;
		}
	}
	state.cursor = cursor;
	return events;
}

/** newestEvent returns the newest event of the chosen types, or undefined: the manual-mode sample. */
export async function newestEvent(
	types: string,
	fetchEvents: FetchEvents,
): Promise<IDataObject | undefined> {
	const filter: IDataObject = types ? { type: types } : {};
	const page = await fetchEvents({ ...filter, order: 'desc', limit: 1 });
	return page.data[0];
}

/** asEventPage checks the shape of an events response and returns it typed. */
export function asEventPage(body: IDataObject): EventPage {
	return {
		data: Array.isArray(body.data) ? (body.data as IDataObject[]) : [],
		has_more: body.has_more === true,
		next_cursor: typeof body.next_cursor === 'string' ? body.next_cursor : null,
		latest_cursor: typeof body.latest_cursor === 'string' ? body.latest_cursor : null,
	};
}
