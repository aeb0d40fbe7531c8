import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { billbridgeRequest } from '../../../shared/transport';
import { idempotencyKey, idempotencyKeyField, show } from '../../shared/fields';
import { invoiceLocator, locatorParameter } from '../../shared/locator';

export const sendDescription: INodeProperties[] = [
	invoiceLocator({
		displayName: 'Invoice',
		name: 'invoiceId',
		description: 'The overdue invoice to remind',
		displayOptions: show('reminder', ['send']),
	}),
	{
		displayName: 'Channel',
		name: 'channel',
		type: 'options',
		options: [
			{ name: 'Email', value: 'email' },
			{ name: 'Manual', value: 'manual' },
			{ name: 'Post', value: 'post' },
		],
		default: 'email',
		description: 'How the reminder went out',
		displayOptions: show('reminder', ['send']),
	},
	{
		displayName: 'Reminder Fields',
		name: 'reminderFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show('reminder', ['send']),
		options: [
			{
				displayName: 'Level',
				name: 'level',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 9 },
				default: 1,
				description:
					"The reminder level to send (1 payment reminder, 2 first dunning letter…); the invoice's next level when not set. A level already sent fails.",
			},
			{
				displayName: 'Note',
				name: 'note',
				type: 'string',
				default: '',
				description: 'A note for the CRM, up to 500 characters',
			},
			{
				displayName: 'Sent At',
				name: 'sentAt',
				type: 'dateTime',
				default: '',
				description: 'When it went out; now when not set. Never in the future.',
			},
		],
	},
	idempotencyKeyField('reminder', ['send']),
];

/**
 * send records a reminder (Zahlungserinnerung, Mahnung) of an overdue invoice
 * at its next level or the given one: the fee and interest grow the invoice's
 * amount due, and reminder.sent is emitted. Without an Idempotency Key a second
 * reminder of the same level fails instead of climbing the ladder.
 */
export async function send(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const invoiceId = locatorParameter(this, 'invoice', 'invoiceId', i);
	const fields = this.getNodeParameter('reminderFields', i, {}) as IDataObject;
	const body: IDataObject = { channel: this.getNodeParameter('channel', i, 'email') as string };
	if (typeof fields.level === 'number') {
		body.level = fields.level;
	}
	if (fields.note) {
		body.note = fields.note;
	}
	if (fields.sentAt) {
		body.sent_at = new Date(String(fields.sentAt)).toISOString();
	}
	return await billbridgeRequest.call(
		this,
		'POST',
		`/v1/invoices/${encodeURIComponent(invoiceId)}/reminders`,
		{ body, idempotencyKey: idempotencyKey(this, i) },
	);
}
