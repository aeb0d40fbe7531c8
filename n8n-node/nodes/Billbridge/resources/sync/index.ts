import type { INodeProperties } from 'n8n-workflow';
import type { Resource } from '../../shared/operation';
import {
	getAlertSettings,
	getHealth,
	healthDescription,
	redeliverHook,
	updateAlertSettings,
} from './health';
import { reportError, reportErrorDescription } from './reportError';

const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['sync'] } },
	options: [
		{
			name: 'Get Alert Settings',
			value: 'getAlertSettings',
			action: 'Get alert settings',
			description: 'Who gets an e-mail when the sync breaks, and how often',
		},
		{
			name: 'Get Sync Health',
			value: 'getHealth',
			action: 'Get sync health',
			description:
				'How the sync is doing: API requests and errors, each hook (healthy, failing, removed) with pending and dropped deliveries, incidents per week, success rate',
		},
		{
			name: 'Redeliver Hook',
			value: 'redeliverHook',
			action: 'Redeliver hook',
			description:
				'Send a webhook receiver the events it missed again, after a given seq (the manual fallback after an outage)',
		},
		{
			name: 'Report Sync Error',
			value: 'reportError',
			action: 'Report sync error',
			description:
				"Record a failed workflow as a sync incident in billbridge, e.g. from an Error Trigger, so it shows in billbridge's sync health",
		},
		{
			name: 'Update Alert Settings',
			value: 'updateAlertSettings',
			action: 'Update alert settings',
			description: 'Set who gets an e-mail when the sync breaks, and how often',
		},
	],
	default: 'reportError',
};

/**
 * sync is the Sync resource of the Billbridge node: reporting failed syncs,
 * reading the sync health, redelivering a hook's events and the alert mails'
 * settings.
 */
export const sync: Resource = {
	description: [operation, ...reportErrorDescription, ...healthDescription],
	operations: { getAlertSettings, getHealth, redeliverHook, reportError, updateAlertSettings },
};
