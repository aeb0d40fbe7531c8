import type { INodeProperties } from 'n8n-workflow';
import {
	exportDescription,
	exportFile,
	importDescription,
	importFile,
} from '../../shared/dataFiles';
import type { Operation, Resource } from '../../shared/operation';
import { dunningPausedField } from '../customer/health';
import { byIdDescription, cancel, finalize, get, setDunningPause } from './byId';
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
			action: 'Cancel invoice',
			description: 'Cancel an invoice that has no payments',
		},
		{
			name: 'Create',
			value: 'create',
			action: 'Create invoice',
			description: 'Create an invoice; the same external ID returns the existing one',
		},
		{
			name: 'Export',
			value: 'export',
			action: 'Export invoices',
			description: 'Download invoices (by status, or changed since a time) as a CSV or XLSX file',
		},
		{
			name: 'Finalize',
			value: 'finalize',
			action: 'Finalize invoice',
			description: 'Give a draft its number, issue date and due date',
		},
		{
			name: 'Get',
			value: 'get',
			action: 'Get invoice',
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
			action: 'Get invoice PDF',
			description: 'Get the invoice as an A4 PDF with its QR-bill, as a binary file',
		},
		{
			name: 'Get QR-Bill',
			value: 'getQrBill',
			action: 'Get invoice QR bill',
			description: 'Get the Swiss QR-bill (payment part with receipt) as a binary file',
		},
		{
			name: 'Import',
			value: 'import',
			action: 'Import invoices',
			description:
				'Create invoices from a CSV or XLSX file, one row per line: drafts, open or paid, original numbers and past dates kept',
		},
		{
			name: 'Set Dunning Pause',
			value: 'setDunningPause',
			action: 'Pause or resume invoice dunning',
			description:
				'Pause reminders of the invoice, e.g. during a dispute (Swiss: Mahnsperre), or resume them',
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
		dunningPausedField('invoice'),
		...importDescription('invoice', 'invoice lines'),
		...exportDescription('invoice', true),
	],
	operations: {
		cancel,
		create,
		export: async function (i) {
			return await exportFile(this, i, 'invoices');
		} as Operation,
		finalize,
		get,
		getAll,
		getPdf,
		getQrBill,
		import: async function (i) {
			return await importFile(this, i, 'invoices');
		} as Operation,
		setDunningPause,
	},
};
