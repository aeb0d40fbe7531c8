/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run under node's test runner, never inside n8n */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NodeApiError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';
import { Billbridge } from '../nodes/Billbridge/Billbridge.node';
import { dispositionFileName, multipartBody } from '../nodes/shared/transport';
import { fakeContext, json, type FakeFile, type Handler } from './fakes';

const node = new Billbridge();

async function run(parameters: IDataObject, handler: Handler, binary?: Record<string, FakeFile>) {
	const fake = fakeContext({ parameters, handler, binary });
	const output = await node.execute.call(fake.ctx as unknown as IExecuteFunctions);
	return { fake, items: output[0] };
}

const pdfBytes = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\nbinary\x00\xff', 'latin1');

function file(body: Buffer, contentType: string, name: string) {
	return json(200, body, {
		'content-type': contentType,
		'content-disposition': `inline; filename="${name}"`,
	});
}

/** multipartField reads the one file field of a multipart body the node sent. */
function multipartField(request: { headers: IDataObject; body: unknown }) {
	const contentType = String(request.headers['Content-Type']);
	const boundary = /boundary=(.+)$/.exec(contentType)?.[1];
	assert.ok(boundary, `no boundary in ${contentType}`);
	assert.ok(Buffer.isBuffer(request.body), 'the body is bytes');
	const text = (request.body as Buffer).toString('latin1');
	const start = text.indexOf('\r\n\r\n') + 4;
	const end = text.lastIndexOf(`\r\n--${boundary}--`);
	return {
		head: text.slice(0, start),
		data: Buffer.from(text.slice(start, end), 'latin1'),
		trailerOk: text.endsWith(`\r\n--${boundary}--\r\n`),
	};
}

describe('Invoice → Get PDF / Get QR-bill', () => {
	it('outputs the PDF bytes unchanged in the chosen binary field', async () => {
		const { fake, items } = await run(
			{
				resource: 'invoice',
				operation: 'getPdf',
				invoiceId: 'inv_1',
				documentLanguage: 'fr',
				binaryPropertyName: 'invoicePdf',
			},
			() => file(pdfBytes, 'application/pdf', 'INV-000042.pdf'),
		);
		assert.equal(fake.requests[0].method, 'GET');
		assert.equal(fake.requests[0].url, 'http://gateway.test/v1/invoices/inv_1/pdf');
		assert.deepEqual(fake.requests[0].qs, { lang: 'fr' });
		assert.equal(fake.requests[0].encoding, 'arraybuffer');
		assert.equal(items.length, 1);
		assert.deepEqual(items[0].json, {
			invoice_id: 'inv_1',
			file_name: 'INV-000042.pdf',
			mime_type: 'application/pdf',
			file_size: pdfBytes.length,
		});
		const binary = items[0].binary?.invoicePdf;
		assert.ok(binary, 'binary field invoicePdf');
		assert.equal(binary.fileName, 'INV-000042.pdf');
		assert.equal(binary.mimeType, 'application/pdf');
		assert.deepEqual(Buffer.from(binary.data, 'base64'), pdfBytes);
		assert.deepEqual(items[0].pairedItem, { item: 0 });
	});

	it('asks for the QR-bill in the chosen format and takes an ArrayBuffer body', async () => {
		const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2]);
		const { fake, items } = await run(
			{ resource: 'invoice', operation: 'getQrBill', invoiceId: 'inv/2', qrBillFormat: 'png' },
			() =>
				json(200, png.buffer.slice(png.byteOffset, png.byteOffset + png.byteLength), {
					'Content-Type': 'image/png',
					'Content-Disposition': 'inline; filename="INV-000043-qr-bill.png"',
				}),
		);
		assert.equal(fake.requests[0].url, 'http://gateway.test/v1/invoices/inv%2F2/qr-bill');
		assert.deepEqual(fake.requests[0].qs, { format: 'png' });
		const binary = items[0].binary?.data;
		assert.ok(binary, 'default binary field data');
		assert.equal(binary.fileName, 'INV-000043-qr-bill.png');
		assert.equal(binary.mimeType, 'image/png');
		assert.deepEqual(Buffer.from(binary.data, 'base64'), png);
	});

	it('names the file after the format when the gateway gives no file name', async () => {
		const { items } = await run(
			{ resource: 'invoice', operation: 'getQrBill', invoiceId: 'inv_3', qrBillFormat: 'txt' },
			() => json(200, Buffer.from('SPC\n0200\n1'), { 'content-type': 'text/plain; charset=utf-8' }),
		);
		assert.equal(items[0].binary?.data.fileName, 'qr-bill.txt');
		assert.equal(items[0].json.mime_type, 'text/plain');
	});

	it('turns a problem that arrived as bytes into a NodeApiError with its detail', async () => {
		const problem = Buffer.from(
			JSON.stringify({
				title: 'Conflict',
				detail: 'The account has no QR-bill settings yet.',
				code: 'conflict',
			}),
		);
		await assert.rejects(
			run({ resource: 'invoice', operation: 'getPdf', invoiceId: 'inv_1' }, () =>
				json(409, problem, { 'content-type': 'application/problem+json' }),
			),
			(error: unknown) => {
				assert.ok(error instanceof NodeApiError);
				assert.equal(error.message, 'The account has no QR-bill settings yet.');
				assert.match(error.description ?? '', /Code: conflict/);
				return true;
			},
		);
	});
});

describe('Bank Statement → Import', () => {
	const camt = Buffer.from(
		'<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">Zürich</Document>',
		'utf8',
	);
	const report = {
		kind: 'camt.054',
		message_id: 'MSG-1',
		matched: [{ entry_reference: 'E1', invoice_id: 'inv_1', payment_id: 'pay_1' }],
		already_recorded: [],
		overpaid: [],
		unmatched: [],
		ignored: 0,
	};

	it('uploads the binary field as the multipart field file and outputs the report', async () => {
		const { fake, items } = await run(
			{
				resource: 'bankStatement',
				operation: 'import',
				binaryPropertyName: 'attachment_0',
				idempotencyKey: 'camt-MSG-1',
			},
			() => json(200, report),
			{ attachment_0: { data: camt, fileName: 'camt054 "nov".xml', mimeType: 'text/xml' } },
		);
		const request = fake.requests[0];
		assert.equal(request.method, 'POST');
		assert.equal(request.url, 'http://gateway.test/v1/bank-statements');
		assert.equal(request.headers['Idempotency-Key'], 'camt-MSG-1');
		const field = multipartField(request);
		assert.match(field.head, /^--billbridge-[0-9a-f]{24}\r\n/);
		assert.match(
			field.head,
			/Content-Disposition: form-data; name="file"; filename="camt054 _nov_.xml"\r\nContent-Type: text\/xml\r\n\r\n$/,
		);
		assert.deepEqual(field.data, camt);
		assert.ok(field.trailerOk, 'closing boundary');
		assert.deepEqual(items, [{ json: report, pairedItem: { item: 0 } }]);
	});

	it('fails naming the binary field when the item has none', async () => {
		await assert.rejects(
			run({ resource: 'bankStatement', operation: 'import', binaryPropertyName: 'data' }, () =>
				json(200, report),
			),
			/binary file 'data'/,
		);
	});

	it('shows the field the gateway refused', async () => {
		await assert.rejects(
			run(
				{ resource: 'bankStatement', operation: 'import', binaryPropertyName: 'data' },
				() =>
					json(422, {
						title: 'Validation failed',
						detail: 'The request has invalid fields.',
						invalid_params: [{ name: 'file', reason: 'is not a camt.054 or camt.053 document' }],
					}),
				{ data: { data: Buffer.from('<x/>'), mimeType: 'application/xml' } },
			),
			(error: unknown) => {
				assert.ok(error instanceof NodeApiError);
				assert.match(error.description ?? '', /file \(is not a camt\.054 or camt\.053 document\)/);
				return true;
			},
		);
	});
});

describe('Invoice → Get Many by payment reference', () => {
	it('sends payment_reference and outputs it with the invoice', async () => {
		const { fake, items } = await run(
			{
				resource: 'invoice',
				operation: 'getAll',
				status: '',
				filters: { paymentReference: 'RF18 INV0 0004 2' },
				returnAll: false,
				limit: 5,
			},
			() =>
				json(200, {
					data: [{ id: 'inv_1', payment_reference: 'RF18INV000042' }],
					has_more: false,
					next_cursor: null,
				}),
		);
		assert.deepEqual(fake.requests[0].qs, { payment_reference: 'RF18 INV0 0004 2', limit: 5 });
		assert.deepEqual(
			items.map((i) => i.json.payment_reference),
			['RF18INV000042'],
		);
	});
});

describe('multipart helpers', () => {
	it('gives the same file the same bytes (a keyed retry replays) and another file another boundary', () => {
		const f = {
			field: 'file',
			data: Buffer.from('x'),
			fileName: 'a.xml',
			mimeType: 'application/xml',
		};
		assert.deepEqual(multipartBody(f), multipartBody({ ...f }));
		assert.notEqual(
			multipartBody(f).contentType,
			multipartBody({ ...f, data: Buffer.from('y') }).contentType,
		);
		assert.notEqual(
			multipartBody(f).contentType,
			multipartBody({ ...f, fileName: 'b.xml' }).contentType,
		);
	});
	it('reads plain and RFC 5987 file names', () => {
		assert.equal(dispositionFileName('inline; filename="INV-1.pdf"'), 'INV-1.pdf');
		assert.equal(dispositionFileName('attachment; filename=INV-2.pdf'), 'INV-2.pdf');
		assert.equal(dispositionFileName("attachment; filename*=UTF-8''Z%C3%BCrich.pdf"), 'Zürich.pdf');
		assert.equal(dispositionFileName('inline'), '');
	});
});

describe('Customer / Invoice → Import', () => {
	const csv = Buffer.from(
		'Firma;E-Mail;PLZ;Ort\r\nMüller AG;ap@mueller.test;8001;Zürich\r\n',
		'utf8',
	);
	const report = {
		dry_run: true,
		summary: { rows: 1, created: 1, matched: 0, updated: 0, invalid: 0, auto_merged: 0 },
		rows: [{ row: 2, result: 'created', id: '', matched_by: null }],
		ignored_columns: [],
	};

	it('uploads the customers file as the multipart field file, with dry_run and atomic', async () => {
		const { fake, items } = await run(
			{
				resource: 'customer',
				operation: 'import',
				binaryPropertyName: 'data',
				importOptions: { dryRun: true, atomic: true },
				idempotencyKey: 'import-1',
			},
			() => json(200, report),
			{ data: { data: csv, fileName: 'kunden.csv', mimeType: 'text/csv' } },
		);
		const request = fake.requests[0];
		assert.equal(request.method, 'POST');
		assert.equal(request.url, 'http://gateway.test/v1/imports/customers?dry_run=true&atomic=true');
		assert.equal(request.headers['Idempotency-Key'], 'import-1');
		const field = multipartField(request);
		assert.match(
			field.head,
			/Content-Disposition: form-data; name="file"; filename="kunden.csv"\r\nContent-Type: text\/csv\r\n\r\n$/,
		);
		assert.deepEqual(field.data, csv);
		assert.deepEqual(items, [{ json: report, pairedItem: { item: 0 } }]);
	});

	it('imports invoices without options to the invoice import, naming an unnamed file', async () => {
		const xlsx = Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]);
		const { fake } = await run(
			{ resource: 'invoice', operation: 'import', binaryPropertyName: 'sheet' },
			() => json(200, { ...report, dry_run: false }),
			{ sheet: { data: xlsx, mimeType: '' } },
		);
		assert.equal(fake.requests[0].url, 'http://gateway.test/v1/imports/invoices');
		assert.equal(fake.requests[0].headers['Idempotency-Key'], undefined);
		const field = multipartField(fake.requests[0]);
		assert.match(field.head, /filename="invoices.csv"\r\nContent-Type: text\/csv\r\n/);
		assert.deepEqual(field.data, xlsx);
	});

	it('shows the rows an all-or-nothing import refused', async () => {
		await assert.rejects(
			run(
				{ resource: 'customer', operation: 'import', importOptions: { atomic: true } },
				() =>
					json(422, {
						title: 'Validation failed',
						detail: 'The file has invalid rows; nothing was written.',
						invalid_params: [{ name: 'rows[3].email', reason: 'must be an email address' }],
					}),
				{ data: { data: csv, fileName: 'kunden.csv', mimeType: 'text/csv' } },
			),
			(error: unknown) => {
				assert.ok(error instanceof NodeApiError);
				assert.match(error.description ?? '', /rows\[3\]\.email \(must be an email address\)/);
				return true;
			},
		);
	});
});

describe('Customer / Invoice / Payment → Export', () => {
	it('downloads the invoices CSV with its options into the binary field', async () => {
		const body = Buffer.from('\ufeffid;number\r\ninv_1;INV-000001\r\n', 'utf8');
		const { fake, items } = await run(
			{
				resource: 'invoice',
				operation: 'export',
				exportFormat: 'csv',
				exportOptions: {
					profile: 'excel',
					lang: 'de',
					status: 'unpaid',
					updatedSince: '2026-11-01T00:00:00.000Z',
				},
				binaryPropertyName: 'export',
			},
			() => file(body, 'text/csv; charset=utf-8', 'invoices.csv'),
		);
		assert.equal(fake.requests[0].method, 'GET');
		assert.equal(fake.requests[0].url, 'http://gateway.test/v1/exports/invoices.csv');
		assert.deepEqual(fake.requests[0].qs, {
			lang: 'de',
			profile: 'excel',
			status: 'unpaid',
			updated_since: '2026-11-01T00:00:00.000Z',
		});
		assert.deepEqual(items[0].json, {
			export: 'invoices',
			file_name: 'invoices.csv',
			mime_type: 'text/csv',
			file_size: body.length,
		});
		assert.deepEqual(Buffer.from(items[0].binary?.export.data ?? '', 'base64'), body);
	});

	it('asks for XLSX without the CSV profile, for customers and payments', async () => {
		const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 9]);
		for (const [resource, kind] of [
			['customer', 'customers'],
			['payment', 'payments'],
		]) {
			const { fake, items } = await run(
				{
					resource,
					operation: 'export',
					exportFormat: 'xlsx',
					exportOptions: { profile: 'excel' },
				},
				() =>
					json(200, zip, {
						'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
					}),
			);
			assert.equal(fake.requests[0].url, `http://gateway.test/v1/exports/${kind}.xlsx`);
			assert.deepEqual(fake.requests[0].qs, {});
			assert.equal(items[0].binary?.data.fileName, `${kind}.xlsx`);
		}
	});
});
