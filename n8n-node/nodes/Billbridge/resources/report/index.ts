import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { billbridgeRequest } from '../../../shared/transport';
import type { Resource } from '../../shared/operation';
import { show } from '../../shared/fields';

const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['report'] } },
	options: [
		{
			name: 'Get Receivables',
			value: 'receivables',
			action: 'Get the receivables report',
			description:
				'What customers owe per currency on a day: outstanding, overdue and aging buckets (current, 1–30, 31–60, 61–90, over 90 days)',
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
		placeholder: 'YYYY-MM-DD',
		description:
			"The day counted to, in the account's time zone; today when empty. A past day reproduces what was open then.",
		displayOptions: show('report', ['receivables']),
	},
];

/** receivables returns the receivables report {as_of, currencies} as one item. */
async function receivables(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const asOf = String(this.getNodeParameter('asOf', i, '')).trim();
	const qs: IDataObject = asOf ? { as_of: asOf } : {};
	return await billbridgeRequest.call(this, 'GET', '/v1/reports/receivables', { qs });
}

/** report is the Report resource of the Billbridge node. */
export const report: Resource = {
	description: [operation, ...receivablesDescription],
	operations: { receivables },
};
