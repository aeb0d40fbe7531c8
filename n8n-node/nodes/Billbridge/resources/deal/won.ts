import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { billbridgeRequest } from '../../../shared/transport';
import {
	currencyField,
	dueInDaysOption,
	finalizeOption,
	customerBody,
	customerFields,
	idempotencyKey,
	idempotencyKeyField,
	lineItemFields,
	lineItems,
	renameKeys,
	show,
} from '../../shared/fields';

export const wonDescription: INodeProperties[] = [
	{
		displayName: 'Deal ID',
		name: 'dealId',
		type: 'string',
		required: true,
		default: '',
		description:
			"The CRM's deal ID; it becomes the invoice's external ID, so a repeat returns the same customer and invoice",
		displayOptions: show('deal', ['won']),
	},
	...customerFields('deal', ['won']),
	currencyField('deal', ['won']),
	...lineItemFields('deal', ['won']),
	{
		displayName: 'Invoice Fields',
		name: 'dealFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show('deal', ['won']),
		options: [dueInDaysOption, finalizeOption],
	},
	idempotencyKeyField('deal', ['won']),
];

const dealKeys = { dueInDays: 'due_in_days', finalize: 'finalize' };

/** won upserts the deal's customer and creates its invoice in one step. */
export async function won(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const body: IDataObject = {
		deal_id: this.getNodeParameter('dealId', i) as string,
		customer: customerBody(this, i),
		currency: this.getNodeParameter('currency', i) as string,
		items: lineItems(this, i),
		...renameKeys(this.getNodeParameter('dealFields', i, {}) as IDataObject, dealKeys),
	};
	return await billbridgeRequest.call(this, 'POST', '/v1/deals/won', {
		body,
		idempotencyKey: idempotencyKey(this, i),
	});
}
