import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { billbridgeRequest } from '../../../shared/transport';
import { idempotencyKey, idempotencyKeyField, show } from '../../shared/fields';

export const mergeDescription: INodeProperties[] = [
	{
		displayName: 'Primary Customer ID',
		name: 'primaryId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. cus_01JDZ8M3W6T4X9Y2Q5R7V1N0KE',
		description: 'The customer that survives',
		displayOptions: show('customer', ['merge']),
	},
	{
		displayName: 'Duplicate Customer ID',
		name: 'duplicateId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. cus_01JDZ8M3W6T4X9Y2Q5R7V1N0KE',
		description:
			'The customer merged into the primary: its invoices and payments move over, its IDs and email keep finding the primary, and its ID answers the primary from now on',
		displayOptions: show('customer', ['merge']),
	},
	idempotencyKeyField('customer', ['merge']),
];

/** merge merges the duplicate customer into the primary; a repeat answers the same result. */
export async function merge(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	return await billbridgeRequest.call(this, 'POST', '/v1/customers/merge', {
		body: {
			primary_id: String(this.getNodeParameter('primaryId', i)).trim(),
			duplicate_id: String(this.getNodeParameter('duplicateId', i)).trim(),
		},
		idempotencyKey: idempotencyKey(this, i),
	});
}
