'use strict';

// data_files.js: import customers or invoices from a CSV or XLSX file, and
// export customers, invoices or payments as one.

const { compact } = require('../lib/http');
const { bool } = require('../lib/input');
const { fileBytes, multipart, fileKey, stashDownload } = require('../lib/files');

// contentTypeOf guesses a file's media type from its name or its first bytes
// (an XLSX workbook is a zip); billbridge reads either as the field file.
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const contentTypeOf = (name, data) =>
  /\.xlsx$/i.test(name) || (data.length > 3 && data[0] === 0x50 && data[1] === 0x4b) ? XLSX : 'text/csv';

const importFields = (what) => [
  { key: 'file', label: 'File', type: 'file', required: true, helpText: `A CSV or XLSX file of ${what}, e.g. an email attachment or a Drive file. German, French and English headers are read; importing the same file again creates nothing new.` },
  { key: 'file_name', label: 'File Name', helpText: 'Optional, e.g. kunden.csv; a name ending in .xlsx is read as a workbook.' },
  { key: 'dry_run', label: 'Dry Run', type: 'boolean', default: 'false', helpText: 'Yes: only check every row and report what would happen, writing nothing.' },
  { key: 'atomic', label: 'All or Nothing', type: 'boolean', default: 'false', helpText: 'Yes: one invalid row writes nothing and fails the step naming the rows. No: every valid row is applied and invalid rows are listed.' },
  { key: 'idempotency_key', label: 'Idempotency Key', helpText: 'Optional. Left empty, it is derived from the file and the options, so a replayed step replays the first report.' },
];

const importOutput = [
  { key: 'dry_run', label: 'Dry Run', type: 'boolean' },
  { key: 'summary__rows', label: 'Rows', type: 'integer' },
  { key: 'summary__created', label: 'Created', type: 'integer' },
  { key: 'summary__matched', label: 'Matched (already equal)', type: 'integer' },
  { key: 'summary__updated', label: 'Updated', type: 'integer' },
  { key: 'summary__invalid', label: 'Invalid', type: 'integer' },
  { key: 'rows[]row', label: 'Row: number in the file', type: 'integer' },
  { key: 'rows[]result', label: 'Row: result (created, matched, updated, invalid)' },
  { key: 'rows[]id', label: 'Row: record ID' },
  { key: 'rows[]matched_by', label: 'Row: matched by' },
  { key: 'ignored_columns', label: 'Ignored Columns', list: true },
];

// importer returns the create that posts a file to /v1/imports/{kind}.
const importer = (kind, noun, what, description, sampleId) => ({
  key: `import_${kind}`,
  noun,
  display: { label: `Import ${noun}s from a File`, description },
  operation: {
    inputFields: importFields(what),
    perform: async (z, bundle) => {
      const input = bundle.inputData;
      const data = await fileBytes(z, input.file);
      const name = String(input.file_name || '').trim() || `${kind}.csv`;
      const { body, contentType } = multipart(data, name, contentTypeOf(name, data));
      const params = compact({ dry_run: bool(input.dry_run) ? 'true' : undefined, atomic: bool(input.atomic) ? 'true' : undefined });
      const response = await z.request({
        url: `/v1/imports/${kind}`,
        method: 'POST',
        params,
        headers: { 'Content-Type': contentType, 'Idempotency-Key': fileKey(`import_${kind}`, input.idempotency_key, data, JSON.stringify(params)) },
        body,
      });
      return response.data;
    },
    sample: {
      dry_run: false,
      summary: { rows: 2, created: 1, matched: 1, updated: 0, invalid: 0, auto_merged: 0 },
      rows: [
        { row: 2, result: 'created', id: sampleId, matched_by: null },
        { row: 3, result: 'matched', id: sampleId.replace(/.$/, 'Q'), matched_by: 'external_id' },
      ],
      ignored_columns: [],
    },
    outputFields: importOutput,
  },
});

const importCustomers = importer(
  'customers',
  'Customer',
  'customers (Firma / Company, E-Mail, Strasse, PLZ, Ort, Land, Kundennummer, UID…)',
  'Creates or updates one customer per row of a CSV or XLSX file, matched like Create or Update Customer, and reports what each row became.',
  'cus_01J9Z8Q4W6Y2XKQ3V5N7M8P0AB',
);

const importInvoices = importer(
  'invoices',
  'Invoice',
  'invoice lines (one row per line; rows with the same external ID or number are one invoice)',
  'Creates invoices from a CSV or XLSX file, e.g. when moving from another tool: drafts, open or paid, with their original numbers and past issue dates, and payments already received.',
  'inv_01J9Z8R2C4D6F8H0J2K4M6N8PQ',
);

const exportFile = {
  key: 'export_file',
  noun: 'Export',
  display: {
    label: 'Export Customers, Invoices or Payments',
    description: 'Gets every customer, invoice or payment (or those changed since a time) as a CSV or XLSX file to store or send on.',
  },
  operation: {
    inputFields: [
      { key: 'dataset', label: 'Records', required: true, choices: { customers: 'Customers', invoices: 'Invoices', payments: 'Payments' }, default: 'invoices' },
      { key: 'format', label: 'Format', required: true, choices: { csv: 'CSV', xlsx: 'XLSX (Excel workbook)' }, default: 'csv' },
      { key: 'profile', label: 'CSV Profile', choices: { rfc4180: 'RFC 4180 (UTF-8, comma)', excel: 'Excel (BOM, semicolon)' }, helpText: 'CSV only.' },
      { key: 'lang', label: 'Header Language', choices: { en: 'English (field names, read back by an import)', de: 'German', fr: 'French' } },
      { key: 'status', label: 'Invoice Status', choices: { draft: 'Draft', open: 'Open', partially_paid: 'Partially paid', paid: 'Paid', overdue: 'Overdue', cancelled: 'Cancelled', unpaid: 'Unpaid' }, helpText: 'Invoices only.' },
      { key: 'updated_since', label: 'Changed Since', type: 'datetime', helpText: 'Optional: only records changed at or after this time.' },
    ],
    perform: async (z, bundle) => {
      const input = bundle.inputData;
      const dataset = input.dataset || 'invoices';
      const format = input.format === 'xlsx' ? 'xlsx' : 'csv';
      const params = compact({
        profile: format === 'csv' ? input.profile : undefined,
        lang: input.lang,
        status: dataset === 'invoices' ? input.status : undefined,
        updated_since: input.updated_since,
      });
      // The file is dehydrated: Zapier downloads it (stashDownload) only
      // when a later step uses it, so an export nobody reads costs nothing
      // and a large one is fetched in that step's own time budget. It is
      // the export as it is at that moment.
      const name = `${dataset}.${format}`;
      const file = z.dehydrateFile(stashDownload, { url: `/v1/exports/${name}`, params, fallback: name });
      return { id: name, dataset, format, file, content_type: format === 'xlsx' ? XLSX : 'text/csv' };
    },
    sample: { id: 'invoices.csv', dataset: 'invoices', format: 'csv', file: 'hydrate|||{"type":"file","method":"hydrators.stashDownload","bundle":{"url":"/v1/exports/invoices.csv","params":{},"fallback":"invoices.csv"}}|||hydrate', content_type: 'text/csv' },
    outputFields: [
      { key: 'dataset', label: 'Records' },
      { key: 'format', label: 'Format' },
      { key: 'file', label: 'File', type: 'file' },
      { key: 'content_type', label: 'Content Type' },
    ],
  },
};

module.exports = [importCustomers, importInvoices, exportFile];
