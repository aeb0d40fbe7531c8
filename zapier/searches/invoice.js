'use strict';

// invoice.js: find an invoice by number or external id, and find the unpaid
// invoices of one customer.

const { withId, invoiceSample } = require('../lib/fields');

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
      if (!number && !externalId) {
        throw new z.errors.Error('Give an invoice number or an external ID to search by.', 'missing_search_field', 400);
      }
      const params = { limit: 10 };
      if (number) {
        params.number = number;
      }
      if (externalId) {
        params.external_id = externalId;
      }
      const response = await z.request({ url: '/v1/invoices', params });
      return response.data.data || [];
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
