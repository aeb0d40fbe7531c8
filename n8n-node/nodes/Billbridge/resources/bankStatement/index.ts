import type { INodeProperties } from 'n8n-workflow';
import type { Resource } from '../../shared/operation';
import { importDescription, importStatement } from './import';

const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['bankStatement'] } },
	options: [
		{
			name: 'Import',
			value: 'import',
			action: 'Import bank statement',
			description:
				'Record the payments of a camt.054 or camt.053 bank file: every credit whose QR or creditor reference names an invoice, exactly once',
		},
	],
	default: 'import',
};

/** bankStatement is the Bank Statement resource of the Billbridge node. */
export const bankStatement: Resource = {
	description: [operation, ...importDescription],
	operations: { import: importStatement },
};
