'use strict';

// customer.js: create or update a customer, matched by external id, then
// customer number, then email.

const { write } = require('../lib/http');
const { withId, customerSample, possibleDuplicateFields, possibleDuplicatesSample } = require('../lib/fields');
const { customerInputFields, customerBody, idempotencyField } = require('../lib/input');

module.exports = {
  key: 'upsert_customer',
  noun: 'Customer',
  display: {
    label: 'Create or Update Customer',
    description: 'Creates a customer, or updates the one with the same external ID, customer number or email.',
  },
  operation: {
    inputFields: [...customerInputFields(), idempotencyField],
    perform: (z, bundle) => write(z, bundle, 'upsert_customer', '/v1/customers/upsert', customerBody(bundle.inputData)),
    sample: { ...customerSample, created: true, matched_by: null, possible_duplicates: possibleDuplicatesSample },
    outputFields: [
      ...withId('customer'),
      { key: 'created', label: 'Created (not matched)', type: 'boolean' },
      { key: 'matched_by', label: 'Matched By' },
      ...possibleDuplicateFields,
    ],
  },
};
