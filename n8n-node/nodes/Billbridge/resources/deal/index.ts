import type { INodeProperties } from 'n8n-workflow';
import type { Resource } from '../../shared/operation';
import { won, wonDescription } from './won';

const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['deal'] } },
	options: [
		{
			name: 'Won',
			value: 'won',
			action: 'Invoice won deal',
			description: 'Create or update the customer and create the invoice for a won deal',
		},
	],
	default: 'won',
};

/** deal is the Deal resource of the Billbridge node. */
export const deal: Resource = {
	description: [operation, ...wonDescription],
	operations: { won },
};
