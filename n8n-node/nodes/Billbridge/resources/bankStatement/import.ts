import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { billbridgeUpload } from '../../../shared/transport';
import { binaryPropertyField, idempotencyKey, idempotencyKeyField } from '../../shared/fields';

export const importDescription: INodeProperties[] = [
	{
		...binaryPropertyField('bankStatement', ['import'], 'Input Binary Field'),
		description:
			'The binary field holding the camt.054 or camt.053 XML file, e.g. an email attachment or a file read from disk or SFTP',
	},
	idempotencyKeyField('bankStatement', ['import']),
];

/**
 * importStatement uploads a camt.054 or camt.053 file from the item's binary
 * field to POST /v1/bank-statements and outputs the report: matched,
 * already_recorded, overpaid and unmatched credits. Importing the same file
 * again records nothing twice.
 */
export async function importStatement(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const property = this.getNodeParameter('binaryPropertyName', i, 'data') as string;
	const meta = this.helpers.assertBinaryData(i, property);
	const data = await this.helpers.getBinaryDataBuffer(i, property);
	return await billbridgeUpload.call(
		this,
		'/v1/bank-statements',
		{
			field: 'file',
			data,
			fileName: meta.fileName || 'statement.xml',
			mimeType: meta.mimeType || 'application/xml',
		},
		idempotencyKey(this, i),
	);
}
