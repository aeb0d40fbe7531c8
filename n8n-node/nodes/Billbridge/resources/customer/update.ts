import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { billbridgeRequest } from '../../../shared/transport';
import {
	addressBodies,
	addressCollections,
	customerFieldOptions,
	customerKeys,
	idempotencyKey,
	idempotencyKeyField,
	renameKeys,
	show,
} from '../../shared/fields';
import { locatorParameter } from '../../shared/locator';

const displayOptions = show('customer', ['update']);

export const updateDescription: INodeProperties[] = [
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions,
		options: [
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				placeholder: 'e.g. Dupont GmbH',
				description: 'Company or person name of the customer',
			},
			...customerFieldOptions,
		],
	},
	...addressCollections(displayOptions),
	idempotencyKeyField('customer', ['update']),
];

/**
 * update changes the fields set on one customer (PATCH /v1/customers/{id});
 * fields left out or empty keep their value. Nothing set is refused here
 * rather than sent as an empty change.
 */
export async function update(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const body = renameKeys(this.getNodeParameter('updateFields', i, {}) as IDataObject, {
		name: 'name',
		...customerKeys,
	});
	Object.assign(body, addressBodies(this, i));
	if (Object.keys(body).length === 0) {
		throw new NodeOperationError(this.getNode(), 'No field to update', {
			itemIndex: i,
			description: "Add at least one field under 'Update Fields', 'Address' or 'Shipping Address'",
		});
	}
	const id = encodeURIComponent(locatorParameter(this, 'customer', 'customerId', i));
	return await billbridgeRequest.call(this, 'PATCH', `/v1/customers/${id}`, {
		body,
		idempotencyKey: idempotencyKey(this, i),
	});
}
