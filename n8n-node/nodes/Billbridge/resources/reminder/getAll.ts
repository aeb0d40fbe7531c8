import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { asListPage, collectPages } from '../../../shared/list';
import { billbridgeRequest } from '../../../shared/transport';
import { listLimit, returnAllFields, show } from '../../shared/fields';
import { customerLocator, locatorParameter } from '../../shared/locator';

export const getAllDescription: INodeProperties[] = [
	{
		displayName: 'Status',
		name: 'reminderStatus',
		type: 'options',
		options: [
			{
				name: 'Due',
				value: 'due',
				description:
					'Reminders the reminder levels say should go out now, one per invoice, with the figures they would have',
			},
			{ name: 'Sent', value: 'sent', description: 'Reminders sent, newest first' },
		],
		default: 'due',
		displayOptions: show('reminder', ['getAll']),
	},
	customerLocator({
		displayName: 'Customer',
		name: 'customerId',
		required: false,
		description: "Only this customer's reminders; empty for the whole account",
		displayOptions: show('reminder', ['getAll']),
	}),
	...returnAllFields('reminder', ['getAll']),
];

/** getAll lists reminders due now or sent, one output item per reminder. */
export async function getAll(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const status = this.getNodeParameter('reminderStatus', i, 'due') as string;
	const customerId = locatorParameter(this, 'customer', 'customerId', i);
	return await collectPages(
		async (pageSize, startingAfter) => {
			const qs: IDataObject = { status, limit: pageSize };
			if (customerId) {
				qs.customer_id = customerId;
			}
			if (startingAfter) {
				qs.starting_after = startingAfter;
			}
			return asListPage(await billbridgeRequest.call(this, 'GET', '/v1/reminders', { qs }));
		},
		listLimit(this, i),
	);
}
