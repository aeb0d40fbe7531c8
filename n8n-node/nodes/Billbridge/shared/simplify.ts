import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { show } from './fields';

/** The fields a simplified customer keeps. */
export const simpleCustomerKeys = [
	'id',
	'name',
	'email',
	'customer_number',
	'external_id',
	'kind',
	'dunning_paused',
	'updated_at',
];

/** The fields a simplified invoice keeps. */
export const simpleInvoiceKeys = [
	'id',
	'number',
	'customer_id',
	'external_id',
	'status',
	'currency',
	'total',
	'amount_due',
	'issue_date',
	'due_date',
	'payment_reference',
];

/**
 * simplifyField is the Simplify switch of a Get or Get Many: off (the default,
 * so workflows saved before keep their output) returns the whole record.
 */
export function simplifyField(resource: string, operations: string[]): INodeProperties {
	return {
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: false,
		description:
			'Whether to return a simplified version of the response instead of the raw data: only the fields most workflows map',
		displayOptions: show(resource, operations),
	};
}

/** pick copies the keys of record that it has, in the order of keys. */
export function pick(record: IDataObject, keys: string[]): IDataObject {
	const out: IDataObject = {};
	for (const key of keys) {
		if (key in record) {
			out[key] = record[key];
		}
	}
	return out;
}

/** simplified returns the records as they are, or cut to keys when the item's Simplify is on. */
export function simplified<T extends IDataObject | IDataObject[]>(
	ctx: IExecuteFunctions,
	i: number,
	records: T,
	keys: string[],
): T {
	if (!(ctx.getNodeParameter('simplify', i, false) as boolean)) {
		return records;
	}
	return (Array.isArray(records) ? records.map((r) => pick(r, keys)) : pick(records, keys)) as T;
}
