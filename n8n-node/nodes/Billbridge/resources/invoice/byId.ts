import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { billbridgeRequest } from '../../../shared/transport';
import {
	idempotencyKey,
	idempotencyKeyField,
	issueDateOption,
	renameKeys,
	show,
} from '../../shared/fields';
import { invoiceLocator, locatorParameter } from '../../shared/locator';
import { simpleInvoiceKeys, simplified, simplifyField } from '../../shared/simplify';

export const byIdDescription: INodeProperties[] = [
	invoiceLocator({
		displayName: 'Invoice',
		name: 'invoiceId',
		displayOptions: show('invoice', [
			'get',
			'finalize',
			'cancel',
			'getPdf',
			'getQrBill',
			'setDunningPause',
		]),
	}),
	simplifyField('invoice', ['get']),
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
	return `/v1/invoices/${encodeURIComponent(locatorParameter(ctx, 'invoice', 'invoiceId', i))}`;
}

/** get returns one invoice by its billbridge ID (simplified when asked). */
export async function get(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const invoice = await billbridgeRequest.call(this, 'GET', invoicePath(this, i));
	return simplified(this, i, invoice, simpleInvoiceKeys);
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
