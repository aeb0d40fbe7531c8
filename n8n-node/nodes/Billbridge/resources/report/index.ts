import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { asListPage, collectPages } from '../../../shared/list';
import { billbridgeRequest } from '../../../shared/transport';
import type { Resource } from '../../shared/operation';
import { listLimit, returnAllFields, show } from '../../shared/fields';

const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['report'] } },
	options: [
		{
			name: 'Get Customer Totals',
			value: 'customers',
			action: 'Get receivables per customer',
			description:
				'Per customer and currency: outstanding and overdue amounts and counts, oldest overdue days, reminder level, dunning pause; most overdue first',
		},
		{
			name: 'Get Receivables',
			value: 'receivables',
			action: 'Get receivables report',
			description:
				'What customers owe per currency on a day: outstanding, overdue and aging buckets (current, 1–30, 31–60, 61–90, over 90 days)',
		},
		{
			name: 'Get Summary',
			value: 'summary',
			action: 'Get invoicing summary',
			description:
				'Per period and currency: invoiced net, VAT by rate, invoiced gross, received and cancelled',
		},
	],
	default: 'receivables',
};

const receivablesDescription: INodeProperties[] = [
	{
		displayName: 'As Of',
		name: 'asOf',
		type: 'string',
		default: '',
		placeholder: 'e.g. 2026-03-31',
		description:
			"The day counted to, in the account's time zone; today when empty. A past day reproduces what was open then.",
		displayOptions: show('report', ['receivables']),
	},
];

const summaryDescription: INodeProperties[] = [
	{
		displayName: 'From',
		name: 'summaryFrom',
		type: 'string',
		default: '',
		placeholder: 'e.g. 2026-03-31',
		description: 'First day of the range; empty for the gateway default',
		displayOptions: show('report', ['summary']),
	},
	{
		displayName: 'To',
		name: 'summaryTo',
		type: 'string',
		default: '',
		placeholder: 'e.g. 2026-03-31',
		description: 'Last day of the range; today when empty',
		displayOptions: show('report', ['summary']),
	},
	{
		displayName: 'Group By',
		name: 'groupBy',
		type: 'options',
		options: [
			{ name: 'Month', value: 'month' },
			{ name: 'Quarter', value: 'quarter' },
			{ name: 'Year', value: 'year' },
		],
		default: 'month',
		displayOptions: show('report', ['summary']),
	},
];

const customersDescription: INodeProperties[] = [
	{
		displayName: 'Sort',
		name: 'reportSort',
		type: 'options',
		options: [
			{ name: 'Most Overdue First', value: 'overdue_desc' },
			{ name: 'Most Outstanding First', value: 'outstanding_desc' },
		],
		default: 'overdue_desc',
		displayOptions: show('report', ['customers']),
	},
	{
		displayName: 'Currency',
		name: 'reportCurrency',
		type: 'options',
		options: [
			{ name: 'All', value: '' },
			{ name: 'CHF', value: 'CHF' },
			{ name: 'EUR', value: 'EUR' },
		],
		default: '',
		displayOptions: show('report', ['customers']),
	},
	...returnAllFields('report', ['customers']),
];

/** summary returns the invoicing summary {from, to, group_by, periods, totals} as one item. */
async function summary(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const qs: IDataObject = { group_by: this.getNodeParameter('groupBy', i, 'month') as string };
	const from = String(this.getNodeParameter('summaryFrom', i, '')).trim();
	const to = String(this.getNodeParameter('summaryTo', i, '')).trim();
	if (from) {
		qs.from = from;
	}
	if (to) {
		qs.to = to;
	}
	return await billbridgeRequest.call(this, 'GET', '/v1/reports/summary', { qs });
}

/** customers lists per-customer receivables, one output item per customer and currency. */
async function customers(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const sort = this.getNodeParameter('reportSort', i, 'overdue_desc') as string;
	const currency = this.getNodeParameter('reportCurrency', i, '') as string;
	return await collectPages(
		async (pageSize, startingAfter) => {
			const qs: IDataObject = { sort, limit: pageSize };
			if (currency) {
				qs.currency = currency;
			}
			if (startingAfter) {
				qs.starting_after = startingAfter;
			}
			return asListPage(await billbridgeRequest.call(this, 'GET', '/v1/reports/customers', { qs }));
		},
		listLimit(this, i),
	);
}

/** receivables returns the receivables report {as_of, currencies} as one item. */
async function receivables(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const asOf = String(this.getNodeParameter('asOf', i, '')).trim();
	const qs: IDataObject = asOf ? { as_of: asOf } : {};
	return await billbridgeRequest.call(this, 'GET', '/v1/reports/receivables', { qs });
}

/** report is the Report resource of the Billbridge node. */
export const report: Resource = {
	description: [
		operation,
		...receivablesDescription,
		...summaryDescription,
		...customersDescription,
	],
	operations: { customers, receivables, summary },
};
