import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { eventTypes } from '../shared/events';
import { billbridgeRequest, isObject } from '../shared/transport';
import { verifyDelivery } from './signature';

/** What the trigger keeps in the workflow's static data. */
interface HookState extends IDataObject {
	hookId?: string;
	secret?: string;
}

/** subscribedEvents returns the chosen event types, or ["*"] for every type. */
function subscribedEvents(ctx: IHookFunctions): string[] {
	const events = (ctx.getNodeParameter('events', []) as string[]).filter((e) => e !== '');
	return events.length > 0 ? [...events].sort() : ['*'];
}

function webhookUrl(ctx: IHookFunctions): string {
	const url = ctx.getNodeWebhookUrl('default');
	if (!url) {
		throw new NodeOperationError(ctx.getNode(), 'n8n has no webhook URL for this node');
	}
	return url;
}

async function hooksAt(ctx: IHookFunctions, url: string): Promise<IDataObject[]> {
	const body = await billbridgeRequest.call(ctx, 'GET', '/v1/hooks', { qs: { target_url: url } });
	return Array.isArray(body.data)
		? ((body.data as unknown[]).filter(isObject) as IDataObject[])
		: [];
}

function header(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : value;
}

/**
 * BillbridgeWebhookTrigger subscribes a billbridge hook to this workflow's
 * webhook URL while the workflow is active, and starts the workflow for each
 * delivery whose Standard Webhooks signature verifies. Anything else gets 401.
 */
export class BillbridgeWebhookTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Billbridge Webhook Trigger',
		name: 'billbridgeWebhookTrigger',
		icon: {
			light: 'file:../../icons/billbridge.svg',
			dark: 'file:../../icons/billbridge.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{($parameter["events"] || []).join(", ") || "all events"}}',
		description: 'Starts the workflow at once when billbridge sends an event',
		defaults: {
			name: 'Billbridge Webhook Trigger',
		},
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'billbridgeApi', required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'webhook',
			},
		],
		properties: [
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: eventTypes,
				default: ['invoice.paid'],
				description: 'Event types to subscribe to; none selected means every type',
			},
		],
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const state = this.getWorkflowStaticData('node') as HookState;
				if (!state.hookId || !state.secret) {
					return false;
				}
				const hook = (await hooksAt(this, webhookUrl(this))).find((h) => h.id === state.hookId);
				if (!hook) {
					return false;
				}
				const events = Array.isArray(hook.events) ? (hook.events as string[]) : [];
				return [...events].sort().join(',') === subscribedEvents(this).join(',');
			},

			async create(this: IHookFunctions): Promise<boolean> {
				const url = webhookUrl(this);
				// A hook at this URL whose secret we do not hold (lost static data, a
				// changed event list) could only produce deliveries we must refuse.
				for (const stale of await hooksAt(this, url)) {
					await billbridgeRequest.call(
						this,
						'DELETE',
						`/v1/hooks/${encodeURIComponent(String(stale.id))}`,
					);
				}
				const hook = await billbridgeRequest.call(this, 'POST', '/v1/hooks', {
					body: { target_url: url, events: subscribedEvents(this) },
				});
				if (typeof hook.id !== 'string' || typeof hook.secret !== 'string') {
					throw new NodeOperationError(
						this.getNode(),
						'billbridge did not return a hook id and secret',
					);
				}
				const state = this.getWorkflowStaticData('node') as HookState;
				state.hookId = hook.id;
				state.secret = hook.secret;
				return true;
			},

			async delete(this: IHookFunctions): Promise<boolean> {
				const state = this.getWorkflowStaticData('node') as HookState;
				if (state.hookId) {
					await billbridgeRequest.call(
						this,
						'DELETE',
						`/v1/hooks/${encodeURIComponent(state.hookId)}`,
					);
				}
				delete state.hookId;
				delete state.secret;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const state = this.getWorkflowStaticData('node') as HookState;
		const request = this.getRequestObject();
		const verdict = verifyDelivery(
			state.secret ?? '',
			{
				id: header(request.headers['webhook-id']),
				timestamp: header(request.headers['webhook-timestamp']),
				signature: header(request.headers['webhook-signature']),
				body: (request as unknown as { rawBody?: Buffer }).rawBody,
			},
			Math.floor(Date.now() / 1000),
		);
		if (!verdict.ok) {
			this.logger.warn(`Billbridge webhook refused: ${verdict.reason}`);
			this.getResponseObject().status(401).json({ error: 'invalid webhook signature' });
			return { noWebhookResponse: true };
		}
		return { workflowData: [[{ json: this.getBodyData() }]] };
	}
}
