import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
	type JsonObject,
} from 'n8n-workflow';
import { eventTypes, typeFilter } from '../shared/events';
import { billbridgeRequest } from '../shared/transport';
import { asEventPage, newestEvent, pollEvents, type CursorState, type FetchEvents } from './cursor';

/**
 * pollsInFlight holds the triggers (workflow ID and node name) whose poll is
 * running. n8n starts a poll on schedule even while the previous one still
 * runs (a slow gateway, a 429 being waited out); both would read the same
 * cursor and emit the same events, so the later one returns nothing instead.
 */
const pollsInFlight = new Set<string>();

/**
 * BillbridgeTrigger polls the billbridge events feed. It keeps the feed's
 * cursor in the workflow's static data, starts from "now" when first
 * activated, and emits every new event of the chosen types exactly once,
 * oldest first.
 */
export class BillbridgeTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Billbridge Trigger',
		name: 'billbridgeTrigger',
		icon: {
			light: 'file:../../icons/billbridge.svg',
			dark: 'file:../../icons/billbridge.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{($parameter["events"] || []).join(", ") || "all events"}}',
		description: 'Starts the workflow on new billbridge events, by polling',
		defaults: {
			name: 'Billbridge Trigger',
		},
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'billbridgeApi', required: true }],
		properties: [
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: eventTypes,
				default: ['invoice.paid'],
				description: 'Event types to start the workflow on; none selected means every type',
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const types = typeFilter(this.getNodeParameter('events', []) as string[]);
		const fetchEvents: FetchEvents = async (qs) =>
			asEventPage(await billbridgeRequest.call(this, 'GET', '/v1/events', { qs }));

		try {
			if (this.getMode() === 'manual') {
				const sample = await newestEvent(types, fetchEvents);
				return sample ? [[{ json: sample }]] : null;
			}
			const key = `${this.getWorkflow().id ?? ''}:${this.getNode().name}`;
			if (pollsInFlight.has(key)) {
				return null;
			}
			pollsInFlight.add(key);
			try {
				const state = this.getWorkflowStaticData('node') as CursorState & IDataObject;
				const events = await pollEvents(state, types, fetchEvents);
				return events.length > 0 ? [events.map((json) => ({ json }))] : null;
			} finally {
				pollsInFlight.delete(key);
			}
		} catch (error) {
			if (error instanceof NodeApiError) {
				throw new NodeApiError(this.getNode(), error as unknown as JsonObject);
			}
			throw new NodeOperationError(this.getNode(), error as Error);
		}
	}
}
