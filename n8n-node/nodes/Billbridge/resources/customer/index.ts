import type { INodeProperties } from 'n8n-workflow';
import type { Resource } from '../../shared/operation';
import { create, createDescription } from './create';
import { findDuplicates, findDuplicatesDescription } from './findDuplicates';
import { get, getDescription } from './get';
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
	],
	operations: { create, findDuplicates, get, merge, search, upsert },
};
