'use strict';

// duplicates.js: find pairs of customers that may be one.

const { customerSample } = require('../lib/fields');

// pairItem gives a pair {a, b, score, reasons} the id a search result needs.
const pairItem = (pair) => ({ id: `${pair.a.id}~${pair.b.id}`, ...pair });

const customerOf = (prefix, label) => [
  { key: `${prefix}__id`, label: `${label} ID` },
  { key: `${prefix}__name`, label: `${label} Name` },
  { key: `${prefix}__email`, label: `${label} Email` },
  { key: `${prefix}__external_id`, label: `${label} External ID` },
  { key: `${prefix}__customer_number`, label: `${label} Customer Number` },
  { key: `${prefix}__address__postal_code`, label: `${label} Postal Code` },
];

module.exports = {
  key: 'find_duplicate_customers',
  noun: 'Possible Duplicate',
  display: {
    label: 'Find Possible Duplicate Customers',
    description: 'Finds pairs of customers that may be one (same UID, same name and postal code…), highest score first: of one customer or of the whole account.',
  },
  operation: {
    inputFields: [
      {
        key: 'customer_id',
        label: 'Customer',
        dynamic: 'customer_list.id.name',
        helpText: "Only this customer's possible duplicates. Leave empty for the whole account's.",
      },
      {
        key: 'min_score',
        label: 'Minimum Score',
        type: 'number',
        default: '0.85',
        helpText: '0 to 1. 1.0 is the same UID; 0.95 the same name with the same postal code or email domain; 0.85 the same name alone.',
      },
    ],
    perform: async (z, bundle) => {
      const id = String(bundle.inputData.customer_id || '').trim();
      const url = id ? `/v1/customers/${encodeURIComponent(id)}/duplicates` : '/v1/customers/duplicates';
      const params = { limit: 25 };
      const min = bundle.inputData.min_score;
      if (min !== undefined && min !== null && String(min).trim() !== '') {
        params.min_score = min;
      }
      const response = await z.request({ url, params });
      return (response.data.data || []).map(pairItem);
    },
    sample: pairItem({
      a: customerSample,
      b: { ...customerSample, id: 'cus_01J9Z8Q4W6Y2XKQ3V5N7M8P0CD', external_id: 'hubspot-4712', customer_number: 'C-1002', name: 'AG Muster', email: 'buchhaltung@muster.ch' },
      score: 0.95,
      reasons: ['same_name', 'same_postal_code'],
    }),
    outputFields: [
      { key: 'id', label: 'Pair ID' },
      { key: 'score', label: 'Score (0-1)', type: 'number' },
      { key: 'reasons', label: 'Reasons', list: true },
      ...customerOf('a', 'Customer A'),
      ...customerOf('b', 'Customer B'),
    ],
  },
};
