'use strict';

// bank_statement.js: import a camt.054 or camt.053 bank file.

const { fileBytes, multipart, fileKey } = require('../lib/files');

const lineFields = (prefix, label) => [
  { key: `${prefix}[]entry_reference`, label: `${label}: bank reference` },
  { key: `${prefix}[]reference`, label: `${label}: payment reference` },
  { key: `${prefix}[]amount`, label: `${label}: amount`, type: 'number' },
  { key: `${prefix}[]currency`, label: `${label}: currency` },
  { key: `${prefix}[]booking_date`, label: `${label}: booked on` },
  { key: `${prefix}[]debtor_name`, label: `${label}: payer` },
  { key: `${prefix}[]invoice_id`, label: `${label}: invoice ID` },
  { key: `${prefix}[]invoice_number`, label: `${label}: invoice number` },
  { key: `${prefix}[]payment_id`, label: `${label}: payment ID` },
];

module.exports = {
  key: 'import_bank_statement',
  noun: 'Bank File',
  display: {
    label: 'Import Bank File (camt.054/053)',
    description:
      'Records every credit of a camt.054 or camt.053 file whose QR or creditor reference names an open invoice as a payment, exactly once, and lists what matched, was already recorded, overpaid (the amount due recorded, the surplus listed) or matched nothing.',
  },
  operation: {
    inputFields: [
      { key: 'file', label: 'File', type: 'file', required: true, helpText: 'The camt.054 or camt.053 XML file from your bank, e.g. an email attachment. Importing it again never records a payment twice.' },
      { key: 'file_name', label: 'File Name', helpText: 'Optional, e.g. camt054.xml.' },
      { key: 'idempotency_key', label: 'Idempotency Key', helpText: 'Optional. Left empty, it is derived from the file, so a replayed step replays the first answer.' },
    ],
    perform: async (z, bundle) => {
      const input = bundle.inputData;
      const data = await fileBytes(z, input.file);
      const { body, contentType } = multipart(data, input.file_name || 'statement.xml', 'application/xml');
      const response = await z.request({
        url: '/v1/bank-statements',
        method: 'POST',
        headers: {
          'Content-Type': contentType,
          'Idempotency-Key': fileKey('import_bank_statement', input.idempotency_key, data),
        },
        body,
      });
      return response.data;
    },
    sample: {
      kind: 'camt.054',
      message_id: '20261128375204000006009',
      matched: [
        {
          entry_reference: '261128CH0000A0Z1-1', reference: '210000000003139471430009017', amount: 1949.75, currency: 'CHF',
          booking_date: '2026-11-28', debtor_name: 'Pia Rutschmann', invoice_id: 'inv_01J9Z8R2C4D6F8H0J2K4M6N8PQ',
          invoice_number: 'INV-000042', payment_id: 'pay_01J9Z8T6V8X0Z2B4D6F8H0J2KL',
        },
      ],
      already_recorded: [],
      overpaid: [
        {
          entry_reference: '261128CH0000A0Z1-3', reference: 'RF18539007547034', amount: 120, currency: 'CHF',
          booking_date: '2026-11-28', debtor_name: 'Beat Bucher', invoice_id: 'inv_01J9Z8R2C4D6F8H0J2K4M6N8PR',
          invoice_number: 'INV-000043', payment_id: 'pay_01J9Z8T6V8X0Z2B4D6F8H0J2KM', amount_due: 100, surplus: 20,
        },
      ],
      unmatched: [{ entry_reference: '261128CH0000A0Z1-2', amount: 20, currency: 'CHF', booking_date: '2026-11-28', reason: 'no_reference' }],
      ignored: 1,
    },
    outputFields: [
      { key: 'kind', label: 'File Kind' },
      { key: 'message_id', label: 'Bank Message ID' },
      ...lineFields('matched', 'Recorded'),
      ...lineFields('already_recorded', 'Already recorded'),
      { key: 'already_recorded[]surplus', label: 'Already recorded: surplus', type: 'number' },
      ...lineFields('overpaid', 'Overpaid'),
      { key: 'overpaid[]amount_due', label: 'Overpaid: amount due (recorded)', type: 'number' },
      { key: 'overpaid[]surplus', label: 'Overpaid: surplus', type: 'number' },
      ...lineFields('unmatched', 'Unmatched'),
      { key: 'unmatched[]reason', label: 'Unmatched: reason' },
      { key: 'ignored', label: 'Ignored Entries', type: 'integer' },
    ],
  },
};
