import type { INodeProperties } from 'n8n-workflow';
import type { Resource } from '../../shared/operation';
import { record, recordDescription } from './record';

const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['payment'] } },
	options: [
		{
			name: 'Record',
			value: 'record',
			action: 'Record a payment',
			description: 'Record a payment received for an invoice',
		},
	],
	default: 'record',
};

/** payment is the Payment resource of the Billbridge node. */
export const payment: Resource = {
	description: [operation, ...recordDescription],
	operations: { record },
};
