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
import { customerLocator, locatedId } from '../../shared/locator';
import { simpleInvoiceKeys, simplified, simplifyField } from '../../shared/simplify';

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
			customerLocator({
				displayName: 'Customer',
				name: 'customerId',
				required: false,
				description: "Only this customer's invoices",
			}),
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
	simplifyField('invoice', ['getAll']),
];

const filterKeys = {
	customerId: 'customer_id',
	externalId: 'external_id',
	paymentReference: 'payment_reference',
};

/** getAll lists invoices, optionally by status (unpaid included), customer, external ID or payment reference. */
export async function getAll(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const filters = { ...(this.getNodeParameter('filters', i, {}) as IDataObject) };
	if (filters.customerId !== undefined) {
		filters.customerId = locatedId(this, 'customer', filters.customerId, i);
	}
	const qs = renameKeys(filters, filterKeys);
	const status = this.getNodeParameter('status', i, '') as string;
	if (status) {
		qs.status = status;
	}
	const invoices = await collectPages(
		async (pageSize, startingAfter) => {
			const pageQs: IDataObject = { ...qs, limit: pageSize };
			if (startingAfter) {
				pageQs.starting_after = startingAfter;
			}
			return asListPage(await billbridgeRequest.call(this, 'GET', '/v1/invoices', { qs: pageQs }));
		},
		listLimit(this, i),
	);
	return simplified(this, i, invoices, simpleInvoiceKeys);
}
