/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- tests run under node's test runner, never inside n8n */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { Billbridge } from '../nodes/Billbridge/Billbridge.node';
import { eventTypes } from '../nodes/shared/events';
import { fakeContext, json, type SeenRequest } from './fakes';

// The API description the gateway serves, at the repository root (the
// tests run from .test-dist/test).
const spec = JSON.parse(
	readFileSync(path.resolve(__dirname, '../../../openapi/openapi.json'), 'utf8'),
) as {
	paths: Record<string, Record<string, { operationId?: string }>>;
	components: { schemas: Record<string, { discriminator?: { mapping?: Record<string, string> } }> };
};

const properties = new Billbridge().description.properties;

/** visible lists the properties n8n shows for one resource and operation. */
function visible(resource: string, operation: string): INodeProperties[] {
	return properties.filter((p) => {
		const show = p.displayOptions?.show;
		if (!show) return true;
		if (show.resource && !(show.resource as string[]).includes(resource)) return false;
		if (show.operation && !(show.operation as string[]).includes(operation)) return false;
		return true;
	});
}

/** operations lists every resource/operation pair of the action node. */
function operations(): Array<[string, string]> {
	const pairs: Array<[string, string]> = [];
	for (const p of properties) {
		if (p.name !== 'operation') continue;
		for (const resource of (p.displayOptions?.show?.resource as string[]) ?? []) {
			for (const option of p.options ?? []) {
				pairs.push([resource, (option as { value: string }).value]);
			}
		}
	}
	return pairs;
}

/** specOperation finds the spec operation a request hits, by method and templated path. */
function specOperation(request: SeenRequest): string | undefined {
	const url = new URL(request.url);
	for (const [template, methods] of Object.entries(spec.paths)) {
		const pattern = new RegExp(
			'^' + template.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+') + '$',
		);
		const op = methods[request.method.toLowerCase()];
		if (op && pattern.test(url.pathname)) return op.operationId ?? template;
	}
	return undefined;
}

/** answer is a gateway that answers any request with a plausible body of its kind. */
function answer(request: SeenRequest) {
	if (request.encoding === 'arraybuffer') {
		return {
			statusCode: 200,
			headers: {
				'content-type': 'application/pdf',
				'content-disposition': 'attachment; filename="x.pdf"',
			},
			body: Buffer.from('%PDF'),
		};
	}
	return json(200, { id: 'x_1', data: [], has_more: false, next_cursor: null });
}

/** What an operation needs beyond its defaults to send a request at all. */
const required: Record<string, IDataObject> = {
	'customer.update': { updateFields: { name: 'Acme AG' } },
	'sync.reportError': { message: 'HTTP 422 from billbridge' },
	'sync.redeliverHook': { hookId: 'hook_1' },
};

/**
 * The spec operations every app offers under the same names (issue 17: sync
 * health, redelivery, alert settings; issue 18: the capabilities that landed).
 */
const mustCover = [
	'getSyncHealth',
	'redeliverHook',
	'getAlertSettings',
	'putAlertSettings',
	'reportIncident',
];

/** The spec operations the node's requests reached, filled by the tests below. */
const reached = new Set<string>();

describe('the node against openapi/openapi.json', () => {
	it('offers exactly the event types the spec defines', () => {
		const mapping = spec.components.schemas.Event?.discriminator?.mapping ?? {};
		assert.ok(Object.keys(mapping).length > 0, 'the spec has no Event discriminator mapping');
		assert.deepEqual(eventTypes.map((e) => e.value).sort(), Object.keys(mapping).sort());
	});

	for (const [resource, operation] of operations()) {
		it(`${resource} → ${operation} sends only requests the spec defines`, async () => {
			const parameters: IDataObject = { resource, operation };
			for (const p of visible(resource, operation)) {
				if (p.name in parameters || p.type === 'notice') continue;
				parameters[p.name] = p.default as IDataObject[keyof IDataObject];
			}
			Object.assign(parameters, required[`${resource}.${operation}`] ?? {});
			// IDs the defaults leave empty.
			for (const id of ['customerId', 'invoiceId', 'primaryId', 'duplicateId', 'dealId']) {
				if (id in parameters) parameters[id] = 'x_1';
			}
			const fake = fakeContext({
				parameters,
				handler: answer,
				binary: { data: { data: Buffer.from('a,b\n'), fileName: 'x.csv', mimeType: 'text/csv' } },
			});
			await new Billbridge().execute.call(fake.ctx as unknown as IExecuteFunctions);
			assert.ok(fake.requests.length > 0, 'no request sent');
			for (const request of fake.requests) {
				reached.add(specOperation(request) ?? '');
				assert.ok(
					specOperation(request),
					`${request.method} ${new URL(request.url).pathname} is not in openapi.json`,
				);
			}
		});
	}

	it('covers the sync health, redelivery and alert settings operations', () => {
		for (const id of mustCover) {
			assert.ok(
				Object.values(spec.paths).some((methods) =>
					Object.values(methods).some((op) => op.operationId === id),
				),
				`${id} is not in openapi.json`,
			);
		}
		assert.deepEqual(
			mustCover.filter((id) => !reached.has(id)),
			[],
		);
	});
});
