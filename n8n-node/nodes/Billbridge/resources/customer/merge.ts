import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { billbridgeRequest } from '../../../shared/transport';
import { idempotencyKey, idempotencyKeyField, show } from '../../shared/fields';
import { customerLocator, locatorParameter } from '../../shared/locator';

export const mergeDescription: INodeProperties[] = [
	customerLocator({
		displayName: 'Primary Customer',
		name: 'primaryId',
		description: 'The customer that survives',
		displayOptions: show('customer', ['merge']),
	}),
	customerLocator({
		displayName: 'Duplicate Customer',
		name: 'duplicateId',
		description:
			'The customer merged into the primary: its invoices and payments move over, its IDs and email keep finding the primary, and its ID answers the primary from now on',
		displayOptions: show('customer', ['merge']),
	}),
	idempotencyKeyField('customer', ['merge']),
];

/** merge merges the duplicate customer into the primary; a repeat answers the same result. */
export async function merge(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	return await billbridgeRequest.call(this, 'POST', '/v1/customers/merge', {
		body: {
			primary_id: locatorParameter(this, 'customer', 'primaryId', i),
			duplicate_id: locatorParameter(this, 'customer', 'duplicateId', i),
		},
		idempotencyKey: idempotencyKey(this, i),
	});
}
