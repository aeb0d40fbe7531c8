import type { IDataObject, IHttpRequestOptions, INode } from 'n8n-workflow';
import type { FullResponse } from '../nodes/shared/transport';

/** A request as the fake gateway saw it. */
export interface SeenRequest {
	method: string;
	url: string;
	qs: IDataObject;
	headers: IDataObject;
	body: unknown;
	/** The response encoding asked for (arraybuffer for files). */
	encoding?: string;
}

/** Answers one request of the fake gateway. */
export type Handler = (request: SeenRequest) => FullResponse | Promise<FullResponse>;

/** json builds a full response with a JSON body. */
export function json(
	statusCode: number,
	body: unknown,
	headers: Record<string, unknown> = {},
): FullResponse {
	return { statusCode, headers, body };
}

/** The node the fakes report from getNode. */
export const fakeNode: INode = {
	id: 'node-1',
	name: 'Billbridge',
	type: 'n8n-nodes-billbridge.billbridge',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** What a fake n8n context is built from. */
export interface FakeOptions {
	/** Node parameters; dotted names (lineItems.item) are looked up as paths. */
	parameters?: IDataObject;
	/** The gateway. */
	handler: Handler;
	mode?: string;
	staticData?: IDataObject;
	baseUrl?: string;
	continueOnFail?: boolean;
	workflowId?: string;
	items?: number;
	/** Binary fields of every input item, by property name. */
	binary?: Record<string, FakeFile>;
	/** For webhook contexts: the incoming request. */
	request?: { headers: Record<string, string>; rawBody: Buffer; body: IDataObject };
}

/** A file in a fake item's binary field. */
export interface FakeFile {
	data: Buffer;
	fileName?: string;
	mimeType: string;
}

/** A fake context and what it recorded. */
export interface Fake {
	ctx: Record<string, unknown>;
	requests: SeenRequest[];
	staticData: IDataObject;
	response: { status?: number; body?: unknown };
	warnings: string[];
}

function lookup(parameters: IDataObject, name: string): unknown {
	let value: unknown = parameters;
	for (const part of name.split('.')) {
		if (typeof value !== 'object' || value === null) {
			return undefined;
		}
		value = (value as IDataObject)[part];
	}
	return value;
}

/**
 * fakeContext builds an object that behaves like the n8n execute, poll, hook
 * and webhook contexts as far as the billbridge nodes use them, sending every
 * HTTP request to handler.
 */
export function fakeContext(options: FakeOptions): Fake {
	const parameters = options.parameters ?? {};
	const staticData = options.staticData ?? {};
	const requests: SeenRequest[] = [];
	const response: Fake['response'] = {};
	const warnings: string[] = [];

	const getNodeParameter = (name: string, a?: unknown, b?: unknown): unknown => {
		// Execute contexts call (name, itemIndex, fallback); the others (name, fallback).
		const fallback = typeof a === 'number' ? b : a;
		const value = lookup(parameters, name);
		if (value === undefined) {
			if (fallback === undefined) {
				throw new Error(`missing parameter ${name}`);
			}
			return fallback;
		}
		return value;
	};

	const ctx: Record<string, unknown> = {
		getNode: () => fakeNode,
		getWorkflow: () => ({ id: options.workflowId ?? 'wf-1', active: true }),
		getNodeParameter,
		getMode: () => options.mode ?? 'trigger',
		getCredentials: async () => ({
			baseUrl: options.baseUrl ?? 'http://gateway.test/',
			apiKey: 'bb_test',
		}),
		getWorkflowStaticData: () => staticData,
		getInputData: () => Array.from({ length: options.items ?? 1 }, () => ({ json: {} })),
		continueOnFail: () => options.continueOnFail ?? false,
		getNodeWebhookUrl: () => 'http://n8n.test/webhook/abc/webhook',
		getRequestObject: () => options.request,
		getBodyData: () => options.request?.body ?? {},
		getResponseObject: () => {
			const res = {
				status(code: number) {
					response.status = code;
					return res;
				},
				json(body: unknown) {
					response.body = body;
					return res;
				},
			};
			return res;
		},
		logger: {
			warn: (message: string) => warnings.push(message),
			debug: () => undefined,
			info: () => undefined,
			error: () => undefined,
		},
		helpers: {
			prepareBinaryData: async (data: Buffer, fileName?: string, mimeType?: string) => ({
				data: data.toString('base64'),
				fileName,
				mimeType: mimeType ?? 'application/octet-stream',
				fileSize: String(data.length),
			}),
			assertBinaryData: (_item: number, name: string) => {
				const file = options.binary?.[name];
				if (!file) {
					throw new Error(
						`This operation expects the node's input data to contain a binary file '${name}'`,
					);
				}
				return { data: '', fileName: file.fileName, mimeType: file.mimeType };
			},
			getBinaryDataBuffer: async (_item: number, name: string) => {
				const file = options.binary?.[name];
				if (!file) {
					throw new Error(`no binary field ${name}`);
				}
				return file.data;
			},
			httpRequestWithAuthentication: async (credentialType: string, req: IHttpRequestOptions) => {
				if (credentialType !== 'billbridgeApi') {
					throw new Error(`unexpected credential type ${credentialType}`);
				}
				if (!req.returnFullResponse || !req.ignoreHttpStatusErrors) {
					throw new Error('transport must ask for full responses without status errors');
				}
				const seen: SeenRequest = {
					method: req.method ?? 'GET',
					url: req.url,
					qs: req.qs ?? {},
					headers: req.headers ?? {},
					body: req.body,
					encoding: req.encoding,
				};
				requests.push(seen);
				return await options.handler(seen);
			},
		},
	};
	return { ctx, requests, staticData, response, warnings };
}

/** A stored event of the fake feed. */
interface FeedEvent extends IDataObject {
	id: string;
	type: string;
	seq: number;
}

/**
 * FakeFeed is an in-memory events feed with the semantics of GET /v1/events:
 * opaque cursors, order=asc&after walking forward, order=desc newest first,
 * has_more, next_cursor and latest_cursor.
 */
export class FakeFeed {
	events: FeedEvent[] = [];

	add(type: string): FeedEvent {
		const seq = this.events.length + 1;
		const event: FeedEvent = {
			id: `evt_${seq}`,
			type,
			seq,
			occurred_at: '2026-01-01T00:00:00.000Z',
			data: {},
		};
		this.events.push(event);
		return event;
	}

	handle: Handler = (request) => {
		if (request.method !== 'GET' || !request.url.endsWith('/v1/events')) {
			return json(404, { title: 'Not Found', status: 404 });
		}
		const qs = request.qs;
		const types = typeof qs.type === 'string' && qs.type !== '' ? qs.type.split(',') : undefined;
		const limit = Number(qs.limit ?? 25);
		const matching = this.events.filter((e) => !types || types.includes(e.type));
		const latest = `c${this.events.length}`;
		if (qs.order === 'asc') {
			const after = decode(String(qs.after));
			const rest = matching.filter((e) => e.seq > after);
			const page = rest.slice(0, limit);
			const next = page.length > 0 ? page[page.length - 1].seq : after;
			return json(200, {
				data: page,
				has_more: rest.length > page.length,
				next_cursor: `c${next}`,
				latest_cursor: latest,
			});
		}
		const newestFirst = [...matching].reverse();
		const page = newestFirst.slice(0, limit);
		return json(200, {
			data: page,
			has_more: newestFirst.length > page.length,
			next_cursor: page.length > 0 ? `c${page[page.length - 1].seq}` : null,
			latest_cursor: latest,
		});
	};
}

function decode(cursor: string): number {
	if (!/^c\d+$/.test(cursor)) {
		throw new Error(`malformed cursor ${cursor}`);
	}
	return Number(cursor.slice(1));
}
