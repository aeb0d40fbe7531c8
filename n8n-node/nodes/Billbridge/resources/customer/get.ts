import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { billbridgeRequest } from '../../../shared/transport';
import { show } from '../../shared/fields';
import { locatorParameter, customerLocator } from '../../shared/locator';
import { simpleCustomerKeys, simplified, simplifyField } from '../../shared/simplify';

export const getDescription: INodeProperties[] = [
	customerLocator({
		displayName: 'Customer',
		name: 'customerId',
		displayOptions: show('customer', ['get', 'getPaymentHealth', 'setDunningPause', 'update']),
	}),
	simplifyField('customer', ['get']),
];

/** get returns one customer by its billbridge ID (simplified when asked). */
export async function get(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const id = encodeURIComponent(locatorParameter(this, 'customer', 'customerId', i));
	const customer = await billbridgeRequest.call(this, 'GET', `/v1/customers/${id}`);
	return simplified(this, i, customer, simpleCustomerKeys);
}
