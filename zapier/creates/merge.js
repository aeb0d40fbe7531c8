'use strict';

// merge.js: merge a duplicate customer into the one that survives.

const { write } = require('../lib/http');
const { withId, customerSample } = require('../lib/fields');
const { idempotencyField } = require('../lib/input');

module.exports = {
  key: 'merge_customers',
  noun: 'Customer',
  display: {
    label: 'Merge Customers',
    description:
      "Merges a duplicate customer into another: its invoices and payments move over, and its IDs and email keep finding the surviving customer.",
  },
  operation: {
    inputFields: [
      { key: 'primary_id', label: 'Surviving Customer', required: true, dynamic: 'customer_list.id.name' },
      {
        key: 'duplicate_id',
        label: 'Duplicate Customer',
        required: true,
        dynamic: 'customer_list.id.name',
        helpText: 'Merged into the surviving customer; its ID answers the surviving customer from now on. Merging it again answers the same result.',
      },
      idempotencyField,
    ],
    perform: (z, bundle) => {
      const input = bundle.inputData;
      const body = { primary_id: String(input.primary_id || '').trim(), duplicate_id: String(input.duplicate_id || '').trim() };
      return write(z, bundle, 'merge_customers', '/v1/customers/merge', body);
    },
    sample: { ...customerSample, merged_ids: ['cus_01J9Z8Q4W6Y2XKQ3V5N7M8P0CD'], merged_id: 'cus_01J9Z8Q4W6Y2XKQ3V5N7M8P0CD', moved: { invoices: 2, payments: 1 } },
    outputFields: [
      ...withId('customer'),
      { key: 'merged_id', label: 'Merged Customer ID' },
      { key: 'merged_ids', label: 'All Customer IDs Merged Into It', list: true },
      { key: 'moved__invoices', label: 'Invoices Moved', type: 'integer' },
      { key: 'moved__payments', label: 'Payments Moved', type: 'integer' },
    ],
  },
};
