import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { billbridgeRequest } from '../../../shared/transport';
import {
	customerBody,
	customerFields,
	idempotencyKey,
	idempotencyKeyField,
} from '../../shared/fields';

export const createDescription: INodeProperties[] = [
	...customerFields('customer', ['create']),
	idempotencyKeyField('customer', ['create']),
];

/** create adds a customer; a clash on external ID, customer number or email fails with the existing ID. */
export async function create(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	return await billbridgeRequest.call(this, 'POST', '/v1/customers', {
		body: customerBody(this, i),
		idempotencyKey: idempotencyKey(this, i),
	});
}
