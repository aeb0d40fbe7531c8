import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { billbridgeDownload, billbridgeUpload } from '../../shared/transport';
import { FileOutput } from './operation';
import {
	binaryPropertyField,
	idempotencyKey,
	idempotencyKeyField,
	invoiceStatusOptions,
	show,
} from './fields';

/**
 * importDescription describes an import operation of a resource: the binary
 * field holding the CSV or XLSX file, dry run, atomic and the Idempotency-Key.
 */
export function importDescription(resource: string, what: string): INodeProperties[] {
	return [
		{
			...binaryPropertyField(resource, ['import'], 'Input Binary Field'),
			description: `The binary field holding the CSV or XLSX file of ${what}, e.g. read from disk, SFTP or an email attachment`,
		},
		{
			displayName: 'Import Options',
			name: 'importOptions',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			displayOptions: show(resource, ['import']),
			options: [
				{
					displayName: 'All or Nothing',
					name: 'atomic',
					type: 'boolean',
					default: false,
					description:
						'Whether to write nothing when any row is invalid (the node fails naming the rows); by default every valid row is applied and invalid rows are listed',
				},
				{
					displayName: 'Dry Run',
					name: 'dryRun',
					type: 'boolean',
					default: false,
					description:
						'Whether to only validate and match every row and report what would happen, writing nothing',
				},
			],
		},
		idempotencyKeyField(resource, ['import']),
	];
}

/**
 * importFile uploads the item's CSV or XLSX file to POST /v1/imports/{kind}
 * and returns the report {dry_run, summary, rows, ignored_columns}. Importing
 * the same file again creates nothing new.
 */
export async function importFile(
	ctx: IExecuteFunctions,
	i: number,
	kind: 'customers' | 'invoices',
): Promise<IDataObject> {
	const property = ctx.getNodeParameter('binaryPropertyName', i, 'data') as string;
	const options = ctx.getNodeParameter('importOptions', i, {}) as IDataObject;
	const meta = ctx.helpers.assertBinaryData(i, property);
	const data = await ctx.helpers.getBinaryDataBuffer(i, property);
	const query = new URLSearchParams();
	if (options.dryRun === true) {
		query.set('dry_run', 'true');
	}
	if (options.atomic === true) {
		query.set('atomic', 'true');
	}
	const suffix = query.size > 0 ? `?${query.toString()}` : '';
	return await billbridgeUpload.call(
		ctx,
		`/v1/imports/${kind}${suffix}`,
		{
			field: 'file',
			data,
			fileName: meta.fileName || `${kind}.csv`,
			mimeType: meta.mimeType || 'text/csv',
		},
		idempotencyKey(ctx, i),
	);
}

/**
 * exportDescription describes an export operation of a resource: format,
 * profile, header language, updated since and, for invoices, the status.
 */
export function exportDescription(resource: string, withStatus: boolean): INodeProperties[] {
	const displayOptions = show(resource, ['export']);
	const options: INodeProperties[] = [
		{
			displayName: 'Header Language',
			name: 'lang',
			type: 'options',
			options: [
				{ name: 'English', value: 'en' },
				{ name: 'French', value: 'fr' },
				{ name: 'German', value: 'de' },
			],
			default: 'en',
		},
		{
			displayName: 'Profile (CSV)',
			name: 'profile',
			type: 'options',
			options: [
				{ name: 'RFC 4180 (UTF-8, Comma)', value: 'rfc4180' },
				{ name: 'Excel (BOM, Semicolon)', value: 'excel' },
			],
			default: 'rfc4180',
		},
		{
			displayName: 'Updated Since',
			name: 'updatedSince',
			type: 'dateTime',
			default: '',
			description: 'Only records changed at or after this time',
		},
	];
	if (withStatus) {
		options.push({
			displayName: 'Status',
			name: 'status',
			type: 'options',
			options: invoiceStatusOptions,
			default: 'unpaid',
		});
	}
	return [
		{
			displayName: 'File Format',
			name: 'exportFormat',
			type: 'options',
			options: [
				{ name: 'CSV', value: 'csv' },
				{ name: 'XLSX (Excel Workbook)', value: 'xlsx' },
			],
			default: 'csv',
			displayOptions,
		},
		{
			displayName: 'Export Options',
			name: 'exportOptions',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			displayOptions,
			options: options.sort((a, b) => a.displayName.localeCompare(b.displayName)),
		},
		binaryPropertyField(resource, ['export'], 'Put Output File in Field'),
	];
}

/**
 * exportFile downloads GET /v1/exports/{kind}.{csv|xlsx} into the item's
 * binary field, with the file's name, type and size as JSON.
 */
export async function exportFile(
	ctx: IExecuteFunctions,
	i: number,
	kind: 'customers' | 'invoices' | 'payments',
): Promise<FileOutput> {
	const format = ctx.getNodeParameter('exportFormat', i, 'csv') as string;
	const options = ctx.getNodeParameter('exportOptions', i, {}) as IDataObject;
	const property = ctx.getNodeParameter('binaryPropertyName', i, 'data') as string;
	const qs: IDataObject = {};
	if (options.lang) {
		qs.lang = options.lang;
	}
	if (options.profile && format === 'csv') {
		qs.profile = options.profile;
	}
	if (options.status) {
		qs.status = options.status;
	}
	if (options.updatedSince) {
		qs.updated_since = new Date(String(options.updatedSince)).toISOString();
	}
	const file = await billbridgeDownload.call(ctx, `/v1/exports/${kind}.${format}`, qs);
	const fileName = file.fileName || `${kind}.${format}`;
	const binary = await ctx.helpers.prepareBinaryData(file.data, fileName, file.mimeType);
	return new FileOutput(
		{ export: kind, file_name: fileName, mime_type: file.mimeType, file_size: file.data.length },
		{ [property]: binary },
	);
}
