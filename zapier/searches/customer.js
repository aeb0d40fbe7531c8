'use strict';

// customer.js: find a customer by email, external id or customer number.

const { compact } = require('../lib/http');
const { withId, customerSample } = require('../lib/fields');

module.exports = {
  key: 'find_customer',
  noun: 'Customer',
  display: {
    label: 'Find Customer',
    description: 'Finds a customer by external ID, customer number or email.',
  },
  operation: {
    inputFields: [
      { key: 'external_id', label: 'External ID (CRM id)' },
      { key: 'customer_number', label: 'Customer Number' },
      { key: 'email', label: 'Email' },
    ],
    perform: async (z, bundle) => {
      const params = compact({
        external_id: bundle.inputData.external_id,
        customer_number: bundle.inputData.customer_number,
        email: bundle.inputData.email,
      });
      if (Object.keys(params).length === 0) {
        throw new z.errors.Error('Give an external ID, a customer number or an email to search by.', 'missing_search_field', 400);
      }
      const response = await z.request({ url: '/v1/customers', params: { ...params, limit: 10 } });
      return response.data.data || [];
    },
    sample: customerSample,
    outputFields: withId('customer'),
  },
};
