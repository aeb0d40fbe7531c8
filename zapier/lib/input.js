'use strict';

// input.js: input fields shared by several actions, and the request bodies
// built from them.

const { compact } = require('./http');

const idempotencyField = {
  key: 'idempotency_key',
  label: 'Idempotency Key',
  required: false,
  helpText:
    'Optional. Any value unique to this business event (for example the CRM deal id). Leave empty and the app derives one from the fields above, so a replayed step never creates a second record.',
};

// ownKeyField is the key field of writes that are idempotent by themselves
// (an update, an upsert matched by natural keys): nothing is derived.
const ownKeyField = {
  key: 'idempotency_key',
  label: 'Idempotency Key',
  required: false,
  helpText:
    'Optional, and rarely needed: repeating this step with the same fields changes nothing. Give one only to make a replay answer exactly the first response.',
};

const addressKeys = ['street', 'building_number', 'postal_code', 'city', 'country'];

// customerInputFields are the upsert fields of a customer; prefix namespaces
// them when they sit beside other fields (deal won).
const customerInputFields = (prefix = '') => [
  { key: `${prefix}external_id`, label: 'External ID (CRM id)', helpText: 'Matched first: the id of this customer in your CRM.' },
  { key: `${prefix}customer_number`, label: 'Customer Number', helpText: 'Matched second.' },
  { key: `${prefix}email`, label: 'Email', helpText: 'Matched third (case-insensitive).' },
  { key: `${prefix}name`, label: 'Name', required: true },
  { key: `${prefix}kind`, label: 'Kind', choices: { company: 'Company', person: 'Person' }, default: 'company' },
  { key: `${prefix}contact_person`, label: 'Contact Person' },
  { key: `${prefix}phone`, label: 'Phone' },
  { key: `${prefix}street`, label: 'Street' },
  { key: `${prefix}building_number`, label: 'Building Number' },
  { key: `${prefix}postal_code`, label: 'Postal Code' },
  { key: `${prefix}city`, label: 'City' },
  { key: `${prefix}country`, label: 'Country', helpText: 'Two-letter code, e.g. CH, DE, AT.' },
  { key: `${prefix}vat_number`, label: 'VAT Number' },
  { key: `${prefix}language`, label: 'Language', helpText: 'e.g. de, fr, it, en.' },
  { key: `${prefix}payment_terms_days`, label: 'Payment Terms (days)', type: 'integer' },
];

// customerBody builds an upsert body from fields named by customerInputFields.
const customerBody = (input, prefix = '') => {
  const get = (k) => input[`${prefix}${k}`];
  const body = compact({
    external_id: get('external_id'),
    customer_number: get('customer_number'),
    email: get('email'),
    name: get('name'),
    kind: get('kind'),
    contact_person: get('contact_person'),
    phone: get('phone'),
    vat_number: get('vat_number'),
    language: get('language'),
    payment_terms_days: get('payment_terms_days') === undefined || get('payment_terms_days') === '' ? undefined : Number(get('payment_terms_days')),
  });
  const address = compact(Object.fromEntries(addressKeys.map((k) => [k, get(k)])));
  if (Object.keys(address).length > 0) {
    body.address = address;
  }
  return body;
};

const itemsField = {
  key: 'items',
  label: 'Line Items',
  required: true,
  children: [
    { key: 'description', label: 'Description', required: true },
    { key: 'quantity', label: 'Quantity', type: 'number', required: true },
    { key: 'unit_price', label: 'Unit Price (net)', type: 'number', required: true },
    { key: 'vat_rate', label: 'VAT Rate (%)', type: 'number', required: true, helpText: 'e.g. 8.1 for Swiss standard VAT, 0 for none.' },
  ],
};

// itemsBody returns the line items as the API takes them.
const itemsBody = (items) =>
  (Array.isArray(items) ? items : []).map((it) => ({
    description: it.description,
    quantity: it.quantity,
    unit_price: it.unit_price,
    vat_rate: it.vat_rate,
  }));

const currencyField = { key: 'currency', label: 'Currency', required: true, choices: { CHF: 'CHF', EUR: 'EUR' }, default: 'CHF' };
const dueInDaysField = { key: 'due_in_days', label: 'Due In Days', type: 'integer', helpText: "Defaults to the customer's payment terms." };
const finalizeField = {
  key: 'finalize',
  label: 'Finalize at Once',
  type: 'boolean',
  default: 'false',
  helpText: 'Yes: number, date and open the invoice now. No: leave it as a draft.',
};

const issueDateField = {
  key: 'issue_date',
  label: 'Issue Date',
  helpText:
    "YYYY-MM-DD, in your account's time zone; today when empty. A past date dates the invoice back (e.g. when migrating from another tool), and its due date follows; never in the future.",
};

// bool reads a Zapier boolean input, which arrives as a boolean or a string.
const bool = (v) => v === true || String(v).toLowerCase() === 'true' || String(v).toLowerCase() === 'yes';

module.exports = {
  idempotencyField,
  ownKeyField,
  customerInputFields,
  customerBody,
  itemsField,
  itemsBody,
  currencyField,
  dueInDaysField,
  finalizeField,
  issueDateField,
  bool,
};
