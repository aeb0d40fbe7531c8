import type { INodeProperties } from 'n8n-workflow';
import type { Resource } from '../../shared/operation';
import { getAll, getAllDescription } from './getAll';
import { send, sendDescription } from './send';

const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['reminder'] } },
	options: [
		{
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many reminders',
			description: 'List the reminders due now (per the reminder levels) or those sent',
		},
		{
			name: 'Send',
			value: 'send',
			action: 'Send reminder',
			description:
				'Record a payment reminder or dunning letter of an overdue invoice: its fee and interest grow the amount due',
		},
	],
	default: 'send',
};

/** reminder is the Reminder (dunning) resource of the Billbridge node. */
export const reminder: Resource = {
	description: [operation, ...sendDescription, ...getAllDescription],
	operations: { getAll, send },
};
