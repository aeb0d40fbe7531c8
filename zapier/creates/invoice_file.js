'use strict';

// invoice_file.js: an invoice's PDF or QR-bill as a file later steps can
// attach (an email, a CRM deal). Files are stashed with z.stashFile, which
// Zapier allows in creates and hydrators only, hence these are actions.

const fileFields = [
  { key: 'invoice_id', label: 'Invoice ID' },
  { key: 'file', label: 'File', type: 'file' },
  { key: 'file_name', label: 'File Name' },
  { key: 'content_type', label: 'Content Type' },
  { key: 'size', label: 'Size (bytes)', type: 'integer' },
];

const { compact } = require('../lib/http');
const { stashResponse } = require('../lib/files');

// stashDocument GETs a billbridge document and stashes its bytes under the
// file name billbridge gives it (Content-Disposition).
const stashDocument = async (z, invoiceId, path, params) => {
  const response = await z.request({ url: `/v1/invoices/${encodeURIComponent(invoiceId)}/${path}`, params: compact(params), raw: true });
  return { invoice_id: invoiceId, ...(await stashResponse(z, response, `${invoiceId}-${path}`)) };
};

const langField = {
  key: 'lang',
  label: 'Language',
  choices: { de: 'German', fr: 'French', it: 'Italian', en: 'English' },
  helpText: "Defaults to the language of the account's QR-bill settings.",
};

const invoicePdf = {
  key: 'invoice_pdf',
  noun: 'Invoice PDF',
  display: {
    label: 'Get Invoice PDF',
    description: 'Gets an invoice as an A4 PDF with its Swiss QR-bill, as a file to attach to an email or a CRM deal.',
  },
  operation: {
    inputFields: [{ key: 'invoice_id', label: 'Invoice', required: true, dynamic: 'invoice_list.id.label' }, langField],
    perform: (z, bundle) => stashDocument(z, bundle.inputData.invoice_id, 'pdf', { lang: bundle.inputData.lang || undefined }),
    sample: { invoice_id: 'inv_01J9Z8R2C4D6F8H0J2K4M6N8PQ', file: 'https://zapier.com/engine/hydrate/1/abc/', file_name: 'INV-000042.pdf', content_type: 'application/pdf', size: 39989 },
    outputFields: fileFields,
  },
};

const invoiceQrBill = {
  key: 'invoice_qr_bill',
  noun: 'QR-bill',
  display: {
    label: 'Get Invoice QR-bill',
    description: 'Gets the Swiss QR-bill (payment part with receipt) of an open invoice as a PDF, SVG or PNG file, or its payload as text.',
  },
  operation: {
    inputFields: [
      { key: 'invoice_id', label: 'Invoice', required: true, dynamic: 'invoice_list.id.label' },
      { key: 'format', label: 'Format', choices: { pdf: 'PDF', svg: 'SVG', png: 'PNG (300 dpi)', txt: 'Payload text' }, default: 'pdf' },
      langField,
    ],
    perform: (z, bundle) =>
      stashDocument(z, bundle.inputData.invoice_id, 'qr-bill', { format: bundle.inputData.format || undefined, lang: bundle.inputData.lang || undefined }),
    sample: { invoice_id: 'inv_01J9Z8R2C4D6F8H0J2K4M6N8PQ', file: 'https://zapier.com/engine/hydrate/1/abc/', file_name: 'INV-000042-qr-bill.pdf', content_type: 'application/pdf', size: 30871 },
    outputFields: fileFields,
  },
};

module.exports = [invoicePdf, invoiceQrBill];
