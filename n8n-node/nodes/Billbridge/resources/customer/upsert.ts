import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { billbridgeRequest } from '../../../shared/transport';
import {
	customerBody,
	customerFields,
	idempotencyKey,
	idempotencyKeyField,
} from '../../shared/fields';

export const upsertDescription: INodeProperties[] = [
	...customerFields('customer', ['upsert']),
	idempotencyKeyField('customer', ['upsert']),
];

/** upsert creates the customer or updates the one matched by external ID, customer number or email. */
export async function upsert(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	return await billbridgeRequest.call(this, 'POST', '/v1/customers/upsert', {
		body: customerBody(this, i),
		idempotencyKey: idempotencyKey(this, i),
	});
}
