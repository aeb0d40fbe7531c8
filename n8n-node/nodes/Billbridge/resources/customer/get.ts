import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { billbridgeRequest } from '../../../shared/transport';
import { show } from '../../shared/fields';

export const getDescription: INodeProperties[] = [
	{
		displayName: 'Customer ID',
		name: 'customerId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. cus_01JDZ8M3W6T4X9Y2Q5R7V1N0KE',
		displayOptions: show('customer', ['get', 'getPaymentHealth', 'setDunningPause', 'update']),
	},
];

/** get returns one customer by its billbridge ID. */
export async function get(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const id = encodeURIComponent(this.getNodeParameter('customerId', i) as string);
	return await billbridgeRequest.call(this, 'GET', `/v1/customers/${id}`);
}
