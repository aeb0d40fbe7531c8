'use strict';

// invoice.js: find an invoice by number or external id, and find the unpaid
// invoices of one customer.

const { withId, invoiceSample } = require('../lib/fields');

// maxNumberPages bounds the scan for an invoice number: the list API filters
// by external id but not by number, so a number is matched page by page.
const maxNumberPages = 20;

const findByNumber = async (z, number) => {
  let startingAfter;
  for (let i = 0; i < maxNumberPages; i++) {
    const params = { limit: 100 };
    if (startingAfter) {
      params.starting_after = startingAfter;
    }
    const response = await z.request({ url: '/v1/invoices', params });
    const body = response.data;
    const hit = (body.data || []).find((inv) => inv.number === number);
    if (hit) {
      return [hit];
    }
    if (!body.has_more || !body.next_cursor) {
      return [];
    }
    startingAfter = body.next_cursor;
  }
  throw new z.errors.Error(
    `Invoice ${number} was not among the newest ${maxNumberPages * 100} invoices; search by external ID instead.`,
    'search_too_wide',
    400,
  );
};

const findInvoice = {
  key: 'find_invoice',
  noun: 'Invoice',
  display: {
    label: 'Find Invoice',
    description: 'Finds an invoice by its number (e.g. INV-000042) or its external ID.',
  },
  operation: {
    inputFields: [
      { key: 'number', label: 'Invoice Number' },
      { key: 'external_id', label: 'External ID' },
    ],
    perform: async (z, bundle) => {
      const number = String(bundle.inputData.number || '').trim();
      const externalId = String(bundle.inputData.external_id || '').trim();
      if (externalId) {
        const response = await z.request({ url: '/v1/invoices', params: { external_id: externalId, limit: 10 } });
        const found = response.data.data || [];
        return number ? found.filter((inv) => inv.number === number) : found;
      }
      if (number) {
        return findByNumber(z, number);
      }
      throw new z.errors.Error('Give an invoice number or an external ID to search by.', 'missing_search_field', 400);
    },
    sample: invoiceSample,
    outputFields: withId('invoice'),
  },
};

const findUnpaid = {
  key: 'find_unpaid_invoices',
  noun: 'Invoice',
  display: {
    label: 'Find Unpaid Invoices of a Customer',
    description: 'Finds the open, partially paid and overdue invoices of one customer.',
  },
  operation: {
    inputFields: [{ key: 'customer_id', label: 'Customer', required: true, dynamic: 'customer_list.id.name' }],
    perform: async (z, bundle) => {
      const response = await z.request({
        url: '/v1/invoices',
        params: { status: 'unpaid', customer_id: bundle.inputData.customer_id, limit: 100 },
      });
      return response.data.data || [];
    },
    sample: invoiceSample,
    outputFields: withId('invoice'),
  },
};

module.exports = [findInvoice, findUnpaid];
