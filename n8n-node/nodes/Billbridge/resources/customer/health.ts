import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { billbridgeRequest } from '../../../shared/transport';
import { show } from '../../shared/fields';
import { locatorParameter } from '../../shared/locator';

/** dunningPausedField is the dunning pause (Mahnsperre) switch of a customer or an invoice. */
export function dunningPausedField(resource: string): INodeProperties {
	return {
		displayName: 'Pause Dunning',
		name: 'dunningPaused',
		type: 'boolean',
		default: true,
		description:
			'Whether to stop reminders, e.g. during a dispute; off resumes the reminder levels where they stood',
		displayOptions: show(resource, ['setDunningPause']),
	};
}

export const healthDescription: INodeProperties[] = [dunningPausedField('customer')];

function customerPath(ctx: IExecuteFunctions, i: number, suffix: string): string {
	const id = locatorParameter(ctx, 'customer', 'customerId', i);
	return `/v1/customers/${encodeURIComponent(id)}/${suffix}`;
}

/**
 * getPaymentHealth returns how the customer pays: per currency amounts,
 * counts and days, a rating (good, watch, poor, insufficient_data) and
 * readable warnings.
 */
export async function getPaymentHealth(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	return await billbridgeRequest.call(this, 'GET', customerPath(this, i, 'payment-health'));
}

/** setDunningPause pauses or resumes the reminders of all the customer's invoices. */
export async function setDunningPause(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	return await billbridgeRequest.call(this, 'PUT', customerPath(this, i, 'dunning'), {
		body: { paused: this.getNodeParameter('dunningPaused', i, true) as boolean },
	});
}
