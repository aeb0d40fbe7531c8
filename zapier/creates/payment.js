'use strict';

// payment.js: record a payment against an invoice.

const { write, compact } = require('../lib/http');
const { withId, paymentSample } = require('../lib/fields');
const { idempotencyField } = require('../lib/input');

module.exports = {
  key: 'record_payment',
  noun: 'Payment',
  display: {
    label: 'Record Payment',
    description: 'Records a payment against an open invoice. The same external ID is only ever counted once.',
  },
  operation: {
    inputFields: [
      { key: 'invoice_id', label: 'Invoice', required: true, dynamic: 'invoice_list.id.label' },
      { key: 'amount', label: 'Amount', type: 'number', required: true },
      { key: 'paid_at', label: 'Paid On', helpText: 'Date, YYYY-MM-DD. Defaults to today.' },
      {
        key: 'method',
        label: 'Method',
        choices: { bank_transfer: 'Bank transfer', cash: 'Cash', card: 'Card', direct_debit: 'Direct debit', other: 'Other' },
      },
      { key: 'reference', label: 'Reference' },
      { key: 'external_id', label: 'External ID', helpText: "The bank's or payment provider's id of this payment. Strongly recommended: it is counted once however often the step runs." },
      idempotencyField,
    ],
    perform: (z, bundle) => {
      const input = bundle.inputData;
      const body = compact({
        amount: input.amount,
        paid_at: input.paid_at,
        method: input.method,
        reference: input.reference,
        external_id: input.external_id,
      });
      return write(z, bundle, 'record_payment', `/v1/invoices/${encodeURIComponent(input.invoice_id)}/payments`, body);
    },
    sample: paymentSample,
    outputFields: withId('payment'),
  },
};
