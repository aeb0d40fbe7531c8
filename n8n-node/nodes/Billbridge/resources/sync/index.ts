import type { INodeProperties } from 'n8n-workflow';
import type { Resource } from '../../shared/operation';
import { reportError, reportErrorDescription } from './reportError';

const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['sync'] } },
	options: [
		{
			name: 'Report Error',
			value: 'reportError',
			action: 'Report sync error',
			description:
				"Record a failed workflow as a sync incident in billbridge, e.g. from an Error Trigger, so it shows in billbridge's sync health",
		},
	],
	default: 'reportError',
};

/** sync is the Sync resource of the Billbridge node: reporting failed syncs. */
export const sync: Resource = {
	description: [operation, ...reportErrorDescription],
	operations: { reportError },
};
