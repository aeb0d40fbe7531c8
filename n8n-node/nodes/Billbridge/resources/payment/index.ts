import type { INodeProperties } from 'n8n-workflow';
import { exportDescription, exportFile } from '../../shared/dataFiles';
import type { Operation, Resource } from '../../shared/operation';
import { record, recordDescription } from './record';

const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['payment'] } },
	options: [
		{
			name: 'Export',
			value: 'export',
			action: 'Export payments',
			description: 'Download every payment (or those recorded since a time) as a CSV or XLSX file',
		},
		{
			name: 'Record',
			value: 'record',
			action: 'Record payment',
			description: 'Record a payment received for an invoice',
		},
	],
	default: 'record',
};

/** payment is the Payment resource of the Billbridge node. */
export const payment: Resource = {
	description: [operation, ...recordDescription, ...exportDescription('payment', false)],
	operations: {
		export: async function (i) {
			return await exportFile(this, i, 'payments');
		} as Operation,
		record,
	},
};
