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
import { getAll, searchDescription } from './search';
import { update, updateDescription } from './update';
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
			action: 'Create customer',
			description: 'Create a customer; fails if its external ID, number or email is taken',
		},
		{
			name: 'Create or Update',
			value: 'upsert',
			action: 'Create or update customer',
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
			action: 'Get customer',
			description: 'Get a customer by ID',
		},
		{
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many customers',
			description: 'Retrieve a list of customers, found by email, external ID, number or text',
		},
		{
			name: 'Get Payment Health',
			value: 'getPaymentHealth',
			action: 'Get customer payment health',
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
			name: 'Set Dunning Pause',
			value: 'setDunningPause',
			action: 'Pause or resume customer dunning',
			description:
				"Pause reminders of all the customer's invoices, e.g. during a dispute (Swiss: Mahnsperre), or resume them",
		},
		{
			name: 'Update',
			value: 'update',
			action: 'Update customer',
			description:
				'Change the fields you set on one customer (PATCH); fields left out keep their value',
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
		...updateDescription,
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
		getAll,
		setDunningPause,
		update,
		upsert,
	},
};
