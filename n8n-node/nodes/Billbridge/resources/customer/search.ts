import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { asListPage, collectPages } from '../../../shared/list';
import { billbridgeRequest } from '../../../shared/transport';
import { listLimit, renameKeys, returnAllFields, show } from '../../shared/fields';
import { simpleCustomerKeys, simplified, simplifyField } from '../../shared/simplify';

export const searchDescription: INodeProperties[] = [
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: show('customer', ['getAll']),
		options: [
			{
				displayName: 'Customer Number',
				name: 'customerNumber',
				type: 'string',
				default: '',
			},
			{
				displayName: 'Email',
				name: 'email',
				type: 'string',
				placeholder: 'e.g. nathan@example.com',
				default: '',
				description: 'Matches the normalised email exactly',
			},
			{ displayName: 'External ID', name: 'externalId', type: 'string', default: '' },
			{
				displayName: 'Text',
				name: 'q',
				type: 'string',
				default: '',
				description: 'Free text found in name, email or customer number',
			},
		],
	},
	...returnAllFields('customer', ['getAll']),
	simplifyField('customer', ['getAll']),
];

const filterKeys = {
	customerNumber: 'customer_number',
	email: 'email',
	externalId: 'external_id',
	q: 'q',
};

/** getAll lists the customers matching the filters, best match first; no match is no item. */
export async function getAll(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const qs = renameKeys(this.getNodeParameter('filters', i, {}) as IDataObject, filterKeys);
	const customers = await collectPages(
		async (pageSize, startingAfter) => {
			const pageQs: IDataObject = { ...qs, limit: pageSize };
			if (startingAfter) {
				pageQs.starting_after = startingAfter;
			}
			return asListPage(await billbridgeRequest.call(this, 'GET', '/v1/customers', { qs: pageQs }));
		},
		listLimit(this, i),
	);
	return simplified(this, i, customers, simpleCustomerKeys);
}
