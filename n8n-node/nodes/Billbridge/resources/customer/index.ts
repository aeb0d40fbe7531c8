import type { INodeProperties } from 'n8n-workflow';
import {
	exportDescription,
	exportFile,
	importDescription,
	importFile,
} from '../../shared/dataFiles';
import type { Operation, Resource } from '../../shared/operation';
import { create, createDescription } from './create';
import { findDuplicates, findDuplicatesDescription } from './findDuplicates';
import { get, getDescription } from './get';
import { getPaymentHealth, healthDescription, setDunningPause } from './health';
import { merge, mergeDescription } from './merge';
import { search, searchDescription } from './search';
import { upsert, upsertDescription } from './upsert';

const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['customer'] } },
	options: [
		{
			name: 'Create',
			value: 'create',
			action: 'Create a customer',
			description: 'Create a customer; fails if its external ID, number or email is taken',
		},
		{
			name: 'Create or Update',
			value: 'upsert',
			action: 'Create or update a customer',
			description: 'Create a new record, or update the current one if it already exists (upsert)',
		},
		{
			name: 'Export',
			value: 'export',
			action: 'Export customers',
			description: 'Download every customer (or those changed since a time) as a CSV or XLSX file',
		},
		{
			name: 'Find Possible Duplicates',
			value: 'findDuplicates',
			action: 'Find possible duplicate customers',
			description:
				"List pairs of customers that may be one (a, b, score, reasons): one customer's or the whole account's",
		},
		{
			name: 'Get',
			value: 'get',
			action: 'Get a customer',
			description: 'Get a customer by ID',
		},
		{
			name: 'Get Payment Health',
			value: 'getPaymentHealth',
			action: 'Get the payment health of a customer',
			description:
				'How the customer pays: open and overdue amounts, days late, reminders, a rating (good, watch, poor) and warnings',
		},
		{
			name: 'Import',
			value: 'import',
			action: 'Import customers',
			description:
				'Create or update one customer per row of a CSV or XLSX file (German, French or English headers); a dry run writes nothing',
		},
		{
			name: 'Merge',
			value: 'merge',
			action: 'Merge two customers',
			description:
				'Merge a duplicate into the primary customer: invoices and payments move, the duplicate ID answers the primary',
		},
		{
			name: 'Search',
			value: 'search',
			action: 'Search customers',
			description: 'Find customers by email, external ID, number or text',
		},
		{
			name: 'Set Dunning Pause',
			value: 'setDunningPause',
			action: 'Pause or resume the dunning of a customer',
			description:
				"Stop (Mahnsperre) or resume reminders of all the customer's invoices, e.g. during a dispute",
		},
	],
	default: 'upsert',
};

/** customer is the Customer resource of the Billbridge node. */
export const customer: Resource = {
	description: [
		operation,
		...upsertDescription,
		...createDescription,
		...getDescription,
		...searchDescription,
		...findDuplicatesDescription,
		...mergeDescription,
		...healthDescription,
		...importDescription('customer', 'customers'),
		...exportDescription('customer', false),
	],
	operations: {
		create,
		export: async function (i) {
			return await exportFile(this, i, 'customers');
		} as Operation,
		findDuplicates,
		get,
		getPaymentHealth,
		import: async function (i) {
			return await importFile(this, i, 'customers');
		} as Operation,
		merge,
		search,
		setDunningPause,
		upsert,
	},
};
