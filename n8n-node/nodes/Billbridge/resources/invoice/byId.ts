import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { billbridgeRequest } from '../../../shared/transport';
import {
	idempotencyKey,
	idempotencyKeyField,
	issueDateOption,
	renameKeys,
	show,
} from '../../shared/fields';

export const byIdDescription: INodeProperties[] = [
	{
		displayName: 'Invoice ID',
		name: 'invoiceId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. inv_01JDZ8M3W6T4X9Y2Q5R7V1N0KE',
		displayOptions: show('invoice', [
			'get',
			'finalize',
			'cancel',
			'getPdf',
			'getQrBill',
			'setDunningPause',
		]),
	},
	{
		displayName: 'Finalize Fields',
		name: 'finalizeFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show('invoice', ['finalize']),
		options: [issueDateOption],
	},
	idempotencyKeyField('invoice', ['finalize', 'cancel']),
];

function invoicePath(ctx: IExecuteFunctions, i: number): string {
	return `/v1/invoices/${encodeURIComponent(ctx.getNodeParameter('invoiceId', i) as string)}`;
}

/** get returns one invoice by its billbridge ID. */
export async function get(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	return await billbridgeRequest.call(this, 'GET', invoicePath(this, i));
}

/** finalize turns a draft into an open invoice with number, issue and due date. */
export async function finalize(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const fields = renameKeys(this.getNodeParameter('finalizeFields', i, {}) as IDataObject, {
		issueDate: 'issue_date',
	});
	return await billbridgeRequest.call(this, 'POST', `${invoicePath(this, i)}/finalize`, {
		body: Object.keys(fields).length > 0 ? fields : undefined,
		idempotencyKey: idempotencyKey(this, i),
	});
}

/** cancel cancels an invoice that has no payments. */
export async function cancel(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	return await billbridgeRequest.call(this, 'POST', `${invoicePath(this, i)}/cancel`, {
		idempotencyKey: idempotencyKey(this, i),
	});
}

/** setDunningPause pauses (Mahnsperre) or resumes the invoice's reminders and returns the invoice. */
export async function setDunningPause(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	return await billbridgeRequest.call(this, 'PUT', `${invoicePath(this, i)}/dunning`, {
		body: { paused: this.getNodeParameter('dunningPaused', i, true) as boolean },
	});
}
