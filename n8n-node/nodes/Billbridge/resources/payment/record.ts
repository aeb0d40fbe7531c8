import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { billbridgeRequest } from '../../../shared/transport';
import { idempotencyKey, idempotencyKeyField, renameKeys, show } from '../../shared/fields';
import { invoiceLocator, locatorParameter } from '../../shared/locator';

export const recordDescription: INodeProperties[] = [
	invoiceLocator({
		displayName: 'Invoice',
		name: 'invoiceId',
		displayOptions: show('payment', ['record']),
	}),
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'number',
		typeOptions: { numberPrecision: 2, minValue: 0 },
		required: true,
		default: 0,
		description: 'Amount received, at most the amount still due',
		displayOptions: show('payment', ['record']),
	},
	{
		displayName: 'Payment Fields',
		name: 'paymentFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show('payment', ['record']),
		options: [
			{
				displayName: 'External ID',
				name: 'externalId',
				type: 'string',
				default: '',
				description:
					"The bank's or PSP's ID of this payment; recording it again returns the first payment and never counts twice",
			},
			{
				displayName: 'Method',
				name: 'method',
				type: 'options',
				options: [
					{ name: 'Bank Transfer', value: 'bank_transfer' },
					{ name: 'Card', value: 'card' },
					{ name: 'Cash', value: 'cash' },
					{ name: 'Direct Debit', value: 'direct_debit' },
					{ name: 'Other', value: 'other' },
				],
				default: 'bank_transfer',
			},
			{
				displayName: 'Paid At',
				name: 'paidAt',
				type: 'string',
				default: '',
				placeholder: 'e.g. 2026-03-31',
				description: 'Date the money arrived; today when empty',
			},
			{ displayName: 'Reference', name: 'reference', type: 'string', default: '' },
		],
	},
	idempotencyKeyField('payment', ['record']),
];

const paymentKeys = {
	externalId: 'external_id',
	method: 'method',
	paidAt: 'paid_at',
	reference: 'reference',
};

/** record books a payment against an invoice. */
export async function record(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const id = encodeURIComponent(locatorParameter(this, 'invoice', 'invoiceId', i));
	const body: IDataObject = {
		amount: this.getNodeParameter('amount', i) as number,
		...renameKeys(this.getNodeParameter('paymentFields', i, {}) as IDataObject, paymentKeys),
	};
	return await billbridgeRequest.call(this, 'POST', `/v1/invoices/${id}/payments`, {
		body,
		idempotencyKey: idempotencyKey(this, i),
	});
}
