import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { asListPage, collectPages } from '../../../shared/list';
import { billbridgeRequest } from '../../../shared/transport';
import { listLimit, returnAllFields, show } from '../../shared/fields';
import { customerLocator, locatorParameter } from '../../shared/locator';

export const findDuplicatesDescription: INodeProperties[] = [
	customerLocator({
		displayName: 'Customer',
		name: 'duplicatesOf',
		required: false,
		description: "Only this customer's possible duplicates; empty lists every pair of the account",
		displayOptions: show('customer', ['findDuplicates']),
	}),
	{
		displayName: 'Minimum Score',
		name: 'minScore',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
		default: 0.85,
		description:
			'Lowest score listed, 0–1: 1.0 is the same UID, 0.95 the same name with the same postal code or email domain, 0.85 the same name alone',
		displayOptions: show('customer', ['findDuplicates']),
	},
	...returnAllFields('customer', ['findDuplicates']),
];

/**
 * findDuplicates lists pairs of customers that may be one ({a, b, score,
 * reasons}), highest score first, one output item per pair; no pair is no item.
 */
export async function findDuplicates(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const of = locatorParameter(this, 'customer', 'duplicatesOf', i);
	const minScore = this.getNodeParameter('minScore', i, 0.85) as number;
	const path = of
		? `/v1/customers/${encodeURIComponent(of)}/duplicates`
		: '/v1/customers/duplicates';
	return await collectPages(
		async (pageSize, startingAfter) => {
			const qs: IDataObject = { min_score: minScore, limit: pageSize };
			if (startingAfter) {
				qs.starting_after = startingAfter;
			}
			return asListPage(await billbridgeRequest.call(this, 'GET', path, { qs }));
		},
		listLimit(this, i),
	);
}
