import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { asListPage, collectPages } from '../../../shared/list';
import { billbridgeRequest } from '../../../shared/transport';
import {
	invoiceStatusOptions,
	listLimit,
	renameKeys,
	returnAllFields,
	show,
} from '../../shared/fields';

export const getAllDescription: INodeProperties[] = [
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: [{ name: 'Any', value: '' }, ...invoiceStatusOptions],
		default: '',
		displayOptions: show('invoice', ['getAll']),
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: show('invoice', ['getAll']),
		options: [
			{ displayName: 'Customer ID', name: 'customerId', type: 'string', default: '' },
			{ displayName: 'External ID', name: 'externalId', type: 'string', default: '' },
			{
				displayName: 'Payment Reference',
				name: 'paymentReference',
				type: 'string',
				default: '',
				placeholder: 'e.g. RF18INV000042',
				description:
					'The QR reference or creditor reference (RF…) of the invoice, as on its QR-bill or in a bank file; spaces and case do not matter',
			},
		],
	},
	...returnAllFields('invoice', ['getAll']),
];

const filterKeys = {
	customerId: 'customer_id',
	externalId: 'external_id',
	paymentReference: 'payment_reference',
};

/** getAll lists invoices, optionally by status (unpaid included), customer, external ID or payment reference. */
export async function getAll(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const qs = renameKeys(this.getNodeParameter('filters', i, {}) as IDataObject, filterKeys);
	const status = this.getNodeParameter('status', i, '') as string;
	if (status) {
		qs.status = status;
	}
	return await collectPages(
		async (pageSize, startingAfter) => {
			const pageQs: IDataObject = { ...qs, limit: pageSize };
			if (startingAfter) {
				pageQs.starting_after = startingAfter;
			}
			return asListPage(await billbridgeRequest.call(this, 'GET', '/v1/invoices', { qs: pageQs }));
		},
		listLimit(this, i),
	);
}
