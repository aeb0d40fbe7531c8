import type { INodeProperties } from 'n8n-workflow';
import type { Resource } from '../../shared/operation';
import { byIdDescription, cancel, finalize, get } from './byId';
import { create, createDescription } from './create';
import { filesDescription, getPdf, getQrBill } from './files';
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
			description:
				'List invoices by status (including unpaid), customer, external ID or payment reference',
		},
		{
			name: 'Get PDF',
			value: 'getPdf',
			action: 'Get an invoice PDF',
			description: 'Get the invoice as an A4 PDF with its QR-bill, as a binary file',
		},
		{
			name: 'Get QR-Bill',
			value: 'getQrBill',
			action: 'Get an invoice QR bill',
			description: 'Get the Swiss QR-bill (payment part with receipt) as a binary file',
		},
	],
	default: 'create',
};

/** invoice is the Invoice resource of the Billbridge node. */
export const invoice: Resource = {
	description: [
		operation,
		...createDescription,
		...byIdDescription,
		...filesDescription,
		...getAllDescription,
	],
	operations: { cancel, create, finalize, get, getAll, getPdf, getQrBill },
};
