'use strict';

// invoice.js: create an invoice, and finalize a draft.

const { write } = require('../lib/http');
const { withId, invoiceSample } = require('../lib/fields');
const { itemsField, itemsBody, currencyField, dueInDaysField, finalizeField, issueDateField, idempotencyField, bool } = require('../lib/input');
const { compact } = require('../lib/http');

const createInvoice = {
  key: 'create_invoice',
  noun: 'Invoice',
  display: {
    label: 'Create Invoice',
    description: 'Creates an invoice for a customer. With an external ID, repeating the step returns the same invoice.',
  },
  operation: {
    inputFields: [
      { key: 'customer_id', label: 'Customer', required: true, dynamic: 'customer_list.id.name' },
      { key: 'external_id', label: 'External ID', helpText: 'Your own unique id for this invoice (e.g. the CRM deal id). Strongly recommended: a repeat returns the same invoice.' },
      currencyField,
      itemsField,
      dueInDaysField,
      { key: 'reference', label: 'Reference' },
      { key: 'notes', label: 'Notes' },
      finalizeField,
      issueDateField,
      idempotencyField,
    ],
    perform: (z, bundle) => {
      const input = bundle.inputData;
      const body = compact({
        customer_id: input.customer_id,
        external_id: input.external_id,
        currency: input.currency,
        due_in_days: input.due_in_days === undefined || input.due_in_days === '' ? undefined : Number(input.due_in_days),
        reference: input.reference,
        notes: input.notes,
        issue_date: input.issue_date,
      });
      body.items = itemsBody(input.items);
      body.finalize = bool(input.finalize);
      return write(z, bundle, 'create_invoice', '/v1/invoices', body);
    },
    sample: invoiceSample,
    outputFields: withId('invoice'),
  },
};

const finalizeInvoice = {
  key: 'finalize_invoice',
  noun: 'Invoice',
  display: {
    label: 'Finalize Invoice',
    description: 'Finalizes a draft invoice: gives it its number, issue date (today, or a past date you give) and due date, and opens it for payment.',
  },
  operation: {
    inputFields: [{ key: 'invoice_id', label: 'Invoice', required: true, dynamic: 'invoice_list.id.label' }, issueDateField, idempotencyField],
    perform: (z, bundle) =>
      write(
        z,
        bundle,
        'finalize_invoice',
        `/v1/invoices/${encodeURIComponent(bundle.inputData.invoice_id)}/finalize`,
        compact({ issue_date: bundle.inputData.issue_date }),
      ),
    sample: invoiceSample,
    outputFields: withId('invoice'),
  },
};

module.exports = [createInvoice, finalizeInvoice];
