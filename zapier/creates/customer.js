'use strict';

// customer.js: create a customer, update one (PATCH), and create or update
// one matched by external id, then customer number, then email.

const { send } = require('../lib/http');
const { withId, customerSample, possibleDuplicateFields, possibleDuplicatesSample } = require('../lib/fields');
const { customerInputFields, customerBody, idempotencyField, ownKeyField } = require('../lib/input');

const duplicateOutput = [...withId('customer'), ...possibleDuplicateFields];

// createCustomer is the create of the Find or Create Customer pair: POST
// /v1/customers, keyed by a derived Idempotency-Key so a replayed step
// answers the first customer. A natural key (external ID, customer number,
// email) already taken by another customer stops the step (HaltedError)
// naming that customer's id.
const createCustomer = {
  key: 'create_customer',
  noun: 'Customer',
  display: {
    label: 'Create Customer',
    description: 'Creates a new customer. Stops with the existing customer\'s ID when its external ID, customer number or email is already taken.',
  },
  operation: {
    inputFields: [...customerInputFields(), idempotencyField],
    perform: (z, bundle) => send(z, bundle, { action: 'create_customer', url: '/v1/customers', body: customerBody(bundle.inputData) }),
    sample: { ...customerSample, possible_duplicates: possibleDuplicatesSample },
    outputFields: duplicateOutput,
  },
};

// updateCustomer changes the fields it is given (PATCH /v1/customers/{id});
// fields left empty keep their value. A PATCH repeated with the same fields
// changes nothing, so no key is derived.
const updateCustomer = {
  key: 'update_customer',
  noun: 'Customer',
  display: {
    label: 'Update Customer',
    description: 'Updates an existing customer: only the fields you fill in change, empty fields keep their value.',
  },
  operation: {
    inputFields: [
      { key: 'customer_id', label: 'Customer', required: true, dynamic: 'customer_list.id.name', helpText: 'Pick one, or map a Customer ID from Find Customer.' },
      ...customerInputFields().map(({ default: _unused, ...f }) => ({ ...f, required: false })),
      ownKeyField,
    ],
    perform: (z, bundle) =>
      send(z, bundle, {
        action: 'update_customer',
        method: 'PATCH',
        url: `/v1/customers/${encodeURIComponent(bundle.inputData.customer_id)}`,
        body: customerBody(bundle.inputData),
        keyed: 'own',
      }),
    sample: customerSample,
    outputFields: withId('customer'),
  },
};

// upsertCustomer creates a customer or updates the one matching it. The
// natural keys make a repeat harmless, so only a key the user gives is sent.
const upsertCustomer = {
  key: 'upsert_customer',
  noun: 'Customer',
  display: {
    label: 'Create or Update Customer',
    description: 'Creates a customer, or updates the one with the same external ID, customer number or email (for keeping a CRM in sync).',
  },
  operation: {
    inputFields: [...customerInputFields(), ownKeyField],
    perform: (z, bundle) =>
      send(z, bundle, { action: 'upsert_customer', url: '/v1/customers/upsert', body: customerBody(bundle.inputData), keyed: 'own' }),
    sample: { ...customerSample, created: true, matched_by: null, possible_duplicates: possibleDuplicatesSample },
    outputFields: [
      ...withId('customer'),
      { key: 'created', label: 'Created (not matched)', type: 'boolean' },
      { key: 'matched_by', label: 'Matched By' },
      ...possibleDuplicateFields,
    ],
  },
};

module.exports = { createCustomer, updateCustomer, upsertCustomer };
