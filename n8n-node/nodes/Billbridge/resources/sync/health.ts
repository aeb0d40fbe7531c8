import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { billbridgeRequest } from '../../../shared/transport';
import { idempotencyKey, idempotencyKeyField, show } from '../../shared/fields';

export const healthDescription: INodeProperties[] = [
	{
		displayName: 'Window',
		name: 'window',
		type: 'string',
		default: '7d',
		placeholder: 'e.g. 7d',
		description:
			'How far back to look: hours (24h) or days (7d), 1h to 90d. The answer holds API requests and errors, each hook with its status, incidents per week and the success rate.',
		displayOptions: show('sync', ['getHealth']),
	},
	{
		displayName: 'Hook ID',
		name: 'hookId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. hook_01JDZ8T9F2G5H8J1K4L7P0Q3RS',
		description: 'The hook whose receiver missed events, as Get Sync Health lists it under hooks',
		displayOptions: show('sync', ['redeliverHook']),
	},
	{
		displayName: 'After Seq',
		name: 'afterSeq',
		type: 'number',
		typeOptions: { minValue: 0 },
		required: true,
		default: 0,
		description:
			"Replay the events after this seq: the seq of the last event the receiver has (in its last webhook's payload); 0 replays everything",
		displayOptions: show('sync', ['redeliverHook']),
	},
	{
		displayName: 'Until Caught Up',
		name: 'untilCaughtUp',
		type: 'boolean',
		default: true,
		description:
			'Whether to keep queueing until the newest event (1000 events a request); off queues one request’s worth and returns has_more and last_seq',
		displayOptions: show('sync', ['redeliverHook']),
	},
	idempotencyKeyField('sync', ['redeliverHook']),
	{
		displayName: 'Alert Emails',
		name: 'alertEmails',
		type: 'string',
		default: '',
		placeholder: 'e.g. owner@example.ch, bookkeeping@example.ch',
		description:
			'Who gets the alert mails when the sync breaks, separated by commas, at most 10; empty sends none. Replaces the current list.',
		displayOptions: show('sync', ['updateAlertSettings']),
	},
	{
		displayName: 'Silence Hours',
		name: 'silenceHours',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 168 },
		default: 24,
		description: 'Hours an alert stays quiet after its mail while it keeps firing, 1–168',
		displayOptions: show('sync', ['updateAlertSettings']),
	},
	{
		displayName: 'Alert After Hours Without API Call',
		name: 'noApiCallHours',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 720 },
		default: 0,
		description:
			'Alert when no API call arrived for this many hours, e.g. 48 for a daily workflow; 0 for no such alert',
		displayOptions: show('sync', ['updateAlertSettings']),
	},
];

/** getHealth returns the account's sync health over the window (GET /v1/sync/health). */
export async function getHealth(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const window = String(this.getNodeParameter('window', i, '7d')).trim();
	return await billbridgeRequest.call(this, 'GET', '/v1/sync/health', {
		qs: window ? { window } : {},
	});
}

/** The most requests one Redeliver Hook makes while catching up (1000 events each). */
const MAX_REDELIVER_REQUESTS = 100;

/**
 * redeliverHook queues the events after After Seq to the hook again (POST
 * /v1/hooks/{id}/redeliver), request after request while has_more when Until
 * Caught Up is on; it returns the last answer with queued summed over all.
 * With an Idempotency Key, each request's key is the key and its after_seq,
 * so a retried execution replays rather than queues twice.
 */
export async function redeliverHook(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const hookId = String(this.getNodeParameter('hookId', i)).trim();
	if (!hookId) {
		throw new NodeOperationError(this.getNode(), 'Hook ID is empty', { itemIndex: i });
	}
	const untilCaughtUp = this.getNodeParameter('untilCaughtUp', i, true) as boolean;
	const key = idempotencyKey(this, i);
	let afterSeq = this.getNodeParameter('afterSeq', i, 0) as number;
	let queued = 0;
	for (let n = 0; ; n++) {
		const answer = await billbridgeRequest.call(
			this,
			'POST',
			`/v1/hooks/${encodeURIComponent(hookId)}/redeliver`,
			{ qs: { after_seq: afterSeq }, idempotencyKey: key ? `${key}:${afterSeq}` : '' },
		);
		queued += Number(answer.queued ?? 0);
		const more = answer.has_more === true && typeof answer.last_seq === 'number';
		if (!untilCaughtUp || !more || n + 1 >= MAX_REDELIVER_REQUESTS) {
			return { ...answer, queued };
		}
		afterSeq = answer.last_seq as number;
	}
}

/** getAlertSettings returns who gets the alert mails and when (GET /v1/settings/alerts). */
export async function getAlertSettings(this: IExecuteFunctions): Promise<IDataObject> {
	return await billbridgeRequest.call(this, 'GET', '/v1/settings/alerts');
}

/** updateAlertSettings replaces the alert settings (PUT /v1/settings/alerts) and returns them. */
export async function updateAlertSettings(
	this: IExecuteFunctions,
	i: number,
): Promise<IDataObject> {
	const emails = String(this.getNodeParameter('alertEmails', i, ''))
		.split(/[,;\s]+/)
		.map((e) => e.trim())
		.filter((e) => e !== '');
	const noApiCallHours = this.getNodeParameter('noApiCallHours', i, 0) as number;
	return await billbridgeRequest.call(this, 'PUT', '/v1/settings/alerts', {
		body: {
			emails,
			silence_hours: this.getNodeParameter('silenceHours', i, 24) as number,
			no_api_call_hours: noApiCallHours > 0 ? noApiCallHours : null,
		},
	});
}
