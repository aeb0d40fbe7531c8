import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { billbridgeDownload } from '../../../shared/transport';
import { FileOutput } from '../../shared/operation';
import { binaryPropertyField, show } from '../../shared/fields';
import { locatorParameter } from '../../shared/locator';

const languageOptions = [
	{ name: "Account's Language", value: '' },
	{ name: 'English', value: 'en' },
	{ name: 'French', value: 'fr' },
	{ name: 'German', value: 'de' },
	{ name: 'Italian', value: 'it' },
];

export const filesDescription: INodeProperties[] = [
	{
		displayName: 'Format',
		name: 'qrBillFormat',
		type: 'options',
		options: [
			{ name: 'PDF (210 × 105 Mm)', value: 'pdf' },
			{ name: 'PNG (300 Dpi)', value: 'png' },
			{ name: 'SVG', value: 'svg' },
			{ name: 'Text (QR Code Payload)', value: 'txt' },
		],
		default: 'pdf',
		description: 'The file format of the payment part with receipt',
		displayOptions: show('invoice', ['getQrBill']),
	},
	{
		displayName: 'Language',
		name: 'documentLanguage',
		type: 'options',
		options: languageOptions,
		default: '',
		description: 'Language of the texts; by default the language of the QR-bill settings',
		displayOptions: show('invoice', ['getPdf', 'getQrBill']),
	},
	binaryPropertyField('invoice', ['getPdf', 'getQrBill'], 'Put Output File in Field'),
];

async function fileOutput(
	ctx: IExecuteFunctions,
	i: number,
	suffix: string,
	qs: IDataObject,
	fallbackName: string,
): Promise<FileOutput> {
	const invoiceId = locatorParameter(ctx, 'invoice', 'invoiceId', i);
	const property = ctx.getNodeParameter('binaryPropertyName', i, 'data') as string;
	const language = ctx.getNodeParameter('documentLanguage', i, '') as string;
	if (language) {
		qs.lang = language;
	}
	const file = await billbridgeDownload.call(
		ctx,
		`/v1/invoices/${encodeURIComponent(invoiceId)}/${suffix}`,
		qs,
	);
	const fileName = file.fileName || fallbackName;
	const binary = await ctx.helpers.prepareBinaryData(file.data, fileName, file.mimeType);
	return new FileOutput(
		{
			invoice_id: invoiceId,
			file_name: fileName,
			mime_type: file.mimeType,
			file_size: file.data.length,
		},
		{ [property]: binary },
	);
}

/** getPdf outputs the invoice as an A4 PDF (with its QR-bill) in a binary field. */
export async function getPdf(this: IExecuteFunctions, i: number): Promise<FileOutput> {
	return await fileOutput(this, i, 'pdf', {}, 'invoice.pdf');
}

/** getQrBill outputs the invoice's QR-bill (PDF, PNG, SVG or payload text) in a binary field. */
export async function getQrBill(this: IExecuteFunctions, i: number): Promise<FileOutput> {
	const format = this.getNodeParameter('qrBillFormat', i, 'pdf') as string;
	return await fileOutput(this, i, 'qr-bill', { format }, `qr-bill.${format}`);
}
