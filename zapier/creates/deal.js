'use strict';

// deal.js: a won CRM deal becomes a customer (upserted) and an invoice, in
// one step; the deal id makes it safe to repeat.

const { write, compact } = require('../lib/http');
const { customerSample, invoiceSample } = require('../lib/fields');
const { customerInputFields, customerBody, itemsField, itemsBody, currencyField, dueInDaysField, finalizeField, idempotencyField, bool } = require('../lib/input');

module.exports = {
  key: 'deal_won',
  noun: 'Deal',
  display: {
    label: 'Invoice a Won Deal',
    description: 'Creates or updates the customer and creates the invoice for a won deal. Repeating it with the same deal ID returns the same pair.',
  },
  operation: {
    inputFields: [
      { key: 'deal_id', label: 'Deal ID', required: true, helpText: "The CRM's id of the won deal: the invoice's external ID." },
      ...customerInputFields('customer_').map((f) => ({ ...f, label: `Customer ${f.label}` })),
      currencyField,
      itemsField,
      dueInDaysField,
      finalizeField,
      idempotencyField,
    ],
    perform: async (z, bundle) => {
      const input = bundle.inputData;
      const body = compact({
        deal_id: input.deal_id,
        currency: input.currency,
        due_in_days: input.due_in_days === undefined || input.due_in_days === '' ? undefined : Number(input.due_in_days),
      });
      body.customer = customerBody(input, 'customer_');
      body.items = itemsBody(input.items);
      body.finalize = bool(input.finalize);
      const result = await write(z, bundle, 'deal_won', '/v1/deals/won', body);
      return {
        id: result.invoice && result.invoice.id,
        invoice_id: result.invoice && result.invoice.id,
        customer_id: result.customer && result.customer.id,
        ...result,
      };
    },
    sample: {
      id: invoiceSample.id,
      invoice_id: invoiceSample.id,
      customer_id: customerSample.id,
      created: true,
      customer: customerSample,
      invoice: invoiceSample,
    },
    outputFields: [
      { key: 'id', label: 'Invoice ID' },
      { key: 'invoice_id', label: 'Invoice ID' },
      { key: 'customer_id', label: 'Customer ID' },
      { key: 'created', label: 'Created (first time for this deal)', type: 'boolean' },
      { key: 'customer__name', label: 'Customer Name' },
      { key: 'customer__email', label: 'Customer Email' },
      { key: 'invoice__number', label: 'Invoice Number' },
      { key: 'invoice__status', label: 'Invoice Status' },
      { key: 'invoice__total', label: 'Invoice Total', type: 'number' },
      { key: 'invoice__amount_due', label: 'Invoice Amount Due', type: 'number' },
      { key: 'invoice__due_date', label: 'Invoice Due Date' },
    ],
  },
};
