import type { INodeProperties } from 'n8n-workflow';
import type { Resource } from '../../shared/operation';
import { byIdDescription, cancel, finalize, get } from './byId';
import { create, createDescription } from './create';
import { getAll, getAllDescription } from './getAll';

const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['invoice'] } },
	options: [
		{
			name: 'Cancel',
			value: 'cancel',
			action: 'Cancel an invoice',
			description: 'Cancel an invoice that has no payments',
		},
		{
			name: 'Create',
			value: 'create',
			action: 'Create an invoice',
			description: 'Create an invoice; the same external ID returns the existing one',
		},
		{
			name: 'Finalize',
			value: 'finalize',
			action: 'Finalize an invoice',
			description: 'Give a draft its number, issue date and due date',
		},
		{
			name: 'Get',
			value: 'get',
			action: 'Get an invoice',
			description: 'Get an invoice by ID',
		},
		{
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many invoices',
			description: 'List invoices by status (including unpaid), customer or external ID',
		},
	],
	default: 'create',
};

/** invoice is the Invoice resource of the Billbridge node. */
export const invoice: Resource = {
	description: [operation, ...createDescription, ...byIdDescription, ...getAllDescription],
	operations: { cancel, create, finalize, get, getAll },
};
