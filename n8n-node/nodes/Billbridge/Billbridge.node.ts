import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type JsonObject,
} from 'n8n-workflow';
import { searchCustomers, searchInvoices } from './shared/locator';
import { FileOutput, type Resource } from './shared/operation';
import { bankStatement } from './resources/bankStatement';
import { customer } from './resources/customer';
import { deal } from './resources/deal';
import { invoice } from './resources/invoice';
import { payment } from './resources/payment';
import { reminder } from './resources/reminder';
import { report } from './resources/report';
import { sync } from './resources/sync';

const resources: Record<string, Resource> = {
	bankStatement,
	customer,
	deal,
	invoice,
	payment,
	reminder,
	report,
	sync,
};

/**
 * Billbridge is the action node: customers, invoices (with their PDF and
 * QR-bill as files), payments, bank files and won deals on a billbridge
 * gateway. Its operations are programmatic rather than
 * declarative because every request goes through one transport that waits out
 * 429s (Retry-After) and turns problem+json errors into NodeApiError.
 */
export class Billbridge implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Billbridge',
		name: 'billbridge',
		icon: {
			light: 'file:../../icons/billbridge.svg',
			dark: 'file:../../icons/billbridge.dark.svg',
		},
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Create customers, invoices and payments in billbridge, send reminders, read payment health and receivables, import and export CSV or XLSX files, get invoice PDFs and QR-bills, import bank files',
		defaults: {
			name: 'Billbridge',
		},
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'billbridgeApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Bank Statement', value: 'bankStatement' },
					{ name: 'Customer', value: 'customer' },
					{ name: 'Deal', value: 'deal' },
					{ name: 'Invoice', value: 'invoice' },
					{ name: 'Payment', value: 'payment' },
					{ name: 'Reminder', value: 'reminder' },
					{ name: 'Report', value: 'report' },
					{ name: 'Sync', value: 'sync' },
				],
				default: 'customer',
			},
			...customer.description,
			...invoice.description,
			...payment.description,
			...deal.description,
			...bankStatement.description,
			...reminder.description,
			...report.description,
			...sync.description,
		],
	};

	methods = {
		listSearch: { searchCustomers, searchInvoices },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const output: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			const resourceName = this.getNodeParameter('resource', i) as string;
			const operationName = this.getNodeParameter('operation', i) as string;
			const operation = resources[resourceName]?.operations[operationName];
			if (!operation) {
				throw new NodeOperationError(
					this.getNode(),
					`Unknown operation "${operationName}" of resource "${resourceName}"`,
					{ itemIndex: i },
				);
			}
			try {
				const result = await operation.call(this, i);
				if (result instanceof FileOutput) {
					output.push({ json: result.json, binary: result.binary, pairedItem: { item: i } });
					continue;
				}
				const results: IDataObject[] = Array.isArray(result) ? result : [result];
				for (const json of results) {
					output.push({ json, pairedItem: { item: i } });
				}
			} catch (error) {
				if (this.continueOnFail()) {
					output.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
					continue;
				}
				if (error instanceof NodeApiError) {
					error.context.itemIndex = i;
					throw new NodeApiError(this.getNode(), error as unknown as JsonObject);
				}
				throw new NodeOperationError(this.getNode(), error as Error, { itemIndex: i });
			}
		}
		return [output];
	}
}
