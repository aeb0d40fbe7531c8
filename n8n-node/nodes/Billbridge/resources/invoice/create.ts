import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { billbridgeRequest } from '../../../shared/transport';
import {
	currencyField,
	dueInDaysOption,
	finalizeOption,
	idempotencyKey,
	idempotencyKeyField,
	issueDateOption,
	lineItemFields,
	lineItems,
	renameKeys,
	show,
} from '../../shared/fields';
import { customerLocator, locatorParameter } from '../../shared/locator';

export const createDescription: INodeProperties[] = [
	customerLocator({
		displayName: 'Customer',
		name: 'customerId',
		displayOptions: show('invoice', ['create']),
	}),
	currencyField('invoice', ['create']),
	...lineItemFields('invoice', ['create']),
	{
		displayName: 'Invoice Fields',
		name: 'invoiceFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show('invoice', ['create']),
		options: [
			dueInDaysOption,
			{
				displayName: 'External ID',
				name: 'externalId',
				type: 'string',
				default: '',
				description:
					'Your own unique ID for this invoice; creating it again returns the existing invoice',
			},
			finalizeOption,
			issueDateOption,
			{
				displayName: 'Notes',
				name: 'notes',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
			},
			{ displayName: 'Reference', name: 'reference', type: 'string', default: '' },
		],
	},
	idempotencyKeyField('invoice', ['create']),
];

const invoiceKeys = {
	dueInDays: 'due_in_days',
	externalId: 'external_id',
	finalize: 'finalize',
	issueDate: 'issue_date',
	notes: 'notes',
	reference: 'reference',
};

/** create adds a draft (or finalized) invoice for a customer. */
export async function create(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const body: IDataObject = {
		customer_id: locatorParameter(this, 'customer', 'customerId', i),
		currency: this.getNodeParameter('currency', i) as string,
		items: lineItems(this, i),
		...renameKeys(this.getNodeParameter('invoiceFields', i, {}) as IDataObject, invoiceKeys),
	};
	return await billbridgeRequest.call(this, 'POST', '/v1/invoices', {
		body,
		idempotencyKey: idempotencyKey(this, i),
	});
}
